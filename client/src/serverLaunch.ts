// How the extension starts the language server; the LSP tests and the benchmark start it the same
// way, so they measure what users run.

/**
 * Validation allocates in short bursts of small objects. A 1 MB young generation (V8 grows it to
 * 16 MB) and garbage collection on the main thread only (no helper threads, each with its own
 * malloc arena) keep ~6 MB less resident. The optimising compiler also runs on the main thread:
 * on a helper thread its working memory lands in that thread's malloc arena, which keeps ~4 MB
 * resident after the first validation (a heap snapshot then holds ~7.5 MB of live objects). On
 * `npm run bench:lsp` none of this costs measurable time.
 */
export const LANGUAGE_SERVER_EXEC_ARGV: readonly string[] = ['--max-semi-space-size=1', '--single-threaded-gc', '--no-concurrent-recompilation'];
