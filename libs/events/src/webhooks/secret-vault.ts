import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { existsSync, linkSync, mkdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError } from '@revgate/platform';

const KEY_BYTES = 32;
const IV_BYTES = 12;
const FORMAT = 'v1';

/** A new signing secret: `whsec_` and 32 random bytes in base64url. */
export function generateWebhookSecret(): string {
  return `whsec_${randomBytes(32).toString('base64url')}`;
}

/** Reads WEBHOOK_SECRETS_KEY: comma-separated base64 keys of 32 bytes. */
export function parseSecretsKeys(value: string): Buffer[] {
  const parts = value
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean);
  if (parts.length === 0) throw new ConfigError(['must hold at least one key']);
  return parts.map((part, i) => {
    const key = /^[A-Za-z0-9+/_-]+={0,2}$/.test(part) ? Buffer.from(part, 'base64') : undefined;
    if (key?.length !== KEY_BYTES) {
      throw new ConfigError([
        `key ${i + 1} must be ${KEY_BYTES} bytes in base64 (e.g. the output of openssl rand -base64 32)`,
      ]);
    }
    return key;
  });
}

/**
 * The key of the embedded default when WEBHOOK_SECRETS_KEY is not set: generated on first start and
 * kept beside the development signing key, so secrets survive restarts on this machine.
 */
export function loadOrCreateSecretsKey(dataDir: string): Buffer {
  const dir = join(dataDir, 'keys');
  const file = join(dir, 'webhook-secrets.key');
  if (!existsSync(file)) {
    mkdirSync(dataDir, { recursive: true });
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const tmp = `${file}.${process.pid}.tmp`;
    writeFileSync(tmp, randomBytes(KEY_BYTES).toString('base64'), { mode: 0o600 });
    try {
      linkSync(tmp, file); // atomic: if another app of the same data folder won the race, keep its key
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    } finally {
      unlinkSync(tmp);
    }
  }
  const [key] = parseSecretsKeys(readFileSync(file, 'utf8'));
  return key;
}

const keyId = (key: Buffer): string => createHash('sha256').update(key).digest('hex').slice(0, 12);

/**
 * Signing secrets must be readable to sign, so they cannot be hashed; they are stored encrypted
 * (AES-256-GCM) under a key that is not in the database, bound to the row they belong to (the
 * additional authenticated data), so a database dump or a copied column gives nothing away.
 */
export class SecretVault {
  private readonly keys: Map<string, Buffer>;
  private readonly sealingId: string;

  constructor(keys: readonly Buffer[]) {
    if (keys.length === 0) throw new Error('SecretVault needs at least one key');
    this.keys = new Map(keys.map((k) => [keyId(k), k]));
    this.sealingId = keyId(keys[0]);
  }

  /** `v1.<key id>.<iv>.<ciphertext>.<tag>`, base64url; `context` must be given again to open it. */
  seal(plaintext: string, context: string): string {
    const key = this.keys.get(this.sealingId);
    if (!key) throw new Error('sealing key missing');
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', key, iv);
    cipher.setAAD(Buffer.from(context, 'utf8'));
    const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return [
      FORMAT,
      this.sealingId,
      iv.toString('base64url'),
      ciphertext.toString('base64url'),
      cipher.getAuthTag().toString('base64url'),
    ].join('.');
  }

  open(sealed: string, context: string): string {
    const [format, id, iv, ciphertext, tag] = sealed.split('.');
    if (format !== FORMAT || !id || !iv || !ciphertext || !tag)
      throw new Error('not a sealed secret');
    const key = this.keys.get(id);
    if (!key) {
      throw new Error(
        `the secret was sealed with key ${id}, which WEBHOOK_SECRETS_KEY does not hold (keys: ${[...this.keys.keys()].join(', ')})`,
      );
    }
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
    decipher.setAAD(Buffer.from(context, 'utf8'));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([
      decipher.update(Buffer.from(ciphertext, 'base64url')),
      decipher.final(),
    ]).toString('utf8');
  }
}
