import { Injectable } from '@nestjs/common';
import { ConfiguredInstance, DBOS } from '@dbos-inc/dbos-sdk';
import { databaseStep, WorkflowRuntime } from '@revgate/workflows';
import { BillingRunSteps } from './billing-run.steps';

/** Transient failures (an upstream down, a budget exhausted) are retried by the step itself. */
const RETRIED = { retriesAllowed: true, maxAttempts: 30, intervalSeconds: 1, backoffRate: 1.5 };

/**
 * The billing run as a durable workflow (DBOS): its id is the run's business key, so starting it
 * twice runs it once, and a process killed mid-run resumes at the step it was in. The postings go
 * through the `erp` queue, whose concurrency is the ERP's budget: at most that many posting
 * workflows, each posting one invoice at a time.
 */
@Injectable()
export class BillingRunWorkflow extends ConfiguredInstance {
  constructor(
    private readonly steps: BillingRunSteps,
    private readonly runtime: WorkflowRuntime,
  ) {
    super('billing-runs');
  }

  @DBOS.workflow()
  async run(runId: string, period: string, entities: string[]): Promise<void> {
    try {
      await DBOS.runStep(() => this.steps.closePeriod(runId, period), databaseStep('close-period'));
      await DBOS.runStep(() => this.steps.sync(), { name: 'sync-billing', ...RETRIED });
      await DBOS.runStep(() => this.steps.rate(period), databaseStep('rate'));
      const chunks = await DBOS.runStep(
        () => this.steps.plan(runId, period, entities),
        databaseStep('plan'),
      );
      const postings: string[] = [];
      for (let chunk = 0; chunk < chunks; chunk++) {
        const groups = await DBOS.runStep(() => this.steps.invoiceChunk(runId, period, chunk), {
          name: `invoice-chunk-${chunk}`,
          ...RETRIED,
        });
        for (const [i, subscriptions] of groups.entries()) {
          const workflowID = `${runId}:post:${chunk}:${i}`;
          await DBOS.startWorkflow(this, { workflowID, queueName: this.runtime.queue('erp') }).post(
            period,
            subscriptions,
          );
          postings.push(workflowID);
        }
      }
      for (const id of postings) await DBOS.retrieveWorkflow(id).getResult();
      await DBOS.runStep(() => this.steps.complete(runId), databaseStep('complete'));
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      await DBOS.runStep(() => this.steps.failRun(runId, message), databaseStep('fail'));
      throw e;
    }
  }

  /** Posts invoices to the ERP one after the other (one call in flight per queued workflow). */
  @DBOS.workflow()
  async post(period: string, subscriptions: string[]): Promise<void> {
    for (const subscription of subscriptions)
      await DBOS.runStep(() => this.steps.postInvoice(period, subscription), {
        name: `post-${subscription}`,
        ...RETRIED,
      });
  }
}
