export interface CoalesceLimits {
  /** How long the first request of a batch waits for others to join it. */
  maxDelayMs: number;
  /** Rows that make a batch go at once; a single larger request goes alone. */
  maxRows: number;
}

interface Waiting<Item, Result> {
  items: readonly Item[];
  rows: number;
  resolve(result: Result): void;
  reject(error: unknown): void;
}

/**
 * Group commit: requests submitted while a batch waits (up to `maxDelayMs` or
 * `maxRows`, whichever comes first) or while the previous batch is being written share
 * one flush. Flushes run one at a time, so each sees everything the previous one wrote;
 * every request is answered with its own result once its flush has finished.
 */
export class Coalescer<Item, Result> {
  private waiting: Waiting<Item, Result>[] = [];
  private waitingRows = 0;
  private timer: NodeJS.Timeout | undefined;
  private flushing = false;

  constructor(
    /** Writes the requests' items together; settles one outcome per request, in order. */
    private readonly flush: (requests: (readonly Item[])[]) => Promise<PromiseSettledResult<Result>[]>,
    private readonly limits: CoalesceLimits,
    /** The rows a request counts for against `maxRows`: its items, unless an item holds many rows. */
    private readonly rowsOf: (items: readonly Item[]) => number = (items) => items.length,
  ) {}

  submit(items: readonly Item[]): Promise<Result> {
    return new Promise<Result>((resolve, reject) => {
      const rows = this.rowsOf(items);
      this.waiting.push({ items, rows, resolve, reject });
      this.waitingRows += rows;
      if (this.flushing) return; // the next batch starts when this one ends
      if (this.waitingRows >= this.limits.maxRows) this.start();
      else this.timer ??= setTimeout(() => this.start(), this.limits.maxDelayMs);
    });
  }

  private start(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.flushing || this.waiting.length === 0) return;
    const batch: Waiting<Item, Result>[] = [];
    let rows = 0;
    while (this.waiting.length > 0 && (batch.length === 0 || rows + this.waiting[0]!.rows <= this.limits.maxRows)) {
      const next = this.waiting.shift()!;
      rows += next.rows;
      batch.push(next);
    }
    this.waitingRows -= rows;
    this.flushing = true;
    this.flush(batch.map((request) => request.items))
      .then(
        (outcomes) => batch.forEach((request, index) => {
          const outcome = outcomes[index]!;
          if (outcome.status === "fulfilled") request.resolve(outcome.value);
          else request.reject(outcome.reason);
        }),
        (error: unknown) => batch.forEach((request) => request.reject(error)),
      )
      .finally(() => {
        this.flushing = false;
        // Whoever arrived meanwhile has waited long enough.
        if (this.waiting.length > 0) this.start();
      });
  }
}
