import type { TaxQuoteResponse } from '@revgate/canonical';
import { ApiError } from '@revgate/platform';
import {
  ClientCredentialsTokenProvider,
  UpstreamUnavailableError,
  type UpstreamClient,
  type Upstreams,
} from '@revgate/resilience';
import { BillingErrorCode } from '../../billing-error-code';
import type { BillingConfig } from '../../billing.config';
import type { PostalAddress } from '../billing-provider.port';
import type { CommitResult, DocumentToCommit, TaxDocument, TaxOutcome, TaxPort } from '../tax.port';

const TAX_SCOPES = 'tax:read tax:write';
/**
 * Documents per call of the tax API's batch endpoint: well under its 500, so that a call stays far
 * below the 1 MiB body limit and is answered quickly.
 */
const BATCH_SIZE = 100;

interface Problem {
  code?: string;
  detail?: string;
}

interface BatchAnswer {
  results?: { outcome?: string; transaction?: unknown; problem?: Problem & { status?: number } }[];
}

function address(a: PostalAddress): Record<string, string> {
  return Object.fromEntries(Object.entries(a).filter(([, v]) => v !== undefined));
}

/**
 * The tax system API over HTTP, through the resilience client's `tax` upstream: one breaker and one
 * budget for every call billing makes to it, each attempt given up after TAX_API_TIMEOUT_MS, and
 * retried with backoff — every call is safe to repeat (quotes record nothing; commits are keyed by
 * their code, which the tax API answers again with the transaction it recorded; voids are
 * idempotent). It authenticates with OAuth2 client credentials (TAX_API_CLIENT_ID and
 * TAX_API_CLIENT_SECRET at TAX_API_TOKEN_URL, by default the tax app's development issuer at
 * TAX_API_URL/auth/token), renewed once when the tax API answers 401, and carries the request's
 * correlation id. Refusals of the document (400, 404, 409, 422) become 422 BILLING_TAX_REFUSED
 * naming the tax API's code; no answer (timeouts, 5xx, 429, an open breaker, a refused token)
 * becomes 503 BILLING_TAX_UNAVAILABLE with Retry-After, and the billing request writes nothing.
 */
export class HttpTaxAdapter implements TaxPort {
  readonly mode = 'tax_api' as const;
  private readonly client: UpstreamClient;

  constructor(
    private readonly config: BillingConfig,
    upstreams: Upstreams,
  ) {
    const baseUrl = (config.TAX_API_URL ?? '').replace(/\/+$/, '');
    this.client = upstreams.client({
      name: 'tax',
      baseUrl,
      timeoutMs: config.TAX_API_TIMEOUT_MS,
      retry: { attempts: 3, baseDelayMs: 200, maxDelayMs: 2000 },
      auth: new ClientCredentialsTokenProvider({
        tokenUrl: config.TAX_API_TOKEN_URL ?? `${baseUrl}/auth/token`,
        clientId: config.TAX_API_CLIENT_ID,
        clientSecret: config.TAX_API_CLIENT_SECRET,
        scope: TAX_SCOPES,
        timeoutMs: config.TAX_API_TIMEOUT_MS,
      }),
    });
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

  private async call(method: 'POST', path: string, body: unknown): Promise<unknown> {
    let res;
    try {
      res = await this.client.request({ method, path, body, idempotent: true });
    } catch (e) {
      if (e instanceof UpstreamUnavailableError)
        throw this.unavailable(this.why(e), String(e.retryAfterSeconds));
      throw e;
    }
    if (res.status >= 200 && res.status < 300) return res.data;
    const problem =
      typeof res.data === 'object' && res.data !== null ? (res.data as Problem) : ({} as Problem);
    throw this.mapAnswer(res.status, problem);
  }

  private why(e: UpstreamUnavailableError): string {
    switch (e.reason) {
      case 'timeout':
        return `the tax API did not answer within ${this.config.TAX_API_TIMEOUT_MS} ms`;
      case 'network':
        return 'the tax API cannot be reached';
      case 'auth_refused':
        return `the tax API's token endpoint refused client ${this.config.TAX_API_CLIENT_ID}; check TAX_API_CLIENT_ID and TAX_API_CLIENT_SECRET`;
      case 'breaker_open':
        return 'the tax API failed repeatedly and calls to it are paused';
      case 'budget_exhausted':
        return 'too many calls to the tax API are waiting';
      default:
        return `the tax API answered HTTP ${e.status ?? 'an error'}`;
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

  private mapAnswer(status: number, problem: Problem): ApiError {
    if (status === 400 || status === 404 || status === 409 || status === 422)
      return this.refusal(status, problem);
    return this.unavailable(
      status === 401 || status === 403
        ? `the tax API does not accept the billing API's token (${problem.code ?? `HTTP ${status}`}); check TAX_API_CLIENT_ID and its scopes`
        : `the tax API answered HTTP ${status}${problem.code ? ` (${problem.code})` : ''}`,
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
