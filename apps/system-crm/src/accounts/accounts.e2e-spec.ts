import { crmApp } from '../crm.app';
import { CrmConfig } from '../crm.config';
import { expectProblem, http, startTestApp, TestApp } from '../../../../test/support/test-app';

describe('accounts (e2e)', () => {
  let t: TestApp<CrmConfig>;
  beforeAll(async () => {
    t = await startTestApp(crmApp);
  });
  afterAll(async () => {
    await t.close();
  });

  it('creates and reads an account', async () => {
    const token = t.token(['crm:read', 'crm:write']);
    const created = await http<{ id: string; version: number }>('POST', `${t.url}/crm/v1/accounts`, {
      token,
      body: { legalName: 'Acme', billingAddress: { line1: '1 Main', city: 'SF', country: 'US' }, currency: 'USD', legalEntity: 'US01' },
    });
    expect(created.status).toBe(201);
    expect(created.headers.get('etag')).toBe('"v1"');
    const read = await http('GET', `${t.url}/crm/v1/accounts/${created.body.id}`, { token });
    expect(read.status).toBe(200);
    expect(read.body).toMatchObject({ legalName: 'Acme', currency: 'USD', legalEntity: 'US01', version: 1 });
  });

  it('rejects an unknown field and writes nothing', async () => {
    const token = t.token(['crm:write']);
    const res = await http('POST', `${t.url}/crm/v1/accounts`, {
      token,
      body: { legalName: 'X', billingAddress: { line1: '1', city: 'c', country: 'US' }, currency: 'USD', legalEntity: 'US01', admin: true },
    });
    expectProblem(res, 400, 'VALIDATION_FAILED');
    expect(await t.sql(`select 1 from crm.accounts where legal_name = 'X'`)).toHaveLength(0);
  });
});
