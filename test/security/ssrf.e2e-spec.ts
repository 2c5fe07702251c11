import { lookup } from 'node:dns/promises';
import type { LookupAddress } from 'node:dns';
import { hostname } from 'node:os';
import { forbiddenAddressReason, SsrfGuard } from '@revgate/events';
import type { BaseConfig } from '@revgate/platform';
import { expectStatus } from '../support/api-fixtures';
import {
  expectProblem,
  http,
  type JsonResponse,
  startTestApp,
  type TestApp,
} from '../support/test-app';
import { APPS, schemaCounts } from './support/apps';

/**
 * Check 5, server-side request forgery through webhook subscriptions: a URL whose target is
 * loopback, private, link-local (the cloud metadata service at 169.254.169.254), CGNAT,
 * unspecified, IPv6 loopback, ULA or link-local, an IPv6 form embedding such an IPv4 address, or
 * an IPv4 address spelled in decimal, hex or octal — or a host name resolving to any of them —
 * is refused with 422 WEBHOOK_URL_FORBIDDEN (WEBHOOK_URL_UNRESOLVABLE when the name does not
 * resolve) on create and on update, writing nothing, unless WEBHOOK_ALLOW_PRIVATE_TARGETS says so.
 */

const PUBLIC = 'https://93.184.215.14/hooks';

const FORBIDDEN_URLS: [string, string][] = [
  ['https://127.0.0.1/hooks', 'IPv4 loopback'],
  ['https://127.10.20.30:8443/hooks', 'loopback, not only .1'],
  ['https://10.0.0.5/hooks', 'private 10/8'],
  ['https://172.16.0.1/hooks', 'private 172.16/12'],
  ['https://172.31.255.254/hooks', 'private 172.16/12, its end'],
  ['https://192.168.1.1/hooks', 'private 192.168/16'],
  [
    'https://169.254.169.254/latest/meta-data/iam/security-credentials/',
    'cloud metadata (link-local)',
  ],
  ['https://100.64.0.1/hooks', 'CGNAT'],
  ['https://0.0.0.0/hooks', 'unspecified'],
  ['https://[::1]/hooks', 'IPv6 loopback'],
  ['https://[::]/hooks', 'IPv6 unspecified'],
  ['https://[fc00::1]/hooks', 'IPv6 ULA fc00::/7'],
  ['https://[fd12:3456:789a::1]/hooks', 'IPv6 ULA fd00::/8'],
  ['https://[fe80::1]/hooks', 'IPv6 link-local'],
  ['https://[::ffff:127.0.0.1]/hooks', 'IPv4-mapped loopback'],
  ['https://[::ffff:169.254.169.254]/hooks', 'IPv4-mapped metadata'],
  ['https://[64:ff9b::a9fe:a9fe]/hooks', 'NAT64 of 169.254.169.254'],
  ['https://[2002:7f00:1::1]/hooks', '6to4 of 127.0.0.1'],
  ['https://2130706433/hooks', '127.0.0.1 in decimal'],
  ['https://0x7f000001/hooks', '127.0.0.1 in hex'],
  ['https://0177.0.0.1/hooks', '127.0.0.1 in octal'],
  ['https://0xa9.0xfe.0xa9.0xfe/hooks', '169.254.169.254 in dotted hex'],
  ['https://localhost/hooks', 'localhost'],
  ['https://LOCALHOST:443/hooks', 'localhost in capitals'],
  ['https://metadata.localhost/hooks', 'a *.localhost name'],
];

/** Host names the test resolver answers for, as a DNS server controlled by an attacker would. */
const FAKE_DNS: Record<string, LookupAddress[]> = {
  'internal.attacker.example': [{ address: '10.1.2.3', family: 4 }],
  'metadata.attacker.example': [{ address: '169.254.169.254', family: 4 }],
  'loopback6.attacker.example': [{ address: '::1', family: 6 }],
  'ula.attacker.example': [{ address: 'fd00::beef', family: 6 }],
  'mixed.attacker.example': [
    { address: '93.184.215.14', family: 4 },
    { address: '127.0.0.1', family: 4 },
  ],
  'mapped.attacker.example': [{ address: '::ffff:192.168.0.10', family: 6 }],
  'public.attacker.example': [{ address: '93.184.215.14', family: 4 }],
};

describe('SSRF: webhook subscription URLs', () => {
  describe('with the default policy (billing)', () => {
    let t: TestApp<BaseConfig>;
    let manage: string;
    const url = (path: string) => `${t.url}/billing/v1/${path}`;
    const create = (target: string): Promise<JsonResponse> =>
      http('POST', url('webhook-subscriptions'), {
        token: manage,
        body: { url: target, eventTypes: ['billing.invoice.*'] },
      });

    beforeAll(async () => {
      t = await startTestApp(APPS.billing.spec, APPS.billing.env);
      manage = t.token(['billing:webhooks:read', 'billing:webhooks:manage']);
      // The resolver is the guard's seam for DNS (the one tests use to play rebinding): names of
      // FAKE_DNS answer as listed, the others as the system resolves them.
      const guard = t.app.get(SsrfGuard);
      const system = Reflect.get(guard, 'resolve') as (name: string) => Promise<LookupAddress[]>;
      const fake = (name: string): Promise<LookupAddress[]> =>
        name in FAKE_DNS ? Promise.resolve(FAKE_DNS[name]) : system(name);
      expect(Reflect.set(guard, 'resolve', fake)).toBe(true);
    }, 120_000);
    afterAll(async () => {
      await t.close();
    });

    it('runs with the default policy: https only, no private targets', () => {
      const config = t.config as BaseConfig & {
        WEBHOOK_ALLOW_PRIVATE_TARGETS: boolean;
        WEBHOOK_ALLOW_HTTP: boolean;
      };
      expect(config.WEBHOOK_ALLOW_PRIVATE_TARGETS).toBe(false);
      expect(config.WEBHOOK_ALLOW_HTTP).toBe(false);
    });

    it('accepts a public address (control)', async () => {
      expectStatus(await create(PUBLIC), 201);
      expectStatus(await create('https://public.attacker.example/hooks'), 201);
    });

    it.each(FORBIDDEN_URLS)(
      'refuses %s (%s) with 422 WEBHOOK_URL_FORBIDDEN, writing nothing',
      async (target) => {
        const before = await schemaCounts(t, 'billing');
        const problem = expectProblem(await create(target), 422, 'WEBHOOK_URL_FORBIDDEN');
        expect(problem.detail).toMatch(/not|forbidden|may not/i);
        expect(await schemaCounts(t, 'billing')).toEqual(before);
      },
    );

    it.each(Object.keys(FAKE_DNS).filter((name) => !name.startsWith('public')))(
      'refuses https://%s/, a name resolving to a forbidden address, writing nothing',
      async (name) => {
        const before = await schemaCounts(t, 'billing');
        expectProblem(await create(`https://${name}/hooks`), 422, 'WEBHOOK_URL_FORBIDDEN');
        expect(await schemaCounts(t, 'billing')).toEqual(before);
      },
    );

    it('refuses the names of this machine that really resolve to loopback or private addresses', async () => {
      const names: string[] = [];
      for (const name of [hostname(), 'localhost.localdomain', 'ip6-localhost', 'ip6-loopback']) {
        const addresses = await lookup(name, { all: true }).catch(() => []);
        if (addresses.length > 0 && addresses.some((a) => forbiddenAddressReason(a.address)))
          names.push(name);
      }
      const before = await schemaCounts(t, 'billing');
      for (const name of names)
        expectProblem(await create(`https://${name}/hooks`), 422, 'WEBHOOK_URL_FORBIDDEN');
      // and a name that does not resolve is refused too (never saved to be tried later)
      expectProblem(
        await create('https://no-such-host.invalid/hooks'),
        422,
        'WEBHOOK_URL_UNRESOLVABLE',
      );
      const trailingDot = await create('https://localhost./hooks');
      expect(trailingDot.status).toBe(422);
      expect(['WEBHOOK_URL_FORBIDDEN', 'WEBHOOK_URL_UNRESOLVABLE']).toContain(
        (trailingDot.body as { code: string }).code,
      );
      expect(await schemaCounts(t, 'billing')).toEqual(before);
    });

    it('refuses plain http and credentials in the URL', async () => {
      const before = await schemaCounts(t, 'billing');
      expectProblem(await create('http://93.184.215.14/hooks'), 422, 'WEBHOOK_URL_FORBIDDEN');
      expectProblem(
        await create('https://user:pw@93.184.215.14/hooks'),
        422,
        'WEBHOOK_URL_FORBIDDEN',
      );
      for (const target of [
        'file:///etc/passwd',
        'gopher://127.0.0.1:6379/_INFO',
        'ftp://10.0.0.1/',
      ])
        expect((await create(target)).status).toBeGreaterThanOrEqual(400);
      expect(await schemaCounts(t, 'billing')).toEqual(before);
    });

    it('refuses moving an existing subscription to a forbidden target (PATCH), leaving it as it was', async () => {
      const created = await create(PUBLIC);
      expectStatus(created, 201);
      const id = (created.body as { id: string }).id;
      const row = async () =>
        (
          await t.sql('select url, version from billing.webhook_subscriptions where id = $1', [id])
        )[0];
      const before = await row();
      for (const target of [
        'https://169.254.169.254/latest/meta-data/',
        'https://[::1]/hooks',
        'https://metadata.attacker.example/x',
      ])
        expectProblem(
          await http('PATCH', url(`webhook-subscriptions/${id}`), {
            token: manage,
            body: { url: target },
          }),
          422,
          'WEBHOOK_URL_FORBIDDEN',
        );
      expect(await row()).toEqual(before);
    });
  });

  describe('with WEBHOOK_ALLOW_PRIVATE_TARGETS=true and WEBHOOK_ALLOW_HTTP=true (ERP)', () => {
    let t: TestApp<BaseConfig>;
    let manage: string;
    beforeAll(async () => {
      t = await startTestApp(APPS.erp.spec, {
        ...APPS.erp.env,
        WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true',
        WEBHOOK_ALLOW_HTTP: 'true',
      });
      manage = t.token(['erp:webhooks:read', 'erp:webhooks:manage']);
    }, 120_000);
    afterAll(async () => {
      await t.close();
    });
    const create = (target: string): Promise<JsonResponse> =>
      http('POST', `${t.url}/erp/v1/webhook-subscriptions`, {
        token: manage,
        body: { url: target, eventTypes: ['erp.invoice.posted.v1'] },
      });

    it('accepts loopback and private targets when configured to', async () => {
      for (const target of [
        'http://127.0.0.1:9/hooks',
        'https://10.0.0.5/hooks',
        'https://[::1]/hooks',
      ])
        expectStatus(await create(target), 201);
    });

    it('still refuses credentials in the URL and non-http schemes', async () => {
      const before = await schemaCounts(t, 'erp');
      expectProblem(await create('https://user:pw@10.0.0.5/hooks'), 422, 'WEBHOOK_URL_FORBIDDEN');
      expect((await create('file:///etc/passwd')).status).toBeGreaterThanOrEqual(400);
      expect(await schemaCounts(t, 'erp')).toEqual(before);
    });
  });
});
