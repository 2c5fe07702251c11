import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from '@revgate/platform';
import {
  generateWebhookSecret,
  loadOrCreateSecretsKey,
  parseSecretsKeys,
  SecretVault,
} from './secret-vault';

describe('secret vault', () => {
  const key = randomBytes(32);
  const vault = new SecretVault([key]);

  it('makes whsec_ secrets of 32 random bytes, never the same twice', () => {
    const a = generateWebhookSecret();
    expect(a).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
    expect(generateWebhookSecret()).not.toBe(a);
  });

  it('seals and opens; the sealed form does not contain the secret', () => {
    const secret = generateWebhookSecret();
    const sealed = vault.seal(secret, 'sub-1');
    expect(sealed).not.toContain(secret.slice(6));
    expect(sealed).toMatch(/^v1\.[0-9a-f]{12}\./);
    expect(vault.open(sealed, 'sub-1')).toBe(secret);
    expect(vault.seal(secret, 'sub-1')).not.toBe(sealed); // a fresh IV each time
  });

  it('refuses a sealed secret moved to another row, tampered with, or under an unknown key', () => {
    const sealed = vault.seal('whsec_x', 'sub-1');
    expect(() => vault.open(sealed, 'sub-2')).toThrow();
    const parts = sealed.split('.');
    parts[3] = Buffer.from('tampered').toString('base64url');
    expect(() => vault.open(parts.join('.'), 'sub-1')).toThrow();
    expect(() => new SecretVault([randomBytes(32)]).open(sealed, 'sub-1')).toThrow(
      /WEBHOOK_SECRETS_KEY/,
    );
  });

  it('changes keys: the first key seals, the others still open what they sealed', () => {
    const next = randomBytes(32);
    const old = vault.seal('whsec_old', 'sub-1');
    const rotated = new SecretVault([next, key]);
    expect(rotated.open(old, 'sub-1')).toBe('whsec_old');
    const fresh = rotated.seal('whsec_new', 'sub-1');
    expect(new SecretVault([next]).open(fresh, 'sub-1')).toBe('whsec_new');
    expect(() => vault.open(fresh, 'sub-1')).toThrow();
  });

  it('reads WEBHOOK_SECRETS_KEY and says what is wrong with it', () => {
    const a = randomBytes(32).toString('base64');
    const b = randomBytes(32).toString('base64');
    expect(parseSecretsKeys(`${a}, ${b}`).map((k) => k.toString('base64'))).toEqual([a, b]);
    expect(() => parseSecretsKeys(randomBytes(16).toString('base64'))).toThrow(ConfigError);
    expect(() => parseSecretsKeys('not base64!')).toThrow(ConfigError);
    expect(() => parseSecretsKeys(' , ')).toThrow(ConfigError);
  });

  it('generates the embedded default key once, private to its owner, and reuses it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'revgate-vault-'));
    try {
      const first = loadOrCreateSecretsKey(dir);
      expect(loadOrCreateSecretsKey(dir).equals(first)).toBe(true);
      const file = join(dir, 'keys', 'webhook-secrets.key');
      expect(statSync(file).mode & 0o777).toBe(0o600);
      expect(Buffer.from(readFileSync(file, 'utf8'), 'base64').equals(first)).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
