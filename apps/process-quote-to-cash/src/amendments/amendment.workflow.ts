import { Inject, Injectable } from '@nestjs/common';
import { databaseStep } from '@revgate/workflows';
import { DBOS } from '@dbos-inc/dbos-sdk';
import { APP_CONFIG } from '@revgate/platform';
import type { Q2cConfig } from '../q2c.config';
import { ContractEvents } from '../orders/contract-events';
import { OrderSteps } from '../orders/order-steps';
import { OrderTracker } from '../orders/order-tracker';
import { TrackedWorkflow, WorkResolved, type WorkRun } from '../work/tracked-workflow';
import { AMENDMENT_STEP_TITLES } from './amendment-model';
import { AmendmentSteps } from './amendment-steps';
import { AmendmentTracker } from './amendment-tracker';
import type { AmendmentEntity } from './amendment.entity';

export const amendmentWorkflowId = (amendmentId: string): string => `amendment:${amendmentId}`;

/**
 * An amendment of an active order (upgrade, downgrade, quantity change, added item, renewal,
 * cancellation) as a DBOS workflow: billing changes the subscription with its declared proration;
 * a net charge is invoiced (tax committed) and a net credit is billing's credit memo; either is
 * posted to the ERP (an AR invoice, or an AR credit memo against the order's invoice); the CRM
 * learns it; ContractAmended is emitted.
 */
@Injectable()
export class AmendmentWorkflow extends TrackedWorkflow<AmendmentEntity> {
  constructor(
    private readonly steps: AmendmentSteps,
    private readonly orderSteps: OrderSteps,
    private readonly orders: OrderTracker,
    tracker: AmendmentTracker,
    private readonly contracts: ContractEvents,
    @Inject(APP_CONFIG) config: Q2cConfig,
  ) {
    super('amendments', tracker, config, AMENDMENT_STEP_TITLES);
  }

  protected writeBack(opportunityId: string, status: 'pending' | 'failed', detail?: string) {
    return this.orderSteps.writeBack(
      opportunityId,
      status === 'pending' ? 'active' : 'failed',
      detail === undefined ? {} : { detail: `Amendment: ${detail}` },
    );
  }

  @DBOS.workflow()
  async run(amendmentId: string, orderId: string, correlationId: string): Promise<string> {
    const order = await DBOS.runStep(() => this.orders.load(orderId), databaseStep('load-order'));
    const amendment = await DBOS.runStep(
      () => this.tracker.load(amendmentId),
      databaseStep('load-amendment'),
    );
    const run: WorkRun = { id: amendmentId, opportunityId: order.opportunityId, correlationId };
    try {
      const amended = await this.perform(run, 'amend_subscription', () =>
        this.io(
          run,
          'amend_subscription',
          () => this.steps.amendSubscription(amendmentId, order, amendment.request),
          (a) => ({
            refs: {
              billingAmendmentId: a.billingAmendmentId,
              outcome: a.outcome,
              total: a.total,
              ...(a.creditMemoId ? { creditMemoId: a.creditMemoId } : {}),
            },
            detail: `${a.outcome.replace('_', ' ')}, ${a.total} ${order.currency ?? ''}`.trim(),
          }),
        ),
      );
      const billed = await this.perform(run, 'bill_change', () =>
        this.io(
          run,
          'bill_change',
          () => this.steps.billChange(amendmentId, order, amended),
          (b) => ({
            refs: {
              ...(b.invoiceId ? { invoiceId: b.invoiceId } : {}),
              ...(b.invoiceNumber ? { invoiceNumber: b.invoiceNumber } : {}),
              ...(b.creditMemoNumber ? { creditMemoNumber: b.creditMemoNumber } : {}),
            },
            detail:
              b.skipped ??
              (b.invoiceNumber
                ? `invoice ${b.invoiceNumber}`
                : `credit memo ${b.creditMemoNumber ?? ''}`),
          }),
        ),
      );
      const posted = await this.perform(run, 'post_to_erp', () =>
        this.io(
          run,
          'post_to_erp',
          () => this.steps.postToErp(order, amended, billed),
          (p) => ({
            refs: {
              ...(p.erpInvoiceId ? { erpDocumentId: p.erpInvoiceId } : {}),
              ...(p.erpInvoiceNumber ? { erpDocumentNumber: p.erpInvoiceNumber } : {}),
            },
            detail: p.skipped ?? `ERP document ${p.erpInvoiceNumber ?? ''}`,
          }),
        ),
      );
      await this.perform(run, 'write_back_crm', () =>
        this.io(run, 'write_back_crm', () =>
          this.orderSteps.writeBack(order.opportunityId, 'active', {
            ...(order.refs.subscriptionId ? { subscriptionId: order.refs.subscriptionId } : {}),
            ...(billed.invoiceId ? { invoiceId: billed.invoiceId } : {}),
            ...(posted.erpInvoiceId ? { erpInvoiceId: posted.erpInvoiceId } : {}),
            detail:
              `Amended (${amendment.request.type}): ${amended.total} ${order.currency ?? ''}`.trim(),
          }),
        ),
      );
      await this.perform(run, 'emit_contract_amended', () =>
        this.io(
          run,
          'emit_contract_amended',
          () => this.contracts.amended(amendmentId, orderId, correlationId),
          // The last step: the amendment is completed with it, in the same statement.
          (eventId) => ({ refs: { contractEventId: eventId }, completes: true }),
        ),
      );
      return 'completed';
    } catch (e) {
      if (e instanceof WorkResolved) return 'resolved';
      throw e;
    }
  }
}
