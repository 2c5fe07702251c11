import { crmApp } from '../../apps/system-crm/src/crm.app';
import type { CrmConfig } from '../../apps/system-crm/src/crm.config';
import { newAccount } from '../support/crm';
import {
  claims,
  generateRsaKey,
  hs256Token,
  JwksServer,
  RsaKey,
  signRs256,
  startJwksServer,
  unsignedToken,
} from '../support/jwt';
import { expectProblem, http, startTestApp, TestApp } from '../support/test-app';

const ISSUER = 'https://idp.test';

describe('tokens of an external identity provider (AUTH_MODE=jwks, e2e)', () => {
  let idp: JwksServer;
  let idpKey: RsaKey;
  let t: TestApp<CrmConfig>;
  let accounts: string;

  beforeAll(async () => {
    idpKey = generateRsaKey('idp-key-1');
    idp = await startJwksServer([idpKey]);
    t = await startTestApp(crmApp, {
      AUTH_MODE: 'jwks',
      AUTH_JWKS_URL: idp.url,
      AUTH_ISSUER: ISSUER,
      AUTH_AUDIENCE: 'revgate',
    });
    accounts = `${t.url}/crm/v1/accounts`;
  });
  afterAll(async () => {
    await t.close();
    await idp.close();
  });

  const idpClaims = (overrides: Parameters<typeof claims>[0] = {}): ReturnType<typeof claims> =>
    claims({ iss: ISSUER, sub: 'idp-user-1', scope: 'crm:read crm:write', ...overrides });

  it('accepts a token signed with the key the JWKS publishes, after fetching the JWKS', async () => {
    const token = signRs256(idpKey.privateKey, idpClaims(), idpKey.kid);
    const res = await http('GET', accounts, { token });
    expect(res.status).toBe(200);
    expect(idp.requests()).toBeGreaterThan(0);
    const created = await http('POST', accounts, {
      token,
      body: newAccount({ legalName: 'IdP Customer' }),
    });
    expect(created.status).toBe(201);
  });

  it('refuses a token whose kid the JWKS does not have', async () => {
    const other = generateRsaKey('unknown-kid');
    expectProblem(
      await http('GET', accounts, { token: signRs256(other.privateKey, idpClaims(), other.kid) }),
      401,
      'AUTH_TOKEN_INVALID',
    );
  });

  it("refuses a token that names the IdP's kid but is signed with another key", async () => {
    const forger = generateRsaKey(idpKey.kid);
    expectProblem(
      await http('GET', accounts, { token: signRs256(forger.privateKey, idpClaims(), idpKey.kid) }),
      401,
      'AUTH_TOKEN_INVALID',
    );
  });

  it('refuses a token of the IdP for another audience or from another issuer', async () => {
    const wrongAudience = signRs256(
      idpKey.privateKey,
      idpClaims({ aud: 'another-api' }),
      idpKey.kid,
    );
    expect(
      expectProblem(
        await http('GET', accounts, { token: wrongAudience }),
        401,
        'AUTH_TOKEN_INVALID',
      ).detail,
    ).toMatch(/audience/);
    const wrongIssuer = signRs256(
      idpKey.privateKey,
      idpClaims({ iss: 'revgate-dev-issuer' }),
      idpKey.kid,
    );
    expect(
      expectProblem(await http('GET', accounts, { token: wrongIssuer }), 401, 'AUTH_TOKEN_INVALID')
        .detail,
    ).toMatch(/issuer/);
  });

  it('refuses unsigned and HS256 tokens', async () => {
    const pem = idpKey.publicKey.export({ format: 'pem', type: 'spki' }).toString();
    for (const token of [unsignedToken(idpClaims()), hs256Token(pem, idpClaims(), idpKey.kid)]) {
      expectProblem(await http('GET', accounts, { token }), 401, 'AUTH_TOKEN_INVALID');
    }
  });

  it('still checks scopes', async () => {
    const token = signRs256(idpKey.privateKey, idpClaims({ scope: 'crm:read' }), idpKey.kid);
    expectProblem(
      await http('POST', accounts, { token, body: newAccount() }),
      403,
      'AUTH_INSUFFICIENT_SCOPE',
    );
  });

  it('turns the development issuer off', async () => {
    const res = await http('POST', `${t.url}/auth/token`, {
      form: {
        grant_type: 'client_credentials',
        client_id: 'revgate-dev',
        client_secret: 'revgate-dev-secret',
      },
    });
    expectProblem(res, 404, 'AUTH_DEV_ISSUER_DISABLED');
    expectProblem(await http('GET', `${t.url}/auth/jwks.json`), 404, 'AUTH_DEV_ISSUER_DISABLED');
  });
});
