// How the extension starts the language server; the LSP tests and the benchmark start it the same
// way, so they measure what users run.

/**
 * Validation allocates in short bursts of small objects. A 1 MB young generation (V8 grows it to
 * 16 MB) and garbage collection on the main thread only (no helper threads, each with its own
 * malloc arena) keep ~6 MB less resident; on `npm run bench:lsp` neither costs measurable time.
 */
export const LANGUAGE_SERVER_EXEC_ARGV: readonly string[] = ['--max-semi-space-size=1', '--single-threaded-gc'];
