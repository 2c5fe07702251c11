import { Injectable } from '@nestjs/common';
import { DBOS } from '@dbos-inc/dbos-sdk';
import { TransactionHost } from '@revgate/persistence';
import { ApiError } from '@revgate/platform';
import { U2rErrorCode } from '../u2r-error-code';
import { BillingRunWorkflow } from './billing-run.workflow';
import type { BillingRunResponse, StartBillingRunRequest } from './dto/billing-run.dto';

interface RunRow {
  id: string;
  period: string;
  entities: string[];
  status: BillingRunResponse['status'];
  total: number | null;
  error: string | null;
  started_at: Date;
  completed_at: Date | null;
}

/** The run's business key: the period and the entities it bills. */
export const runIdOf = (period: string, entities: readonly string[]): string =>
  `billing-run:${period}:${entities.length === 0 ? 'all' : [...entities].sort().join('+')}`;

@Injectable()
export class BillingRunsService {
  constructor(
    private readonly tx: TransactionHost,
    private readonly workflow: BillingRunWorkflow,
  ) {}

  /** Starts the run of a period, or answers the one already started (created: false). */
  async start(
    request: StartBillingRunRequest,
    by: string,
  ): Promise<{ run: BillingRunResponse; created: boolean }> {
    const entities = [...(request.entities ?? [])].sort();
    const id = runIdOf(request.period, entities);
    const inserted = await this.tx.manager.query<unknown[]>(
      `insert into u2r.billing_runs (id, period, entities, status, started_by, started_at)
       values ($1, $2, $3, 'running', $4, now()) on conflict do nothing returning 1`,
      [id, request.period, entities, by],
    );
    // Started every time: DBOS runs a workflow id once, so this only starts one not yet started.
    await DBOS.startWorkflow(this.workflow, { workflowID: id }).run(id, request.period, entities);
    return { run: await this.get(id), created: inserted.length > 0 };
  }

  async get(id: string): Promise<BillingRunResponse> {
    const run = (
      await this.tx.manager.query<RunRow[]>(
        'select id, period, entities, status, total, error, started_at, completed_at from u2r.billing_runs where id = $1',
        [id],
      )
    ).at(0);
    if (!run)
      throw new ApiError(404, U2rErrorCode.BILLING_RUN_NOT_FOUND, `There is no billing run ${id}.`);
    const rows = await this.tx.manager.query<{ status: string; n: number }[]>(
      'select status, count(*)::int as n from u2r.billed_subscriptions where run_id = $1 group by status',
      [id],
    );
    const n = (status: string): number => rows.find((r) => r.status === status)?.n ?? 0;
    const counts = {
      pending: n('pending'),
      invoiced: n('invoiced'),
      posted: n('posted'),
      nothingToInvoice: n('nothing_to_invoice'),
      failed: n('failed'),
    };
    const done = counts.posted + counts.nothingToInvoice + counts.failed;
    const end = run.completed_at ?? new Date();
    const seconds = Math.max(0.001, (end.getTime() - run.started_at.getTime()) / 1000);
    const rate = done / seconds;
    return {
      id: run.id,
      period: run.period,
      entities: run.entities,
      status: run.status,
      ...(run.total === null ? {} : { total: run.total }),
      done,
      counts,
      ratePerSecond: Math.round(rate * 100) / 100,
      ...(run.total !== null && run.status === 'running' && rate > 0
        ? { etaSeconds: Math.round((run.total - done) / rate) }
        : {}),
      ...(run.error ? { error: run.error } : {}),
      startedAt: run.started_at.toISOString(),
      ...(run.completed_at ? { completedAt: run.completed_at.toISOString() } : {}),
    };
  }
}
