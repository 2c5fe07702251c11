import { crmApp } from '../../apps/system-crm/src/crm.app';
import type { CrmConfig } from '../../apps/system-crm/src/crm.config';
import { expectProblem, http, startTestApp, type TestApp } from '../support/test-app';

describe('per-caller rate limit', () => {
  let t: TestApp<CrmConfig>;
  beforeAll(async () => {
    t = await startTestApp(crmApp, { RATE_LIMIT_PER_MINUTE: '5' });
  });
  afterAll(async () => {
    await t.close();
  });

  it('answers 429 RATE_LIMITED with Retry-After once a caller exceeds its budget, and only that caller', async () => {
    const alice = t.token(['crm:read'], { subject: 'alice' });
    const bob = t.token(['crm:read'], { subject: 'bob' });
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++)
      statuses.push((await http('GET', `${t.url}/crm/v1/accounts`, { token: alice })).status);
    expect(statuses).toEqual([200, 200, 200, 200, 200]);

    const limited = await http('GET', `${t.url}/crm/v1/accounts`, { token: alice });
    const problem = expectProblem(limited, 429, 'RATE_LIMITED');
    const retryAfter = Number(limited.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(problem.retryAfterSeconds).toBe(retryAfter);

    expect((await http('GET', `${t.url}/crm/v1/accounts`, { token: bob })).status).toBe(200);
  });

  it('never limits health probes', async () => {
    for (let i = 0; i < 12; i++)
      expect((await http('GET', `${t.url}/health/live`)).status).toBe(200);
  });

  it('limits the token endpoint by client address', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) {
      const res = await http('POST', `${t.url}/auth/token`, {
        body: {
          grant_type: 'client_credentials',
          client_id: 'revgate-dev',
          client_secret: 'wrong-secret-value',
        },
      });
      statuses.push(res.status);
    }
    expect(statuses.slice(0, 5)).toEqual([401, 401, 401, 401, 401]);
    expect(statuses[5]).toBe(429);
  });
});
