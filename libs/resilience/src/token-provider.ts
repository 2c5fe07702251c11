import axios from 'axios';

/** Gives the Authorization header value of an upstream's calls. */
export interface TokenProvider {
  /** The current token; a new one when `renew` (the upstream refused the last one). */
  token(renew: boolean): Promise<string>;
}

export interface ClientCredentialsOptions {
  tokenUrl: string;
  clientId: string;
  clientSecret: string;
  /** Space-separated scopes to ask for. */
  scope?: string;
  timeoutMs: number;
  /** Renew this long before the token expires (ms). */
  marginMs?: number;
}

/** The token endpoint refused the client, or could not be reached. */
export class TokenUnavailableError extends Error {
  constructor(
    readonly reason: 'refused' | 'unreachable',
    detail: string,
  ) {
    super(detail);
    this.name = 'TokenUnavailableError';
  }
}

/**
 * OAuth 2.0 client credentials (RFC 6749 §4.4): a token asked for once and kept until a minute
 * before it expires; concurrent callers share one request for it.
 */
export class ClientCredentialsTokenProvider implements TokenProvider {
  private cached?: { value: string; expiresAt: number };
  private pending?: Promise<string>;

  constructor(private readonly options: ClientCredentialsOptions) {}

  token(renew: boolean): Promise<string> {
    if (!renew && this.cached && this.cached.expiresAt > Date.now())
      return Promise.resolve(this.cached.value);
    this.pending ??= this.fetch().finally(() => {
      this.pending = undefined;
    });
    return this.pending;
  }

  private async fetch(): Promise<string> {
    const { tokenUrl, clientId, clientSecret, scope, timeoutMs } = this.options;
    let res;
    try {
      res = await axios.post<unknown>(
        tokenUrl,
        new URLSearchParams({
          grant_type: 'client_credentials',
          client_id: clientId,
          client_secret: clientSecret,
          ...(scope ? { scope } : {}),
        }).toString(),
        {
          headers: {
            'content-type': 'application/x-www-form-urlencoded',
            accept: 'application/json',
          },
          signal: AbortSignal.timeout(timeoutMs),
          validateStatus: () => true,
          maxRedirects: 0,
        },
      );
    } catch {
      throw new TokenUnavailableError(
        'unreachable',
        `the token endpoint ${tokenUrl} cannot be reached`,
      );
    }
    const body = res.data as { access_token?: unknown; expires_in?: unknown } | undefined;
    if (res.status !== 200 || typeof body?.access_token !== 'string')
      throw new TokenUnavailableError(
        'refused',
        `the token endpoint refused client ${clientId} (HTTP ${res.status})`,
      );
    const ttlMs = (typeof body.expires_in === 'number' ? body.expires_in : 300) * 1000;
    this.cached = {
      value: body.access_token,
      expiresAt: Date.now() + Math.max(0, ttlMs - (this.options.marginMs ?? 60_000)),
    };
    return body.access_token;
  }
}
