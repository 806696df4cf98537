/**
 * At most `max` tasks at once; the others start in arrival order as running ones finish (a finished task hands its
 * slot straight to the next, so a late arrival cannot jump the line). Used for the chat's message work
 * (src/chat/webhook.ts) and the spreadsheet reader threads (src/platform/sheets/reader-pool.ts).
 */
export class WorkLimit {
  private running = 0;
  private readonly waiting: Array<() => void> = [];
  constructor(private readonly max: number) {}

  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.running < this.max) this.running++;
    else await new Promise<void>((resolve) => this.waiting.push(resolve));
    try {
      return await task();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.running--;
    }
  }
}
