import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { BlockList, isIP, type LookupFunction } from 'node:net';

/** Why an address is no place for a webhook to go; the first matching range names it. */
const RANGES: [reason: string, family: 'ipv4' | 'ipv6', network: string, prefix: number][] = [
  ['unspecified', 'ipv4', '0.0.0.0', 8],
  ['private (RFC 1918)', 'ipv4', '10.0.0.0', 8],
  ['shared address space (CGNAT, RFC 6598)', 'ipv4', '100.64.0.0', 10],
  ['loopback', 'ipv4', '127.0.0.0', 8],
  ['link-local (where cloud metadata services live)', 'ipv4', '169.254.0.0', 16],
  ['private (RFC 1918)', 'ipv4', '172.16.0.0', 12],
  ['reserved for IETF protocols', 'ipv4', '192.0.0.0', 24],
  ['reserved for documentation', 'ipv4', '192.0.2.0', 24],
  ['the 6to4 relay anycast range', 'ipv4', '192.88.99.0', 24],
  ['private (RFC 1918)', 'ipv4', '192.168.0.0', 16],
  ['reserved for benchmarking', 'ipv4', '198.18.0.0', 15],
  ['reserved for documentation', 'ipv4', '198.51.100.0', 24],
  ['reserved for documentation', 'ipv4', '203.0.113.0', 24],
  ['multicast', 'ipv4', '224.0.0.0', 4],
  ['reserved (including broadcast)', 'ipv4', '240.0.0.0', 4],
  ['unspecified', 'ipv6', '::', 128],
  ['loopback', 'ipv6', '::1', 128],
  // IPv4-mapped addresses (::ffff:a.b.c.d) are checked against the IPv4 ranges by BlockList itself.
  ['an IPv4-compatible address (deprecated)', 'ipv6', '::', 96],
  ['an IPv4-translated address', 'ipv6', '::ffff:0:0:0', 96],
  ['NAT64 (embeds an IPv4 address)', 'ipv6', '64:ff9b::', 96],
  ['NAT64 (embeds an IPv4 address)', 'ipv6', '64:ff9b:1::', 48],
  ['discard-only', 'ipv6', '100::', 64],
  ['Teredo (embeds an IPv4 address)', 'ipv6', '2001::', 32],
  ['reserved for documentation', 'ipv6', '2001:db8::', 32],
  ['6to4 (embeds an IPv4 address)', 'ipv6', '2002::', 16],
  ['unique local (ULA, private)', 'ipv6', 'fc00::', 7],
  ['link-local', 'ipv6', 'fe80::', 10],
  ['site-local (deprecated)', 'ipv6', 'fec0::', 10],
  ['multicast', 'ipv6', 'ff00::', 8],
];

const RULES = RANGES.map(([reason, family, network, prefix]) => {
  const list = new BlockList();
  list.addSubnet(network, prefix, family);
  return { reason, list };
});

/** Why a literal IP address is refused as a webhook target, or undefined when it is public. */
export function forbiddenAddressReason(address: string): string | undefined {
  const family = isIP(address);
  if (family === 0) return 'not an IP address';
  const type = family === 6 ? 'ipv6' : 'ipv4';
  return RULES.find((r) => r.list.check(address, type))?.reason;
}

export interface SsrfPolicy {
  allowHttp: boolean;
  allowPrivateTargets: boolean;
}

/** Resolves a host name to every address it has (the seam tests use to play DNS rebinding). */
export type Resolver = (hostname: string) => Promise<LookupAddress[]>;

export const systemResolver: Resolver = (hostname) =>
  new Promise((resolve, reject) => {
    dnsLookup(hostname, { all: true, verbatim: true }, (error, addresses) => {
      if (error) reject(error);
      else resolve(addresses);
    });
  });

export type UrlRefusalKind = 'invalid' | 'forbidden' | 'unresolvable';

export class UrlRefusal extends Error {
  constructor(
    readonly kind: UrlRefusalKind,
    message: string,
  ) {
    super(message);
    this.name = 'UrlRefusal';
  }
}

/** Error code the connect-time lookup fails with, so a delivery can say what happened. */
export const SSRF_ERROR_CODE = 'EREVGATE_TARGET_FORBIDDEN';

const RESOLVE_TIMEOUT_MS = 5000;
const hostOf = (url: URL): string => url.hostname.replace(/^\[(.*)\]$/, '$1');

/**
 * Keeps webhooks from being turned against the gateway's own network (SSRF): https only (unless
 * WEBHOOK_ALLOW_HTTP), no credentials in the URL, and no target address that is loopback, private,
 * link-local, unspecified, multicast or otherwise not public — checked on the URL when a
 * subscription is saved, and again on the address actually connected to at each delivery (a name
 * that resolved to a public address yesterday may resolve to 127.0.0.1 today: DNS rebinding).
 * WEBHOOK_ALLOW_PRIVATE_TARGETS lifts the address rule (tests, receivers in your own network).
 */
export class SsrfGuard {
  constructor(
    readonly policy: SsrfPolicy,
    private readonly resolve: Resolver = systemResolver,
  ) {}

  /** The rules that need no DNS: syntax, scheme, credentials and a literal IP host. */
  checkStatic(raw: string): URL {
    let url: URL;
    try {
      url = new URL(raw);
    } catch {
      throw new UrlRefusal(
        'invalid',
        'url must be an absolute URL such as https://example.com/hooks',
      );
    }
    if (url.protocol !== 'https:' && !(url.protocol === 'http:' && this.policy.allowHttp)) {
      throw new UrlRefusal(
        url.protocol === 'http:' ? 'forbidden' : 'invalid',
        url.protocol === 'http:'
          ? 'Webhook URLs must use https (plain http is allowed only with WEBHOOK_ALLOW_HTTP=true).'
          : 'url must be an https URL',
      );
    }
    if (url.username !== '' || url.password !== '') {
      throw new UrlRefusal(
        'forbidden',
        'Webhook URLs must not carry credentials (user:password@); deliveries are authenticated by their signature.',
      );
    }
    const host = hostOf(url);
    if (!this.policy.allowPrivateTargets) {
      if (isIP(host) !== 0) {
        const reason = forbiddenAddressReason(host);
        if (reason) throw forbidden(host, reason);
      } else if (host === 'localhost' || host.endsWith('.localhost')) {
        throw forbidden(host, 'loopback');
      }
    }
    return url;
  }

  /** Every rule, resolving the host name and checking each of its addresses. */
  async checkUrl(raw: string): Promise<URL> {
    const url = this.checkStatic(raw);
    const host = hostOf(url);
    if (isIP(host) !== 0) return url;
    let addresses: LookupAddress[];
    try {
      addresses = await withTimeout(this.resolve(host), RESOLVE_TIMEOUT_MS);
    } catch {
      throw new UrlRefusal('unresolvable', `The host name ${host} does not resolve.`);
    }
    if (addresses.length === 0)
      throw new UrlRefusal('unresolvable', `The host name ${host} does not resolve.`);
    if (!this.policy.allowPrivateTargets) {
      for (const { address } of addresses) {
        const reason = forbiddenAddressReason(address);
        if (reason) throw forbidden(`${host} (${address})`, reason);
      }
    }
    return url;
  }

  /**
   * A `lookup` for the HTTP agents: resolves through the same resolver and refuses the connection
   * when any address of the name is not allowed, so the address checked is the address used.
   */
  readonly lookup: LookupFunction = (hostname, options, callback) => {
    this.resolve(hostname).then(
      (addresses) => {
        const family = options.family === 4 || options.family === 6 ? options.family : undefined;
        const usable = family ? addresses.filter((a) => a.family === family) : addresses;
        const bad = this.policy.allowPrivateTargets
          ? undefined
          : usable.find((a) => forbiddenAddressReason(a.address) !== undefined);
        if (bad || usable.length === 0) {
          const error: NodeJS.ErrnoException = new Error(
            bad
              ? `${hostname} resolves to ${bad.address}, which is ${forbiddenAddressReason(bad.address) ?? 'forbidden'}: refused`
              : `${hostname} has no address`,
          );
          error.code = bad ? SSRF_ERROR_CODE : 'ENOTFOUND';
          callback(error, '', 0);
          return;
        }
        if (options.all) callback(null, usable);
        else {
          const [first] = usable;
          callback(null, first.address, first.family);
        }
      },
      (error: unknown) => {
        callback(error as NodeJS.ErrnoException, '', 0);
      },
    );
  };
}

function forbidden(target: string, reason: string): UrlRefusal {
  return new UrlRefusal(
    'forbidden',
    `Webhooks may not target ${target}: it is ${reason}. Only public addresses are allowed (WEBHOOK_ALLOW_PRIVATE_TARGETS=true lifts this).`,
  );
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    promise,
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        reject(new Error('timeout'));
      }, ms);
    }),
  ]).finally(() => {
    clearTimeout(timer);
  });
}
