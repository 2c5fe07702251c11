import { Inject, Injectable } from '@nestjs/common';
import { databaseStep } from '@revgate/workflows';
import { DBOS } from '@dbos-inc/dbos-sdk';
import { APP_CONFIG } from '@revgate/platform';
import { Q2cErrorCode } from '../q2c-error-code';
import type { Q2cConfig } from '../q2c.config';
import {
  TrackedWorkflow,
  WorkCancelled,
  WorkResolved,
  type Outcome,
  type WorkRun,
} from '../work/tracked-workflow';
import { ContractEvents } from './contract-events';
import { OrderBlocked } from './order-exception';
import { STEP_TITLES } from './order-model';
import type { OrderEntity } from './order.entity';
import { OrderSteps, type Deal, type MappedItems, type PostedReceivable } from './order-steps';
import { OrderTracker } from './order-tracker';

export { OPERATOR_TOPIC, type OperatorMessage } from '../work/tracked-workflow';
export const INVOICE_FINALIZED_TOPIC = 'invoice.finalized';

/** The order workflow's id: the business key, so one deal never makes two orders. */
export const orderWorkflowId = (opportunityId: string): string => `order:${opportunityId}`;

/**
 * The quote-to-cash order (DESIGN §2) as a DBOS workflow (see TrackedWorkflow for how steps are
 * checkpointed, parked and retried): validate the account, ensure the ERP and billing customers,
 * map the products, subscribe, invoice with tax, confirm the invoice finalized, post the receivable
 * through the `erp` queue, write back to the CRM, emit ContractActivated.
 */
@Injectable()
export class OrderWorkflow extends TrackedWorkflow<OrderEntity> {
  constructor(
    private readonly steps: OrderSteps,
    private readonly orders: OrderTracker,
    private readonly contracts: ContractEvents,
    @Inject(APP_CONFIG) config: Q2cConfig,
  ) {
    super('orders', orders, config, STEP_TITLES);
  }

  protected writeBack(opportunityId: string, status: 'pending' | 'failed', detail?: string) {
    return this.steps.writeBack(opportunityId, status, detail === undefined ? {} : { detail });
  }

  @DBOS.workflow()
  async run(orderId: string, opportunityId: string, correlationId: string): Promise<string> {
    const order: WorkRun = { id: orderId, opportunityId, correlationId };
    try {
      // The CRM shows the order pending first (best effort), in the first step's checkpoint: an
      // attempt run again tells it again, which changes nothing. The step done also records who
      // the order is for (the exceptions it raises name them).
      const deal = await this.perform(order, 'validate_account', () =>
        this.io(
          order,
          'validate_account',
          async () => {
            await this.quietly(order, 'crm.pending', () =>
              this.steps.writeBack(opportunityId, 'pending', {}),
            );
            return this.steps.validateAccount(opportunityId);
          },
          (d) => ({
            refs: { crmAccountId: d.accountId },
            detail: `${d.accountName}, ${d.legalEntity}, ${d.amount} ${d.currency}`,
            fields: { accountId: d.accountId, legalEntity: d.legalEntity, currency: d.currency },
          }),
        ),
      );
      await this.perform(order, 'ensure_erp_customer', () =>
        this.io(
          order,
          'ensure_erp_customer',
          () => this.steps.ensureErpCustomer(deal),
          (id) => ({ refs: { erpCustomerExternalId: id } }),
        ),
      );
      const customerId = await this.perform(order, 'ensure_billing_customer', () =>
        this.io(
          order,
          'ensure_billing_customer',
          () => this.steps.ensureBillingCustomer(orderId, deal),
          (id) => ({ refs: { billingCustomerId: id } }),
        ),
      );
      const mapped = await this.perform(order, 'map_products', () =>
        this.io(
          order,
          'map_products',
          () => this.steps.mapProducts(orderId, deal),
          (m) => ({
            refs: { billingPriceIds: m.priceIds, erpItems: m.erpItems },
            detail: `${m.items.length} item(s), billed every ${m.interval}, ${m.startDate} to ${m.endDate}`,
          }),
        ),
      );
      const subscriptionId = await this.perform(order, 'create_subscription', () =>
        this.io(
          order,
          'create_subscription',
          () => this.steps.createSubscription(orderId, customerId, mapped),
          (id) => ({ refs: { subscriptionId: id } }),
        ),
      );
      const invoice = await this.issueInvoice(order, customerId, subscriptionId);
      await this.awaitFinalized(order, invoice.invoiceId, invoice.status);
      const posted = await this.postReceivable(order, deal, invoice.invoiceId, mapped);
      await this.perform(order, 'write_back_crm', () =>
        this.io(order, 'write_back_crm', () =>
          this.steps.writeBack(opportunityId, 'active', {
            subscriptionId,
            invoiceId: invoice.invoiceId,
            ...(posted.erpInvoiceId ? { erpInvoiceId: posted.erpInvoiceId } : {}),
          }),
        ),
      );
      await this.perform(order, 'activate_contract', () =>
        this.io(
          order,
          'activate_contract',
          () => this.contracts.activated(orderId, correlationId),
          // The last step: the order is completed with it, in the same statement.
          (eventId) => ({ refs: { contractEventId: eventId }, completes: true }),
        ),
      );
      return 'completed';
    } catch (e) {
      if (e instanceof WorkResolved) return 'resolved';
      if (e instanceof WorkCancelled) {
        await this.compensate(order, e.message_.reason ?? 'cancelled by an operator');
        return 'cancelled';
      }
      throw e;
    }
  }

  /**
   * Undoes what the order made, in reverse order of creation, each undoing a step of its trace
   * (done, or skipped with why): the ERP receivable reversed by a credit memo, the invoice voided
   * (its tax transaction with it), the subscription canceled, the CRM told. The customers it
   * ensured in billing and the ERP stay: they are master data other deals share.
   */
  private async compensate(order: WorkRun, reason: string): Promise<void> {
    const record = await DBOS.runStep(
      () => this.orders.load(order.id),
      databaseStep('compensate.load'),
    );
    const { invoiceId, erpInvoiceId, subscriptionId } = record.refs;
    const legalEntity = record.legalEntity ?? '';
    const undo = async (
      step: 'reverse_receivable' | 'void_invoice' | 'cancel_subscription' | 'tell_crm_cancelled',
      needed: boolean,
      call: () => Promise<string>,
    ): Promise<void> => {
      if (!needed) {
        await DBOS.runStep(
          () =>
            this.orders.done(order.id, step, new Date(), {
              detail: 'nothing of it was made',
              status: 'skipped',
            }),
          databaseStep(`${step}.skipped`),
        );
        return;
      }
      await this.perform(
        order,
        step,
        () => this.io(order, step, call, (detail) => ({ detail })),
        true,
      );
    };
    await undo('reverse_receivable', Boolean(erpInvoiceId && invoiceId), () =>
      this.steps.reverseReceivable(legalEntity, invoiceId ?? ''),
    );
    await undo('void_invoice', Boolean(invoiceId), () =>
      this.steps.voidInvoice(invoiceId ?? '', `Order cancelled: ${reason}`),
    );
    await undo('cancel_subscription', Boolean(subscriptionId), () =>
      this.steps.cancelSubscription(order.id, subscriptionId ?? ''),
    );
    await undo('tell_crm_cancelled', true, async () => {
      await this.steps.writeBack(order.opportunityId, 'failed', {
        detail: `Order cancelled, what it made undone: ${reason}`,
      });
      return 'the CRM shows the order cancelled';
    });
    await DBOS.runStep(
      () => this.orders.finished(order.id, 'cancelled', new Date()),
      databaseStep('cancelled'),
    );
  }

  /** The ERP posting, one order at a time per ERP budget: a child workflow on the `erp` queue. */
  @DBOS.workflow()
  async postOnQueue(
    order: WorkRun,
    deal: Deal,
    invoiceId: string,
    erpItems: Record<string, string>,
  ): Promise<Outcome<PostedReceivable>> {
    return this.io(
      order,
      'post_receivable',
      () => this.steps.postReceivable(deal, invoiceId, erpItems),
      (p) => ({
        refs: {
          ...(p.erpInvoiceId ? { erpInvoiceId: p.erpInvoiceId } : {}),
          ...(p.erpInvoiceNumber ? { erpInvoiceNumber: p.erpInvoiceNumber } : {}),
        },
        ...(p.skipped
          ? { detail: p.skipped }
          : { detail: `ERP invoice ${p.erpInvoiceNumber ?? ''}` }),
      }),
    );
  }

  private async issueInvoice(
    order: WorkRun,
    customerId: string,
    subscriptionId: string,
  ): Promise<{ invoiceId: string; status: string }> {
    for (;;) {
      const issued = await this.perform(order, 'tax_invoice', () =>
        this.io(
          order,
          'tax_invoice',
          () => this.steps.taxInvoice(order.id, customerId, subscriptionId),
          (r) =>
            'notBefore' in r
              ? {
                  detail: `the subscription starts on ${r.notBefore}: its first invoice waits until then`,
                }
              : {
                  refs: {
                    invoiceId: r.invoiceId,
                    ...(r.number ? { invoiceNumber: r.number } : {}),
                    ...(r.taxTransactionCode ? { taxTransactionCode: r.taxTransactionCode } : {}),
                  },
                  detail: `invoice ${r.number ?? r.invoiceId}, ${r.total}, ${r.status}`,
                },
        ),
      );
      if (!('notBefore' in issued)) return issued;
      // Nothing to invoice before the subscription starts: a durable sleep until that day.
      const now = await DBOS.now();
      await DBOS.sleepms(Math.max(1000, Date.parse(`${issued.notBefore}T00:00:00Z`) - now));
    }
  }

  /**
   * Billing's invoice.finalized event confirms the invoice (the webhook receiver forwards it to the
   * order); without it in INVOICE_EVENT_WAIT_SECONDS, the order reads the invoice instead.
   */
  private async awaitFinalized(order: WorkRun, invoiceId: string, status: string): Promise<void> {
    const event = await DBOS.recv<{ eventId: string }>(
      INVOICE_FINALIZED_TOPIC,
      this.config.INVOICE_EVENT_WAIT_SECONDS,
    );
    if (event) {
      await DBOS.runStep(
        () =>
          this.tracker.done(order.id, 'await_invoice_finalized', new Date(), {
            detail: `confirmed by billing's event ${event.eventId}`,
          }),
        databaseStep('await_invoice_finalized.event'),
      );
      return;
    }
    await this.perform(order, 'await_invoice_finalized', () =>
      this.io(
        order,
        'await_invoice_finalized',
        async () => {
          const now = status === 'draft' ? await this.steps.invoiceStatus(invoiceId) : status;
          if (now === 'draft' || now === 'void')
            throw new OrderBlocked({
              code: Q2cErrorCode.SYSTEM_REFUSED,
              title: 'The invoice is not finalized',
              detail: `Billing has invoice ${invoiceId} as ${now}.`,
              whatToFix:
                now === 'void'
                  ? 'The invoice was voided in billing: resolve this order, or issue a new invoice and retry.'
                  : 'Finalize the invoice in billing, then retry the order.',
              system: 'billing',
            });
          return now;
        },
        (s) => ({
          detail: `billing has the invoice ${s} (read; no event within ${this.config.INVOICE_EVENT_WAIT_SECONDS} s)`,
        }),
      ),
    );
  }

  private async postReceivable(
    order: WorkRun,
    deal: Deal,
    invoiceId: string,
    mapped: MappedItems,
  ): Promise<PostedReceivable> {
    let attempt = 0;
    // The child workflow's step tracks the posting running and done (see postOnQueue).
    return this.perform(order, 'post_receivable', async () => {
      attempt += 1;
      const handle = await DBOS.startWorkflow(this, {
        workflowID: `${orderWorkflowId(order.opportunityId)}:erp:${attempt}`,
        queueName: 'erp',
      }).postOnQueue(order, deal, invoiceId, mapped.erpItems);
      return handle.getResult();
    });
  }
}
