import { ApiError } from '@revgate/platform';

/** Stable error codes of the ERP system API. Adapters refuse with these, never with vendor text. */
export enum ErpErrorCode {
  /** 403: the body names a legal entity the token does not cover */
  LEGAL_ENTITY_FORBIDDEN = 'ERP_LEGAL_ENTITY_FORBIDDEN',
  /** 404: the legal entity of the path does not exist (or the token does not cover it) */
  LEGAL_ENTITY_NOT_FOUND = 'ERP_LEGAL_ENTITY_NOT_FOUND',
  /** 422: the body names a legal entity the ERP does not have */
  LEGAL_ENTITY_UNKNOWN = 'ERP_LEGAL_ENTITY_UNKNOWN',
  PERIOD_NOT_FOUND = 'ERP_PERIOD_NOT_FOUND',
  /** 422: no accounting period is defined for the posting date */
  PERIOD_UNKNOWN = 'ERP_PERIOD_UNKNOWN',
  /** 422: the posting date's period is closed: re-date the posting into an open period */
  PERIOD_CLOSED = 'ERP_PERIOD_CLOSED',
  ACCOUNT_NOT_FOUND = 'ERP_ACCOUNT_NOT_FOUND',
  /** 422: an account named in the body is not in the entity's chart */
  ACCOUNT_UNKNOWN = 'ERP_ACCOUNT_UNKNOWN',
  /** 422: an account named in the body is not of the type its role needs */
  ACCOUNT_TYPE_MISMATCH = 'ERP_ACCOUNT_TYPE_MISMATCH',
  /** 422: a posting needs a default account (receivable, tax payable, cash, deferred revenue) the entity has not set */
  DEFAULT_ACCOUNT_MISSING = 'ERP_DEFAULT_ACCOUNT_MISSING',
  CUSTOMER_NOT_FOUND = 'ERP_CUSTOMER_NOT_FOUND',
  /** 422: the body names a customer the entity does not have */
  CUSTOMER_UNKNOWN = 'ERP_CUSTOMER_UNKNOWN',
  ITEM_NOT_FOUND = 'ERP_ITEM_NOT_FOUND',
  /** 422: a line names an item the entity does not have */
  ITEM_UNKNOWN = 'ERP_ITEM_UNKNOWN',
  INVOICE_NOT_FOUND = 'ERP_INVOICE_NOT_FOUND',
  /** 422: a credit memo or a payment names an invoice the entity does not have */
  INVOICE_UNKNOWN = 'ERP_INVOICE_UNKNOWN',
  /** 422: a credit memo or a payment is for another customer or currency than its invoice */
  INVOICE_MISMATCH = 'ERP_INVOICE_MISMATCH',
  CREDIT_MEMO_NOT_FOUND = 'ERP_CREDIT_MEMO_NOT_FOUND',
  PAYMENT_NOT_FOUND = 'ERP_PAYMENT_NOT_FOUND',
  JOURNAL_ENTRY_NOT_FOUND = 'ERP_JOURNAL_ENTRY_NOT_FOUND',
  /** 422: more credited or paid than is left due on the invoice */
  EXCEEDS_AMOUNT_DUE = 'ERP_EXCEEDS_AMOUNT_DUE',
  /** 422: a currency the legal entity does not allow */
  CURRENCY_NOT_ALLOWED = 'ERP_CURRENCY_NOT_ALLOWED',
  /** 422: the debits of a journal entry do not equal its credits */
  JOURNAL_UNBALANCED = 'ERP_JOURNAL_UNBALANCED',
  /** 409: the external id is posted with other content */
  EXTERNAL_ID_CONFLICT = 'ERP_EXTERNAL_ID_CONFLICT',
  /** 422: a field that is fixed once set (functional currency; an account's type once posted to) */
  FIELD_IMMUTABLE = 'ERP_FIELD_IMMUTABLE',
  /** 422: a tax registration that cannot be what it says (an EU VAT number of the wrong format) */
  TAX_REGISTRATION_INVALID = 'ERP_TAX_REGISTRATION_INVALID',
  /** 429: the ERP refuses more requests at once than its concurrency budget (NetSuite's governance) */
  CONCURRENCY_LIMITED = 'ERP_CONCURRENCY_LIMITED',
  /** 429: the ERP refuses more requests per second than its rate */
  RATE_LIMITED = 'ERP_RATE_LIMITED',
  /** 503: the ERP is down or in maintenance; retry after Retry-After */
  UNAVAILABLE = 'ERP_UNAVAILABLE',
  /** 502: the ERP failed with an error of its own; nothing was posted */
  PROVIDER_ERROR = 'ERP_PROVIDER_ERROR',
  /** 501: the connected ERP cannot do this through its API */
  NOT_SUPPORTED = 'ERP_NOT_SUPPORTED',
  /** 404: only the sandbox simulates this (governance) */
  SANDBOX_ONLY = 'ERP_SANDBOX_ONLY',
}

export const ERP_ERROR_STATUS: Readonly<Record<ErpErrorCode, number>> = {
  [ErpErrorCode.LEGAL_ENTITY_FORBIDDEN]: 403,
  [ErpErrorCode.LEGAL_ENTITY_NOT_FOUND]: 404,
  [ErpErrorCode.LEGAL_ENTITY_UNKNOWN]: 422,
  [ErpErrorCode.PERIOD_NOT_FOUND]: 404,
  [ErpErrorCode.PERIOD_UNKNOWN]: 422,
  [ErpErrorCode.PERIOD_CLOSED]: 422,
  [ErpErrorCode.ACCOUNT_NOT_FOUND]: 404,
  [ErpErrorCode.ACCOUNT_UNKNOWN]: 422,
  [ErpErrorCode.ACCOUNT_TYPE_MISMATCH]: 422,
  [ErpErrorCode.DEFAULT_ACCOUNT_MISSING]: 422,
  [ErpErrorCode.CUSTOMER_NOT_FOUND]: 404,
  [ErpErrorCode.CUSTOMER_UNKNOWN]: 422,
  [ErpErrorCode.ITEM_NOT_FOUND]: 404,
  [ErpErrorCode.ITEM_UNKNOWN]: 422,
  [ErpErrorCode.INVOICE_NOT_FOUND]: 404,
  [ErpErrorCode.INVOICE_UNKNOWN]: 422,
  [ErpErrorCode.INVOICE_MISMATCH]: 422,
  [ErpErrorCode.CREDIT_MEMO_NOT_FOUND]: 404,
  [ErpErrorCode.PAYMENT_NOT_FOUND]: 404,
  [ErpErrorCode.JOURNAL_ENTRY_NOT_FOUND]: 404,
  [ErpErrorCode.EXCEEDS_AMOUNT_DUE]: 422,
  [ErpErrorCode.CURRENCY_NOT_ALLOWED]: 422,
  [ErpErrorCode.JOURNAL_UNBALANCED]: 422,
  [ErpErrorCode.EXTERNAL_ID_CONFLICT]: 409,
  [ErpErrorCode.FIELD_IMMUTABLE]: 422,
  [ErpErrorCode.TAX_REGISTRATION_INVALID]: 422,
  [ErpErrorCode.CONCURRENCY_LIMITED]: 429,
  [ErpErrorCode.RATE_LIMITED]: 429,
  [ErpErrorCode.UNAVAILABLE]: 503,
  [ErpErrorCode.PROVIDER_ERROR]: 502,
  [ErpErrorCode.NOT_SUPPORTED]: 501,
  [ErpErrorCode.SANDBOX_ONLY]: 404,
};

/**
 * A refusal of the ERP in canonical terms: its stable code decides the HTTP status; `pointers`
 * name the fields of the request at fault; `retryAfterSeconds` becomes Retry-After (429, 503).
 */
export class ErpError extends ApiError {
  constructor(
    readonly erpCode: ErpErrorCode,
    detail: string,
    options: { pointers?: string[]; retryAfterSeconds?: number } = {},
  ) {
    super(
      ERP_ERROR_STATUS[erpCode],
      erpCode,
      detail,
      options.pointers?.length
        ? { errors: options.pointers.map((pointer) => ({ pointer, detail })) }
        : {},
      options.retryAfterSeconds === undefined
        ? {}
        : { 'retry-after': String(Math.max(1, Math.ceil(options.retryAfterSeconds))) },
    );
    this.name = 'ErpError';
  }
}
