import { Inject, Injectable } from '@nestjs/common';
import type { TaxQuoteResponse } from '@revgate/canonical';
import { APP_CONFIG, ApiError, CORRELATION_HEADER, currentCorrelationId } from '@revgate/platform';
import { BillingErrorCode } from '../../billing-error-code';
import type { BillingConfig } from '../../billing.config';
import type { PostalAddress } from '../billing-provider.port';
import type { CommitResult, DocumentToCommit, TaxDocument, TaxOutcome, TaxPort } from '../tax.port';

/**
 * Documents per call of the tax API's batch endpoint: well under its 500, so that a call stays far
 * below the 1 MiB body limit and is answered quickly.
 */
const BATCH_SIZE = 100;

interface BatchAnswer {
  results?: { outcome?: string; transaction?: unknown; problem?: Problem & { status?: number } }[];
}

/** Refresh a token this long before it expires. */
const TOKEN_MARGIN_MS = 60_000;
const TAX_SCOPES = 'tax:read tax:write';

interface Problem {
  code?: string;
  detail?: string;
}

interface CachedToken {
  value: string;
  expiresAt: number;
}

/** Thrown by `send` for an answer that is not a success, so the caller can map it. */
class TaxApiAnswer extends Error {
  constructor(
    readonly status: number,
    readonly problem: Problem,
    readonly retryAfter?: string,
  ) {
    super(`tax API answered HTTP ${status}`);
  }
}

function address(a: PostalAddress): Record<string, string> {
  return Object.fromEntries(Object.entries(a).filter(([, v]) => v !== undefined));
}

/**
 * The tax system API over HTTP. It authenticates with OAuth2 client credentials (TAX_API_CLIENT_ID
 * and TAX_API_CLIENT_SECRET at TAX_API_TOKEN_URL, by default the tax app's development issuer at
 * TAX_API_URL/auth/token), keeps the token until a minute before it expires, and asks for a new one
 * once when the tax API answers 401. Every call carries the request's correlation id and gives up
 * after TAX_API_TIMEOUT_MS. Refusals of the document (400, 409, 422) become 422
 * BILLING_TAX_REFUSED naming the tax API's code; anything else (timeouts, 5xx, 429, a refused
 * token) becomes 503 BILLING_TAX_UNAVAILABLE with Retry-After, and the billing request writes
 * nothing.
 */
@Injectable()
export class HttpTaxAdapter implements TaxPort {
  readonly mode = 'tax_api' as const;
  private token?: CachedToken;
  private readonly baseUrl: string;
  private readonly tokenUrl: string;

  constructor(@Inject(APP_CONFIG) private readonly config: BillingConfig) {
    this.baseUrl = (config.TAX_API_URL ?? '').replace(/\/+$/, '');
    this.tokenUrl = config.TAX_API_TOKEN_URL ?? `${this.baseUrl}/auth/token`;
  }

  async quote(document: TaxDocument): Promise<TaxOutcome> {
    return this.outcome(await this.call('POST', '/tax/v1/quotes', this.body(document)));
  }

  async commit(document: TaxDocument, code: string): Promise<TaxOutcome> {
    return this.outcome(
      await this.call('POST', '/tax/v1/transactions', { code, ...this.body(document) }),
    );
  }

  /** POST /transactions/batch, BATCH_SIZE documents a call, one call after another. */
  async commitMany(documents: readonly DocumentToCommit[]): Promise<CommitResult[]> {
    const results: CommitResult[] = [];
    for (let start = 0; start < documents.length; start += BATCH_SIZE) {
      const chunk = documents.slice(start, start + BATCH_SIZE);
      const answer = (await this.call('POST', '/tax/v1/transactions/batch', {
        transactions: chunk.map(({ code, document }) => ({ code, ...this.body(document) })),
      })) as BatchAnswer | undefined;
      const answered = answer?.results;
      if (!Array.isArray(answered) || answered.length !== chunk.length)
        throw this.unavailable(
          'the tax API answered a batch with a result count that does not match',
        );
      for (const result of answered)
        results.push(
          result.outcome === 'refused'
            ? {
                ok: false,
                error: this.refusal(result.problem?.status ?? 422, result.problem ?? {}),
              }
            : { ok: true, outcome: this.outcome(result.transaction) },
        );
    }
    return results;
  }

  async void(legalEntity: string, code: string, reason?: string): Promise<void> {
    try {
      await this.call(
        'POST',
        `/tax/v1/transactions/${encodeURIComponent(legalEntity)}/${encodeURIComponent(code)}/void`,
        reason === undefined ? {} : { reason: reason.slice(0, 255) },
      );
    } catch (e) {
      // Nothing was committed under the code: there is nothing to void.
      if (e instanceof ApiError && e.extensions.taxCode === 'TAX_TRANSACTION_NOT_FOUND') return;
      throw e;
    }
  }

  private body(d: TaxDocument): Record<string, unknown> {
    return {
      legalEntity: d.legalEntity,
      customerCode: d.customerCode,
      date: d.date,
      currency: d.currency,
      addresses: { shipFrom: address(d.shipFrom), shipTo: address(d.shipTo) },
      lines: d.lines.map((l) => ({
        number: l.number,
        quantity: l.quantity,
        amount: l.amount,
        taxCode: l.taxCode,
        ...(l.itemCode === undefined ? {} : { itemCode: l.itemCode }),
        ...(l.description === undefined ? {} : { description: l.description.slice(0, 255) }),
        ...(l.taxAmount === undefined ? {} : { taxAmount: l.taxAmount }),
      })),
      ...(d.returnOf === undefined ? {} : { type: 'return', referenceCode: d.returnOf }),
      ...(d.exemptionNo === undefined ? {} : { exemptionNo: d.exemptionNo }),
      ...(d.customerVatId === undefined ? {} : { customerVatId: d.customerVatId }),
    };
  }

  private outcome(response: unknown): TaxOutcome {
    const r = response as TaxQuoteResponse;
    if (!Array.isArray(r.lines) || typeof r.totalTax !== 'string')
      throw this.unavailable('the tax API answered something that is not a tax document');
    return {
      calculated: true,
      lines: r.lines.map((l) => ({
        number: l.number,
        tax: l.tax,
        rate: l.rate,
        taxability: l.taxability,
        jurisdiction: { ...l.jurisdiction },
      })),
      totalTax: r.totalTax,
      notes: [...r.notes],
    };
  }

  private async call(method: string, path: string, body: unknown): Promise<unknown> {
    try {
      return await this.send(method, path, body, await this.accessToken(false));
    } catch (e) {
      if (!(e instanceof TaxApiAnswer)) throw e;
      if (e.status === 401) {
        try {
          return await this.send(method, path, body, await this.accessToken(true));
        } catch (again) {
          if (again instanceof TaxApiAnswer) throw this.mapAnswer(again);
          throw again;
        }
      }
      throw this.mapAnswer(e);
    }
  }

  private async send(method: string, path: string, body: unknown, token: string): Promise<unknown> {
    const headers: Record<string, string> = {
      authorization: `Bearer ${token}`,
      'content-type': 'application/json',
      accept: 'application/json',
    };
    const correlationId = currentCorrelationId();
    if (correlationId) headers[CORRELATION_HEADER] = correlationId;
    const res = await this.fetch(`${this.baseUrl}${path}`, {
      method,
      headers,
      body: JSON.stringify(body),
    });
    const parsed = await this.json(res);
    if (res.ok) return parsed;
    throw new TaxApiAnswer(res.status, parsed ?? {}, res.headers.get('retry-after') ?? undefined);
  }

  private async accessToken(renew: boolean): Promise<string> {
    if (!renew && this.token && this.token.expiresAt > Date.now()) return this.token.value;
    const res = await this.fetch(this.tokenUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: this.config.TAX_API_CLIENT_ID,
        client_secret: this.config.TAX_API_CLIENT_SECRET,
        scope: TAX_SCOPES,
      }).toString(),
    });
    const parsed = (await this.json(res)) as
      { access_token?: unknown; expires_in?: unknown } | undefined;
    if (!res.ok || typeof parsed?.access_token !== 'string')
      throw this.unavailable(
        `the tax API's token endpoint refused client ${this.config.TAX_API_CLIENT_ID} (HTTP ${res.status}); check TAX_API_CLIENT_ID and TAX_API_CLIENT_SECRET`,
      );
    const ttlMs = (typeof parsed.expires_in === 'number' ? parsed.expires_in : 300) * 1000;
    this.token = {
      value: parsed.access_token,
      expiresAt: Date.now() + Math.max(0, ttlMs - TOKEN_MARGIN_MS),
    };
    return this.token.value;
  }

  private async fetch(url: string, init: RequestInit): Promise<Response> {
    try {
      return await fetch(url, {
        ...init,
        signal: AbortSignal.timeout(this.config.TAX_API_TIMEOUT_MS),
      });
    } catch (e) {
      // AbortSignal.timeout rejects with a DOMException named TimeoutError (of whatever realm).
      const timedOut = (e as { name?: unknown } | null)?.name === 'TimeoutError';
      throw this.unavailable(
        timedOut
          ? `the tax API did not answer within ${this.config.TAX_API_TIMEOUT_MS} ms`
          : 'the tax API cannot be reached',
      );
    }
  }

  private async json(res: Response): Promise<unknown> {
    const text = await res.text();
    try {
      return text ? (JSON.parse(text) as unknown) : undefined;
    } catch {
      return undefined;
    }
  }

  /** The tax system's refusal of a document, as billing reports it. */
  private refusal(status: number, problem: Problem): ApiError {
    return new ApiError(
      422,
      BillingErrorCode.TAX_REFUSED,
      `The tax system refused the document${problem.code ? ` (${problem.code})` : ''}: ${problem.detail ?? `HTTP ${status}`}`,
      { taxCode: problem.code ?? `HTTP_${status}` },
    );
  }

  private mapAnswer(answer: TaxApiAnswer): ApiError {
    const { status, problem } = answer;
    if (status === 400 || status === 404 || status === 409 || status === 422)
      return this.refusal(status, problem);
    return this.unavailable(
      status === 401 || status === 403
        ? `the tax API does not accept the billing API's token (${problem.code ?? `HTTP ${status}`}); check TAX_API_CLIENT_ID and its scopes`
        : `the tax API answered HTTP ${status}${problem.code ? ` (${problem.code})` : ''}`,
      answer.retryAfter,
    );
  }

  private unavailable(why: string, retryAfter = '5'): ApiError {
    return new ApiError(
      503,
      BillingErrorCode.TAX_UNAVAILABLE,
      `Tax cannot be computed right now: ${why}. Nothing was changed; retry later.`,
      {},
      { 'retry-after': /^\d{1,6}$/.test(retryAfter) ? retryAfter : '5' },
    );
  }
}
