import { Injectable } from '@nestjs/common';
import { isAccountingPeriod } from '@revgate/canonical';
import { TransactionHost } from '@revgate/persistence';
import { validationProblem } from '@revgate/platform';
import type { UsagePeriodResponse, UsageSummaryResponse } from './dto/usage-period.dto';
import { lockPeriodExclusive } from './usage-period.locks';

interface PeriodRow {
  period: string;
  status: 'open' | 'closed';
  closed_at: Date | null;
  closed_by: string | null;
}

export function assertPeriod(period: string, pointer = 'period'): string {
  if (!isAccountingPeriod(period))
    throw validationProblem([{ pointer, detail: 'period must be written YYYY-MM, e.g. 2026-01' }]);
  return period;
}

const toResponse = (row: PeriodRow | undefined, period: string): UsagePeriodResponse =>
  row?.status === 'closed'
    ? {
        period,
        status: 'closed',
        ...(row.closed_at ? { closedAt: row.closed_at.toISOString() } : {}),
        ...(row.closed_by ? { closedBy: row.closed_by } : {}),
      }
    : { period, status: 'open' };

/** Usage periods: open until closed (by an operator or when a billing run starts rating them). */
@Injectable()
export class UsagePeriodsService {
  constructor(private readonly tx: TransactionHost) {}

  async get(period: string): Promise<UsagePeriodResponse> {
    const rows = await this.tx.manager.query<PeriodRow[]>(
      'select period, status, closed_at, closed_by from u2r.usage_periods where period = $1',
      [period],
    );
    return toResponse(rows.at(0), period);
  }

  /**
   * Closes a period to usage. It waits for the ingestions writing into it to commit (they hold its
   * lock shared), so once it returns every event of the period is in the ledger, and every later
   * one follows its meter's late-usage policy. Closing a closed period changes nothing.
   */
  async close(period: string, by: string): Promise<UsagePeriodResponse> {
    await this.tx.run(async () => {
      await lockPeriodExclusive(this.tx.manager, period);
      await this.tx.manager.query(
        `insert into u2r.usage_periods (period, status, closed_at, closed_by)
         values ($1, 'closed', now(), $2)
         on conflict (period) do update set status = 'closed', closed_at = now(), closed_by = $2
         where u2r.usage_periods.status <> 'closed'`,
        [period, by],
      );
    });
    return this.get(period);
  }

  /**
   * Usage to date in a period, per meter: the events that count (not held, not cancelled by a
   * cancellation that counts) and their quantity, and how many are held.
   */
  async summary(period: string, subscriptionId?: string): Promise<UsageSummaryResponse> {
    const rows = await this.tx.manager.query<
      { meter_code: string; events: string; quantity: string; held: string }[]
    >(
      `select e.meter_code,
              count(*) filter (where e.disposition <> 'held' and c.id is null) as events,
              coalesce(trim_scale(sum(e.quantity) filter (where e.disposition <> 'held' and c.id is null)), 0)::text as quantity,
              count(*) filter (where e.disposition = 'held') as held
         from u2r.usage_events e
         left join u2r.usage_events c
           on c.cancels_event_id = e.id and c.kind = 'cancellation' and c.disposition <> 'held'
        where e.period = $1 and e.kind = 'usage' and ($2::varchar is null or e.subscription_ref = $2)
        group by e.meter_code
        order by e.meter_code`,
      [period, subscriptionId ?? null],
    );
    return {
      period,
      ...(subscriptionId ? { subscriptionId } : {}),
      meters: rows.map((r) => ({
        meterCode: r.meter_code,
        events: Number(r.events),
        quantity: r.quantity,
        held: Number(r.held),
      })),
    };
  }
}
