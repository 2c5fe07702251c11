import { Injectable } from '@nestjs/common';
import type { Principal } from '@revgate/auth';
import { visibleTo } from '../access';
import type { q2c } from '@revgate/clients';
import { ApiError, validationProblem } from '@revgate/platform';
import { type ApiName, PortalApis, read, readOptional } from '../portal-apis';
import { PortalErrorCode } from '../portal-error-code';
import type { TraceEvent, TraceQuery, TraceResponse } from './trace.dto';

type Order = q2c.SchemaOrderResponse;

/** Which system each step of an order works in. */
const STEP_SYSTEM: Record<string, TraceEvent['system']> = {
  validate_account: 'crm',
  ensure_erp_customer: 'erp',
  ensure_billing_customer: 'billing',
  map_products: 'q2c',
  create_subscription: 'billing',
  tax_invoice: 'tax',
  await_invoice_finalized: 'billing',
  post_receivable: 'erp',
  write_back_crm: 'crm',
  activate_contract: 'q2c',
  reverse_receivable: 'erp',
  void_invoice: 'billing',
  cancel_subscription: 'billing',
  tell_crm_cancelled: 'crm',
};

const KEYS = ['correlationId', 'orderId', 'invoiceId', 'opportunityId'] as const;

/**
 * The per-deal trace: the order found by any of its keys, then each system's record of it read
 * from that system's API, and one timeline across them. A system that does not answer leaves its
 * part out and is named in `unavailable`; the order itself must be read.
 */
@Injectable()
export class TraceService {
  constructor(private readonly apis: PortalApis) {}

  async trace(caller: Principal, query: TraceQuery): Promise<TraceResponse> {
    const given = KEYS.filter((k) => query[k] !== undefined);
    if (given.length !== 1)
      throw validationProblem([
        { pointer: '', detail: `give exactly one of ${KEYS.join(', ')} (got ${given.length})` },
      ]);
    const order = await this.findOrder(query);
    if (!order || !visibleTo(caller, order.legalEntity))
      throw new ApiError(
        404,
        PortalErrorCode.TRACE_NOT_FOUND,
        `No order has ${given[0]} ${String(query[given[0]])}.`,
      );
    const unavailable = new Set<ApiName>();
    const soft = async <T>(api: ApiName, work: Promise<T>): Promise<T | undefined> => {
      try {
        return await work;
      } catch {
        unavailable.add(api);
        return undefined;
      }
    };
    const refs = order.refs;
    const [opportunity, subscription, invoice, receivable] = await Promise.all([
      soft(
        'crm',
        readOptional(
          'crm',
          this.apis.crm.GET('/crm/v1/opportunities/{id}', {
            params: { path: { id: order.opportunityId } },
          }),
        ),
      ),
      refs.subscriptionId
        ? soft(
            'billing',
            readOptional(
              'billing',
              this.apis.billing.GET('/billing/v1/subscriptions/{id}', {
                params: { path: { id: refs.subscriptionId } },
              }),
            ),
          )
        : undefined,
      refs.invoiceId
        ? soft(
            'billing',
            readOptional(
              'billing',
              this.apis.billing.GET('/billing/v1/invoices/{id}', {
                params: { path: { id: refs.invoiceId } },
              }),
            ),
          )
        : undefined,
      refs.invoiceId && order.legalEntity
        ? soft(
            'erp',
            readOptional(
              'erp',
              this.apis.erp.GET('/erp/v1/invoices/{legalEntity}/{externalId}', {
                params: { path: { legalEntity: order.legalEntity, externalId: refs.invoiceId } },
              }),
            ),
          )
        : undefined,
    ]);

    const timeline: TraceEvent[] = [];
    for (const change of opportunity?.stageHistory ?? [])
      timeline.push({
        at: change.changedAt,
        system: 'crm',
        kind: `stage:${change.stage}`,
        title: `Opportunity moved to ${change.stage.replace(/_/g, ' ')}`,
        status: 'info',
        ...(change.changedBy ? { detail: `by ${change.changedBy}` } : {}),
      });
    for (const step of order.steps) {
      if (!step.startedAt && !step.finishedAt) continue;
      timeline.push({
        at: step.finishedAt ?? step.startedAt ?? order.createdAt,
        system: STEP_SYSTEM[step.name] ?? 'q2c',
        kind: step.name,
        title: step.title,
        status: step.status === 'pending' ? 'info' : step.status,
        ...(step.detail ? { detail: step.detail } : {}),
      });
    }
    for (const action of order.actions)
      timeline.push({
        at: action.at,
        system: 'operator',
        kind: action.action,
        title: `An operator chose to ${action.action}`,
        status: 'info',
        detail: `${action.actor}${action.reason ? `: ${action.reason}` : ''}`,
      });
    if (invoice?.finalizedAt)
      timeline.push({
        at: invoice.finalizedAt,
        system: 'billing',
        kind: 'invoice.finalized',
        title: `Invoice ${invoice.number ?? invoice.id} finalized`,
        status: 'info',
        detail: `${invoice.total} ${invoice.currency}`,
      });
    if (invoice?.paidAt)
      timeline.push({
        at: invoice.paidAt,
        system: 'billing',
        kind: 'invoice.paid',
        title: `Invoice ${invoice.number ?? invoice.id} paid`,
        status: 'info',
      });
    timeline.sort((a, b) => a.at.localeCompare(b.at));

    return {
      correlationId: order.correlationId,
      orderId: order.id,
      orderStatus: order.status,
      ...(order.legalEntity ? { legalEntity: order.legalEntity } : {}),
      systems: {
        crm: {
          opportunityId: order.opportunityId,
          ...(order.accountId ? { accountId: order.accountId } : {}),
          ...(opportunity
            ? {
                opportunityName: opportunity.name,
                stage: opportunity.stage,
                ...(opportunity.amount ? { amount: opportunity.amount } : {}),
                billingStatus: opportunity.billingStatus.status,
              }
            : {}),
        },
        billing: {
          ...(refs.billingCustomerId ? { customerId: refs.billingCustomerId } : {}),
          ...(refs.subscriptionId ? { subscriptionId: refs.subscriptionId } : {}),
          ...(subscription ? { subscriptionStatus: subscription.status } : {}),
          ...(refs.invoiceId ? { invoiceId: refs.invoiceId } : {}),
          ...(invoice?.number ? { invoiceNumber: invoice.number } : {}),
          ...(invoice
            ? {
                invoiceStatus: invoice.status,
                invoiceTotal: invoice.total,
                currency: invoice.currency,
              }
            : {}),
        },
        tax: {
          ...(refs.taxTransactionCode ? { transactionCode: refs.taxTransactionCode } : {}),
          ...(invoice ? { totalTax: invoice.totalTax } : {}),
        },
        erp: {
          ...(refs.erpCustomerExternalId ? { customerExternalId: refs.erpCustomerExternalId } : {}),
          ...(receivable
            ? {
                invoiceId: receivable.id,
                ...(receivable.number ? { invoiceNumber: receivable.number } : {}),
                period: receivable.period,
                total: receivable.total,
                amountDue: receivable.amountDue,
                paymentStatus: receivable.paymentStatus,
              }
            : refs.erpInvoiceId
              ? { invoiceId: refs.erpInvoiceId }
              : {}),
        },
      },
      timeline,
      unavailable: [...unavailable],
    };
  }

  private async findOrder(query: TraceQuery): Promise<Order | undefined> {
    if (query.orderId)
      return readOptional(
        'q2c',
        this.apis.q2c.GET('/q2c/v1/orders/{id}', { params: { path: { id: query.orderId } } }),
      );
    const filter = query.correlationId
      ? { correlationId: query.correlationId }
      : query.invoiceId
        ? { invoiceId: query.invoiceId }
        : { opportunityId: query.opportunityId };
    const page = await read(
      'q2c',
      this.apis.q2c.GET('/q2c/v1/orders', { params: { query: { ...filter, limit: 1 } } }),
    );
    return page.data.at(0);
  }
}
