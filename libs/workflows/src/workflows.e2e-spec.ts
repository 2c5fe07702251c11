import { Injectable, Module } from '@nestjs/common';
import { ConfiguredInstance, DBOS } from '@dbos-inc/dbos-sdk';
import { AppSpec, BaseConfig } from '@revgate/platform';
import { PersistenceModule } from '@revgate/persistence';
import { startTestApp, TestApp } from '../../../test/support/test-app';
import { WorkflowRuntime, WorkflowsModule } from './workflows.module';

/** Counts what the steps did, to tell a step run twice from a step checkpointed. */
const effects = new Map<string, number>();
const count = (key: string): number => {
  const n = (effects.get(key) ?? 0) + 1;
  effects.set(key, n);
  return n;
};
let running = 0;
let peak = 0;

@Injectable()
class Orders extends ConfiguredInstance {
  constructor() {
    super('orders');
  }

  @DBOS.workflow()
  async fulfil(orderId: string): Promise<string> {
    const reserved = await this.reserve(orderId);
    const invoiced = await DBOS.runStep(() => Promise.resolve(count(`invoice:${orderId}`)), {
      name: 'invoice',
    });
    return `${orderId}:${reserved}:${invoiced}:${DBOS.workflowID ?? ''}`;
  }

  @DBOS.step()
  async reserve(orderId: string): Promise<number> {
    running += 1;
    peak = Math.max(peak, running);
    await new Promise((resolve) => setTimeout(resolve, 40));
    running -= 1;
    return count(`reserve:${orderId}`);
  }
}

@Module({
  imports: [
    PersistenceModule.forApp({ schema: 'wf_test', entities: [], migrations: [] }),
    WorkflowsModule.forApp({
      schema: 'wf_test_dbos',
      queues: [{ name: 'erp', workerConcurrency: 2, pollingIntervalMs: 50 }],
    }),
  ],
  providers: [Orders],
})
class WorkflowTestModule {}

const spec: AppSpec = {
  name: 'workflow-test',
  title: 'workflow test',
  description: 'DBOS wired into Nest',
  basePath: 'wf/v1',
  version: '1',
  config: BaseConfig,
  module: WorkflowTestModule,
  scopes: {},
};

describe('WorkflowsModule (DBOS on the app database)', () => {
  let t: TestApp<BaseConfig>;
  let orders: Orders;
  let runtime: WorkflowRuntime;

  beforeAll(async () => {
    t = await startTestApp(spec);
    orders = t.app.get(Orders);
    runtime = t.app.get(WorkflowRuntime);
  });
  afterAll(async () => {
    await t.close();
  });

  it('runs a workflow once per id: a second start answers the first run, no step runs again', async () => {
    const first = await DBOS.startWorkflow(orders, { workflowID: 'order-1' }).fulfil('o1');
    const second = await DBOS.startWorkflow(orders, { workflowID: 'order-1' }).fulfil('o1');
    expect(await first.getResult()).toBe('o1:1:1:order-1');
    expect(await second.getResult()).toBe('o1:1:1:order-1');
    expect(effects.get('reserve:o1')).toBe(1);
    expect(effects.get('invoice:o1')).toBe(1);
    const steps = await DBOS.listWorkflowSteps('order-1');
    expect(steps?.map((s) => s.name)).toEqual(['reserve', 'invoice']);
  });

  it('keeps its state in the app database, in the schema it was given', async () => {
    const rows = await t.sql<{ workflow_uuid: string; status: string }>(
      "select workflow_uuid, status from wf_test_dbos.workflow_status where workflow_uuid = 'order-1'",
    );
    expect(rows).toEqual([{ workflow_uuid: 'order-1', status: 'SUCCESS' }]);
  });

  it("runs a queue's workflows no more than its worker concurrency at once", async () => {
    peak = 0;
    const handles = [];
    for (let i = 0; i < 8; i++)
      handles.push(
        await DBOS.startWorkflow(orders, {
          workflowID: `queued-${i}`,
          queueName: runtime.queue('erp'),
        }).fulfil(`q${i}`),
      );
    const results = await Promise.all(handles.map((h) => h.getResult()));
    expect(results).toHaveLength(8);
    expect(peak).toBe(2);
    expect(() => runtime.queue('nowhere')).toThrow(/no workflow queue nowhere/);
  });
});
