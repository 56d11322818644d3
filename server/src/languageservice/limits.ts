// Bounds on what one document can produce. A hostile or generated file can hold millions of
// findings; the editor can show a few hundred, and the server must not build the rest.

/** Diagnostics per document unless the `libvirt.uri.maxDiagnostics` setting says otherwise. */
export const DEFAULT_MAX_DIAGNOSTICS = 1000;
/** The setting's ceiling: beyond it a document's diagnostics no longer fit in memory comfortably. */
export const MAX_MAX_DIAGNOSTICS = 100_000;
/** Distinct diagnostics one URI may have before further ones fold into the first of their code. */
export const MAX_DISTINCT_PER_URI = 100;

export interface Foldable {
  code: string;
  message: string;
  /** Further occurrences of this fault in the same URI, folded into this one. */
  repeats?: number;
}

/**
 * The diagnostics of one URI, with repeats folded: a fault with the same code and message as an
 * earlier one counts towards the earlier one; and once the URI has MAX_DISTINCT_PER_URI
 * diagnostics, so does any fault whose code it already has. Memory stays bounded by the number
 * of distinct faults kept, however many are added.
 */
export class FoldingList<T extends Foldable> {
  /** Up to this many kept, earlier ones are found by a scan of the list: most URIs have a few faults or none. */
  private static readonly SCANNED = 8;
  readonly list: T[] = [];
  // Made when the list outgrows SCANNED.
  private byMessage: Map<string, T> | undefined;
  private firstOfCode: Map<string, T> | undefined;

  constructor(private readonly distinct = MAX_DISTINCT_PER_URI) {}

  add(d: T): void {
    const earlier = this.byMessage ? this.looked(d) : this.scanned(d);
    if (earlier) {
      earlier.repeats = (earlier.repeats ?? 0) + 1;
      return;
    }
    this.list.push(d);
    if (this.byMessage) {
      this.index(d);
    } else if (this.list.length > FoldingList.SCANNED) {
      this.byMessage = new Map();
      this.firstOfCode = new Map();
      for (const kept of this.list) this.index(kept);
    }
  }

  private scanned(d: T): T | undefined {
    let firstOfCode: T | undefined;
    for (const kept of this.list) {
      if (kept.code !== d.code) continue;
      if (kept.message === d.message) return kept;
      firstOfCode ??= kept;
    }
    return this.list.length >= this.distinct ? firstOfCode : undefined;
  }

  private looked(d: T): T | undefined {
    return this.byMessage!.get(`${d.code}\n${d.message}`) ?? (this.list.length >= this.distinct ? this.firstOfCode!.get(d.code) : undefined);
  }

  private index(kept: T): void {
    this.byMessage!.set(`${kept.code}\n${kept.message}`, kept);
    if (!this.firstOfCode!.has(kept.code)) this.firstOfCode!.set(kept.code, kept);
  }
}

/** The message a user sees for a diagnostic that stands for `repeats` more. */
export function withRepeats(message: string, repeats: number | undefined): string {
  return repeats ? `${message} (and ${repeats} more in this URI)` : message;
}

/** The `libvirt.uri.maxDiagnostics` value to use for a setting of any type. */
export function maxDiagnosticsSetting(value: unknown): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) return DEFAULT_MAX_DIAGNOSTICS;
  return Math.min(value, MAX_MAX_DIAGNOSTICS);
}
