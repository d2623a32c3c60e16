/**
 * Keeps the hub's calls to one registry within its rate (the economic-check oracle: 5 a second,
 * HTTP 429 beyond). A rolling window rather than a plain token bucket: a bucket that starts full
 * lets a burst and the refill land in the same second, which is exactly what the registry refuses.
 *
 * The registry counts calls by when they *arrive*, which the client cannot see: a busy event loop
 * may send a call well after it was allowed. Its answer, though, always comes after it arrived, so
 * a call holds its place in the window until its answer plus one second: the next call then
 * arrives more than a second after it, however late it was sent.
 */
export interface PacedCall {
  /** one more attempt of this call (an HTTP retry): it counts in the window too */
  retried(): void;
  /** the answer (or the failure) came back */
  done(): void;
}

interface Attempt {
  /** when the answer came back; null while the call is under way */
  end: number | null;
}

export class CallPacer {
  private attempts: Attempt[] = [];
  private pausedUntil = 0;
  private turn: Promise<void> = Promise.resolve();
  private wake: Array<() => void> = [];

  constructor(
    readonly maxCalls: number,
    readonly windowMs = 1000,
    /** timers may fire a little early and clocks differ a little */
    readonly marginMs = 10,
  ) {}

  /** Resolves when one more call may start now; callers go in the order they asked. */
  take(signal?: AbortSignal): Promise<PacedCall> {
    const mine = this.turn.then(() => this.waitForSlot(signal));
    this.turn = mine.then(
      () => undefined,
      () => undefined,
    );
    return mine;
  }

  /** HTTP 429: nobody calls this registry again before the time it named. */
  pause(untilMs: number): void {
    this.pausedUntil = Math.max(this.pausedUntil, untilMs);
  }

  private async waitForSlot(signal?: AbortSignal): Promise<PacedCall> {
    const span = this.windowMs + this.marginMs;
    for (;;) {
      if (signal?.aborted) throw signal.reason;
      const now = Date.now();
      this.attempts = this.attempts.filter((a) => a.end === null || a.end > now - span);
      const holding = this.attempts.length;
      let wait = Math.max(0, this.pausedUntil - now);
      if (holding >= this.maxCalls) {
        const ended = this.attempts.filter((a) => a.end !== null).map((a) => a.end!);
        // the window frees when the oldest answered call leaves it, or when a call under way answers
        wait = Math.max(wait, ended.length > holding - this.maxCalls ? Math.min(...ended) + span - now : Infinity);
      }
      if (wait <= 0) return this.start();
      await this.sleep(wait, signal);
    }
  }

  private start(): PacedCall {
    const mine: Attempt[] = [{ end: null }];
    this.attempts.push(mine[0]);
    let finished = false;
    return {
      retried: () => {
        if (finished) return;
        const a = { end: null };
        mine.push(a);
        this.attempts.push(a);
      },
      done: () => {
        if (finished) return;
        finished = true;
        const now = Date.now();
        for (const a of mine) a.end = now;
        for (const w of this.wake.splice(0)) w();
      },
    };
  }

  /** Sleeps `ms` (Infinity: until a call answers), waking early when a call answers. */
  private sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise((resolve, reject) => {
      const finish = () => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', abort);
        resolve();
      };
      const abort = () => {
        clearTimeout(timer);
        reject(signal!.reason);
      };
      const timer = Number.isFinite(ms) ? setTimeout(finish, ms) : undefined;
      this.wake.push(finish);
      signal?.addEventListener('abort', abort, { once: true });
    });
  }
}
