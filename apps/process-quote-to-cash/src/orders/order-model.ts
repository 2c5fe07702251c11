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

/** What each step does, in the words of the trace. */
export const STEP_TITLES: Record<OrderStep, string> = {
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

export const ORDER_STATUSES = ['in_progress', 'needs_attention', 'completed', 'resolved'] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

export const STEP_STATUSES = ['pending', 'running', 'done', 'failed', 'skipped'] as const;
export type StepStatus = (typeof STEP_STATUSES)[number];

export interface StepState {
  status: StepStatus;
  startedAt?: string;
  finishedAt?: string;
  attempts: number;
  detail?: string;
}

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
}

/** Why an order waits: in business terms, with what to fix. */
export interface OrderException {
  code: string;
  step: OrderStep;
  title: string;
  detail: string;
  whatToFix: string;
  /** The system that refused, and its own code. */
  system?: 'crm' | 'billing' | 'tax' | 'erp';
  systemCode?: string;
  /** An outage: the order tries again by itself at `retryAt`; otherwise it waits for an operator. */
  transient: boolean;
  at: string;
  retryAt?: string;
}

export function initialSteps(): Record<OrderStep, StepState> {
  return Object.fromEntries(
    ORDER_STEPS.map((s) => [s, { status: 'pending', attempts: 0 }]),
  ) as Record<OrderStep, StepState>;
}
