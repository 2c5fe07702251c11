import { applyDecorators } from '@nestjs/common';
import { IsBoolean, IsInt, IsOptional, IsString, Max, Min, ValidateBy } from 'class-validator';
import { BaseConfig, ConfigError, toBool, toInt } from '@revgate/platform';
import { parseSecretsKeys } from './webhooks/secret-vault';

const int = (name: string, min: number, max: number): PropertyDecorator => {
  const message = `${name} must be an integer from ${min} to ${max}`;
  return applyDecorators(toInt(), IsInt({ message }), Min(min, { message }), Max(max, { message }));
};

/**
 * The variables of an app that produces events: its outbox relay and webhook deliveries. A
 * producing app's config class extends this one instead of BaseConfig.
 */
export class EventsConfig extends BaseConfig {
  /** Run the relay (fan-out and delivery) in this process. Several processes may run it at once. */
  @toBool()
  @IsBoolean({ message: 'OUTBOX_RELAY_ENABLED must be true or false' })
  OUTBOX_RELAY_ENABLED = true;

  /** Pause between relay cycles when there was nothing to do. */
  @int('OUTBOX_RELAY_POLL_MS', 50, 60000)
  OUTBOX_RELAY_POLL_MS = 1000;

  /** Outbox events fanned out per transaction. */
  @int('OUTBOX_RELAY_BATCH_SIZE', 1, 1000)
  OUTBOX_RELAY_BATCH_SIZE = 100;

  /** Deliveries sent at once by one process. */
  @int('WEBHOOK_DELIVERY_CONCURRENCY', 1, 64)
  WEBHOOK_DELIVERY_CONCURRENCY = 8;

  /** How long one delivery attempt may take (connect, send, response headers). */
  @int('WEBHOOK_TIMEOUT_MS', 100, 60000)
  WEBHOOK_TIMEOUT_MS = 10000;

  /** Attempts before a delivery is dead; the default schedule spreads 30 over about 24 hours. */
  @int('WEBHOOK_MAX_ATTEMPTS', 1, 100)
  WEBHOOK_MAX_ATTEMPTS = 30;

  /** Delay before the first retry; each next one is three times longer, up to the maximum. */
  @int('WEBHOOK_RETRY_BASE_SECONDS', 1, 3600)
  WEBHOOK_RETRY_BASE_SECONDS = 10;

  @int('WEBHOOK_RETRY_MAX_DELAY_SECONDS', 1, 86400)
  WEBHOOK_RETRY_MAX_DELAY_SECONDS = 3600;

  /** How long a rotated-out secret keeps signing alongside the new one, unless the rotation says. */
  @int('WEBHOOK_SECRET_GRACE_HOURS', 0, 168)
  WEBHOOK_SECRET_GRACE_HOURS = 24;

  /** Events one replay by time range may send. */
  @int('WEBHOOK_REPLAY_MAX_EVENTS', 1, 100000)
  WEBHOOK_REPLAY_MAX_EVENTS = 10000;

  /** Accept http:// subscription URLs (development and tests); https only otherwise. */
  @toBool()
  @IsBoolean({ message: 'WEBHOOK_ALLOW_HTTP must be true or false' })
  WEBHOOK_ALLOW_HTTP = false;

  /**
   * Let subscriptions point at loopback, private, link-local and other non-public addresses (tests,
   * or receivers inside your own network). Off, such targets are refused at creation and at delivery.
   */
  @toBool()
  @IsBoolean({ message: 'WEBHOOK_ALLOW_PRIVATE_TARGETS must be true or false' })
  WEBHOOK_ALLOW_PRIVATE_TARGETS = false;

  /**
   * Comma-separated base64 32-byte keys that encrypt the signing secrets at rest (AES-256-GCM);
   * the first encrypts, every one decrypts (to change keys, put the new one first). Unset: a key
   * generated on first start in REVGATE_DATA_DIR/keys, fine for one machine only.
   */
  @IsOptional()
  @IsString()
  @ValidateBy({
    name: 'secretsKeys',
    validator: {
      validate: (value: unknown) => typeof value === 'string' && keysProblem(value) === undefined,
      defaultMessage: (args) =>
        `WEBHOOK_SECRETS_KEY ${typeof args?.value === 'string' ? (keysProblem(args.value) ?? '') : 'must be a string'}`,
    },
  })
  WEBHOOK_SECRETS_KEY?: string;
}

function keysProblem(value: string): string | undefined {
  try {
    parseSecretsKeys(value);
    return undefined;
  } catch (e) {
    return e instanceof ConfigError ? e.problems.join('; ') : String(e);
  }
}
