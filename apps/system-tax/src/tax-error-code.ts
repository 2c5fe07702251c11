/** Stable error codes of the tax system API. */
export enum TaxErrorCode {
  TAX_CODE_UNKNOWN = 'TAX_CODE_UNKNOWN',
  JURISDICTION_UNSUPPORTED = 'TAX_JURISDICTION_UNSUPPORTED',
  RATE_NOT_EFFECTIVE = 'TAX_RATE_NOT_EFFECTIVE',
  VAT_ID_INVALID = 'TAX_VAT_ID_INVALID',
  TRANSACTION_NOT_FOUND = 'TAX_TRANSACTION_NOT_FOUND',
  TRANSACTION_CODE_CONFLICT = 'TAX_TRANSACTION_CODE_CONFLICT',
  TRANSACTION_VOIDED = 'TAX_TRANSACTION_VOIDED',
  LEGAL_ENTITY_FORBIDDEN = 'TAX_LEGAL_ENTITY_FORBIDDEN',
  /** 422: a return's referenceCode names no transaction of the legal entity */
  REFERENCE_NOT_FOUND = 'TAX_REFERENCE_NOT_FOUND',
  /** 409: a return's reference was voided */
  REFERENCE_VOIDED = 'TAX_REFERENCE_VOIDED',
  /** 422: a return's reference is itself a return */
  REFERENCE_NOT_SALE = 'TAX_REFERENCE_NOT_SALE',
  /** 422: a return's customer or currency differs from its reference's */
  REFERENCE_MISMATCH = 'TAX_REFERENCE_MISMATCH',
  /** 422: the returns of a sale would credit more than its totalAmount or its totalTax */
  RETURN_EXCEEDS_ORIGINAL = 'TAX_RETURN_EXCEEDS_ORIGINAL',
  /** 409: a sale with returns not voided cannot be voided */
  HAS_RETURNS = 'TAX_HAS_RETURNS',
}
