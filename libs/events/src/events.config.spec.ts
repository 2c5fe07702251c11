import { randomBytes } from 'node:crypto';
import { ConfigError, loadConfig } from '@revgate/platform';
import { EventsConfig } from './events.config';

function problems(env: Record<string, string>): string[] {
  try {
    loadConfig(EventsConfig, env);
    return [];
  } catch (e) {
    if (e instanceof ConfigError) return e.problems;
    throw e;
  }
}

describe('EventsConfig', () => {
  it('has safe defaults: relay on, https only, no private targets, a day of retries', () => {
    const config = loadConfig(EventsConfig, {});
    expect(config).toMatchObject({
      OUTBOX_RELAY_ENABLED: true,
      OUTBOX_RELAY_POLL_MS: 1000,
      WEBHOOK_TIMEOUT_MS: 10000,
      WEBHOOK_MAX_ATTEMPTS: 30,
      WEBHOOK_RETRY_BASE_SECONDS: 10,
      WEBHOOK_RETRY_MAX_DELAY_SECONDS: 3600,
      WEBHOOK_SECRET_GRACE_HOURS: 24,
      WEBHOOK_ALLOW_HTTP: false,
      WEBHOOK_ALLOW_PRIVATE_TARGETS: false,
    });
    expect(config.WEBHOOK_SECRETS_KEY).toBeUndefined();
  });

  it('reads the variables', () => {
    const key = randomBytes(32).toString('base64');
    const config = loadConfig(EventsConfig, {
      OUTBOX_RELAY_ENABLED: 'false',
      WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true',
      WEBHOOK_MAX_ATTEMPTS: '5',
      WEBHOOK_SECRETS_KEY: key,
    });
    expect(config).toMatchObject({
      OUTBOX_RELAY_ENABLED: false,
      WEBHOOK_ALLOW_PRIVATE_TARGETS: true,
      WEBHOOK_MAX_ATTEMPTS: 5,
      WEBHOOK_SECRETS_KEY: key,
    });
  });

  it('names each bad variable', () => {
    expect(
      problems({
        OUTBOX_RELAY_ENABLED: 'maybe',
        WEBHOOK_MAX_ATTEMPTS: '0',
        WEBHOOK_TIMEOUT_MS: 'fast',
        WEBHOOK_SECRETS_KEY: 'short',
      }),
    ).toEqual([
      expect.stringContaining('OUTBOX_RELAY_ENABLED: must be true or false'),
      expect.stringContaining('WEBHOOK_TIMEOUT_MS: must be an integer from 100 to 60000'),
      expect.stringContaining('WEBHOOK_MAX_ATTEMPTS: must be an integer from 1 to 100'),
      expect.stringContaining('WEBHOOK_SECRETS_KEY: key 1 must be 32 bytes in base64'),
    ]);
  });
});
