import { Logger } from '@nestjs/common';
import { ConfiguredInstance, DBOS } from '@dbos-inc/dbos-sdk';
import { databaseStep } from '@revgate/workflows';
import { runWithCorrelationId } from '@revgate/platform';
import type { Q2cConfig } from '../q2c.config';
import { Q2cErrorCode } from '../q2c-error-code';
import {
  isOutage,
  isRefusal,
  OrderBlocked,
  refusalException,
  type ExceptionInfo,
} from '../orders/order-exception';
import type { RecordFields, TrackedRecord, Tracker } from './tracked';

/** A step's result as the workflow records it: a value, or why the work cannot go on. */
export type Outcome<T> =
  { ok: true; value: T } | { ok: false; outage: boolean; exception: ExceptionInfo };

/** What a step that succeeded adds to the trace: the ids it made, a word on it, what it learned. */
export interface StepDescription<E> {
  refs?: object;
  detail?: string;
  /** Columns of the record it learned (who an order is for), set with the step done. */
  fields?: RecordFields<E>;
  /** The work's last step: the record is completed with it, in the same statement. */
  completes?: boolean;
}

/** What an operator sends parked work (POST …/retry, …/resolve). */
export interface OperatorMessage {
  /** cancel: undo what the work made, in reverse order (orders), then end. */
  action: 'retry' | 'resolve' | 'cancel';
  by: string;
  reason?: string;
}

export const OPERATOR_TOPIC = 'operator';

/** The work a workflow runs: its record, the deal it belongs to, the trace it continues. */
export interface WorkRun {
  id: string;
  opportunityId: string;
  correlationId: string;
}

/** Ends a workflow when an operator resolves its work instead of retrying it. */
export class WorkResolved extends Error {}

/** Leaves a workflow's steps when an operator cancels its work: it compensates, then ends. */
export class WorkCancelled extends Error {
  constructor(readonly message_: OperatorMessage) {
    super('cancelled by an operator');
  }
}

/**
 * What every quote-to-cash workflow shares (DESIGN §2, §6): each call to a system API is a
 * checkpointed DBOS step, so a crash resumes at the step it was in and nothing done is done again.
 * A step the data blocks (a missing tax registration, an unmapped product, a closed ERP period)
 * parks the work with the reason in business terms and waits for an operator's retry, which runs
 * that step again — the ones before it stay done. A system that does not answer is retried with
 * backoff (STEP_RETRY_*), then parked as an outage that retries itself every OUTAGE_RETRY_SECONDS.
 * While parked, the CRM's billing status says why (best effort).
 */
export abstract class TrackedWorkflow<E extends TrackedRecord> extends ConfiguredInstance {
  protected readonly logger = new Logger(this.constructor.name);

  protected constructor(
    name: string,
    protected readonly tracker: Tracker<E>,
    protected readonly config: Q2cConfig,
    private readonly titles: Record<string, string>,
  ) {
    super(name);
  }

  /** Tells the CRM how the deal's billing stands (best effort: never stops the work). */
  protected abstract writeBack(
    opportunityId: string,
    status: 'pending' | 'failed',
    detail?: string,
  ): Promise<void>;

  /**
   * Runs a step until it succeeds: each attempt (io) tracks it running, then done with what it
   * made; parked when it cannot go on, and run again when an operator retries it (or, for an
   * outage, by itself).
   */
  protected async perform<T>(
    run: WorkRun,
    step: string,
    attempt: () => Promise<Outcome<T>>,
    /** While compensating, a cancel is taken as a retry (the undoing must finish). */
    compensating = false,
  ): Promise<T> {
    for (;;) {
      const outcome = await attempt();
      if (outcome.ok) return outcome.value;
      await this.park(run, step, outcome, compensating);
    }
  }

  /**
   * One attempt of a step, one checkpointed DBOS step, retried with backoff while the system does
   * not answer: the trace says the step runs, the call is made, and when it succeeds the trace says
   * it is done, with the refs and detail `describe` draws from its result (and the record's
   * `fields` it learned). A crash before DBOS records the result runs all of it again: the calls
   * are keyed, so a repeat finds what the first made, and the trace ends done again (an attempt
   * more). A failed trace update throws, so DBOS retries the attempt like a call that failed.
   */
  protected async io<T>(
    run: WorkRun,
    step: string,
    call: () => Promise<T>,
    describe?: (value: T) => StepDescription<E>,
  ): Promise<Outcome<T>> {
    const title = this.titles[step] ?? step;
    try {
      return await DBOS.runStep(
        () =>
          runWithCorrelationId(run.correlationId, async (): Promise<Outcome<T>> => {
            await this.tracker.running(run.id, step, new Date());
            let value: T;
            try {
              value = await call();
            } catch (e) {
              if (e instanceof OrderBlocked) return { ok: false, outage: false, exception: e.info };
              if (isRefusal(e))
                return {
                  ok: false,
                  outage: false,
                  exception: refusalException(e, title.toLowerCase()),
                };
              if (isOutage(e)) throw e;
              this.logger.error({ err: e, id: run.id, step }, 'unexpected error in a step');
              return {
                ok: false,
                outage: false,
                exception: {
                  code: Q2cErrorCode.SYSTEM_REFUSED,
                  title: 'An unexpected error stopped the work',
                  detail: `${title} failed unexpectedly: ${e instanceof Error ? e.message : String(e)}`,
                  whatToFix:
                    'Look at the quote-to-cash logs for this correlation id and the systems it calls; retry once the cause is fixed.',
                },
              };
            }
            await this.tracker.done(run.id, step, new Date(), describe?.(value));
            return { ok: true, value };
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
          title: 'A system this work needs does not answer',
          detail: `${title}: ${why}`,
          whatToFix: `Nothing to fix in the data: it tries again by itself every ${this.config.OUTAGE_RETRY_SECONDS} s (or retry it once the system is back).`,
        },
      };
    }
  }

  /** Records why the work waits, tells the CRM, and waits for a retry or a resolve. */
  private async park(
    run: WorkRun,
    step: string,
    failure: { outage: boolean; exception: ExceptionInfo & { period?: string } },
    compensating: boolean,
  ): Promise<void> {
    await DBOS.runStep(
      () => {
        const at = new Date();
        return this.tracker.parked(run.id, {
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
      databaseStep(`${step}.parked`),
    );
    await this.bestEffort(run, 'crm.failed', () =>
      this.writeBack(
        run.opportunityId,
        'failed',
        `${failure.exception.title}. ${failure.exception.whatToFix}`,
      ),
    );
    for (;;) {
      const message = await DBOS.recv<OperatorMessage>(
        OPERATOR_TOPIC,
        failure.outage ? this.config.OUTAGE_RETRY_SECONDS : 86_400,
      );
      if (message === null && !failure.outage) continue;
      if (message?.action === 'resolve') {
        await DBOS.runStep(
          () => this.tracker.finished(run.id, 'resolved', new Date()),
          databaseStep('resolved'),
        );
        throw new WorkResolved();
      }
      if (message?.action === 'cancel' && !compensating) throw new WorkCancelled(message);
      break;
    }
    await DBOS.runStep(() => this.tracker.resumed(run.id), databaseStep(`${step}.resumed`));
    await this.bestEffort(run, 'crm.pending', () => this.writeBack(run.opportunityId, 'pending'));
  }

  /** A call whose failure must not stop the work (the CRM's status line, say): a step of its own. */
  protected async bestEffort(run: WorkRun, name: string, call: () => Promise<void>): Promise<void> {
    await DBOS.runStep(
      () => runWithCorrelationId(run.correlationId, () => this.quietly(run, name, call)),
      { name },
    );
  }

  /** A call whose failure must not stop the work, made within a step (its errors logged). */
  protected async quietly(run: WorkRun, name: string, call: () => Promise<void>): Promise<void> {
    try {
      await call();
    } catch (e) {
      this.logger.warn({ err: e, id: run.id }, `${name}: not done (best effort)`);
    }
  }
}
