import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

/**
 * The one envelope of every Revgate event, in the spirit of CloudEvents. `type` carries its version
 * (`crm.opportunity.closed_won.v1`); a breaking change to `data` is a new version.
 */
// eslint-disable-next-line @typescript-eslint/no-unnecessary-type-parameters -- callers name the payload type they emit
export class EventEnvelope<T = unknown> {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ example: 'crm.opportunity.closed_won.v1' })
  type!: string;

  @ApiProperty({ example: 'revgate/system-crm' })
  source!: string;

  @ApiProperty({ description: 'Id of the object the event is about' })
  subject!: string;

  @ApiProperty({ format: 'date-time' })
  time!: string;

  @ApiProperty()
  correlationId!: string;

  @ApiPropertyOptional({ description: 'Id of the event or request that caused this one' })
  causationId?: string;

  @ApiProperty()
  data!: T;
}

export const EventTypes = {
  OpportunityClosedWon: 'crm.opportunity.closed_won.v1',
  SubscriptionActivated: 'billing.subscription.activated.v1',
  SubscriptionAmended: 'billing.subscription.amended.v1',
  SubscriptionCanceled: 'billing.subscription.canceled.v1',
  InvoiceFinalized: 'billing.invoice.finalized.v1',
  InvoicePaid: 'billing.invoice.paid.v1',
  InvoiceVoided: 'billing.invoice.voided.v1',
  InvoiceMarkedUncollectible: 'billing.invoice.marked_uncollectible.v1',
  CreditMemoCreated: 'billing.credit_memo.created.v1',
  PaymentSettled: 'billing.payment.settled.v1',
  PaymentFailed: 'billing.payment.failed.v1',
  PaymentRefunded: 'billing.payment.refunded.v1',
  TaxTransactionCommitted: 'tax.transaction.committed.v1',
  TaxTransactionVoided: 'tax.transaction.voided.v1',
  /** data: the ERP's AR invoice as GET /erp/v1/invoices answers it; subject `<entity>/<external id>` */
  ErpInvoicePosted: 'erp.invoice.posted.v1',
  /** data: the ERP's AR credit memo; subject `<entity>/<external id>` */
  ErpCreditMemoPosted: 'erp.credit_memo.posted.v1',
  /** data: the ERP's customer payment with its applications; subject `<entity>/<external id>` */
  ErpPaymentPosted: 'erp.payment.posted.v1',
  /** data: the ERP's journal entry; subject `<entity>/<external id>` */
  ErpJournalEntryPosted: 'erp.journal_entry.posted.v1',
  /** data: the accounting period; subject `<entity>/<YYYY-MM>` */
  ErpPeriodClosed: 'erp.period.closed.v1',
  ErpPeriodReopened: 'erp.period.reopened.v1',
  /** data: RatedUsageDto */
  UsageRated: 'usage.rated.v1',
  /** data: JournalEntryDto (the revenue journal of one entity, period and currency) */
  RevenueJournalApproved: 'revenue.journal.approved.v1',
  /** data: the order (q2c ContractActivatedData): a closed-won deal active, invoiced and posted */
  ContractActivated: 'q2c.contract.activated.v1',
  /** data: the amendment (q2c): billed or credited, posted and written back */
  ContractAmended: 'q2c.contract.amended.v1',
} as const;
