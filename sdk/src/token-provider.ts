import { RevgateProblem } from './problem';

/** The fetch the SDK sends with (the global one unless given). */
export type FetchLike = (request: Request) => Promise<Response>;

export interface TokenProviderOptions {
  /** The issuer's token endpoint, e.g. `http://127.0.0.1:3001/auth/token`. */
  tokenUrl: string;
  clientId: string;
  clientSecret: string;
  /** Space-separated scopes; by default every scope the client may have. */
  scope?: string;
  /** A token is renewed this many seconds before it expires (at most half its lifetime). */
  refreshBeforeSeconds?: number;
  fetch?: FetchLike;
  /** The clock, in milliseconds (tests move it). */
  now?: () => number;
}

interface TokenAnswer {
  access_token: string;
  expires_in: number;
}

const isTokenAnswer = (v: unknown): v is TokenAnswer =>
  typeof v === 'object' &&
  v !== null &&
  typeof (v as Partial<TokenAnswer>).access_token === 'string' &&
  typeof (v as Partial<TokenAnswer>).expires_in === 'number';

/**
 * OAuth2 client credentials (RFC 6749 §4.4): asks the token endpoint for a token with a
 * form-encoded `grant_type=client_credentials`, keeps it until shortly before it expires, and asks
 * once for every caller waiting at the same time.
 */
export class ClientCredentialsTokenProvider {
  private cached?: { token: string; renewAt: number };
  private pending?: Promise<string>;
  private readonly now: () => number;
  private readonly send: FetchLike;

  constructor(private readonly options: TokenProviderOptions) {
    this.now = options.now ?? Date.now;
    this.send = options.fetch ?? ((request) => fetch(request));
  }

  /** A valid access token: the cached one, or a new one. */
  async token(): Promise<string> {
    if (this.cached && this.now() < this.cached.renewAt) return this.cached.token;
    this.pending ??= this.request().finally(() => {
      this.pending = undefined;
    });
    return this.pending;
  }

  /** Forgets `token` (the API refused it), so the next call asks for a new one. */
  invalidate(token: string): void {
    if (this.cached?.token === token) this.cached = undefined;
  }

  private async request(): Promise<string> {
    const form = new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: this.options.clientId,
      client_secret: this.options.clientSecret,
    });
    if (this.options.scope !== undefined) form.set('scope', this.options.scope);
    const response = await this.send(
      new Request(this.options.tokenUrl, {
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          accept: 'application/json',
        },
        body: form.toString(),
      }),
    );
    if (!response.ok) throw await RevgateProblem.fromResponse(response);
    const body: unknown = await response.json();
    if (!isTokenAnswer(body))
      throw new Error(`${this.options.tokenUrl} answered without access_token and expires_in`);
    const lifetime = body.expires_in * 1000;
    const early = Math.min((this.options.refreshBeforeSeconds ?? 30) * 1000, lifetime / 2);
    this.cached = { token: body.access_token, renewAt: this.now() + lifetime - early };
    return body.access_token;
  }
}
