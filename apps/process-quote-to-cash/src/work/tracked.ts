import { randomUUID } from 'node:crypto';
import type { EntityTarget } from 'typeorm';
import { TransactionHost } from '@revgate/persistence';
import { ExceptionEntity, type WorkType } from '../exceptions/exception.entity';

export const STEP_STATUSES = ['pending', 'running', 'done', 'failed', 'skipped'] as const;
export type StepStatus = (typeof STEP_STATUSES)[number];

export interface StepState {
  status: StepStatus;
  startedAt?: string;
  finishedAt?: string;
  attempts: number;
  detail?: string;
}

export const WORK_STATUSES = [
  'in_progress',
  'needs_attention',
  'completed',
  'resolved',
  'cancelled',
] as const;
export type WorkStatus = (typeof WORK_STATUSES)[number];

/** Why a piece of work waits: in business terms, with what to fix. */
export interface WorkException {
  /** The exception's id (GET/POST /q2c/v1/exceptions/{id}). */
  id?: string;
  code: string;
  step: string;
  title: string;
  detail: string;
  whatToFix: string;
  /** The system that refused, and its own code. */
  system?: 'crm' | 'billing' | 'tax' | 'erp';
  systemCode?: string;
  /** An outage: the work tries again by itself at `retryAt`; otherwise it waits for an operator. */
  transient: boolean;
  at: string;
  retryAt?: string;
  /** The accounting period it concerns (a closed ERP period), when there is one. */
  period?: string;
}

/** A record a workflow moves step by step: an order, an amendment. */
export interface TrackedRecord {
  id: string;
  status: WorkStatus;
  currentStep: string | null;
  steps: Record<string, StepState>;
  refs: object;
  exception: WorkException | null;
  /** The last exception it waited on, kept once it went on (the trace's "last error"). */
  lastError: WorkException | null;
  attempts: number;
  completedAt: Date | null;
  version: number;
  updatedAt: Date;
}

/** Text columns of a record a step may set when it is done (who an order is for, say). */
export type RecordFields<E> = { [K in keyof E]?: Extract<E[K], string | null> };

export function initialSteps(names: readonly string[]): Record<string, StepState> {
  return Object.fromEntries(names.map((s) => [s, { status: 'pending', attempts: 0 }]));
}

/**
 * A record's trace, as its workflow moves it: every step with its timestamps and attempts, the ids
 * made in each system, why it waits. The workflow calls it from DBOS steps, so each change is made
 * once; every change is a locked read-modify-write of one row.
 */
/** Where a record's exceptions belong: its kind, its order, deal, customer and legal entity. */
export interface ExceptionContext<E> {
  workType: WorkType;
  of(record: E): {
    orderId: string;
    opportunityId: string;
    accountId: string | null;
    legalEntity: string | null;
    correlationId: string;
  };
}

export class Tracker<E extends TrackedRecord> {
  constructor(
    protected readonly tx: TransactionHost,
    private readonly target: EntityTarget<E>,
    private readonly context: ExceptionContext<E>,
  ) {}

  private get table(): string {
    return this.tx.dataSource.getMetadata(this.target).tablePath;
  }

  /** The column of one of the record's properties, quoted for a statement. */
  private column(property: string): string {
    const column = this.tx.dataSource.getMetadata(this.target).findColumnWithPropertyName(property);
    if (!column) throw new Error(`${this.table} has no column for ${property}`);
    return `"${column.databaseName}"`;
  }

  /** The step starts (again): one statement, no transaction (it runs once per step attempt). */
  async running(id: string, step: string, at: Date): Promise<void> {
    await this.tx.manager.query(
      `update ${this.table} set
         steps = jsonb_set(steps, array[$2::text],
           coalesce(steps -> $2, '{}'::jsonb) || jsonb_build_object(
             'status', 'running',
             'attempts', coalesce((steps -> $2 ->> 'attempts')::int, 0) + 1,
             'startedAt', coalesce(steps -> $2 ->> 'startedAt', $3::text))),
         current_step = $2, attempts = attempts + 1, version = version + 1, updated_at = $4
       where id = $1`,
      [id, step, at.toISOString(), at],
    );
  }

  /**
   * The step is done (or skipped) with what it made and a word on it; work that waited goes on.
   * `fields` sets columns of the record the step learned (who an order is for); `completes` says
   * the work is completed with it (its last step). One statement, no transaction; run again (a
   * step replayed after a crash), it leaves the same trace.
   */
  async done(
    id: string,
    step: string,
    at: Date,
    {
      refs = {},
      detail,
      status = 'done',
      fields = {},
      completes = false,
    }: {
      refs?: object;
      detail?: string | undefined;
      status?: StepStatus;
      fields?: RecordFields<E> | undefined;
      completes?: boolean | undefined;
    } = {},
  ): Promise<void> {
    const params: unknown[] = [
      id,
      step,
      status,
      at.toISOString(),
      detail ?? null,
      JSON.stringify(refs),
      at,
    ];
    const sets = Object.entries(fields).map(([property, value]) => {
      params.push(value);
      return `${this.column(property)} = $${params.length}, `;
    });
    const work = completes
      ? `status = 'completed', completed_at = $7, current_step = null, exception = null,`
      : `exception = case when status = 'needs_attention' then null else exception end,
         status = case when status = 'needs_attention' then 'in_progress' else status end,`;
    await this.tx.manager.query(
      `update ${this.table} set
         steps = jsonb_set(steps, array[$2::text],
           coalesce(steps -> $2, '{"attempts": 0}'::jsonb) || jsonb_build_object(
             'status', $3::text, 'finishedAt', $4::text)
           || case when $5::text is null then '{}'::jsonb else jsonb_build_object('detail', $5::text) end),
         refs = refs || $6::jsonb,
         ${work}
         ${sets.join('')}version = version + 1, updated_at = $7
       where id = $1`,
      params,
    );
  }

  /** The work waits: the record says why, and an exception is raised (one row a time it waits). */
  parked(id: string, exception: WorkException): Promise<E> {
    const exceptionId = randomUUID();
    return this.change(id, async (r) => {
      const raised = { ...exception, id: exceptionId };
      r.status = 'needs_attention';
      r.exception = raised;
      r.lastError = raised;
      r.steps[exception.step] = {
        ...(r.steps[exception.step] ?? { attempts: 0 }),
        status: 'failed',
        detail: exception.detail,
      };
      const where = this.context.of(r);
      const now = new Date();
      await this.tx.manager.insert(ExceptionEntity, {
        id: exceptionId,
        workType: this.context.workType,
        workId: r.id,
        ...where,
        period: exception.period ?? null,
        step: exception.step,
        code: exception.code,
        title: exception.title.slice(0, 300),
        detail: exception.detail.slice(0, 2000),
        whatToFix: exception.whatToFix.slice(0, 1000),
        system: exception.system ?? null,
        systemCode: exception.systemCode ?? null,
        transient: exception.transient,
        status: 'open',
        raisedAt: new Date(exception.at),
        retryAt: exception.retryAt ? new Date(exception.retryAt) : null,
        closedAt: null,
        closedBy: null,
        closeReason: null,
        version: 1,
        updatedAt: now,
      });
    });
  }

  /** The work goes on: an exception no operator closed was cleared by the work itself. */
  resumed(id: string): Promise<E> {
    return this.change(id, async (r) => {
      if (r.status === 'needs_attention') r.status = 'in_progress';
      r.exception = null;
      await this.closeOpen(r.id, 'cleared');
    });
  }

  /** The work ended without completing: resolved by an operator, or cancelled. */
  finished(id: string, status: 'resolved' | 'cancelled', at: Date): Promise<E> {
    return this.change(id, async (r) => {
      r.status = status;
      r.completedAt = at;
      await this.closeOpen(r.id, status);
    });
  }

  private async closeOpen(workId: string, status: 'cleared' | 'resolved' | 'cancelled') {
    const now = new Date();
    await this.tx.manager
      .createQueryBuilder()
      .update(ExceptionEntity)
      .set({ status, closedAt: now, updatedAt: now, version: () => 'version + 1' })
      .where('work_id = :workId and status = :open', { workId, open: 'open' })
      .execute();
  }

  load(id: string): Promise<E> {
    return this.tx.manager
      .getRepository(this.target)
      .createQueryBuilder('r')
      .where('r.id = :id', { id })
      .getOneOrFail();
  }

  protected change(id: string, apply: (record: E) => void | Promise<void>): Promise<E> {
    return this.tx.run(async () => {
      const repository = this.tx.manager.getRepository(this.target);
      const record = await repository
        .createQueryBuilder('r')
        .where('r.id = :id', { id })
        .setLock('pessimistic_write')
        .getOneOrFail();
      await apply(record);
      record.version += 1;
      record.updatedAt = new Date();
      await repository.save(record);
      return record;
    });
  }
}
