import { Injectable } from '@nestjs/common';
import { isAccountingPeriod } from '@revgate/canonical';
import { TransactionHost } from '@revgate/persistence';
import { validationProblem } from '@revgate/platform';
import type { UsagePeriodResponse } from './dto/usage-period.dto';
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
}
