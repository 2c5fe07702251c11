import type { ErpErrorCode } from '../../erp-error-code';
import { TrytonRpcError, TrytonUserError } from './tryton-rpc.errors';

/**
 * The canonical refusals the Tryton connector raises: values of the ERP API's ErpErrorCode (a code
 * not in it does not compile). Tryton's own text never reaches a caller: it stays in `cause`, for
 * the log.
 */
export const TRYTON_ERP_ERROR_CODES = [
  'ERP_PERIOD_CLOSED',
  /** No accounting period exists in Tryton for the date (no fiscal year covers it). */
  'ERP_PERIOD_UNKNOWN',
  'ERP_LEGAL_ENTITY_UNKNOWN',
  'ERP_CUSTOMER_NOT_FOUND',
  'ERP_ITEM_NOT_FOUND',
  'ERP_ACCOUNT_NOT_FOUND',
  /** A credit note or payment names an invoice Tryton does not have. */
  'ERP_INVOICE_NOT_FOUND',
  /** A credit note or payment is for another customer or currency than its invoice. */
  'ERP_INVOICE_MISMATCH',
  /** More credited or paid than is left to pay on the invoice. */
  'ERP_EXCEEDS_AMOUNT_DUE',
  'ERP_CURRENCY_NOT_ALLOWED',
  'ERP_JOURNAL_UNBALANCED',
  'ERP_EXTERNAL_ID_CONFLICT',
  /** Tryton refused a tax identifier (its check digits: Tryton validates with python-stdnum). */
  'ERP_TAX_REGISTRATION_INVALID',
  /** Tryton cannot be reached, answered 5xx, timed out, or had a concurrent update: retry. */
  'ERP_UNAVAILABLE',
  /** Tryton refuses logins for now (429 after failed logins). */
  'ERP_RATE_LIMITED',
  /** Tryton refused with a rule of its own (or the connector's login is wrong); nothing was posted. */
  'ERP_PROVIDER_ERROR',
] as const satisfies readonly `${ErpErrorCode}`[];
export type TrytonErpErrorCode = (typeof TRYTON_ERP_ERROR_CODES)[number];

export class TrytonErpError extends Error {
  override name = 'TrytonErpError';

  constructor(
    readonly code: TrytonErpErrorCode,
    /** Our words, safe to show a caller. */
    readonly detail: string,
    options?: { cause?: unknown },
  ) {
    super(`${code}: ${detail}`, options);
  }

  /** Tryton's own words (for the log only), when Tryton refused. */
  get trytonDetail(): string | undefined {
    const cause = this.cause;
    if (cause instanceof TrytonUserError) {
      return [cause.userMessage, cause.description].filter(Boolean).join(' — ');
    }
    return cause instanceof Error ? cause.message : undefined;
  }
}

/** Tryton's UserError messages (English, 6.0) that mean a canonical refusal. */
const USER_ERRORS: readonly {
  readonly pattern: RegExp;
  readonly code: TrytonErpErrorCode;
  readonly detail: string;
}[] = [
  {
    // Closed periods are invisible to Period.find, so posting into one reports a missing period.
    pattern: /must create a period for the date/,
    code: 'ERP_PERIOD_CLOSED',
    detail: 'the posting date is not in an open accounting period',
  },
  {
    pattern: /closed (journal-)?period/i,
    code: 'ERP_PERIOD_CLOSED',
    detail: 'the posting date is in a closed accounting period',
  },
  {
    // party.msg_invalid_code: 'The European VAT Number "X" for party "Y" is not valid.'
    pattern: /" for party ".*" is not valid\.$/,
    code: 'ERP_TAX_REGISTRATION_INVALID',
    detail: 'Tryton does not take the tax identifier (its check digits do not hold)',
  },
  {
    pattern: /must balance all its lines debits and credits/,
    code: 'ERP_JOURNAL_UNBALANCED',
    detail: 'the debits do not equal the credits',
  },
  {
    pattern: /must set an accounting date after/,
    code: 'ERP_PROVIDER_ERROR',
    detail:
      'Tryton numbers customer invoices in date order: this one is dated before the last numbered invoice of its sequence',
  },
  {
    pattern: /must post the moves/,
    code: 'ERP_PROVIDER_ERROR',
    detail: 'the period still has draft entries: post or delete them before closing it',
  },
];

/** What a failed call to Tryton means for the caller of the connector. */
export function toErpError(error: unknown, what: string): TrytonErpError {
  if (error instanceof TrytonErpError) return error;
  if (error instanceof TrytonUserError) {
    const known = USER_ERRORS.find((entry) => entry.pattern.test(error.userMessage));
    if (known) return new TrytonErpError(known.code, `${what}: ${known.detail}`, { cause: error });
    return new TrytonErpError('ERP_PROVIDER_ERROR', `${what}: Tryton refused it`, { cause: error });
  }
  if (error instanceof TrytonRpcError) {
    switch (error.kind) {
      case 'timeout':
        return new TrytonErpError(
          'ERP_UNAVAILABLE',
          `${what}: Tryton did not answer in time (the call may have run; a retry finds it)`,
          { cause: error },
        );
      case 'transport':
      case 'concurrency':
        return new TrytonErpError('ERP_UNAVAILABLE', `${what}: Tryton is unavailable`, {
          cause: error,
        });
      case 'rate_limited':
        return new TrytonErpError('ERP_RATE_LIMITED', `${what}: Tryton refuses logins for now`, {
          cause: error,
        });
      case 'auth':
        return new TrytonErpError(
          'ERP_PROVIDER_ERROR',
          `${what}: Tryton refused the connector's login`,
          {
            cause: error,
          },
        );
      case 'warning':
      case 'user':
      case 'server':
        return new TrytonErpError('ERP_PROVIDER_ERROR', `${what}: Tryton failed`, { cause: error });
    }
  }
  return new TrytonErpError('ERP_PROVIDER_ERROR', `${what}: unexpected failure`, { cause: error });
}
