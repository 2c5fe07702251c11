import axios, { type AxiosInstance, type AxiosResponse } from 'axios';
import CircuitBreaker from 'opossum';
import { outboundHeaders } from '@revgate/platform';
import { backoffDelayMs, retryAfterMs } from './backoff';
import { Budget, BudgetExhaustedError, type BudgetOptions } from './budget';
import { TokenUnavailableError, type TokenProvider } from './token-provider';
import { UpstreamUnavailableError, type UnavailableReason } from './upstream-error';

export type BreakerState = 'closed' | 'open' | 'half_open';

/** One upstream system: where it is, how long to wait, how hard to try, how much to use it. */
export interface UpstreamOptions {
  /** Names the upstream in metrics, logs and errors ("tax", "erp"). One client, one breaker each. */
  name: string;
  baseUrl: string;
  /** Per attempt (ms). */
  timeoutMs: number;
  retry?: {
    /** Attempts in all, the first included (≥ 1). */
    attempts: number;
    baseDelayMs: number;
    maxDelayMs: number;
  };
  breaker?: {
    /** Calls in the rolling window before the breaker may open. */
    volumeThreshold: number;
    /** Failed share of those calls that opens it (%). */
    errorThresholdPercentage: number;
    /** How long it stays open before one trial call (ms). */
    resetTimeoutMs: number;
    /** The rolling window (ms). */
    rollingWindowMs: number;
  };
  budget?: BudgetOptions;
  auth?: TokenProvider;
}

export interface UpstreamRequest {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Appended to the base URL. */
  path: string;
  /** Sent as JSON. */
  body?: unknown;
  /** Sent as it is, instead of `body` (already serialized JSON). */
  rawBody?: string;
  headers?: Record<string, string>;
  /** Sent as Idempotency-Key; makes a POST or PATCH safe to retry. */
  idempotencyKey?: string;
  /**
   * The call may be repeated without a second effect (the upstream dedupes it by its content or a
   * key of its own). GET, PUT and DELETE are; a POST or PATCH is only with this or a key.
   */
  idempotent?: boolean;
}

export interface UpstreamResponse<T> {
  status: number;
  headers: Record<string, string>;
  /** The body parsed as JSON (or its text when it is not JSON; undefined when empty). */
  data: T;
  /** The body as received. */
  text: string;
}

/** What a client reports to metrics; the module wires it to prom-client. */
export interface UpstreamObserver {
  attempt(upstream: string, outcome: string, seconds: number): void;
  /** The breaker's state; `changed` when it moved there (not its first report). */
  breaker(upstream: string, state: BreakerState, changed?: boolean): void;
  budget(upstream: string, inFlight: number, queued: number): void;
}

const DEFAULT_RETRY = { attempts: 3, baseDelayMs: 200, maxDelayMs: 5_000 };
const DEFAULT_BREAKER = {
  volumeThreshold: 10,
  errorThresholdPercentage: 50,
  resetTimeoutMs: 30_000,
  rollingWindowMs: 10_000,
};
const DEFAULT_BUDGET: BudgetOptions = {
  concurrency: 16,
  ratePerSecond: Infinity,
  maxWaitMs: 10_000,
};
const SAFE_METHODS = new Set(['GET', 'PUT', 'DELETE']);

/** An attempt that failed in a way worth trying again (and that counts against the breaker). */
class AttemptFailed extends Error {
  constructor(
    readonly reason: UnavailableReason,
    detail: string,
    readonly status?: number,
    readonly retryAfterMs?: number,
  ) {
    super(detail);
  }
}

const flatHeaders = (res: AxiosResponse): Record<string, string> =>
  Object.fromEntries(
    Object.entries(res.headers as Record<string, unknown>).flatMap(([k, v]) =>
      typeof v === 'string' ? [[k.toLowerCase(), v]] : [],
    ),
  );

/**
 * The one outbound HTTP client (DESIGN §8), one instance per upstream: every call waits for its
 * turn in the upstream's budget (concurrency and rate), goes through the upstream's circuit breaker
 * (opossum; only timeouts, network errors, 5xx, 408 and 429 count as failures — other 4xx are
 * answers), gives up after `timeoutMs` (AbortController), and is retried with exponential backoff
 * and full jitter — only when it is safe to repeat (GET/PUT/DELETE, `idempotent`, or an
 * Idempotency-Key) — waiting at least what Retry-After asks. It carries the correlation id and the
 * upstream's token (renewed once on 401). An answer (2xx–4xx) is returned as it is; no answer
 * after the retries allowed is an UpstreamUnavailableError, with the Retry-After to give callers.
 */
export class UpstreamClient {
  private readonly http: AxiosInstance;
  private readonly breaker: CircuitBreaker<[() => Promise<AxiosResponse>], AxiosResponse>;
  private readonly budget: Budget;
  private readonly retry: NonNullable<UpstreamOptions['retry']>;
  private readonly breakerOptions: NonNullable<UpstreamOptions['breaker']>;
  private openedAt = 0;

  constructor(
    readonly options: UpstreamOptions,
    private readonly observer?: UpstreamObserver,
    private readonly sleep: (ms: number) => Promise<void> = (ms) =>
      new Promise((resolve) => setTimeout(resolve, ms)),
  ) {
    this.retry = options.retry ?? DEFAULT_RETRY;
    this.breakerOptions = options.breaker ?? DEFAULT_BREAKER;
    this.budget = new Budget(options.budget ?? DEFAULT_BUDGET);
    this.http = axios.create({
      baseURL: options.baseUrl.replace(/\/+$/, ''),
      validateStatus: () => true,
      maxRedirects: 0,
      // Answers are read as text and parsed here, so a non-JSON body never throws inside axios.
      responseType: 'text',
      transformResponse: [(data: unknown) => data],
    });
    this.breaker = new CircuitBreaker((send: () => Promise<AxiosResponse>) => send(), {
      name: options.name,
      timeout: false,
      volumeThreshold: this.breakerOptions.volumeThreshold,
      errorThresholdPercentage: this.breakerOptions.errorThresholdPercentage,
      resetTimeout: this.breakerOptions.resetTimeoutMs,
      rollingCountTimeout: this.breakerOptions.rollingWindowMs,
      // Only attempts that failed for the upstream's sake count; a caller's bad token does not.
      errorFilter: (e: unknown) => !(e instanceof AttemptFailed),
    });
    this.breaker.on('open', () => {
      this.openedAt = Date.now();
      observer?.breaker(options.name, 'open', true);
    });
    this.breaker.on('halfOpen', () => observer?.breaker(options.name, 'half_open', true));
    this.breaker.on('close', () => observer?.breaker(options.name, 'closed', true));
    observer?.breaker(options.name, 'closed');
  }

  get name(): string {
    return this.options.name;
  }

  breakerState(): BreakerState {
    if (this.breaker.opened) return 'open';
    if (this.breaker.halfOpen) return 'half_open';
    return 'closed';
  }

  budgetUse(): { inFlight: number; queued: number } {
    return this.budget.snapshot();
  }

  /** Stops the breaker's timers (on shutdown). */
  shutdown(): void {
    this.breaker.shutdown();
  }

  async request<T = unknown>(req: UpstreamRequest): Promise<UpstreamResponse<T>> {
    const repeatable =
      req.idempotent === true || req.idempotencyKey !== undefined || SAFE_METHODS.has(req.method);
    const attempts = repeatable ? Math.max(1, this.retry.attempts) : 1;
    let renewedToken = false;
    for (let attempt = 1; ; attempt++) {
      let failure: AttemptFailed;
      try {
        const res = await this.attempt(req, renewedToken);
        if (res.status === 401 && this.options.auth && !renewedToken) {
          // A token refused: ask for a new one once, without spending a retry.
          renewedToken = true;
          attempt--;
          continue;
        }
        return {
          status: res.status,
          headers: flatHeaders(res),
          data: this.parse(res) as T,
          text: typeof res.data === 'string' ? res.data : '',
        };
      } catch (e) {
        if (e instanceof AttemptFailed) failure = e;
        else throw e;
      }
      if (
        failure.reason === 'breaker_open' ||
        failure.reason === 'budget_exhausted' ||
        failure.reason === 'auth_refused'
      )
        throw this.unavailable(failure);
      const wait = Math.max(
        backoffDelayMs(attempt, this.retry.baseDelayMs, this.retry.maxDelayMs),
        failure.retryAfterMs ?? 0,
      );
      // Out of attempts, or told to come back later than a call may reasonably wait.
      if (attempt >= attempts || wait > this.retry.maxDelayMs) throw this.unavailable(failure);
      await this.sleep(wait);
    }
  }

  /** One attempt: a turn in the budget, then the call through the breaker. */
  private async attempt(req: UpstreamRequest, renewToken: boolean): Promise<AxiosResponse> {
    let release: () => void;
    try {
      release = await this.budget.acquire();
    } catch (e) {
      if (e instanceof BudgetExhaustedError) {
        this.observer?.attempt(this.name, 'budget_exhausted', 0);
        throw new AttemptFailed(
          'budget_exhausted',
          `no call slot within ${e.waitedMs} ms (concurrency or rate budget in use)`,
          undefined,
          e.retryAfterSeconds * 1000,
        );
      }
      throw e;
    }
    const use = this.budget.snapshot();
    this.observer?.budget(this.name, use.inFlight, use.queued);
    const started = process.hrtime.bigint();
    let outcome = 'error';
    try {
      const headers = await this.headers(req, renewToken);
      const res = await this.breaker.fire(() => this.send(req, headers));
      outcome = String(res.status);
      return res;
    } catch (e) {
      if (e instanceof AttemptFailed) {
        outcome = e.reason;
        throw e;
      }
      if ((e as { code?: unknown } | null)?.code === 'EOPENBREAKER') {
        outcome = 'breaker_open';
        const left = this.openedAt + this.breakerOptions.resetTimeoutMs - Date.now();
        throw new AttemptFailed(
          'breaker_open',
          'its circuit breaker is open after repeated failures',
          undefined,
          Math.max(1000, left),
        );
      }
      throw e;
    } finally {
      release();
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      this.observer?.attempt(this.name, outcome, seconds);
      const after = this.budget.snapshot();
      this.observer?.budget(this.name, after.inFlight, after.queued);
    }
  }

  private async headers(
    req: UpstreamRequest,
    renewToken: boolean,
  ): Promise<Record<string, string>> {
    const headers: Record<string, string> = {
      accept: 'application/json',
      ...outboundHeaders(),
      ...(req.body === undefined && req.rawBody === undefined
        ? {}
        : { 'content-type': 'application/json' }),
      ...(req.idempotencyKey ? { 'idempotency-key': req.idempotencyKey } : {}),
      ...req.headers,
    };
    if (this.options.auth) {
      try {
        headers.authorization = `Bearer ${await this.options.auth.token(renewToken)}`;
      } catch (e) {
        if (e instanceof TokenUnavailableError)
          throw new AttemptFailed(e.reason === 'refused' ? 'auth_refused' : 'network', e.message);
        throw e;
      }
    }
    return headers;
  }

  /** Sends once; answers what is an answer, throws AttemptFailed for what is worth a retry. */
  private async send(
    req: UpstreamRequest,
    headers: Record<string, string>,
  ): Promise<AxiosResponse> {
    const signal = AbortSignal.timeout(this.options.timeoutMs);
    let res: AxiosResponse;
    try {
      res = await this.http.request({
        method: req.method,
        url: req.path,
        headers,
        signal,
        ...(req.rawBody !== undefined
          ? { data: req.rawBody }
          : req.body === undefined
            ? {}
            : { data: JSON.stringify(req.body) }),
      });
    } catch {
      if (signal.aborted)
        throw new AttemptFailed('timeout', `no answer within ${this.options.timeoutMs} ms`);
      throw new AttemptFailed('network', 'it cannot be reached');
    }
    const retryAfter = retryAfterMs(
      typeof res.headers['retry-after'] === 'string' ? res.headers['retry-after'] : undefined,
    );
    if (res.status === 429)
      throw new AttemptFailed('rate_limited', 'it answered 429 Too Many Requests', 429, retryAfter);
    if (res.status === 408)
      throw new AttemptFailed('timeout', 'it answered 408 Request Timeout', 408, retryAfter);
    if (res.status >= 500)
      throw new AttemptFailed(
        'server_error',
        `it answered HTTP ${res.status}`,
        res.status,
        retryAfter,
      );
    return res;
  }

  /** The body as JSON when it is JSON, else its text (undefined when empty). */
  private parse(res: AxiosResponse): unknown {
    const text = typeof res.data === 'string' ? res.data : '';
    if (text === '') return undefined;
    try {
      return JSON.parse(text) as unknown;
    } catch {
      return text;
    }
  }

  private unavailable(failure: AttemptFailed): UpstreamUnavailableError {
    const seconds = Math.max(1, Math.ceil((failure.retryAfterMs ?? 5000) / 1000));
    return new UpstreamUnavailableError(
      this.name,
      failure.reason,
      seconds,
      failure.message,
      failure.status,
    );
  }
}
