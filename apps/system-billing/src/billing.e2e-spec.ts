import { billingApp } from './billing.app';
import { BillingConfig } from './billing.config';
import { http, startTestApp, TestApp } from '../../../test/support/test-app';
import { Billing, BILLING_TABLES, expectStatus } from '../test/billing-fixtures';

describe('system-billing (e2e)', () => {
  let t: TestApp<BillingConfig>;
  let billing: Billing;

  beforeAll(async () => {
    t = await startTestApp(billingApp);
    billing = new Billing(t, http);
  });
  afterAll(async () => {
    await t.close();
  });

  it('starts on its own schema, migrated, and is ready', async () => {
    expectStatus(await http('GET', `${t.url}/health/ready`), 200);
    const tables = await t.sql<{ table_name: string }>(
      "select table_name from information_schema.tables where table_schema = 'billing' and table_name <> 'migrations' order by table_name",
    );
    expect(tables.map((r) => r.table_name)).toEqual([...BILLING_TABLES].sort());
    expect(Object.values(await billing.counts()).every((n) => n === 0)).toBe(true);
  });

  it('serves its spec under /billing/v1 with the billing scopes', async () => {
    const res = await http<{
      info: { title: string };
      components: {
        securitySchemes: Record<
          string,
          { flows?: Record<string, { scopes: Record<string, string> }> }
        >;
      };
    }>('GET', `${t.url}/billing/v1/docs-json`);
    expectStatus(res, 200);
    expect(res.body.info.title).toBe('Revgate billing system API');
    const scopes = Object.values(res.body.components.securitySchemes).flatMap((s) =>
      Object.values(s.flows ?? {}).flatMap((f) => Object.keys(f.scopes)),
    );
    expect(scopes).toEqual(expect.arrayContaining(['billing:read', 'billing:write']));
  });

  it('issues tokens with the billing scopes from its development issuer', async () => {
    const res = await http<{ scope: string }>('POST', `${t.url}/auth/token`, {
      body: {
        grant_type: 'client_credentials',
        client_id: 'revgate-dev',
        client_secret: 'revgate-dev-secret',
        scope: 'billing:read billing:write',
      },
    });
    expectStatus(res, 200);
    expect(res.body.scope).toBe('billing:read billing:write');
  });
});
