import { Injectable } from '@nestjs/common';
import { DBOS } from '@dbos-inc/dbos-sdk';
import type Decimal from 'decimal.js';
import { MoneyDecimal, periodOf } from '@revgate/canonical';
import { canSeeEntity, type Principal } from '@revgate/auth';
import { TransactionHost } from '@revgate/persistence';
import { ApiError } from '@revgate/platform';
import { U2rErrorCode } from '../u2r-error-code';
import type {
  RevenueCloseResponse,
  RevenueJournalLine,
  RevenueWaterfallResponse,
  RevenueWaterfallRow,
  WaterfallQuery,
} from './dto/revenue.dto';
import { PeriodCloseWorkflow } from './period-close.workflow';
import type { CloseStatus, JournalStatus } from './revenue.entities';

interface CloseRow {
  period: string;
  status: CloseStatus;
  attempt: number;
  error: string | null;
  started_at: Date;
  completed_at: Date | null;
}

interface JournalRow {
  legal_entity: string;
  currency: string;
  external_id: string;
  status: JournalStatus;
  amount: string;
  lines: RevenueJournalLine[];
  erp_number: string | null;
  problem: { code: string; detail: string } | null;
  posted_at: Date | null;
}

interface FigureRow {
  legal_entity: string;
  currency: string;
  product_family: string;
  billed: string;
  billed_to_date: string;
  recognized: string;
  recognized_to_date: string;
  opening_deferred: string;
  closing_deferred: string;
}

const d = (v: string | undefined): Decimal => new MoneyDecimal(v ?? '0');

/**
 * Per entity, currency and product family: what was billed (posted) in the period and up to its
 * end, what was recognized, and the deferred revenue at its start and end — from the schedules.
 */
const FIGURES = `
  select s.legal_entity, s.currency, s.product_family,
         coalesce(sum(e.amount) filter (where s.posting_period = $1), 0)::text as billed,
         coalesce(sum(e.amount) filter (where s.posting_period <= $1), 0)::text as billed_to_date,
         coalesce(sum(e.amount) filter (where e.period = $1), 0)::text as recognized,
         coalesce(sum(e.amount) filter (where e.period <= $1), 0)::text as recognized_to_date,
         coalesce(sum(e.amount) filter (where s.posting_period < $1 and e.period >= $1), 0)::text as opening_deferred,
         coalesce(sum(e.amount) filter (where s.posting_period <= $1 and e.period > $1), 0)::text as closing_deferred
    from u2r.revenue_schedules s
    join u2r.revenue_schedule_entries e on e.schedule_id = s.id
   where s.posting_period <= $1
     and ($2::text is null or s.legal_entity = $2)
     and ($3::text is null or s.currency = $3)
   group by 1, 2, 3
   order by 1, 2, 3`;

/** Revenue: the period close that posts the journals, and the waterfall. */
@Injectable()
export class RevenueService {
  constructor(
    private readonly tx: TransactionHost,
    private readonly workflow: PeriodCloseWorkflow,
  ) {}

  /**
   * Starts a close of the period's revenue (created: true), or answers the one running (created:
   * false). A period can be closed from its first day; each close releases what the journals
   * posted by earlier closes have not, so closing again after more invoices were posted releases
   * theirs, and closing again with nothing new posts nothing.
   */
  async close(
    period: string,
    caller: Principal,
  ): Promise<{ close: RevenueCloseResponse; created: boolean }> {
    if (caller.legalEntities !== undefined)
      throw new ApiError(
        403,
        U2rErrorCode.ALL_ENTITIES_REQUIRED,
        'Closing a period posts the revenue journals of every legal entity; a caller limited to some legal entities cannot start it.',
      );
    const by = caller.subject;
    if (period > periodOf(new Date().toISOString().slice(0, 10)))
      throw new ApiError(
        422,
        U2rErrorCode.PERIOD_IN_FUTURE,
        `Period ${period} has not started: there is no revenue to close in it yet.`,
      );
    const running = await this.tx.manager.query<{ id: string }[]>(
      `select id from u2r.billing_runs where period = $1 and status = 'running' order by id limit 1`,
      [period],
    );
    if (running.length > 0)
      throw new ApiError(
        409,
        U2rErrorCode.BILLING_RUN_IN_PROGRESS,
        `Billing run ${running[0].id} is still posting ${period}'s invoices; close the period when it has completed.`,
      );
    const { attempt, created } = await this.tx.run(async () => {
      const m = this.tx.manager;
      const inserted = await m.query<{ attempt: number }[]>(
        `insert into u2r.revenue_closes (period, status, attempt, started_by, started_at)
         values ($1, 'running', 1, $2, now()) on conflict do nothing returning attempt`,
        [period, by],
      );
      if (inserted.length > 0) return { attempt: 1, created: true };
      const again = await m.query<{ attempt: number }[]>(
        `update u2r.revenue_closes
            set status = 'running', attempt = attempt + 1, error = null, completed_at = null,
                started_by = $2, started_at = now()
          where period = $1 and status <> 'running' returning attempt`,
        [period, by],
      );
      if (again.length > 0) return { attempt: again[0].attempt, created: true };
      const [row] = await m.query<{ attempt: number }[]>(
        'select attempt from u2r.revenue_closes where period = $1',
        [period],
      );
      return { attempt: row.attempt, created: false };
    });
    // Started every time: DBOS runs a workflow id once, so this only starts one not yet started.
    await DBOS.startWorkflow(this.workflow, {
      workflowID: `revenue-close:${period}:${attempt}`,
    }).close(period, attempt);
    return { close: await this.getClose(period, caller), created };
  }

  async getClose(period: string, caller: Principal): Promise<RevenueCloseResponse> {
    const close = (
      await this.tx.manager.query<CloseRow[]>(
        `select period, status, attempt, error, started_at, completed_at
           from u2r.revenue_closes where period = $1`,
        [period],
      )
    ).at(0);
    if (!close)
      throw new ApiError(
        404,
        U2rErrorCode.REVENUE_CLOSE_NOT_FOUND,
        `The revenue of ${period} has not been closed: POST /u2r/v1/periods/${period}/close.`,
      );
    const journals = await this.tx.manager.query<JournalRow[]>(
      `select legal_entity, currency, external_id, status, amount::text as amount, lines, erp_number,
              problem, posted_at
         from u2r.revenue_journals where period = $1 order by legal_entity, currency, seq`,
      [period],
    );
    return {
      period: close.period,
      status: close.status,
      attempt: close.attempt,
      journals: journals
        .filter((j) => canSeeEntity(caller, j.legal_entity))
        .map((j) => ({
          legalEntity: j.legal_entity,
          currency: j.currency,
          externalId: j.external_id,
          status: j.status,
          amount: d(j.amount).toFixed(2),
          lines: j.lines,
          ...(j.erp_number ? { erpNumber: j.erp_number } : {}),
          ...(j.problem ? { problem: j.problem } : {}),
          ...(j.posted_at ? { postedAt: j.posted_at.toISOString() } : {}),
        })),
      ...(close.error ? { error: close.error } : {}),
      startedAt: close.started_at.toISOString(),
      ...(close.completed_at ? { completedAt: close.completed_at.toISOString() } : {}),
    };
  }

  /** The period's revenue per entity and currency: opening, billed, recognized, closing, and what is left to recognize by period. */
  async waterfall(
    period: string,
    query: WaterfallQuery,
    caller: Principal,
  ): Promise<RevenueWaterfallResponse> {
    const filters = [period, query.legalEntity ?? null, query.currency ?? null];
    const figures = await this.tx.manager.query<FigureRow[]>(FIGURES, filters);
    const future = await this.tx.manager.query<
      { legal_entity: string; currency: string; period: string; amount: string }[]
    >(
      `select s.legal_entity, s.currency, e.period, sum(e.amount)::text as amount
         from u2r.revenue_schedules s
         join u2r.revenue_schedule_entries e on e.schedule_id = s.id
        where s.posting_period <= $1 and e.period > $1
          and ($2::text is null or s.legal_entity = $2)
          and ($3::text is null or s.currency = $3)
        group by 1, 2, 3 order by 1, 2, 3`,
      filters,
    );
    const rows = new Map<string, RevenueWaterfallRow>();
    const money = (v: Decimal): string => v.toFixed(2);
    for (const f of figures) {
      const key = `${f.legal_entity} ${f.currency}`;
      const row = rows.get(key) ?? {
        legalEntity: f.legal_entity,
        currency: f.currency,
        openingDeferred: '0.00',
        billed: '0.00',
        recognized: '0.00',
        closingDeferred: '0.00',
        billedToDate: '0.00',
        recognizedToDate: '0.00',
        balanced: true,
        schedule: [],
        families: [],
      };
      row.openingDeferred = money(d(row.openingDeferred).plus(f.opening_deferred));
      row.billed = money(d(row.billed).plus(f.billed));
      row.recognized = money(d(row.recognized).plus(f.recognized));
      row.closingDeferred = money(d(row.closingDeferred).plus(f.closing_deferred));
      row.billedToDate = money(d(row.billedToDate).plus(f.billed_to_date));
      row.recognizedToDate = money(d(row.recognizedToDate).plus(f.recognized_to_date));
      row.families.push({
        productFamily: f.product_family,
        billed: money(d(f.billed)),
        recognized: money(d(f.recognized)),
        closingDeferred: money(d(f.closing_deferred)),
      });
      rows.set(key, row);
    }
    for (const row of rows.values())
      row.balanced =
        d(row.billedToDate).equals(d(row.recognizedToDate).plus(row.closingDeferred)) &&
        d(row.openingDeferred).plus(row.billed).equals(d(row.recognized).plus(row.closingDeferred));
    for (const f of future)
      rows
        .get(`${f.legal_entity} ${f.currency}`)
        ?.schedule.push({ period: f.period, amount: money(d(f.amount)) });
    return {
      period,
      rows: [...rows.values()].filter((r) => canSeeEntity(caller, r.legalEntity)),
    };
  }
}
