import { Inject, Injectable } from '@nestjs/common';
import { EventTypes, MoneyDecimal, roundMoney } from '@revgate/canonical';
import { OutboxWriter } from '@revgate/events';
import { amountRemaining, toCreditMemoResponse, toInvoiceResponse } from '../billing.mappers';
import {
  BILLING_PROVIDER,
  type BillingCreditMemo,
  type BillingInvoice,
  type BillingProvider,
  type NewCreditMemo,
} from '../providers/billing-provider.port';

/**
 * Issues credit memos and applies credit to invoices. The declared rule: a credit memo lowers what is
 * left to pay on finalized invoices of the same customer, legal entity and currency — first the ones
 * it is issued for, oldest first — and what it cannot apply stays the customer's credit, applied to
 * the customer's next invoices when they are finalized (oldest memo first). An invoice with nothing
 * left to pay is paid.
 */
@Injectable()
export class CreditLedger {
  constructor(
    @Inject(BILLING_PROVIDER) private readonly billing: BillingProvider,
    private readonly outbox: OutboxWriter,
  ) {}

  /** Issues a memo, applies it to `targets` in order, and emits billing.credit_memo.created.v1. */
  async issue(
    input: NewCreditMemo,
    targets: readonly BillingInvoice[],
  ): Promise<BillingCreditMemo> {
    const created = await this.billing.createCreditMemo(input);
    let left = new MoneyDecimal(created.total);
    for (const invoice of targets) {
      if (left.lte(0)) break;
      left = left.minus(await this.apply(created.id, invoice, left));
    }
    const memo = await this.reload(created.id);
    await this.outbox.append(EventTypes.CreditMemoCreated, memo.id, toCreditMemoResponse(memo));
    return memo;
  }

  /** Applies the customer's unapplied credit to a finalized invoice, oldest memo first. */
  async applyCustomerCredit(invoice: BillingInvoice): Promise<void> {
    const memos = await this.billing.unappliedCreditMemos(invoice.customerId, invoice.currency);
    let current = invoice;
    for (const memo of memos) {
      if (memo.legalEntity !== invoice.legalEntity) continue;
      const unapplied = new MoneyDecimal(memo.total).minus(
        memo.applications.reduce((sum, a) => sum.plus(a.amount), new MoneyDecimal(0)),
      );
      if (unapplied.lte(0)) continue;
      await this.apply(memo.id, current, unapplied);
      current = await this.reloadInvoice(current.id);
      if (new MoneyDecimal(amountRemaining(current)).lte(0)) break;
    }
  }

  /** The finalized invoices of a subscription with something left to pay, oldest first. */
  async openInvoices(subscriptionId: string): Promise<BillingInvoice[]> {
    const slice = await this.billing.listInvoices({
      limit: 200,
      subscriptionId,
      status: 'finalized',
    });
    return slice.items
      .filter((i) => new MoneyDecimal(amountRemaining(i)).gt(0))
      .sort(
        (a, b) =>
          (a.finalizedAt?.getTime() ?? 0) - (b.finalizedAt?.getTime() ?? 0) ||
          a.id.localeCompare(b.id),
      );
  }

  /** Applies up to `most` of a memo to an invoice; returns what was applied. */
  private async apply(
    memoId: string,
    invoice: BillingInvoice,
    most: InstanceType<typeof MoneyDecimal>,
  ): Promise<InstanceType<typeof MoneyDecimal>> {
    const fresh = await this.reloadInvoice(invoice.id);
    if (fresh.status !== 'finalized' && fresh.status !== 'uncollectible')
      return new MoneyDecimal(0);
    const amount = MoneyDecimal.min(most, new MoneyDecimal(amountRemaining(fresh)));
    if (amount.lte(0)) return new MoneyDecimal(0);
    await this.billing.applyCreditMemo(memoId, fresh.id, roundMoney(amount, fresh.currency));
    const after = await this.reloadInvoice(fresh.id);
    if (after.status === 'paid')
      await this.outbox.append(EventTypes.InvoicePaid, after.id, toInvoiceResponse(after));
    return amount;
  }

  private async reload(id: string): Promise<BillingCreditMemo> {
    const memo = await this.billing.getCreditMemo(id);
    if (!memo) throw new Error(`credit memo ${id} vanished`);
    return memo;
  }

  private async reloadInvoice(id: string): Promise<BillingInvoice> {
    const invoice = await this.billing.getInvoice(id);
    if (!invoice) throw new Error(`invoice ${id} vanished`);
    return invoice;
  }
}
