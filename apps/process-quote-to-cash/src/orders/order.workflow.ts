import { Inject, Injectable, Logger } from '@nestjs/common';
import { ConfiguredInstance, DBOS } from '@dbos-inc/dbos-sdk';
import { APP_CONFIG, runWithCorrelationId } from '@revgate/platform';
import { Q2cErrorCode } from '../q2c-error-code';
import type { Q2cConfig } from '../q2c.config';
import { ContractEvents } from './contract-events';
import {
  isOutage,
  isRefusal,
  OrderBlocked,
  refusalException,
  type ExceptionInfo,
} from './order-exception';
import { STEP_TITLES, type OrderRefs, type OrderStep } from './order-model';
import { OrderSteps, type Deal, type MappedItems, type PostedReceivable } from './order-steps';
import { OrderTracker } from './order-tracker';

/** A step's result as the workflow records it: a value, or why the order cannot go on. */
export type Outcome<T> =
  { ok: true; value: T } | { ok: false; outage: boolean; exception: ExceptionInfo };

/** What an operator sends a parked order (POST /orders/{id}/retry, …/resolve). */
export interface OperatorMessage {
  action: 'retry' | 'resolve';
  by: string;
  reason?: string;
}

export const OPERATOR_TOPIC = 'operator';
export const INVOICE_FINALIZED_TOPIC = 'invoice.finalized';

/** The order workflow's id: the business key, so one deal never makes two orders. */
export const orderWorkflowId = (opportunityId: string): string => `order:${opportunityId}`;

/** Ends the workflow when an operator resolves the order instead of retrying it. */
class OrderResolved extends Error {}

interface OrderRun {
  orderId: string;
  opportunityId: string;
  correlationId: string;
}

/**
 * The quote-to-cash order (DESIGN §2) as a DBOS workflow: each call to a system API is a
 * checkpointed step, so a crash resumes at the step it was in and nothing done is done again. A
 * step the data blocks (a missing tax registration, an unmapped product, a closed ERP period)
 * parks the order with the reason in business terms and waits for an operator's retry, which runs
 * that step again — the ones before it stay done. A system that does not answer is retried with
 * backoff, then parked as an outage that retries itself every OUTAGE_RETRY_SECONDS.
 */
@Injectable()
export class OrderWorkflow extends ConfiguredInstance {
  private readonly logger = new Logger(OrderWorkflow.name);

  constructor(
    private readonly steps: OrderSteps,
    private readonly tracker: OrderTracker,
    private readonly contracts: ContractEvents,
    @Inject(APP_CONFIG) private readonly config: Q2cConfig,
  ) {
    super('orders');
  }

  @DBOS.workflow()
  async run(orderId: string, opportunityId: string, correlationId: string): Promise<string> {
    const order: OrderRun = { orderId, opportunityId, correlationId };
    try {
      await this.bestEffort(order, 'crm.pending', () =>
        this.steps.writeBack(opportunityId, 'pending', {}),
      );
      const deal = await this.perform(
        order,
        'validate_account',
        () => this.io(order, 'validate_account', () => this.steps.validateAccount(opportunityId)),
        (d) => ({
          refs: { crmAccountId: d.accountId },
          detail: `${d.accountName}, ${d.legalEntity}, ${d.amount} ${d.currency}`,
        }),
      );
      await DBOS.runStep(
        () =>
          this.tracker.identify(orderId, {
            accountId: deal.accountId,
            legalEntity: deal.legalEntity,
            currency: deal.currency,
          }),
        { name: 'identify' },
      );
      await this.perform(
        order,
        'ensure_erp_customer',
        () => this.io(order, 'ensure_erp_customer', () => this.steps.ensureErpCustomer(deal)),
        (id) => ({ refs: { erpCustomerExternalId: id } }),
      );
      const customerId = await this.perform(
        order,
        'ensure_billing_customer',
        () =>
          this.io(order, 'ensure_billing_customer', () =>
            this.steps.ensureBillingCustomer(orderId, deal),
          ),
        (id) => ({ refs: { billingCustomerId: id } }),
      );
      const mapped = await this.perform(
        order,
        'map_products',
        () => this.io(order, 'map_products', () => this.steps.mapProducts(orderId, deal)),
        (m) => ({
          refs: { billingPriceIds: m.priceIds },
          detail: `${m.items.length} item(s), billed every ${m.interval}, ${m.startDate} to ${m.endDate}`,
        }),
      );
      const subscriptionId = await this.perform(
        order,
        'create_subscription',
        () =>
          this.io(order, 'create_subscription', () =>
            this.steps.createSubscription(orderId, customerId, mapped),
          ),
        (id) => ({ refs: { subscriptionId: id } }),
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
      await this.perform(
        order,
        'activate_contract',
        () =>
          this.io(order, 'activate_contract', () =>
            this.contracts.activated(orderId, correlationId),
          ),
        (eventId) => ({ refs: { contractEventId: eventId } }),
      );
      await DBOS.runStep(() => this.tracker.finished(orderId, 'completed', new Date()), {
        name: 'completed',
      });
      return 'completed';
    } catch (e) {
      if (e instanceof OrderResolved) return 'resolved';
      throw e;
    }
  }

  /** The ERP posting, one order at a time per ERP budget: a child workflow on the `erp` queue. */
  @DBOS.workflow()
  async postOnQueue(
    order: OrderRun,
    deal: Deal,
    invoiceId: string,
    erpItems: Record<string, string>,
  ): Promise<Outcome<PostedReceivable>> {
    return this.io(order, 'post_receivable', () =>
      this.steps.postReceivable(deal, invoiceId, erpItems),
    );
  }

  private async issueInvoice(
    order: OrderRun,
    customerId: string,
    subscriptionId: string,
  ): Promise<{ invoiceId: string; status: string }> {
    for (;;) {
      const issued = await this.perform(
        order,
        'tax_invoice',
        () =>
          this.io(order, 'tax_invoice', () =>
            this.steps.taxInvoice(order.orderId, customerId, subscriptionId),
          ),
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
  private async awaitFinalized(order: OrderRun, invoiceId: string, status: string): Promise<void> {
    const event = await DBOS.recv<{ eventId: string }>(
      INVOICE_FINALIZED_TOPIC,
      this.config.INVOICE_EVENT_WAIT_SECONDS,
    );
    if (event) {
      await DBOS.runStep(
        () =>
          this.tracker.done(
            order.orderId,
            'await_invoice_finalized',
            new Date(),
            {},
            `confirmed by billing's event ${event.eventId}`,
          ),
        { name: 'await_invoice_finalized.event' },
      );
      return;
    }
    await this.perform(
      order,
      'await_invoice_finalized',
      () =>
        this.io(order, 'await_invoice_finalized', async () => {
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
        }),
      (s) => ({
        detail: `billing has the invoice ${s} (read; no event within ${this.config.INVOICE_EVENT_WAIT_SECONDS} s)`,
      }),
    );
  }

  private async postReceivable(
    order: OrderRun,
    deal: Deal,
    invoiceId: string,
    mapped: MappedItems,
  ): Promise<PostedReceivable> {
    let attempt = 0;
    return this.perform(
      order,
      'post_receivable',
      async () => {
        attempt += 1;
        const handle = await DBOS.startWorkflow(this, {
          workflowID: `${orderWorkflowId(order.opportunityId)}:erp:${attempt}`,
          queueName: 'erp',
        }).postOnQueue(order, deal, invoiceId, mapped.erpItems);
        return handle.getResult();
      },
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

  /**
   * Runs a step until it succeeds: tracked as running, then done with what it made; parked when it
   * cannot go on, and run again when an operator retries it (or, for an outage, by itself).
   */
  private async perform<T>(
    order: OrderRun,
    step: OrderStep,
    attempt: () => Promise<Outcome<T>>,
    describe?: (value: T) => { refs?: OrderRefs; detail?: string },
  ): Promise<T> {
    for (;;) {
      await DBOS.runStep(() => this.tracker.running(order.orderId, step, new Date()), {
        name: `${step}.running`,
      });
      const outcome = await attempt();
      if (outcome.ok) {
        const { refs, detail } = describe?.(outcome.value) ?? {};
        await DBOS.runStep(() => this.tracker.done(order.orderId, step, new Date(), refs, detail), {
          name: `${step}.done`,
        });
        return outcome.value;
      }
      await this.park(order, step, outcome);
    }
  }

  /** One attempt of a step's I/O, retried with backoff while the system does not answer. */
  private async io<T>(
    order: OrderRun,
    step: OrderStep,
    call: () => Promise<T>,
  ): Promise<Outcome<T>> {
    try {
      return await DBOS.runStep(
        () =>
          runWithCorrelationId(order.correlationId, async (): Promise<Outcome<T>> => {
            try {
              return { ok: true, value: await call() };
            } catch (e) {
              if (e instanceof OrderBlocked) return { ok: false, outage: false, exception: e.info };
              if (isRefusal(e))
                return {
                  ok: false,
                  outage: false,
                  exception: refusalException(e, STEP_TITLES[step].toLowerCase()),
                };
              if (isOutage(e)) throw e;
              this.logger.error(
                { err: e, orderId: order.orderId, step },
                'unexpected error in an order step',
              );
              return {
                ok: false,
                outage: false,
                exception: {
                  code: Q2cErrorCode.SYSTEM_REFUSED,
                  title: 'An unexpected error stopped the order',
                  detail: `${STEP_TITLES[step]} failed unexpectedly: ${e instanceof Error ? e.message : String(e)}`,
                  whatToFix:
                    'Look at the quote-to-cash logs for this order (its correlation id) and the systems it calls; retry once the cause is fixed.',
                },
              };
            }
          }),
        {
          name: step,
          retriesAllowed: true,
          maxAttempts: this.config.STEP_RETRY_ATTEMPTS,
          intervalSeconds: this.config.STEP_RETRY_INTERVAL_SECONDS,
          backoffRate: 3,
        },
      );
    } catch (e) {
      const why = e instanceof Error ? e.message : String(e);
      return {
        ok: false,
        outage: true,
        exception: {
          code: Q2cErrorCode.SYSTEM_UNAVAILABLE,
          title: 'A system the order needs does not answer',
          detail: `${STEP_TITLES[step]}: ${why}`,
          whatToFix: `Nothing to fix in the data: the order tries again by itself every ${this.config.OUTAGE_RETRY_SECONDS} s (or retry it once the system is back).`,
        },
      };
    }
  }

  /** Records why the order waits, tells the CRM, and waits for a retry or a resolve. */
  private async park(
    order: OrderRun,
    step: OrderStep,
    failure: { outage: boolean; exception: ExceptionInfo },
  ): Promise<void> {
    await DBOS.runStep(
      () => {
        const at = new Date();
        return this.tracker.parked(order.orderId, {
          ...failure.exception,
          step,
          transient: failure.outage,
          at: at.toISOString(),
          ...(failure.outage
            ? {
                retryAt: new Date(
                  at.getTime() + this.config.OUTAGE_RETRY_SECONDS * 1000,
                ).toISOString(),
              }
            : {}),
        });
      },
      { name: `${step}.parked` },
    );
    await this.bestEffort(order, 'crm.failed', () =>
      this.steps.writeBack(order.opportunityId, 'failed', {
        detail: `${failure.exception.title}. ${failure.exception.whatToFix}`,
      }),
    );
    for (;;) {
      const message = await DBOS.recv<OperatorMessage>(
        OPERATOR_TOPIC,
        failure.outage ? this.config.OUTAGE_RETRY_SECONDS : 86_400,
      );
      if (message === null && !failure.outage) continue;
      if (message?.action === 'resolve') {
        await DBOS.runStep(() => this.tracker.finished(order.orderId, 'resolved', new Date()), {
          name: 'resolved',
        });
        throw new OrderResolved();
      }
      break;
    }
    await DBOS.runStep(() => this.tracker.resumed(order.orderId), { name: `${step}.resumed` });
    await this.bestEffort(order, 'crm.pending', () =>
      this.steps.writeBack(order.opportunityId, 'pending', {}),
    );
  }

  /** A call whose failure must not stop the order (the CRM's status line, say). */
  private async bestEffort(
    order: OrderRun,
    name: string,
    call: () => Promise<void>,
  ): Promise<void> {
    await DBOS.runStep(
      () =>
        runWithCorrelationId(order.correlationId, async () => {
          try {
            await call();
          } catch (e) {
            this.logger.warn({ err: e, orderId: order.orderId }, `${name}: not done (best effort)`);
          }
        }),
      { name },
    );
  }
}
