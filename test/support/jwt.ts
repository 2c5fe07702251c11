import { createHmac, generateKeyPairSync, JsonWebKey, KeyObject } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { sign } from 'jsonwebtoken';

/** Tokens crafted by hand, to prove what the gateway refuses (and accepts from an external IdP). */

export interface RsaKey {
  kid: string;
  privateKey: KeyObject;
  publicKey: KeyObject;
  jwk: JsonWebKey & { kid: string; alg: 'RS256'; use: 'sig' };
}

export function generateRsaKey(kid: string): RsaKey {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return {
    kid,
    privateKey,
    publicKey,
    jwk: { ...publicKey.export({ format: 'jwk' }), kid, alg: 'RS256', use: 'sig' },
  };
}

export interface Claims {
  iss?: string;
  aud?: string;
  sub?: string;
  scope?: string;
  exp?: number;
  iat?: number;
  [claim: string]: unknown;
}

export const nowSeconds = (): number => Math.floor(Date.now() / 1000);

/** Valid-looking claims for 5 minutes; override any of them. */
export function claims(overrides: Claims = {}): Claims {
  const now = nowSeconds();
  return {
    iss: 'revgate-dev-issuer',
    aud: 'revgate',
    sub: 'crafted-client',
    scope: 'crm:read',
    iat: now,
    exp: now + 300,
    ...overrides,
  };
}

/** RS256 with the given private key; the claims are taken as they are (no defaults added). */
export function signRs256(privateKey: KeyObject, payload: Claims, kid?: string): string {
  return sign(payload, privateKey, {
    algorithm: 'RS256',
    ...(kid === undefined ? {} : { keyid: kid }),
  });
}

export const base64urlJson = (value: unknown): string =>
  Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');

/** `alg: none`: header and payload, and an empty signature. */
export function unsignedToken(payload: Claims): string {
  return `${base64urlJson({ alg: 'none', typ: 'JWT' })}.${base64urlJson(payload)}.`;
}

/** HS256 keyed with `secret`, e.g. a server's public key PEM (the algorithm confusion attack). */
export function hs256Token(secret: string, payload: Claims, kid?: string): string {
  const signingInput = `${base64urlJson({ alg: 'HS256', typ: 'JWT', ...(kid === undefined ? {} : { kid }) })}.${base64urlJson(payload)}`;
  return `${signingInput}.${createHmac('sha256', secret).update(signingInput).digest('base64url')}`;
}

export interface JwksServer {
  url: string;
  /** How many times the JWKS was fetched. */
  requests(): number;
  close(): Promise<void>;
}

/** A stand-in identity provider: serves a JWKS on a loopback port. */
export async function startJwksServer(keys: RsaKey[]): Promise<JwksServer> {
  let count = 0;
  const body = JSON.stringify({ keys: keys.map((k) => k.jwk) });
  const server = createServer((req, res) => {
    count++;
    if (req.url !== '/.well-known/jwks.json') {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' }).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/.well-known/jwks.json`,
    requests: () => count,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((e) => (e ? reject(e) : resolve()));
      }),
  };
}
