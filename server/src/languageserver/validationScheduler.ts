// Debounced validation per document: a new edit cancels the pending run, and a run whose
// document changed meanwhile publishes nothing.
export class ValidationScheduler {
  private readonly pending = new Map<string, NodeJS.Timeout>();
  private readonly generation = new Map<string, number>();

  constructor(
    private readonly delayMs: number,
    private readonly run: (uri: string, isCurrent: () => boolean) => Promise<void>,
  ) {}

  schedule(uri: string, delayMs = this.delayMs): void {
    this.cancel(uri);
    const gen = (this.generation.get(uri) ?? 0) + 1;
    this.generation.set(uri, gen);
    const timer = setTimeout(() => {
      this.pending.delete(uri);
      void this.run(uri, () => this.generation.get(uri) === gen);
    }, delayMs);
    this.pending.set(uri, timer);
  }

  cancel(uri: string): void {
    const timer = this.pending.get(uri);
    if (timer) clearTimeout(timer);
    this.pending.delete(uri);
    this.generation.set(uri, (this.generation.get(uri) ?? 0) + 1);
  }

  dispose(): void {
    for (const timer of this.pending.values()) clearTimeout(timer);
    this.pending.clear();
  }
}
