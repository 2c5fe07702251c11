/** The amendment workflow's steps, in order; each idempotent, as the order's are. */
export const AMENDMENT_STEPS = [
  'amend_subscription',
  'bill_change',
  'post_to_erp',
  'write_back_crm',
  'emit_contract_amended',
] as const;
export type AmendmentStep = (typeof AMENDMENT_STEPS)[number];

export const AMENDMENT_STEP_TITLES: Record<AmendmentStep, string> = {
  amend_subscription: 'Change the subscription in billing (prorated)',
  bill_change: 'Invoice the prorated charge, or take the credit memo',
  post_to_erp: 'Post the invoice or the credit memo to the ERP',
  write_back_crm: 'Write the billing status back to the CRM',
  emit_contract_amended: 'Emit ContractAmended',
};

export const AMENDMENT_TYPES = [
  'upgrade',
  'downgrade',
  'quantity_change',
  'add_item',
  'renewal',
  'cancel_now',
  'cancel_at_period_end',
] as const;
export type AmendmentType = (typeof AMENDMENT_TYPES)[number];

/** What was asked, as the API took it. */
export interface AmendmentRequestData {
  type: AmendmentType;
  effectiveDate?: string;
  crmProductId?: string;
  itemId?: string;
  quantity?: string;
  periods?: number;
  prorationBehavior?: 'create_prorations' | 'none';
}

/** The ids the amendment made or found. */
export interface AmendmentRefs {
  billingAmendmentId?: string;
  outcome?: 'invoice_lines' | 'credit_memo' | 'none';
  total?: string;
  invoiceId?: string;
  invoiceNumber?: string;
  creditMemoId?: string;
  creditMemoNumber?: string;
  erpDocumentId?: string;
  erpDocumentNumber?: string;
  contractEventId?: string;
}
