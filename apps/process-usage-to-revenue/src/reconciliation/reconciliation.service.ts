import { Injectable } from '@nestjs/common';
import type Decimal from 'decimal.js';
import { MoneyDecimal, periodOf } from '@revgate/canonical';
import { canSeeEntity, type Principal } from '@revgate/auth';
import { TransactionHost } from '@revgate/persistence';
import { runIdOf } from '../billing-runs/billing-runs.service';
import { RevenueService } from '../revenue/revenue.service';
import type {
  ReconciliationResponse,
  ReconciliationRow,
  ReconciliationVariance,
  RevenueReconciliation,
  RevenueVariance,
} from './dto/reconciliation.dto';
import { RECONCILIATION } from './reconciliation.sql';

interface Row {
  subscription_id: string | null;
  customer_id: string | null;
  meter_code: string;
  aggregation: string | null;
  events: number;
  quantity: string;
  held: number;
  held_quantity: string;
  cancelled: number;
  cancelled_quantity: string;
  rateable: boolean | null;
  rated_id: string | null;
  rated_quantity: string | null;
  rated_status: string | null;
  rated_problem: { code: string; detail: string } | null;
  billing_status: string | null;
  invoice_id: string | null;
  invoice_number: string | null;
  billing_problem: { step: string; code: string; detail: string } | null;
  erp_number: string | null;
  invoiced_quantity: string | null;
  legal_entity?: string;
}

const d = (v: string): Decimal => new MoneyDecimal(v);

/** Every variance of a row, with its cause, in the order of the flow. */
function variancesOf(row: Row, period: string): ReconciliationVariance[] {
  const v: ReconciliationVariance[] = [];
  if (row.held > 0)
    v.push({
      cause: 'held_for_review',
      detail: `${row.held} late event(s) held for review (release them into an open period)`,
      quantity: row.held_quantity,
    });
  if (!row.rateable) {
    v.push({
      cause: 'unknown_subscription_or_meter',
      detail: row.subscription_id
        ? `subscription ${row.subscription_id} is unknown to billing or has no metered item for ${row.meter_code}: its usage cannot be rated`
        : `no subscription of customer ${row.customer_id ?? '?'} has a metered item for ${row.meter_code}`,
      quantity: row.quantity,
    });
    return v;
  }
  if (row.rated_quantity === null) {
    v.push({
      cause: 'not_rated',
      detail: `the period's usage is not rated yet: no billing run for ${period} has reached this subscription`,
      quantity: row.quantity,
    });
    return v;
  }
  const expected = d(row.quantity).minus(row.held_quantity).minus(row.cancelled_quantity);
  if (row.aggregation === 'sum' && !expected.equals(row.rated_quantity))
    v.push({
      cause: 'rated_differs_from_events',
      detail: `rated ${row.rated_quantity}, the counted events add up to ${expected.toFixed()}`,
      quantity: expected.minus(row.rated_quantity).toFixed(),
    });
  if (row.rated_status === 'refused') {
    v.push({
      cause: 'refused_by_billing',
      detail:
        `billing refused the usage line: ${row.rated_problem?.code ?? ''} ${row.rated_problem?.detail ?? ''}`.trim(),
      quantity: row.rated_quantity,
    });
    return v;
  }
  if (row.invoice_id === null) {
    v.push({
      cause: 'not_invoiced',
      detail: row.billing_problem
        ? `not invoiced: ${row.billing_problem.code} ${row.billing_problem.detail}`
        : 'rated, not invoiced yet',
      quantity: row.rated_quantity,
    });
    return v;
  }
  if (row.invoiced_quantity === null || !d(row.invoiced_quantity).equals(row.rated_quantity))
    v.push({
      cause: 'invoiced_differs_from_rated',
      detail: `invoice ${row.invoice_number ?? row.invoice_id} bills ${row.invoiced_quantity ?? 'no'} ${row.meter_code}, ${row.rated_quantity} were rated`,
    });
  if (row.billing_status !== 'posted')
    v.push(
      row.billing_problem?.step === 'post'
        ? {
            cause: 'posting_refused',
            detail: `the ERP refused invoice ${row.invoice_number ?? row.invoice_id}: ${row.billing_problem.code} ${row.billing_problem.detail}`,
          }
        : {
            cause: 'not_posted',
            detail: `invoice ${row.invoice_number ?? row.invoice_id} is not posted to the ERP yet`,
          },
    );
  return v;
}

/** The period's usage followed from the ledger to the ERP, with every variance and its cause. */
@Injectable()
export class ReconciliationService {
  constructor(
    private readonly tx: TransactionHost,
    private readonly revenue: RevenueService,
  ) {}

  async reconcile(period: string, caller: Principal): Promise<ReconciliationResponse> {
    const rows = await this.tx.manager.query<Row[]>(RECONCILIATION, [period]);
    const entities = new Map(
      (
        await this.tx.manager.query<{ subscription_id: string; legal_entity: string }[]>(
          'select subscription_id, legal_entity from u2r.billed_subscriptions where period = $1',
          [period],
        )
      ).map((r) => [r.subscription_id, r.legal_entity]),
    );
    const visible = rows.filter((row) => {
      if (caller.legalEntities === undefined) return true;
      const entity = row.subscription_id ? entities.get(row.subscription_id) : undefined;
      return entity !== undefined && canSeeEntity(caller, entity);
    });
    const lines = visible.map((row): ReconciliationRow => {
      const q = new URLSearchParams({
        period,
        meterCode: row.meter_code,
        ...(row.subscription_id ? { subscriptionId: row.subscription_id } : {}),
      });
      const entity = row.subscription_id ? entities.get(row.subscription_id) : undefined;
      return {
        customerId: row.customer_id ?? '',
        ...(row.subscription_id ? { subscriptionId: row.subscription_id } : {}),
        meterCode: row.meter_code,
        eventsIngested: row.events,
        quantityIngested: row.quantity,
        eventsHeld: row.held,
        eventsCancelled: row.cancelled,
        ...(row.rated_quantity === null ? {} : { quantityRated: row.rated_quantity }),
        ...(row.invoiced_quantity === null ? {} : { quantityInvoiced: row.invoiced_quantity }),
        ...(row.invoice_number ? { invoiceNumber: row.invoice_number } : {}),
        postedToErp: row.billing_status === 'posted',
        ...(row.erp_number ? { erpDocument: row.erp_number } : {}),
        variances: variancesOf(row, period),
        links: {
          events: `/u2r/v1/usage-events?${q.toString()}`,
          ...(row.invoice_id ? { invoice: `/billing/v1/invoices/${row.invoice_id}` } : {}),
          ...(row.invoice_id && entity
            ? { erpInvoice: `/erp/v1/invoices/${entity}/${row.invoice_id}` }
            : {}),
          ...(row.rated_id ? { billingRun: `/u2r/v1/billing-runs/${runIdOf(period, [])}` } : {}),
        },
      };
    });
    return {
      period,
      rows: lines.length,
      rowsWithVariances: lines.filter((l) => l.variances.length > 0).length,
      eventsIngested: lines.reduce((n, l) => n + l.eventsIngested, 0),
      lines,
      revenue: await this.revenueOf(period, caller),
    };
  }

  /**
   * Per entity and currency: billed = recognized + deferred up to the period's end, and what the
   * period recognizes of deferred revenue against what the posted journals released. An unreleased
   * difference is a variance once the period was closed or has ended.
   */
  private async revenueOf(period: string, caller: Principal): Promise<RevenueReconciliation[]> {
    const { rows } = await this.revenue.waterfall(period, {}, caller);
    const release = await this.tx.manager.query<
      { legal_entity: string; currency: string; to_release: string; released: string }[]
    >(
      `with due as (
         select s.legal_entity, s.currency, sum(e.amount) as amount
           from u2r.revenue_schedules s
           join u2r.revenue_schedule_entries e on e.schedule_id = s.id
          where s.deferred and e.period = $1
          group by 1, 2),
       done as (
         select legal_entity, currency, sum(amount) as amount
           from u2r.revenue_journals where period = $1 and status = 'posted'
          group by 1, 2)
       select coalesce(due.legal_entity, done.legal_entity) as legal_entity,
              coalesce(due.currency, done.currency) as currency,
              coalesce(due.amount, 0)::text as to_release, coalesce(done.amount, 0)::text as released
         from due full join done using (legal_entity, currency)`,
      [period],
    );
    const closed =
      (
        await this.tx.manager.query<unknown[]>(
          'select 1 from u2r.revenue_closes where period = $1',
          [period],
        )
      ).length > 0 || period < periodOf(new Date().toISOString().slice(0, 10));
    return rows.map((row): RevenueReconciliation => {
      const r = release.find(
        (x) => x.legal_entity === row.legalEntity && x.currency === row.currency,
      );
      const toRelease = d(r?.to_release ?? '0');
      const released = d(r?.released ?? '0');
      const variances: RevenueVariance[] = [];
      if (!row.balanced)
        variances.push({
          cause: 'revenue_out_of_balance',
          detail: `billed ${row.billedToDate} is not recognized ${row.recognizedToDate} + deferred ${row.closingDeferred}`,
          amount: d(row.billedToDate)
            .minus(row.recognizedToDate)
            .minus(row.closingDeferred)
            .toFixed(2),
        });
      if (closed && !toRelease.equals(released))
        variances.push({
          cause: 'revenue_not_released',
          detail: `${period} recognizes ${toRelease.toFixed(2)} of deferred revenue, the revenue journals posted to the ERP released ${released.toFixed(2)}: close the period's revenue (again)`,
          amount: toRelease.minus(released).toFixed(2),
        });
      return {
        legalEntity: row.legalEntity,
        currency: row.currency,
        billed: row.billedToDate,
        recognized: row.recognizedToDate,
        deferred: row.closingDeferred,
        balanced: row.balanced,
        toRelease: toRelease.toFixed(2),
        released: released.toFixed(2),
        variances,
        links: {
          waterfall: `/u2r/v1/periods/${period}/revenue?legalEntity=${row.legalEntity}&currency=${row.currency}`,
          close: `/u2r/v1/periods/${period}/close`,
        },
      };
    });
  }
}
