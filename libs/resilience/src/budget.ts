/** How much of an upstream one process may use: calls in flight at once, and calls a second. */
export interface BudgetOptions {
  /** Calls in flight at once (≥ 1). */
  concurrency: number;
  /** Calls started per second (> 0); Infinity for no rate limit. */
  ratePerSecond: number;
  /** How long a call may wait for its turn before it is refused (ms). */
  maxWaitMs: number;
}

/** A call could not get its turn within the budget's wait: the upstream is saturated. */
export class BudgetExhaustedError extends Error {
  constructor(
    readonly waitedMs: number,
    /** When a turn is likely to be free, in seconds. */
    readonly retryAfterSeconds: number,
  ) {
    super(`no turn within ${waitedMs} ms`);
    this.name = 'BudgetExhaustedError';
  }
}

interface Waiter {
  grant: () => void;
  refuse: (e: Error) => void;
  timer: NodeJS.Timeout;
}

/**
 * A concurrency limit and a token bucket (burst of one second's rate), with a FIFO queue of calls
 * waiting for their turn. `acquire` resolves with the function that gives the slot back.
 */
export class Budget {
  private inFlight = 0;
  private tokens: number;
  private refilledAt: number;
  private readonly queue: Waiter[] = [];
  private wakeTimer?: NodeJS.Timeout;

  constructor(
    private readonly options: BudgetOptions,
    private readonly now: () => number = Date.now,
  ) {
    if (!(options.concurrency >= 1)) throw new Error('budget concurrency must be at least 1');
    if (!(options.ratePerSecond > 0)) throw new Error('budget rate must be positive');
    this.tokens = this.capacity;
    this.refilledAt = now();
  }

  /** Calls in flight and calls waiting, now. */
  snapshot(): { inFlight: number; queued: number } {
    return { inFlight: this.inFlight, queued: this.queue.length };
  }

  acquire(): Promise<() => void> {
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        grant: () => {
          let released = false;
          resolve(() => {
            if (released) return;
            released = true;
            this.inFlight -= 1;
            this.drain();
          });
        },
        refuse: reject,
        timer: setTimeout(() => {
          const at = this.queue.indexOf(waiter);
          if (at < 0) return;
          this.queue.splice(at, 1);
          reject(new BudgetExhaustedError(this.options.maxWaitMs, this.retryAfterSeconds()));
        }, this.options.maxWaitMs),
      };
      waiter.timer.unref();
      this.queue.push(waiter);
      this.drain();
    });
  }

  private get capacity(): number {
    return Number.isFinite(this.options.ratePerSecond)
      ? Math.max(1, this.options.ratePerSecond)
      : 1;
  }

  private refill(): void {
    if (!Number.isFinite(this.options.ratePerSecond)) {
      this.tokens = 1;
      return;
    }
    const now = this.now();
    const earned = ((now - this.refilledAt) / 1000) * this.options.ratePerSecond;
    this.tokens = Math.min(this.capacity, this.tokens + earned);
    this.refilledAt = now;
  }

  private drain(): void {
    this.refill();
    while (this.queue.length > 0 && this.inFlight < this.options.concurrency && this.tokens >= 1) {
      const waiter = this.queue.shift();
      if (!waiter) break;
      clearTimeout(waiter.timer);
      this.inFlight += 1;
      if (Number.isFinite(this.options.ratePerSecond)) this.tokens -= 1;
      waiter.grant();
    }
    // Waiting on the rate, not on a slot: come back when the next token is earned.
    if (
      this.queue.length > 0 &&
      this.inFlight < this.options.concurrency &&
      this.tokens < 1 &&
      !this.wakeTimer
    ) {
      const ms = Math.ceil(((1 - this.tokens) / this.options.ratePerSecond) * 1000);
      this.wakeTimer = setTimeout(() => {
        this.wakeTimer = undefined;
        this.drain();
      }, ms);
      this.wakeTimer.unref();
    }
  }

  private retryAfterSeconds(): number {
    const perCall = Number.isFinite(this.options.ratePerSecond)
      ? (this.queue.length + 1) / this.options.ratePerSecond
      : 1;
    return Math.max(1, Math.ceil(perCall));
  }
}
