import { DevIssuerService } from '@revgate/auth';
import type { BaseConfig } from '@revgate/platform';
import {
  claims,
  generateRsaKey,
  hs256Token,
  nowSeconds,
  signRs256,
  unsignedToken,
} from '../../support/jwt';
import {
  expectProblem,
  http,
  type JsonResponse,
  startTestApp,
  type TestApp,
} from '../../support/test-app';
import {
  apiUrl,
  describeAnswer,
  EVERY_SCOPE,
  isProblem,
  schemaCounts,
  type SecurityApp,
} from './apps';
import {
  concretePath,
  fuzzCases,
  loadOpenApi,
  type Operation,
  operationsOf,
  pathCases,
  plausible,
  sampleCases,
  SchemaResolver,
} from './openapi-fuzz';

/** Cases per operation and the seed they are drawn with: the same cases on every run. */
export const FUZZ_RUNS = Number(process.env.SECURITY_FUZZ_RUNS ?? 25);
export const FUZZ_SEED = Number(process.env.SECURITY_FUZZ_SEED ?? 20261130);

export interface AppHandle {
  t(): TestApp<BaseConfig>;
}

/** Starts the app once for the file (beforeAll) and stops it (afterAll). */
export function useApp(app: SecurityApp, env: Record<string, string> = {}): AppHandle {
  let t: TestApp<BaseConfig> | undefined;
  beforeAll(async () => {
    t = await startTestApp(app.spec, { ...app.env, ...env });
  }, 120_000);
  afterAll(async () => {
    await t?.close();
  });
  return {
    t: () => {
      if (!t) throw new Error(`${app.key} did not start`);
      return t;
    },
  };
}

/** Check 4: tokens that must not open the API, on the app's main list route. */
export function describeBrokenAuthentication(app: SecurityApp, h: AppHandle): void {
  describe(`broken authentication: GET /${app.basePath}/${app.listRoute}`, () => {
    const list = (token?: string, headers: Record<string, string> = {}) =>
      http('GET', apiUrl(h.t(), app, app.listRoute), { token, headers });
    const issuer = () => h.t().app.get(DevIssuerService);
    const appSigned = (overrides: Parameters<typeof claims>[0]): string =>
      signRs256(
        issuer().key.privateKey,
        claims({ scope: app.readScope, ...overrides }),
        issuer().key.kid,
      );

    it('opens to a valid token of its issuer (the control case)', async () => {
      expect((await list(h.t().token([app.readScope]))).status).toBe(200);
      expect((await list(appSigned({}))).status).toBe(200);
    });

    it('answers 401 AUTH_TOKEN_MISSING without a token, or with another scheme', async () => {
      const res = await list();
      expectProblem(res, 401, 'AUTH_TOKEN_MISSING');
      expect(res.headers.get('www-authenticate')).toMatch(/^Bearer/);
      expectProblem(
        await list(undefined, { authorization: 'Basic cmV2Z2F0ZS1kZXY6c2VjcmV0' }),
        401,
        'AUTH_TOKEN_MISSING',
      );
    });

    const invalid: [string, () => string, string][] = [
      [
        'an expired token',
        () => appSigned({ iat: nowSeconds() - 3600, exp: nowSeconds() - 60 }),
        'AUTH_TOKEN_EXPIRED',
      ],
      [
        'a token signed by another key under the same kid',
        () => {
          const stranger = generateRsaKey(issuer().key.kid);
          return signRs256(stranger.privateKey, claims({ scope: app.readScope }), stranger.kid);
        },
        'AUTH_TOKEN_INVALID',
      ],
      [
        'a token whose signature was tampered with',
        () => {
          const [head, body, sig] = h.t().token([app.readScope]).split('.');
          const flipped = (sig.startsWith('A') ? 'B' : 'A') + sig.slice(1);
          return `${head}.${body}.${flipped}`;
        },
        'AUTH_TOKEN_INVALID',
      ],
      [
        'a token whose claims were changed after signing (more scopes)',
        () => {
          const [head, , sig] = h.t().token([app.readScope]).split('.');
          const forged = Buffer.from(
            JSON.stringify(claims({ scope: EVERY_SCOPE.join(' ') })),
          ).toString('base64url');
          return `${head}.${forged}.${sig}`;
        },
        'AUTH_TOKEN_INVALID',
      ],
      [
        'a token for another audience',
        () => appSigned({ aud: 'someone-else' }),
        'AUTH_TOKEN_INVALID',
      ],
      [
        'a token of another issuer',
        () => appSigned({ iss: 'https://evil.example' }),
        'AUTH_TOKEN_INVALID',
      ],
      [
        'an unsigned token (alg: none)',
        () => unsignedToken(claims({ scope: app.readScope })),
        'AUTH_TOKEN_INVALID',
      ],
      [
        'an HS256 token keyed with the public key (algorithm confusion)',
        () =>
          hs256Token(
            issuer().key.publicKey.export({ format: 'pem', type: 'spki' }).toString(),
            claims({ scope: app.readScope }),
            issuer().key.kid,
          ),
        'AUTH_TOKEN_INVALID',
      ],
      ['a token that is not a JWT', () => 'not.a.jwt', 'AUTH_TOKEN_INVALID'],
    ];
    it.each(invalid)('answers 401 %s', async (_name, token, code) => {
      const res = await list(token());
      expectProblem(res, 401, code);
      // nothing of the list leaks with the refusal
      expect(res.body).not.toHaveProperty('data');
    });
  });
}

/**
 * Every operation of the committed spec that needs a token: 401 without one, and 403
 * AUTH_INSUFFICIENT_SCOPE with a token carrying every scope but the operation's own (check 6 at
 * large; the app files add the named operator actions).
 */
export function describeEveryOperationClosed(app: SecurityApp, h: AppHandle): void {
  const ops = operationsOf(loadOpenApi(app.openapi), app.basePath).filter(
    (op) => op.scopes.length > 0,
  );
  describe(`every operation of openapi/${app.openapi} is closed`, () => {
    it('finds the operations in the spec', () => {
      expect(ops.length).toBeGreaterThan(5);
    });
    it.each(ops.map((op) => [`${op.method} ${op.path}`, op] as const))(
      '%s: 401 without a token, 403 without its scope, a portal user token refused or held to its customer',
      async (_name, op: Operation) => {
        const url = `${h.t().url}${concretePath(op)}`;
        const body = op.bodySchema ? {} : undefined;
        const anonymous = await http(op.method, url, { body });
        expectProblem(anonymous, 401, 'AUTH_TOKEN_MISSING');
        const others = h.t().token(EVERY_SCOPE.filter((s) => !op.scopes.includes(s)));
        expectProblem(
          await http(op.method, url, { body, token: others }),
          403,
          'AUTH_INSUFFICIENT_SCOPE',
        );
        // A portal user's token (customer_id) opens only routes that filter by customer; every
        // other one refuses it rather than show every customer's objects. A route that filters
        // answers another customer's object (the path's) as one that does not exist.
        const unknownCode = app.customerScoped?.[`${op.method} ${op.path}`];
        expectProblem(
          await http(op.method, url, {
            body,
            token: h.t().token(EVERY_SCOPE, { customerId: 'cus_portal_user' }),
          }),
          unknownCode ? 404 : 403,
          unknownCode ?? 'AUTH_CUSTOMER_SCOPE_UNSUPPORTED',
        );
      },
    );
  });
}

export interface FuzzTally {
  operations: number;
  cases: number;
}

/** The answer is a refusal as the API promises them: 4xx, problem+json, a code (and pointers). */
function refusalFault(res: JsonResponse): string | undefined {
  const body = res.body as { code?: string; errors?: unknown } | undefined;
  if (res.status < 400 || res.status >= 500) return 'not a 4xx';
  if (!isProblem(res)) return 'not a problem+json with a code';
  if (body?.code === 'VALIDATION_FAILED' && !(Array.isArray(body.errors) && body.errors.length > 0))
    return 'VALIDATION_FAILED without errors[]';
  return undefined;
}

/**
 * Check 7: every operation with a JSON body or query parameters gets invalid inputs drawn from
 * its schema, and every operation with path parameters gets hostile values in them (PUT upserts
 * aside: any key is a key there); each answer must be a 4xx problem with a code (never a 5xx,
 * never a success), and the app's schema must hold as many rows after the operation's cases as
 * before.
 */
export function describeFuzz(
  app: SecurityApp,
  h: AppHandle,
  options: {
    /** An answer other than a 4xx problem that the operation documents for invalid input. */
    alsoAccept?: (op: Operation, res: JsonResponse) => boolean;
    /**
     * Hostile path values the app takes as well-formed (a UUID no object has): to an app that
     * answers from other APIs that is a valid request, so with its upstreams NOWHERE it is not
     * sent (the object-level checks ask the real landscape for unknown ids).
     */
    wellFormedPath?: (name: string, value: string) => boolean;
  } = {},
): FuzzTally {
  const doc = loadOpenApi(app.openapi);
  const resolver = new SchemaResolver(doc);
  const ops = operationsOf(doc, app.basePath)
    .filter((op) => op.scopes.length > 0)
    .map((op, i) => {
      const arb =
        op.bodySchema !== undefined || op.query.length > 0 ? fuzzCases(resolver, op) : undefined;
      const input = arb ? sampleCases(arb, FUZZ_RUNS, FUZZ_SEED + i) : [];
      const paths = (op.method === 'PUT' ? [] : pathCases(op, 8, FUZZ_SEED + i)).filter(
        (c) => !options.wellFormedPath?.(c.name, c.value),
      );
      return { op, input, paths };
    })
    .filter((o) => o.input.length + o.paths.length > 0);
  const tally: FuzzTally = {
    operations: ops.length,
    cases: ops.reduce((n, o) => n + o.input.length + o.paths.length, 0),
  };
  describe(`fuzz from openapi/${app.openapi} (${FUZZ_RUNS} runs an operation, seed ${FUZZ_SEED})`, () => {
    let token: string;
    beforeAll(() => {
      token = h.t().token(EVERY_SCOPE);
    });
    afterAll(() => {
      process.stdout.write(
        `[security fuzz] ${app.key}: ${tally.operations} operations fuzzed, ${tally.cases} cases sent\n`,
      );
    });

    it('has operations to fuzz', () => {
      expect(tally.operations).toBeGreaterThan(5);
    });

    it.each(ops.map((o) => [`${o.op.method} ${o.op.path}`, o] as const))(
      '%s refuses invalid input with a 4xx problem and writes nothing',
      async (_name, { op, input, paths }) => {
        const t = h.t();
        const before = await schemaCounts(t, app.schema);
        const failures: string[] = [];
        for (const c of input) {
          const qs = new URLSearchParams(c.query).toString();
          const url = `${t.url}${concretePath(op)}${qs ? `?${qs}` : ''}`;
          const res = await http(op.method, url, {
            token,
            ...(c.hasBody ? { rawBody: JSON.stringify(c.body) } : {}),
          });
          if (options.alsoAccept?.(op, res)) continue;
          const fault = refusalFault(res);
          if (fault)
            failures.push(
              `${c.label} [${JSON.stringify(c.body ?? null).slice(0, 120)} ${qs}] -> ${fault}: ${describeAnswer(res)}`,
            );
        }
        const plausibleBody = op.bodySchema ? plausible(resolver, op.bodySchema) : undefined;
        for (const c of paths) {
          const res = await http(op.method, `${t.url}${c.path}`, {
            token,
            ...(plausibleBody === undefined ? {} : { body: plausibleBody }),
          });
          const fault = refusalFault(res);
          if (fault) failures.push(`${c.label} -> ${fault}: ${describeAnswer(res)}`);
        }
        expect(failures).toEqual([]);
        expect(await schemaCounts(t, app.schema)).toEqual(before);
      },
    );
  });
  return tally;
}

export interface OperatorAction {
  name: string;
  method: string;
  /** Relative to the app's base path. */
  path: string;
  body?: unknown;
  /** What the operator gets for this (deliberately harmless) request once past the scope check. */
  operatorStatus: number;
}

/**
 * Check 6: operator actions refuse a caller without the operator scope (403, nothing written),
 * however many other scopes it has; the same request with the operator scope gets past the
 * scope check (a 4xx of the request itself), which proves the scope is what closed it.
 */
export function describeOperatorActions(
  app: SecurityApp,
  h: AppHandle,
  operatorScope: string,
  actions: OperatorAction[],
): void {
  describe(`operator actions need ${operatorScope}`, () => {
    it.each(actions.map((a) => [a.name, a] as const))('%s', async (_name, action) => {
      const t = h.t();
      const url = apiUrl(t, app, action.path);
      const before = await schemaCounts(t, app.schema);
      const everyOther = t.token(EVERY_SCOPE.filter((s) => s !== operatorScope));
      expectProblem(
        await http(action.method, url, { token: everyOther, body: action.body }),
        403,
        'AUTH_INSUFFICIENT_SCOPE',
      );
      expect(await schemaCounts(t, app.schema)).toEqual(before);
      const operator = await http(action.method, url, {
        token: t.token([operatorScope]),
        body: action.body,
      });
      expect({ status: operator.status, problem: isProblem(operator) }).toEqual({
        status: action.operatorStatus,
        problem: true,
      });
    });
  });
}

/**
 * Check 5 and 6 on every app that produces events: its webhook subscriptions refuse the cloud
 * metadata address and IPv6 loopback (422 WEBHOOK_URL_FORBIDDEN), a token that may only read them
 * cannot manage them (403), and a token limited to legal entities cannot subscribe to every
 * entity's events (403 WEBHOOK_LEGAL_ENTITY_FORBIDDEN) — writing nothing.
 */
export function describeWebhookGuards(app: SecurityApp, h: AppHandle): void {
  describe('webhook subscriptions', () => {
    const read = `${app.key}:webhooks:read`;
    const manage = `${app.key}:webhooks:manage`;
    const subscribe = (token: string, url: string) =>
      http('POST', apiUrl(h.t(), app, 'webhook-subscriptions'), {
        token,
        body: { url, eventTypes: ['*'] },
      });

    it('refuses SSRF targets, readers and entity-limited managers, writing nothing', async () => {
      const t = h.t();
      const before = await schemaCounts(t, app.schema);
      const manager = t.token([read, manage]);
      for (const url of ['https://169.254.169.254/latest/meta-data/', 'https://[::1]/hooks'])
        expectProblem(await subscribe(manager, url), 422, 'WEBHOOK_URL_FORBIDDEN');
      expectProblem(
        await subscribe(t.token([read]), 'https://93.184.215.14/hooks'),
        403,
        'AUTH_INSUFFICIENT_SCOPE',
      );
      expectProblem(
        await subscribe(
          t.token([read, manage], { legalEntities: ['DE01'] }),
          'https://93.184.215.14/hooks',
        ),
        403,
        'WEBHOOK_LEGAL_ENTITY_FORBIDDEN',
      );
      expect(await schemaCounts(t, app.schema)).toEqual(before);
      // the control: an unlimited manager subscribes a public address
      expect((await subscribe(manager, 'https://93.184.215.14/hooks')).status).toBe(201);
    });
  });
}

/**
 * Errors the router raises before Nest sees the request must be problems too (DESIGN §11: every
 * error is application/problem+json with a stable code): a path parameter longer than Fastify's
 * maxParamLength (100) and a path with a malformed percent-encoding.
 */
export function describeFrameworkErrors(app: SecurityApp, h: AppHandle): void {
  it('answers an over-long path parameter and a malformed percent-encoding as problem+json', async () => {
    const t = h.t();
    const token = t.token([app.readScope]);
    const faults: string[] = [];
    for (const path of [`${app.listRoute}/${'a'.repeat(101)}`, `${app.listRoute}/%zz`]) {
      const res = await http('GET', apiUrl(t, app, path), { token });
      if (res.status < 400 || res.status >= 500 || !isProblem(res))
        faults.push(`${path.slice(0, 40)}… -> ${describeAnswer(res)}`);
    }
    expect(faults).toEqual([]);
  });
}
