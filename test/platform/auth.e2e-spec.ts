import { ALL_SCOPES, DevIssuerService } from '@revgate/auth';
import { crmApp } from '../../apps/system-crm/src/crm.app';
import type { CrmConfig } from '../../apps/system-crm/src/crm.config';
import { AccountBody, newAccount, PageBody } from '../support/crm';
import {
  claims,
  generateRsaKey,
  hs256Token,
  nowSeconds,
  signRs256,
  unsignedToken,
} from '../support/jwt';
import { expectProblem, http, JsonResponse, startTestApp, TestApp } from '../support/test-app';

describe('authentication and authorization (e2e)', () => {
  let t: TestApp<CrmConfig>;
  let accounts: string;
  let issuer: DevIssuerService;

  beforeAll(async () => {
    t = await startTestApp(crmApp);
    accounts = `${t.url}/crm/v1/accounts`;
    issuer = t.app.get(DevIssuerService);
  });
  afterAll(async () => {
    await t.close();
  });

  /** A token signed with the app's own key, with whatever claims the test needs. */
  const appSigned = (overrides: Parameters<typeof claims>[0] = {}): string =>
    signRs256(issuer.key.privateKey, claims(overrides), issuer.key.kid);

  const listWith = (token: string | undefined): Promise<JsonResponse> =>
    http('GET', accounts, { token });

  describe('bearer tokens', () => {
    it("accepts a token of the app's issuer", async () => {
      expect((await listWith(t.token(['crm:read']))).status).toBe(200);
      expect((await listWith(appSigned())).status).toBe(200);
    });

    it('answers 401 AUTH_TOKEN_MISSING, with a Bearer challenge, without a token', async () => {
      const res = await listWith(undefined);
      expectProblem(res, 401, 'AUTH_TOKEN_MISSING');
      expect(res.headers.get('www-authenticate')).toMatch(/^Bearer /);
    });

    it('answers 401 AUTH_TOKEN_MISSING to another authorization scheme', async () => {
      const res = await http('GET', accounts, {
        headers: { authorization: 'Basic cmV2Z2F0ZS1kZXY6cmV2Z2F0ZS1kZXYtc2VjcmV0' },
      });
      expectProblem(res, 401, 'AUTH_TOKEN_MISSING');
    });

    it('answers 401 AUTH_TOKEN_EXPIRED to an expired token', async () => {
      const res = await listWith(appSigned({ iat: nowSeconds() - 600, exp: nowSeconds() - 60 }));
      expectProblem(res, 401, 'AUTH_TOKEN_EXPIRED');
      expect(res.headers.get('www-authenticate')).toMatch(/error="invalid_token"/);
    });

    it('answers 401 AUTH_TOKEN_INVALID to a token signed by another key, and does not echo it', async () => {
      const stranger = generateRsaKey(issuer.key.kid);
      const token = signRs256(stranger.privateKey, claims(), stranger.kid);
      const res = await listWith(token);
      const problem = expectProblem(res, 401, 'AUTH_TOKEN_INVALID');
      expect(problem.detail).toMatch(/signature/);
      expect(JSON.stringify(problem)).not.toContain(token.split('.')[2]);
    });

    it('remembers a verified token only until it expires, and only by its exact text', async () => {
      // exp at most a second away: accepted, and accepted again from the verified-token cache.
      const exp = nowSeconds() + 1;
      const body = claims({ exp });
      const token = appSigned(body);
      expect((await listWith(token)).status).toBe(200);
      expect((await listWith(token)).status).toBe(200);
      // The same header and claims under another key's signature: not the remembered token.
      const stranger = generateRsaKey(issuer.key.kid);
      expectProblem(
        await listWith(signRs256(stranger.privateKey, body, stranger.kid)),
        401,
        'AUTH_TOKEN_INVALID',
      );
      // Past exp and the verifier's 5 s clock tolerance, the cache does not keep it alive.
      await new Promise((r) => setTimeout(r, (exp + 5) * 1000 + 300 - Date.now()));
      expectProblem(await listWith(token), 401, 'AUTH_TOKEN_EXPIRED');
    });

    it('answers 401 AUTH_TOKEN_INVALID to a token for another audience', async () => {
      const problem = expectProblem(
        await listWith(appSigned({ aud: 'someone-else' })),
        401,
        'AUTH_TOKEN_INVALID',
      );
      expect(problem.detail).toMatch(/audience/);
    });

    it('answers 401 AUTH_TOKEN_INVALID to a token of another issuer', async () => {
      const problem = expectProblem(
        await listWith(appSigned({ iss: 'https://evil.example' })),
        401,
        'AUTH_TOKEN_INVALID',
      );
      expect(problem.detail).toMatch(/issuer/);
    });

    it('answers 401 to an unsigned (alg: none) token', async () => {
      expectProblem(
        await listWith(unsignedToken(claims({ scope: 'crm:read crm:write' }))),
        401,
        'AUTH_TOKEN_INVALID',
      );
    });

    it('answers 401 to an HS256 token keyed with the public key (algorithm confusion)', async () => {
      expectProblem(
        await listWith(hs256Token(issuer.key.publicPem, claims(), issuer.key.kid)),
        401,
        'AUTH_TOKEN_INVALID',
      );
    });

    it.each([
      ['garbage', 'not-a-jwt'],
      ['a token with a tampered payload', ''],
    ])('answers 401 AUTH_TOKEN_INVALID to %s', async (_label, given) => {
      let token = given;
      if (!token) {
        const [header, , signature] = appSigned().split('.');
        token = `${header}.${Buffer.from(JSON.stringify(claims({ scope: 'crm:read crm:write metrics:read' }))).toString('base64url')}.${signature}`;
      }
      expectProblem(await listWith(token), 401, 'AUTH_TOKEN_INVALID');
    });

    it('answers 401 to a token without a subject', async () => {
      const problem = expectProblem(
        await listWith(appSigned({ sub: undefined })),
        401,
        'AUTH_TOKEN_INVALID',
      );
      expect(problem.detail).toMatch(/sub/);
    });

    it('answers 401 to a legal entity claim that is not a list, rather than lift the limit', async () => {
      const problem = expectProblem(
        await listWith(appSigned({ legal_entities: 'DE01' })),
        401,
        'AUTH_TOKEN_INVALID',
      );
      expect(problem.detail).toMatch(/legal_entities/);
    });

    it('answers 403 AUTH_INSUFFICIENT_SCOPE, naming the scope, and writes nothing', async () => {
      const res = await http('POST', accounts, {
        token: t.token(['crm:read']),
        body: newAccount({ legalName: 'Scope Probe' }),
      });
      const problem = expectProblem(res, 403, 'AUTH_INSUFFICIENT_SCOPE');
      expect(problem.detail).toContain('crm:write');
      expect(problem.requiredScopes).toEqual(['crm:write']);
      expect(res.headers.get('www-authenticate')).toMatch(/error="insufficient_scope"/);
      expect(
        await t.sql(`select 1 from crm.accounts where legal_name = 'Scope Probe'`),
      ).toHaveLength(0);
    });
  });

  describe('legal entity claim', () => {
    let usAccount: AccountBody;
    let deAccount: AccountBody;

    beforeAll(async () => {
      const token = t.token(['crm:read', 'crm:write']);
      usAccount = (
        await http<AccountBody>('POST', accounts, {
          token,
          body: newAccount({ legalName: 'US Entity Co', legalEntity: 'US01' }),
        })
      ).body;
      deAccount = (
        await http<AccountBody>('POST', accounts, {
          token,
          body: newAccount({ legalName: 'DE Entity GmbH', legalEntity: 'DE01', currency: 'EUR' }),
        })
      ).body;
      expect([usAccount.legalEntity, deAccount.legalEntity]).toEqual(['US01', 'DE01']);
    });

    it("reads an account of the caller's entity, and answers 404 for another entity's", async () => {
      const token = t.token(['crm:read'], { legalEntities: ['DE01'] });
      expect((await http('GET', `${accounts}/${deAccount.id}`, { token })).status).toBe(200);
      expectProblem(
        await http('GET', `${accounts}/${usAccount.id}`, { token }),
        404,
        'CRM_ACCOUNT_NOT_FOUND',
      );
    });

    it("lists only the caller's entities", async () => {
      const limited = await http<PageBody<AccountBody>>('GET', `${accounts}?limit=200`, {
        token: t.token(['crm:read'], { legalEntities: ['DE01'] }),
      });
      expect(limited.status).toBe(200);
      const ids = limited.body.data.map((a) => a.id);
      expect(ids).toContain(deAccount.id);
      expect(ids).not.toContain(usAccount.id);
      expect(limited.body.data.every((a) => a.legalEntity === 'DE01')).toBe(true);

      const all = await http<PageBody<AccountBody>>('GET', `${accounts}?limit=200`, {
        token: t.token(['crm:read']),
      });
      expect(all.body.data.map((a) => a.id)).toEqual(
        expect.arrayContaining([usAccount.id, deAccount.id]),
      );
    });

    it('sees nothing with an empty list of entities', async () => {
      const res = await http<PageBody<AccountBody>>('GET', accounts, {
        token: t.token(['crm:read'], { legalEntities: [] }),
      });
      expect(res.status).toBe(200);
      expect(res.body.data).toEqual([]);
    });
  });

  describe('POST /auth/token (development issuer)', () => {
    const tokenUrl = (): string => `${t.url}/auth/token`;
    const basic = (id: string, secret: string): string =>
      `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;

    interface TokenBody {
      access_token: string;
      token_type: string;
      expires_in: number;
      scope: string;
    }

    const expectToken = async (res: JsonResponse<TokenBody>, scope: string): Promise<void> => {
      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        access_token: expect.any(String) as unknown,
        token_type: 'Bearer',
        expires_in: 3600,
        scope,
      });
      const read = await listWith(res.body.access_token);
      expect(read.status).toBe(200);
    };

    it('issues a token for a form-encoded request', async () => {
      const res = await http<TokenBody>('POST', tokenUrl(), {
        form: {
          grant_type: 'client_credentials',
          client_id: 'revgate-dev',
          client_secret: 'revgate-dev-secret',
          scope: 'crm:read',
        },
      });
      await expectToken(res, 'crm:read');
    });

    it('issues a token for a JSON request, with every scope of the client by default', async () => {
      const res = await http<TokenBody>('POST', tokenUrl(), {
        body: {
          grant_type: 'client_credentials',
          client_id: 'revgate-dev',
          client_secret: 'revgate-dev-secret',
        },
      });
      await expectToken(res, ALL_SCOPES.join(' '));
      const created = await http('POST', accounts, {
        token: res.body.access_token,
        body: newAccount({ legalName: 'Token Endpoint Co' }),
      });
      expect(created.status).toBe(201);
    });

    it('issues a token to a client authenticated with HTTP Basic', async () => {
      const res = await http<TokenBody>('POST', tokenUrl(), {
        form: { grant_type: 'client_credentials', scope: 'crm:read crm:write' },
        headers: { authorization: basic('revgate-dev', 'revgate-dev-secret') },
      });
      await expectToken(res, 'crm:read crm:write');
    });

    it('answers 401 AUTH_INVALID_CLIENT to a wrong secret', async () => {
      const res = await http('POST', tokenUrl(), {
        form: {
          grant_type: 'client_credentials',
          client_id: 'revgate-dev',
          client_secret: 'wrong-secret',
        },
      });
      const problem = expectProblem(res, 401, 'AUTH_INVALID_CLIENT');
      expect(problem.error).toBe('invalid_client');
      expect(JSON.stringify(problem)).not.toContain('wrong-secret');
    });

    it('answers 401 AUTH_INVALID_CLIENT to a wrong Basic secret and to an unknown client', async () => {
      const viaBasic = await http('POST', tokenUrl(), {
        form: { grant_type: 'client_credentials' },
        headers: { authorization: basic('revgate-dev', 'revgate-dev-secreT') },
      });
      expectProblem(viaBasic, 401, 'AUTH_INVALID_CLIENT');
      const unknown = await http('POST', tokenUrl(), {
        body: {
          grant_type: 'client_credentials',
          client_id: 'nobody',
          client_secret: 'revgate-dev-secret',
        },
      });
      expectProblem(unknown, 401, 'AUTH_INVALID_CLIENT');
    });

    it('answers 401 AUTH_INVALID_CLIENT, not 500, to Basic credentials that are not form-encoded properly', async () => {
      const res = await http('POST', tokenUrl(), {
        form: { grant_type: 'client_credentials' },
        headers: { authorization: basic('revgate-dev', '100%-secret') },
      });
      expectProblem(res, 401, 'AUTH_INVALID_CLIENT');
    });

    it('answers 401 AUTH_INVALID_CLIENT when no credentials are sent', async () => {
      expectProblem(
        await http('POST', tokenUrl(), { form: { grant_type: 'client_credentials' } }),
        401,
        'AUTH_INVALID_CLIENT',
      );
    });

    it('answers 400 AUTH_INVALID_SCOPE to a scope the client may not have', async () => {
      const res = await http('POST', tokenUrl(), {
        form: {
          grant_type: 'client_credentials',
          client_id: 'revgate-viewer',
          client_secret: 'revgate-viewer-secret',
          scope: 'crm:read crm:write',
        },
      });
      const problem = expectProblem(res, 400, 'AUTH_INVALID_SCOPE');
      expect(problem.error).toBe('invalid_scope');
      expect(problem.detail).toContain('crm:write');
      expect(problem.detail).not.toMatch(/crm:read\b/);
    });

    it.each(['password', 'authorization_code'])(
      'answers 400 to grant_type=%s',
      async (grantType) => {
        const res = await http('POST', tokenUrl(), {
          form: {
            grant_type: grantType,
            client_id: 'revgate-dev',
            client_secret: 'revgate-dev-secret',
          },
        });
        const problem = expectProblem(res, 400, 'VALIDATION_FAILED');
        expect(problem.detail).toContain('grant_type');
      },
    );

    it('serves the public key as a JWKS that verifies its tokens', async () => {
      const res = await http<{ keys: Record<string, unknown>[] }>('GET', `${t.url}/auth/jwks.json`);
      expect(res.status).toBe(200);
      expect(res.body.keys).toHaveLength(1);
      const [key] = res.body.keys;
      expect(key).toMatchObject({
        kty: 'RSA',
        kid: issuer.key.kid,
        alg: 'RS256',
        use: 'sig',
        e: 'AQAB',
        n: expect.any(String) as unknown,
      });
      expect(key).not.toHaveProperty('d'); // never the private part
      const header = t.token(['crm:read']).split('.')[0];
      expect(JSON.parse(Buffer.from(header, 'base64url').toString('utf8'))).toMatchObject({
        alg: 'RS256',
        kid: issuer.key.kid,
      });
    });
  });
});
