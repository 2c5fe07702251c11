import { DevIssuerService } from '@revgate/auth';
import { crmApp } from '../../apps/system-crm/src/crm.app';
import type { CrmConfig } from '../../apps/system-crm/src/crm.config';
import { newAccount } from '../support/crm';
import { claims, signRs256 } from '../support/jwt';
import { expectProblem, http, startTestApp, type TestApp } from '../support/test-app';
import { probeApp } from './probe.app';
import type { BaseConfig } from '@revgate/platform';

describe('access rules that fail closed', () => {
  let probe: TestApp<BaseConfig>;
  let crm: TestApp<CrmConfig>;
  beforeAll(async () => {
    [probe, crm] = await Promise.all([startTestApp(probeApp), startTestApp(crmApp)]);
  });
  afterAll(async () => {
    await Promise.all([probe.close(), crm.close()]);
  });

  const signed = (t: TestApp<BaseConfig>, extra: Record<string, unknown>): string => {
    const key = t.app.get(DevIssuerService).key;
    const { scope: _default, ...rest } = claims();
    return signRs256(key.privateKey, { ...rest, ...extra }, key.kid);
  };

  it('closes a route that declares no scope, even to a valid token', async () => {
    const res = await http('GET', `${probe.url}/probe/v1/access/unscoped`, {
      token: probe.token(['crm:read', 'crm:write', 'metrics:read']),
    });
    expectProblem(res, 403, 'AUTH_INSUFFICIENT_SCOPE');
  });

  it('refuses a customer-limited token on routes that do not filter by customer', async () => {
    const portalUser = crm.token(['crm:read', 'crm:write'], { customerId: 'cus_123' });
    const before = await crm.sql('select count(*)::int as n from crm.accounts');
    expectProblem(
      await http('GET', `${crm.url}/crm/v1/accounts`, { token: portalUser }),
      403,
      'AUTH_CUSTOMER_SCOPE_UNSUPPORTED',
    );
    expectProblem(
      await http('POST', `${crm.url}/crm/v1/accounts`, {
        token: portalUser,
        body: newAccount({ legalName: 'Portal Co' }),
      }),
      403,
      'AUTH_CUSTOMER_SCOPE_UNSUPPORTED',
    );
    expect(await crm.sql('select count(*)::int as n from crm.accounts')).toEqual(before);
  });

  it('lets a customer-limited token through where the route honours the claim', async () => {
    const res = await http<{ customerId: string }>('GET', `${probe.url}/probe/v1/access/customer`, {
      token: probe.token(['crm:read'], { customerId: 'cus_123' }),
    });
    expect(res.status).toBe(200);
    expect(res.body.customerId).toBe('cus_123');
  });

  it('reads scopes from scp as well (Okta and Entra ID send it, as an array or a string)', async () => {
    for (const scp of [['crm:read'], 'crm:read']) {
      const res = await http<{ scopes: string[] }>('GET', `${probe.url}/probe/v1/access/customer`, {
        token: signed(probe, { scp }),
      });
      expect(res.status).toBe(200);
      expect(res.body.scopes).toEqual(['crm:read']);
    }
    expectProblem(
      await http('GET', `${probe.url}/probe/v1/access/customer`, {
        token: signed(probe, { scp: ['crm:write'] }),
      }),
      403,
      'AUTH_INSUFFICIENT_SCOPE',
    );
  });

  it('answers 400, not 500, to text the database cannot store, writes nothing, and logs no personal data', async () => {
    const legalName = 'Null\u0000Byte Holdings';
    const res = await http('POST', `${crm.url}/crm/v1/accounts`, {
      token: crm.token(['crm:write']),
      body: newAccount({ legalName }),
    });
    expectProblem(res, 400, 'VALIDATION_FAILED');
    expect(await crm.sql(`select 1 from crm.accounts where legal_name like 'Null%'`)).toHaveLength(
      0,
    );
    expect(JSON.stringify(crm.logs)).not.toContain('Byte Holdings');
  });
});
