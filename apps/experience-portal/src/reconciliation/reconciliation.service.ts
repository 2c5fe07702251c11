import { Inject, Injectable } from '@nestjs/common';
import Decimal from 'decimal.js';
import { canSeeEntity, type Principal } from '@revgate/auth';
import type { crm, q2c } from '@revgate/clients';
import { APP_CONFIG } from '@revgate/platform';
import { type ApiName, mapLimit, PortalApis, read, readAll, readOptional } from '../portal-apis';
import type { PortalConfig } from '../portal.config';
import type {
  BookingRow,
  BookingsSection,
  PortalReconciliationQuery,
  PortalReconciliationResponse,
  RevenueRow,
  UsageSection,
} from './reconciliation.dto';

type Opportunity = crm.SchemaOpportunityResponse;
type Order = q2c.SchemaOrderResponse;

/** When the deal was closed-won (its last move there), else its close date. */
function bookedAt(o: Opportunity): string {
  const won = o.stageHistory.filter((c) => c.stage === 'closed_won').at(-1);
  return won?.changedAt ?? o.closeDate ?? o.updatedAt;
}

/**
 * The period's reconciliation, per legal entity: each closed-won deal to its order, invoice and ERP
 * receivable (read from the CRM, quote-to-cash, billing and the ERP); the usage funnel and
 * billed = recognized + deferred from usage-to-revenue. Each variance names its records.
 */
@Injectable()
export class ReconciliationService {
  constructor(
    private readonly apis: PortalApis,
    @Inject(APP_CONFIG) private readonly config: PortalConfig,
  ) {}

  async reconcile(
    caller: Principal,
    query: PortalReconciliationQuery,
  ): Promise<PortalReconciliationResponse> {
    const entityOk = (le: string | undefined): boolean =>
      le !== undefined &&
      canSeeEntity(caller, le) &&
      (query.legalEntity === undefined || query.legalEntity === le);
    const unavailable = new Set<ApiName>();
    const [bookings, u2r] = await Promise.all([
      this.bookings(query.period, entityOk),
      read(
        'u2r',
        this.apis.u2r.GET('/u2r/v1/reconciliation', {
          params: { query: { period: query.period } },
        }),
      ).catch(() => {
        unavailable.add('u2r');
        return undefined;
      }),
    ]);
    let usage: UsageSection | undefined;
    let revenue: RevenueRow[] = [];
    if (u2r) {
      // The usage ledger has no legal entity of its own: its funnel is the whole period's, shown
      // to callers who may see every entity.
      if (caller.legalEntities === undefined) {
        const lines = u2r.lines;
        usage = {
          eventsIngested: u2r.eventsIngested,
          rows: u2r.rows,
          rated: lines.filter((l) => l.quantityRated !== undefined).length,
          invoiced: lines.filter((l) => l.invoiceNumber !== undefined).length,
          posted: lines.filter((l) => l.postedToErp).length,
          rowsWithVariances: u2r.rowsWithVariances,
          variances: lines
            .flatMap((l) =>
              l.variances.map((v) => ({
                ...(l.customerId ? { customerId: l.customerId } : {}),
                ...(l.subscriptionId ? { subscriptionId: l.subscriptionId } : {}),
                meterCode: l.meterCode,
                cause: v.cause,
                detail: v.detail,
                links: Object.fromEntries(
                  Object.entries(l.links).filter(
                    (e): e is [string, string] => typeof e[1] === 'string',
                  ),
                ),
              })),
            )
            .slice(0, 500),
        };
      }
      revenue = u2r.revenue
        .filter((r) => entityOk(r.legalEntity))
        .map((r) => ({
          legalEntity: r.legalEntity,
          currency: r.currency,
          billed: r.billed,
          recognized: r.recognized,
          deferred: r.deferred,
          balanced: r.balanced,
          released: r.released,
          variances: r.variances.map((v) => `${v.cause}: ${v.detail}`),
        }));
    }
    for (const api of bookings.unavailable) unavailable.add(api);
    return {
      period: query.period,
      ...(query.legalEntity ? { legalEntity: query.legalEntity } : {}),
      bookings: bookings.section,
      ...(usage ? { usage } : {}),
      revenue,
      unavailable: [...unavailable],
    };
  }

  private async bookings(
    period: string,
    entityOk: (le: string | undefined) => boolean,
  ): Promise<{ section: BookingsSection; unavailable: ApiName[] }> {
    const limit = this.config.PORTAL_SCAN_LIMIT;
    const [won, orders] = await Promise.all([
      readAll(
        'crm',
        (cursor) =>
          this.apis.crm.GET('/crm/v1/opportunities', {
            params: { query: { stage: 'closed_won', limit: 200, ...(cursor ? { cursor } : {}) } },
          }),
        limit,
      ),
      readAll(
        'q2c',
        (cursor) =>
          this.apis.q2c.GET('/q2c/v1/orders', {
            params: { query: { limit: 200, ...(cursor ? { cursor } : {}) } },
          }),
        limit,
      ),
    ]);
    const orderOf = new Map<string, Order>(orders.items.map((o) => [o.opportunityId, o]));
    const deals = won.items.filter(
      (o) => entityOk(o.legalEntity) && bookedAt(o).slice(0, 7) === period,
    );
    const unavailable = new Set<ApiName>();
    const soft = <T>(api: ApiName, work: Promise<T>): Promise<T | undefined> =>
      work.catch(() => {
        unavailable.add(api);
        return undefined;
      });
    const rows = await mapLimit(deals, 8, async (deal): Promise<BookingRow> => {
      const order = orderOf.get(deal.id);
      const invoiceId = order?.refs.invoiceId;
      const [invoice, receivable] = invoiceId
        ? await Promise.all([
            soft(
              'billing',
              readOptional(
                'billing',
                this.apis.billing.GET('/billing/v1/invoices/{id}', {
                  params: { path: { id: invoiceId } },
                }),
              ),
            ),
            soft(
              'erp',
              readOptional(
                'erp',
                this.apis.erp.GET('/erp/v1/invoices/{legalEntity}/{externalId}', {
                  params: { path: { legalEntity: deal.legalEntity, externalId: invoiceId } },
                }),
              ),
            ),
          ])
        : [undefined, undefined];
      const variances: BookingRow['variances'] = [];
      if (!order)
        variances.push({
          cause: 'booking_without_order',
          detail: 'The deal is closed-won but quote-to-cash has no order for it.',
        });
      else if (order.status === 'needs_attention')
        variances.push({
          cause: 'order_needs_attention',
          detail: `The order waits at ${order.currentStep ?? 'a step'}: ${order.exception?.title ?? 'see its exception'}.`,
        });
      else if (order.status === 'completed' && !invoiceId)
        variances.push({
          cause: 'order_not_invoiced',
          detail: 'The order completed without an invoice.',
        });
      if (invoice && invoice.status !== 'draft' && invoice.status !== 'void' && !receivable)
        variances.push({
          cause: 'invoice_not_posted',
          detail: `Invoice ${invoice.number ?? invoice.id} is ${invoice.status} but the ERP has no receivable for it.`,
        });
      if (invoice && receivable && !new Decimal(invoice.total).equals(receivable.total))
        variances.push({
          cause: 'receivable_amount_differs',
          detail: `The invoice totals ${invoice.total} ${invoice.currency}, its receivable ${receivable.total} ${receivable.currency}.`,
        });
      const exception = order?.status === 'needs_attention' ? order.exception : undefined;
      return {
        opportunityId: deal.id,
        opportunityName: deal.name,
        accountId: deal.accountId,
        legalEntity: deal.legalEntity,
        currency: deal.currency,
        bookedAt: bookedAt(deal),
        bookingAmount: deal.amount,
        ...(order ? { orderId: order.id, orderStatus: order.status } : {}),
        ...(invoice
          ? {
              ...(invoice.number ? { invoiceNumber: invoice.number } : {}),
              invoiceStatus: invoice.status,
              invoiceTotal: invoice.total,
            }
          : {}),
        ...(receivable
          ? {
              ...(receivable.number ? { receivableNumber: receivable.number } : {}),
              receivableTotal: receivable.total,
            }
          : {}),
        variances,
        links: {
          trace: `/portal/v1/trace?opportunityId=${deal.id}`,
          ...(order ? { order: `/q2c/v1/orders/${order.id}` } : {}),
          ...(exception ? { exception: `/portal/v1/exceptions?orderId=${order?.id ?? ''}` } : {}),
          ...(invoiceId ? { invoice: `/billing/v1/invoices/${invoiceId}` } : {}),
          ...(receivable && invoiceId
            ? { receivable: `/erp/v1/invoices/${deal.legalEntity}/${invoiceId}` }
            : {}),
        },
      };
    });
    rows.sort(
      (a, b) =>
        a.bookedAt.localeCompare(b.bookedAt) || a.opportunityId.localeCompare(b.opportunityId),
    );
    const totals = new Map<string, { booked: Decimal; invoiced: Decimal; receivables: Decimal }>();
    for (const r of rows) {
      const t = totals.get(r.currency) ?? {
        booked: new Decimal(0),
        invoiced: new Decimal(0),
        receivables: new Decimal(0),
      };
      t.booked = t.booked.plus(r.bookingAmount);
      if (r.invoiceTotal) t.invoiced = t.invoiced.plus(r.invoiceTotal);
      if (r.receivableTotal) t.receivables = t.receivables.plus(r.receivableTotal);
      totals.set(r.currency, t);
    }
    return {
      section: {
        bookings: rows.length,
        ordered: rows.filter((r) => r.orderId).length,
        invoiced: rows.filter((r) => r.invoiceTotal !== undefined).length,
        posted: rows.filter((r) => r.receivableTotal !== undefined).length,
        rowsWithVariances: rows.filter((r) => r.variances.length > 0).length,
        totals: [...totals.entries()]
          .sort(([a], [b]) => a.localeCompare(b))
          .map(([currency, t]) => ({
            currency,
            booked: t.booked.toFixed(2),
            invoiced: t.invoiced.toFixed(2),
            receivables: t.receivables.toFixed(2),
          })),
        rows,
        truncated: won.truncated || orders.truncated,
      },
      unavailable: [...unavailable],
    };
  }
}
