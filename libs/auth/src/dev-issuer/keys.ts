import {
  createHash,
  createPublicKey,
  generateKeyPairSync,
  KeyObject,
  createPrivateKey,
  JsonWebKey,
} from 'node:crypto';
import { existsSync, linkSync, mkdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface SigningKey {
  kid: string;
  privateKey: KeyObject;
  publicKey: KeyObject;
  publicPem: string;
  jwk: JsonWebKey & { kid: string; alg: string; use: string };
}

function fromPrivatePem(pem: string): SigningKey {
  const privateKey = createPrivateKey(pem);
  const publicKey = createPublicKey(privateKey);
  const exported = publicKey.export({ format: 'jwk' });
  // RFC 7638 thumbprint as key id
  const kid = createHash('sha256')
    .update(JSON.stringify({ e: exported.e, kty: exported.kty, n: exported.n }))
    .digest('base64url');
  return {
    kid,
    privateKey,
    publicKey,
    publicPem: publicKey.export({ format: 'pem', type: 'spki' }).toString(),
    jwk: { ...exported, kid, alg: 'RS256', use: 'sig' },
  };
}

/**
 * The development issuer's RS256 key: generated on first start, then kept in the data folder so
 * tokens survive restarts and every app of the embedded default verifies the same signatures.
 */
export function loadOrCreateSigningKey(dataDir: string): SigningKey {
  const dir = join(dataDir, 'keys');
  const file = join(dir, 'dev-issuer.private.pem');
  if (!existsSync(file)) {
    // The data folder stays traversable (the embedded database runs as another user); keys/ does not.
    mkdirSync(dataDir, { recursive: true });
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const tmp = `${file}.${process.pid}.tmp`;
    writeFileSync(tmp, privateKey.export({ format: 'pem', type: 'pkcs8' }), { mode: 0o600 });
    try {
      linkSync(tmp, file); // atomic: if another process won the race, keep its key
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    } finally {
      unlinkSync(tmp);
    }
  }
  return fromPrivatePem(readFileSync(file, 'utf8'));
}
