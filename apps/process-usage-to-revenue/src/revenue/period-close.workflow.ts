import { Injectable } from '@nestjs/common';
import { ConfiguredInstance, DBOS } from '@dbos-inc/dbos-sdk';
import { databaseStep, WorkflowRuntime } from '@revgate/workflows';
import { PeriodCloseSteps } from './period-close.steps';

/** Transient failures (the ERP down, its budget exhausted) are retried by the step itself. */
const RETRIED = { retriesAllowed: true, maxAttempts: 30, intervalSeconds: 1, backoffRate: 1.5 };

/**
 * A period's revenue close as a durable workflow (DBOS), its id revenue-close:<period>:<attempt>:
 * started twice it runs once, and a process killed mid-close resumes at its step. Each journal is
 * posted by its own workflow on the `erp` queue, under the ERP's budget.
 */
@Injectable()
export class PeriodCloseWorkflow extends ConfiguredInstance {
  constructor(
    private readonly steps: PeriodCloseSteps,
    private readonly runtime: WorkflowRuntime,
  ) {
    super('revenue-close');
  }

  @DBOS.workflow()
  async close(period: string, attempt: number): Promise<void> {
    try {
      await DBOS.runStep(() => this.steps.syncErpPostings(period), {
        name: 'sync-erp-postings',
        ...RETRIED,
      });
      const journals = await DBOS.runStep(() => this.steps.plan(period), databaseStep('plan'));
      const postings: string[] = [];
      for (const [entity, currency, seq] of journals) {
        const workflowID = `revenue-close:${period}:${attempt}:post:${entity}:${currency}:${seq}`;
        await DBOS.startWorkflow(this, { workflowID, queueName: this.runtime.queue('erp') }).post(
          period,
          entity,
          currency,
          seq,
        );
        postings.push(workflowID);
      }
      for (const id of postings) await DBOS.retrieveWorkflow(id).getResult();
      await DBOS.runStep(() => this.steps.complete(period), databaseStep('complete'));
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      await DBOS.runStep(() => this.steps.fail(period, message), databaseStep('fail'));
      throw e;
    }
  }

  @DBOS.workflow()
  async post(period: string, entity: string, currency: string, seq: number): Promise<void> {
    await DBOS.runStep(() => this.steps.post(period, entity, currency, seq), {
      name: 'post-journal',
      ...RETRIED,
    });
  }
}
