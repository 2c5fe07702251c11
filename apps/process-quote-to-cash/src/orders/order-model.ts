import type { WorkException } from '../work/tracked';
/**
 * The order workflow's steps, in order (DESIGN §2, quote-to-cash). Each step is idempotent: every
 * call it makes to a system API carries an Idempotency-Key made of the order and the step, or is a
 * find-or-create by external id, so a step repeated after a crash has no second effect.
 */
export const ORDER_STEPS = [
  'validate_account',
  'ensure_erp_customer',
  'ensure_billing_customer',
  'map_products',
  'create_subscription',
  'tax_invoice',
  'await_invoice_finalized',
  'post_receivable',
  'write_back_crm',
  'activate_contract',
] as const;
export type OrderStep = (typeof ORDER_STEPS)[number];

/** What an order cancelled after a permanent failure undoes, in reverse order of creation. */
export const COMPENSATION_STEPS = [
  'reverse_receivable',
  'void_invoice',
  'cancel_subscription',
  'tell_crm_cancelled',
] as const;
export type CompensationStep = (typeof COMPENSATION_STEPS)[number];

/** What each step does, in the words of the trace. */
export const STEP_TITLES: Record<OrderStep | CompensationStep, string> = {
  reverse_receivable: 'Compensation: reverse the ERP receivable with a credit memo',
  void_invoice: 'Compensation: void the invoice (and its tax transaction)',
  cancel_subscription: 'Compensation: cancel the subscription',
  tell_crm_cancelled: 'Compensation: tell the CRM the order was cancelled',
  validate_account:
    'Validate the account: legal entity, currency, billing address, tax registration',
  ensure_erp_customer: 'Ensure the customer exists in the ERP',
  ensure_billing_customer: 'Ensure the customer exists in billing',
  map_products: 'Map CRM products to billing prices and ERP items',
  create_subscription: 'Create the subscription',
  tax_invoice: 'Issue the first invoice: tax quoted, then committed',
  await_invoice_finalized: 'Wait for billing to confirm the invoice is finalized',
  post_receivable: 'Post the receivable to the ERP',
  write_back_crm: 'Write the billing status back to the CRM',
  activate_contract: 'Emit ContractActivated',
};

export { STEP_STATUSES, WORK_STATUSES as ORDER_STATUSES } from '../work/tracked';
export type { StepState, StepStatus, WorkStatus as OrderStatus } from '../work/tracked';

/** The ids the order made or found in each system. */
export interface OrderRefs {
  crmAccountId?: string;
  erpCustomerExternalId?: string;
  billingCustomerId?: string;
  billingPriceIds?: string[];
  subscriptionId?: string;
  invoiceId?: string;
  invoiceNumber?: string;
  taxTransactionCode?: string;
  erpInvoiceId?: string;
  erpInvoiceNumber?: string;
  contractEventId?: string;
  /** Where each billing product's revenue posts: billing product id → ERP item code. */
  erpItems?: Record<string, string>;
}

/** Why an order waits (its step one of ORDER_STEPS). */
export type OrderException = WorkException;
