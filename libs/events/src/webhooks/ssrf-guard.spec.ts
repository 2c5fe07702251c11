import type { LookupAddress } from 'node:dns';
import { forbiddenAddressReason, type Resolver, SsrfGuard, UrlRefusal } from './ssrf-guard';

const STRICT = { allowHttp: false, allowPrivateTargets: false };
const PUBLIC_V4 = '93.184.215.14';
const PUBLIC_V6 = '2606:2800:21f:cb07:6820:80da:af6b:8b2c';

/** DNS as a table, so tests do not depend on the network. */
function fakeDns(table: Partial<Record<string, string[]>>): Resolver {
  return (hostname) => {
    const addresses = table[hostname];
    if (!addresses)
      return Promise.reject(Object.assign(new Error('ENOTFOUND'), { code: 'ENOTFOUND' }));
    return Promise.resolve(
      addresses.map((address): LookupAddress => ({
        address,
        family: address.includes(':') ? 6 : 4,
      })),
    );
  };
}

async function refusal(guard: SsrfGuard, url: string): Promise<UrlRefusal | undefined> {
  try {
    await guard.checkUrl(url);
    return undefined;
  } catch (e) {
    if (e instanceof UrlRefusal) return e;
    throw e;
  }
}

describe('SSRF guard', () => {
  const guard = new SsrfGuard(STRICT, fakeDns({ 'hooks.example.com': [PUBLIC_V4, PUBLIC_V6] }));

  it.each([
    ['https://10.0.0.1/hook', 'private'],
    ['https://172.16.0.1/hook', 'private'],
    ['https://172.31.255.255/hook', 'private'],
    ['https://192.168.1.1/hook', 'private'],
    ['https://127.0.0.1/hook', 'loopback'],
    ['https://127.1/hook', 'loopback'],
    ['https://2130706433/hook', 'loopback'],
    ['https://0x7f000001/hook', 'loopback'],
    ['https://[::1]/hook', 'loopback'],
    ['https://[::ffff:127.0.0.1]/hook', 'loopback'],
    ['https://[::ffff:10.0.0.1]/hook', 'private'],
    ['https://169.254.169.254/latest/meta-data/', 'link-local'],
    ['https://[fe80::1]/hook', 'link-local'],
    ['https://[fd00::1]/hook', 'unique local'],
    ['https://[fc00::1]/hook', 'unique local'],
    ['https://100.64.0.1/hook', 'CGNAT'],
    ['https://0.0.0.0/hook', 'unspecified'],
    ['https://[::]/hook', 'unspecified'],
    ['https://224.0.0.1/hook', 'multicast'],
    ['https://[ff02::1]/hook', 'multicast'],
    ['https://255.255.255.255/hook', 'broadcast'],
    ['https://[64:ff9b::a00:1]/hook', 'NAT64'],
    ['https://[2002:a00:1::]/hook', '6to4'],
    ['https://localhost/hook', 'loopback'],
    ['https://api.localhost/hook', 'loopback'],
  ])('refuses %s (%s)', async (url, reason) => {
    const refused = await refusal(guard, url);
    expect(refused?.kind).toBe('forbidden');
    expect(refused?.message).toContain(reason);
  });

  it('refuses a host name that resolves to a private address, naming both', async () => {
    const rebinding = new SsrfGuard(
      STRICT,
      fakeDns({
        'evil.example.com': [PUBLIC_V4, '10.1.2.3'],
        'meta.example.com': ['169.254.169.254'],
      }),
    );
    const one = await refusal(rebinding, 'https://evil.example.com/x');
    expect(one?.kind).toBe('forbidden');
    expect(one?.message).toContain('evil.example.com (10.1.2.3)');
    expect((await refusal(rebinding, 'https://meta.example.com/x'))?.message).toContain(
      'link-local',
    );
  });

  it('refuses the real "localhost" through the system resolver too', async () => {
    const real = new SsrfGuard(STRICT);
    expect((await refusal(real, 'https://localhost:8443/x'))?.kind).toBe('forbidden');
  });

  it('accepts https to public addresses, and keeps the URL as normalized', async () => {
    await expect(guard.checkUrl('https://hooks.example.com/revgate?x=1')).resolves.toBeInstanceOf(
      URL,
    );
    expect((await guard.checkUrl(`https://${PUBLIC_V4}:8443/h`)).href).toBe(
      `https://${PUBLIC_V4}:8443/h`,
    );
    expect((await guard.checkUrl(`https://[${PUBLIC_V6}]/h`)).hostname).toBe(`[${PUBLIC_V6}]`);
  });

  it('refuses http unless allowed, other schemes always, and credentials in the URL', async () => {
    expect((await refusal(guard, 'http://hooks.example.com/x'))?.kind).toBe('forbidden');
    expect((await refusal(guard, 'ftp://hooks.example.com/x'))?.kind).toBe('invalid');
    expect((await refusal(guard, 'file:///etc/passwd'))?.kind).toBe('invalid');
    expect((await refusal(guard, 'not a url'))?.kind).toBe('invalid');
    expect((await refusal(guard, 'https://user:pw@hooks.example.com/x'))?.message).toContain(
      'credentials',
    );
    const httpOk = new SsrfGuard(
      { ...STRICT, allowHttp: true },
      fakeDns({ 'hooks.example.com': [PUBLIC_V4] }),
    );
    await expect(httpOk.checkUrl('http://hooks.example.com/x')).resolves.toBeInstanceOf(URL);
    expect((await refusal(httpOk, 'http://127.0.0.1/x'))?.kind).toBe('forbidden');
  });

  it('says when a name does not resolve', async () => {
    expect((await refusal(guard, 'https://nowhere.example.com/x'))?.kind).toBe('unresolvable');
  });

  it('lets private targets through only when configured', async () => {
    const open = new SsrfGuard(
      { allowHttp: true, allowPrivateTargets: true },
      fakeDns({ intranet: ['10.0.0.7'], localhost: ['127.0.0.1'] }),
    );
    await expect(open.checkUrl('http://127.0.0.1:8080/x')).resolves.toBeInstanceOf(URL);
    await expect(open.checkUrl('http://intranet/x')).resolves.toBeInstanceOf(URL);
    await expect(open.checkUrl('http://localhost:9/x')).resolves.toBeInstanceOf(URL);
  });

  it('classifies public addresses as allowed', () => {
    for (const ip of [
      '8.8.8.8',
      '1.1.1.1',
      PUBLIC_V4,
      PUBLIC_V6,
      '::ffff:8.8.8.8',
      '172.32.0.1',
      '100.128.0.1',
    ])
      expect(forbiddenAddressReason(ip)).toBeUndefined();
  });

  it('checks every address at connect time through the lookup the agents use', async () => {
    const rebinding = new SsrfGuard(
      STRICT,
      fakeDns({ 'a.example.com': [PUBLIC_V4], 'b.example.com': ['127.0.0.1'] }),
    );
    const lookup = (host: string, all: boolean) =>
      new Promise<unknown>((resolve, reject) => {
        rebinding.lookup(host, { all }, (error, address) => {
          if (error) reject(error);
          else resolve(address);
        });
      });
    await expect(lookup('a.example.com', false)).resolves.toBe(PUBLIC_V4);
    await expect(lookup('a.example.com', true)).resolves.toEqual([
      { address: PUBLIC_V4, family: 4 },
    ]);
    await expect(lookup('b.example.com', false)).rejects.toMatchObject({
      code: 'EREVGATE_TARGET_FORBIDDEN',
    });
  });
});
