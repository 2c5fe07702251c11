import { UpstreamUnavailableError } from '@revgate/resilience';
import { Q2cErrorCode } from '../q2c-error-code';
import { SystemRefusal, type SystemName } from '../system-apis';
import type { OrderException } from './order-model';

/** Why an order cannot go on, in business terms: what happened and what to fix. */
export interface ExceptionInfo {
  code: string;
  title: string;
  detail: string;
  whatToFix: string;
  system?: OrderException['system'];
  systemCode?: string;
  /** The accounting period it concerns (a closed ERP period), when there is one. */
  period?: string;
}

/** A business condition a step found: the order parks until someone fixes the data. */
export class OrderBlocked extends Error {
  constructor(readonly info: ExceptionInfo) {
    super(info.detail);
    this.name = 'OrderBlocked';
  }
}

const SYSTEM_NAMES: Record<SystemName, string> = {
  crm: 'the CRM',
  billing: 'billing',
  erp: 'the ERP',
};

/**
 * Conflicts that say "not now" rather than "no": the same idempotent request still running (an
 * earlier attempt that timed out on our side), or a write that lost a race. Retried like an outage.
 */
const RETRY_SHORTLY = new Set(['IDEMPOTENCY_KEY_IN_USE', 'CONCURRENT_UPDATE']);

/** Answers that are the system's refusal of this request, not a failure to answer it. */
export function isRefusal(e: unknown): e is SystemRefusal {
  return (
    e instanceof SystemRefusal &&
    e.status >= 400 &&
    e.status < 500 &&
    e.status !== 408 &&
    e.status !== 429 &&
    !RETRY_SHORTLY.has(e.code)
  );
}

/** The system could not answer now (down, slow, saturated, 5xx, 429): worth trying again later. */
export function isOutage(e: unknown): boolean {
  return e instanceof UpstreamUnavailableError || (e instanceof SystemRefusal && !isRefusal(e));
}

/** A system's refusal as the exception the order parks with. */
export function refusalException(e: SystemRefusal, what: string): ExceptionInfo {
  const system = e.system;
  const where = SYSTEM_NAMES[system];
  switch (e.code) {
    case 'ERP_PERIOD_CLOSED':
      return {
        code: Q2cErrorCode.ERP_PERIOD_CLOSED,
        title: 'The ERP period is closed',
        detail: `The ERP refused to ${what}: ${e.detail}`,
        whatToFix:
          'Ask finance to reopen the accounting period in the ERP (or to post the invoice in the next open period by agreement), then retry the order.',
        system,
        systemCode: e.code,
      };
    case 'ERP_CURRENCY_NOT_ALLOWED':
      return {
        code: Q2cErrorCode.CURRENCY_NOT_ALLOWED,
        title: "The legal entity does not trade in the deal's currency",
        detail: `The ERP refused to ${what}: ${e.detail}`,
        whatToFix:
          'Allow the currency for the legal entity in the ERP, or move the account to a legal entity that trades in it, then retry.',
        system,
        systemCode: e.code,
      };
    case 'ERP_TAX_REGISTRATION_INVALID':
      return {
        code: Q2cErrorCode.TAX_REGISTRATION_MISSING,
        title: "The account's tax registration is not valid",
        detail: `The ERP refused to ${what}: ${e.detail}`,
        whatToFix:
          "Correct the account's tax registration (VAT number or EIN) in the CRM, then retry.",
        system,
        systemCode: e.code,
      };
    case 'ERP_ITEM_UNKNOWN':
      return {
        code: Q2cErrorCode.PRODUCT_UNMAPPED,
        title: 'The ERP does not know an item of the invoice',
        detail: `The ERP refused to ${what}: ${e.detail}`,
        whatToFix:
          'Create the item in the ERP for this legal entity, or correct the ERP item of the product mapping, then retry.',
        system,
        systemCode: e.code,
      };
    case 'BILLING_TAX_REFUSED':
      return {
        code: Q2cErrorCode.SYSTEM_REFUSED,
        title: 'The tax system refused the invoice',
        detail: `Billing could not ${what}: ${e.detail}`,
        whatToFix:
          "Check the account's billing address and tax exemption in the CRM and the products' tax codes in billing, then retry.",
        system,
        systemCode: e.code,
      };
    default: {
      const Where = where.charAt(0).toUpperCase() + where.slice(1);
      return {
        code: Q2cErrorCode.SYSTEM_REFUSED,
        title: `${Where} refused a step of the order`,
        detail: `${Where} refused to ${what} (${e.code}): ${e.detail}`,
        whatToFix: `Correct the data ${where} refused (see the detail), then retry the order.`,
        system,
        systemCode: e.code,
      };
    }
  }
}
