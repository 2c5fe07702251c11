import { DataSource } from 'typeorm';
import { crmApp } from '../../apps/system-crm/src/crm.app';
import type { CrmConfig } from '../../apps/system-crm/src/crm.config';
import { expectProblem, http, startTestApp, type TestApp } from '../support/test-app';

describe('readiness when the database is gone', () => {
  let t: TestApp<CrmConfig>;
  beforeAll(async () => {
    t = await startTestApp(crmApp);
  });
  afterAll(async () => {
    await t.close();
  });

  it('answers 503 SERVICE_UNAVAILABLE naming the database, while liveness stays 200', async () => {
    expect((await http('GET', `${t.url}/health/ready`)).status).toBe(200);
    await t.app.get(DataSource).destroy();
    const ready = await http('GET', `${t.url}/health/ready`);
    const problem = expectProblem(ready, 503, 'SERVICE_UNAVAILABLE');
    expect(problem.detail).toBe('Not ready: database did not answer.');
    expect(problem.checks).toMatchObject({ database: { status: 'down' } });
    expect((await http('GET', `${t.url}/health/live`)).status).toBe(200);
  });
});
