/**
 * A process's way out (issue 18): once `stop()` is called the process is no longer ready (GET /readyz answers 503, new
 * Feishu events are refused with 503 so Feishu or another replica delivers them again), while work already taken in
 * runs to its end. `drain()` waits for that work up to a deadline; past it the process is `closing`: its database and
 * Temporal connections are about to go, so a failure from then on is the shutdown's, not the user's, and is left for
 * Feishu's redelivery instead of being answered with an error message.
 */
export class Lifecycle {
  private stopped = false;
  private pastDeadline = false;
  private readonly running = new Set<Promise<unknown>>();

  /** Not ready any more: refuse new work, finish what was taken. */
  get stopping(): boolean {
    return this.stopped;
  }

  /** The drain deadline has passed (or the drain is over): dependencies are being closed. */
  get closing(): boolean {
    return this.pastDeadline;
  }

  /** How much taken-in work is still running. */
  get inFlight(): number {
    return this.running.size;
  }

  stop(): void {
    this.stopped = true;
  }

  /** Counts `work` as in flight until it settles (its outcome is the caller's to handle). */
  track<T>(work: Promise<T>): Promise<T> {
    const settled = work.then(
      () => undefined,
      () => undefined,
    );
    this.running.add(settled);
    void settled.then(() => this.running.delete(settled));
    return work;
  }

  /** Stops, then waits for the work in flight (including work that started while waiting) up to `deadlineMs`. */
  async drain(deadlineMs: number): Promise<{ finished: boolean; left: number }> {
    this.stop();
    const deadline = Date.now() + deadlineMs;
    let timer: NodeJS.Timeout | undefined;
    try {
      while (this.running.size) {
        const left = deadline - Date.now();
        if (left <= 0) break;
        const timeUp = new Promise<void>((resolve) => (timer = setTimeout(resolve, left)));
        await Promise.race([Promise.all(this.running), timeUp]);
        clearTimeout(timer);
      }
    } finally {
      this.pastDeadline = true;
    }
    return { finished: this.running.size === 0, left: this.running.size };
  }
}
