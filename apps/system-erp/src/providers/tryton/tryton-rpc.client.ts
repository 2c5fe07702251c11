import axios, { AxiosError, AxiosInstance } from 'axios';
import http from 'node:http';
import { decodeBody, encodeRequest } from './tryton-rpc.codec';
import { TrytonRpcError, TrytonUserError, TrytonUserWarning } from './tryton-rpc.errors';

export interface TrytonRpcOptions {
  /** Server root, e.g. http://127.0.0.1:8000 (no database). */
  readonly url: string;
  readonly database: string;
  readonly login: string;
  readonly password: string;
  /** Per call, from sending to the whole answer (default 30 s). */
  readonly timeoutMs?: number;
  /** For common.db.login, which hashes the password and may sleep on failed attempts (default 60 s). */
  readonly loginTimeoutMs?: number;
  /** Language of Tryton's messages (default en: the error mapping reads English texts). */
  readonly language?: string;
}

/** The context every model call ends with; `company` picks the company whose books are meant. */
export type TrytonContext = Readonly<Record<string, unknown>>;

export interface TrytonCallOptions {
  /** Merged over the user's preferences (the base context). */
  readonly context?: TrytonContext;
  /** Shorthand for context.company. */
  readonly company?: number;
  readonly timeoutMs?: number;
}

export interface TrytonSearchOptions extends TrytonCallOptions {
  readonly offset?: number;
  readonly limit?: number;
  /** e.g. [['start_date', 'ASC'], ['id', 'ASC']] */
  readonly order?: readonly (readonly [string, 'ASC' | 'DESC'])[];
}

/** One record as read: its fields by name (dotted names give `"field."` sub-records). */
export type TrytonRow = Readonly<Record<string, unknown>> & { readonly id: number };

/** A search domain: clauses ['field', 'operator', value], nested lists, 'AND' / 'OR'. */
export type TrytonDomain = readonly unknown[];

interface Session {
  readonly userId: number;
  readonly header: string;
  readonly context: TrytonContext;
}

const DEFAULT_TIMEOUT_MS = 30_000;
const DEFAULT_LOGIN_TIMEOUT_MS = 60_000;

/**
 * JSON-RPC 1.0 client of Tryton 6.0 (scripts/tryton/NOTES.md). It logs in with
 * `common.db.login` and sends `Authorization: Session base64(login:userId:key)`; a 401 on a call
 * means the session expired or lost its freshness (methods such as `post` need a session used within
 * `[session] timeout`), so it logs in again once and repeats the call: a 401 comes before the method
 * runs, so repeating is safe. Concurrent callers share one login. The user's preferences are the base
 * context of every model call; the caller adds the company.
 */
export class TrytonRpcClient {
  private readonly http: AxiosInstance;
  private readonly timeoutMs: number;
  private readonly loginTimeoutMs: number;
  private session?: Promise<Session>;
  private nextId = 1;

  constructor(private readonly options: TrytonRpcOptions) {
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.loginTimeoutMs = options.loginTimeoutMs ?? DEFAULT_LOGIN_TIMEOUT_MS;
    this.http = axios.create({
      baseURL: options.url.replace(/\/+$/, ''),
      headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
      // The body is parsed here, with Tryton's reviver; every status is handled below.
      responseType: 'text',
      transformResponse: [(data: unknown) => data],
      validateStatus: () => true,
      transitional: { clarifyTimeoutError: true },
      httpAgent: new http.Agent({ keepAlive: true }),
      maxRedirects: 0,
    });
  }

  get database(): string {
    return this.options.database;
  }

  /** Logs in (or returns the session already open) and gives the user id. */
  async login(): Promise<number> {
    return (await this.currentSession()).userId;
  }

  /** The user's preferences: the base context of every call. */
  async baseContext(): Promise<TrytonContext> {
    return (await this.currentSession()).context;
  }

  /** Ends the session on the server (the key is refused afterwards). */
  async logout(): Promise<void> {
    const pending = this.session;
    this.session = undefined;
    if (!pending) return;
    const session = await pending.catch(() => undefined);
    if (session) await this.post('common.db.logout', [], session.header, this.timeoutMs);
  }

  /** The server's version (no session needed), e.g. "6.0.29". */
  async serverVersion(): Promise<string> {
    const result = await this.post('common.server.version', [], undefined, this.timeoutMs, '/');
    if (typeof result !== 'string') throw this.malformed('common.server.version', result);
    return result;
  }

  /**
   * Calls a model or wizard method: `params` without the context, which is appended (the base
   * context, then options.context, then options.company).
   */
  async call(
    method: string,
    params: readonly unknown[],
    options?: TrytonCallOptions,
  ): Promise<unknown> {
    const timeoutMs = options?.timeoutMs ?? this.timeoutMs;
    let session = await this.currentSession();
    try {
      return await this.post(
        method,
        [...params, this.contextOf(session, options)],
        session.header,
        timeoutMs,
      );
    } catch (error) {
      if (!(error instanceof TrytonRpcError && error.kind === 'auth' && error.status === 401))
        throw error;
      session = await this.renewSession(session);
      return this.post(
        method,
        [...params, this.contextOf(session, options)],
        session.header,
        timeoutMs,
      );
    }
  }

  async search(
    model: string,
    domain: TrytonDomain,
    options?: TrytonSearchOptions,
  ): Promise<number[]> {
    const ids = await this.call(
      `model.${model}.search`,
      [domain, options?.offset ?? 0, options?.limit ?? null, options?.order ?? null],
      options,
    );
    return this.ids(`model.${model}.search`, ids);
  }

  async searchCount(
    model: string,
    domain: TrytonDomain,
    options?: TrytonCallOptions,
  ): Promise<number> {
    const count = await this.call(`model.${model}.search_count`, [domain], options);
    if (typeof count !== 'number') throw this.malformed(`model.${model}.search_count`, count);
    return count;
  }

  async read(
    model: string,
    ids: readonly number[],
    fields: readonly string[],
    options?: TrytonCallOptions,
  ): Promise<TrytonRow[]> {
    if (ids.length === 0) return [];
    const rows = await this.call(`model.${model}.read`, [ids, fields], options);
    return this.rows(`model.${model}.read`, rows);
  }

  async searchRead(
    model: string,
    domain: TrytonDomain,
    fields: readonly string[],
    options?: TrytonSearchOptions,
  ): Promise<TrytonRow[]> {
    const rows = await this.call(
      `model.${model}.search_read`,
      [domain, options?.offset ?? 0, options?.limit ?? null, options?.order ?? null, fields],
      options,
    );
    return this.rows(`model.${model}.search_read`, rows);
  }

  async create(
    model: string,
    values: readonly Readonly<Record<string, unknown>>[],
    options?: TrytonCallOptions,
  ): Promise<number[]> {
    const ids = await this.call(`model.${model}.create`, [values], options);
    return this.ids(`model.${model}.create`, ids);
  }

  async write(
    model: string,
    ids: readonly number[],
    values: Readonly<Record<string, unknown>>,
    options?: TrytonCallOptions,
  ): Promise<void> {
    if (ids.length === 0) return;
    await this.call(`model.${model}.write`, [ids, values], options);
  }

  async delete(model: string, ids: readonly number[], options?: TrytonCallOptions): Promise<void> {
    if (ids.length === 0) return;
    await this.call(`model.${model}.delete`, [ids], options);
  }

  /** A button or other RPC method on records, e.g. `post`, `close`, `reopen`. */
  async execute(
    model: string,
    method: string,
    ids: readonly number[],
    options?: TrytonCallOptions,
  ): Promise<unknown> {
    return this.call(`model.${model}.${method}`, [ids], options);
  }

  /**
   * Runs a wizard to its end: create a wizard session, execute `state` with the forms' values
   * (`data`: {stateName: {field: value}}) on the active records, delete the session. `next` is
   * called with the answer while the wizard shows another form, to give that form's values; it
   * returns the state to run next.
   */
  async runWizard(
    name: string,
    active: { readonly model: string; readonly ids: readonly number[] },
    data: Record<string, Record<string, unknown>>,
    state: string,
    options?: TrytonCallOptions & {
      readonly next?: (
        view: WizardView,
        data: Record<string, Record<string, unknown>>,
      ) => Promise<string | undefined> | string | undefined;
    },
  ): Promise<Readonly<Record<string, unknown>>> {
    const wizardContext: TrytonContext = {
      ...options?.context,
      active_model: active.model,
      active_id: active.ids[0] ?? null,
      active_ids: active.ids,
    };
    const callOptions: TrytonCallOptions = { ...options, context: wizardContext };
    const created = await this.call(`wizard.${name}.create`, [], callOptions);
    if (!Array.isArray(created) || typeof created[0] !== 'number') {
      throw this.malformed(`wizard.${name}.create`, created);
    }
    const sessionId = created[0];
    try {
      let next = state;
      for (let step = 0; ; step++) {
        if (step > 10) throw this.malformed(`wizard.${name}.execute`, 'wizard does not end');
        const answer = await this.call(
          `wizard.${name}.execute`,
          [sessionId, data, next],
          callOptions,
        );
        if (answer === null || typeof answer !== 'object')
          throw this.malformed(`wizard.${name}.execute`, answer);
        const result = answer as Readonly<Record<string, unknown>>;
        const view = result.view;
        if (view === undefined || view === null) return result;
        const shown = wizardViewOf(view);
        if (!shown || !options?.next)
          throw this.malformed(`wizard.${name}.execute`, 'unexpected form');
        const following = await options.next(shown, data);
        if (following === undefined) return result;
        next = following;
      }
    } finally {
      await this.call(`wizard.${name}.delete`, [sessionId], callOptions).catch(() => undefined);
    }
  }

  private contextOf(session: Session, options?: TrytonCallOptions): TrytonContext {
    const context: Record<string, unknown> = { ...session.context, ...options?.context };
    if (options?.company !== undefined) context.company = options.company;
    return context;
  }

  private currentSession(): Promise<Session> {
    this.session ??= this.openSession().catch((error: unknown) => {
      this.session = undefined;
      throw error;
    });
    return this.session;
  }

  /** A new session, unless another caller already replaced the one that was refused. */
  private async renewSession(refused: Session): Promise<Session> {
    const current = await this.session?.catch(() => undefined);
    if (current && current !== refused) return current;
    this.session = undefined;
    return this.currentSession();
  }

  private async openSession(): Promise<Session> {
    const { login, password, language } = this.options;
    const result = await this.post(
      'common.db.login',
      [login, { password }, language ?? 'en'],
      undefined,
      this.loginTimeoutMs,
    );
    if (!Array.isArray(result) || typeof result[0] !== 'number' || typeof result[1] !== 'string') {
      throw this.malformed('common.db.login', result);
    }
    const userId = result[0];
    const header = `Session ${Buffer.from(`${login}:${userId}:${result[1]}`).toString('base64')}`;
    const preferences = await this.post(
      'model.res.user.get_preferences',
      [true, {}],
      header,
      this.timeoutMs,
    );
    if (preferences === null || typeof preferences !== 'object' || Array.isArray(preferences)) {
      throw this.malformed('model.res.user.get_preferences', preferences);
    }
    // The context the clients send: language and company, not display-only values.
    const { language: lang, company, companies } = preferences as Record<string, unknown>;
    return { userId, header, context: { language: lang, company, companies } };
  }

  /** One POST; gives `result` or throws the error as a TrytonRpcError. */
  private async post(
    method: string,
    params: readonly unknown[],
    authorization: string | undefined,
    timeoutMs: number,
    path = `/${encodeURIComponent(this.options.database)}/`,
  ): Promise<unknown> {
    const id = this.nextId++;
    let status: number;
    let text: string;
    try {
      const response = await this.http.post<string>(path, encodeRequest(id, method, params), {
        timeout: timeoutMs,
        headers: authorization ? { Authorization: authorization } : {},
      });
      status = response.status;
      text = typeof response.data === 'string' ? response.data : String(response.data);
    } catch (error) {
      throw transportError(method, error);
    }
    if (status === 401) {
      throw new TrytonRpcError(
        'auth',
        method,
        'Tryton refused the session or the login (401)',
        status,
      );
    }
    if (status === 429) {
      throw new TrytonRpcError(
        'rate_limited',
        method,
        'Tryton refuses logins for now: too many failed attempts (429)',
        status,
      );
    }
    if (status >= 500)
      throw new TrytonRpcError('transport', method, `Tryton answered HTTP ${status}`, status);
    if (status !== 200)
      throw new TrytonRpcError('server', method, `Tryton answered HTTP ${status}`, status);
    let body: unknown;
    try {
      body = decodeBody(text);
    } catch (error) {
      throw new TrytonRpcError(
        'transport',
        method,
        'Tryton answered with a body that is not JSON',
        status,
        {
          cause: error,
        },
      );
    }
    if (body === null || typeof body !== 'object' || Array.isArray(body))
      throw this.malformed(method, body);
    const envelope = body as { result?: unknown; error?: unknown };
    if ('error' in envelope && envelope.error !== null && envelope.error !== undefined) {
      throw applicationError(method, envelope.error);
    }
    return envelope.result;
  }

  private ids(method: string, value: unknown): number[] {
    if (!Array.isArray(value) || !value.every((id) => typeof id === 'number')) {
      throw this.malformed(method, value);
    }
    return value;
  }

  private rows(method: string, value: unknown): TrytonRow[] {
    if (
      !Array.isArray(value) ||
      !value.every(
        (row) =>
          row !== null &&
          typeof row === 'object' &&
          typeof (row as { id?: unknown }).id === 'number',
      )
    ) {
      throw this.malformed(method, value);
    }
    return value as TrytonRow[];
  }

  private malformed(method: string, value: unknown): TrytonRpcError {
    return new TrytonRpcError('server', method, `unexpected answer from Tryton: ${typeof value}`);
  }
}

/** The form a wizard shows next, with the defaults Tryton computed for it. */
export interface WizardView {
  readonly model: string;
  readonly defaults: Readonly<Record<string, unknown>>;
}

function wizardViewOf(view: unknown): WizardView | undefined {
  if (view === null || typeof view !== 'object') return undefined;
  const { fields_view: fieldsView, defaults } = view as {
    fields_view?: unknown;
    defaults?: unknown;
  };
  const model = (fieldsView as { model?: unknown } | undefined)?.model;
  if (typeof model !== 'string') return undefined;
  const values: Record<string, unknown> = {};
  if (defaults !== null && typeof defaults === 'object') {
    // "field." entries are display names of Many2One values; the wizard refuses them as values.
    for (const [key, value] of Object.entries(defaults))
      if (!key.endsWith('.')) values[key] = value;
  }
  return { model, defaults: values };
}

function transportError(method: string, error: unknown): TrytonRpcError {
  if (error instanceof AxiosError) {
    if (error.code === 'ETIMEDOUT' || error.code === 'ECONNABORTED') {
      return new TrytonRpcError('timeout', method, 'no answer from Tryton in time', undefined, {
        cause: error,
      });
    }
    return new TrytonRpcError(
      'transport',
      method,
      `cannot reach Tryton (${error.code ?? error.message})`,
      undefined,
      {
        cause: error,
      },
    );
  }
  return new TrytonRpcError('transport', method, 'cannot reach Tryton', undefined, {
    cause: error,
  });
}

const text = (value: unknown): string => (typeof value === 'string' ? value : '');

/** `error` of a 200 answer: [type, args] for typed exceptions, [str(exception), traceback] otherwise. */
function applicationError(method: string, error: unknown): TrytonRpcError {
  if (Array.isArray(error)) {
    const [type, args] = error as [unknown, unknown];
    const list = Array.isArray(args) ? (args as unknown[]) : [];
    switch (type) {
      case 'UserError':
        return new TrytonUserError(method, text(list[0]), text(list[1]));
      case 'UserWarning':
        return new TrytonUserWarning(method, text(list[0]), text(list[1]), text(list[2]));
      case 'LoginException':
        return new TrytonRpcError(
          'auth',
          method,
          `Tryton asks for ${text(list[0]) || 'more'} to log in`,
        );
      case 'ConcurrencyException':
        return new TrytonRpcError(
          'concurrency',
          method,
          text(list[0]) || 'concurrent modification',
        );
      case 'RateLimitException':
        return new TrytonRpcError('rate_limited', method, 'Tryton rate-limits this login');
      default:
        // A lock another transaction holds (PostgreSQL's NOWAIT on a strict sequence row, SQLite's
        // single writer) after Tryton's own retries: the same call can succeed a moment later.
        if (/could not obtain lock|database is locked|lock not available/i.test(text(type))) {
          return new TrytonRpcError(
            'concurrency',
            method,
            `Tryton raised: ${text(type).slice(0, 300)}`,
          );
        }
        return new TrytonRpcError('server', method, `Tryton raised: ${text(type).slice(0, 300)}`);
    }
  }
  return new TrytonRpcError('server', method, 'Tryton answered with an error of an unknown shape');
}
