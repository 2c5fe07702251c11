import { plainToInstance, Transform } from 'class-transformer';
import {
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUrl,
  Matches,
  Max,
  ValidateIf,
  Min,
  validateSync,
  ValidationError,
} from 'class-validator';

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

export const toInt = (): PropertyDecorator =>
  Transform(({ value }: { value: unknown }) =>
    typeof value === 'string' && /^-?\d+$/.test(value.trim()) ? Number(value) : value,
  );

export const toBool = (): PropertyDecorator =>
  Transform(({ value }: { value: unknown }) => {
    if (typeof value !== 'string') return value;
    const v = value.trim().toLowerCase();
    if (['true', '1', 'yes', 'on'].includes(v)) return true;
    if (['false', '0', 'no', 'off'].includes(v)) return false;
    return value;
  });

/**
 * Variables every app understands. Property names are the environment variable names, so an error
 * message names exactly what the operator has to fix.
 */
export class BaseConfig {
  @IsOptional()
  @IsString()
  HOST = '127.0.0.1';

  /** Each app sets its own default port. */
  @toInt()
  @IsInt({ message: 'PORT must be an integer from 0 to 65535' })
  @Min(0, { message: 'PORT must be an integer from 0 to 65535' })
  @Max(65535, { message: 'PORT must be an integer from 0 to 65535' })
  PORT = 3000;

  @IsOptional()
  @IsUrl(
    { protocols: ['postgres', 'postgresql'], require_tld: false, require_protocol: true },
    { message: 'DATABASE_URL must be a postgres:// URL, e.g. postgres://user:pass@host:5432/db' },
  )
  DATABASE_URL?: string;

  @IsString()
  REVGATE_DATA_DIR = '.revgate';

  @toInt()
  @IsInt({ message: 'EMBEDDED_PG_PORT must be an integer from 1024 to 65535' })
  @Min(1024, { message: 'EMBEDDED_PG_PORT must be an integer from 1024 to 65535' })
  @Max(65535, { message: 'EMBEDDED_PG_PORT must be an integer from 1024 to 65535' })
  EMBEDDED_PG_PORT = 54329;

  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], {
    message: 'LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent',
  })
  LOG_LEVEL = 'info';

  @toInt()
  @IsInt({ message: 'BODY_LIMIT_BYTES must be an integer from 1024 to 104857600' })
  @Min(1024, { message: 'BODY_LIMIT_BYTES must be an integer from 1024 to 104857600' })
  @Max(104857600, { message: 'BODY_LIMIT_BYTES must be an integer from 1024 to 104857600' })
  BODY_LIMIT_BYTES = 1048576;

  @toInt()
  @IsInt({ message: 'SHUTDOWN_TIMEOUT_MS must be an integer from 100 to 120000' })
  @Min(100, { message: 'SHUTDOWN_TIMEOUT_MS must be an integer from 100 to 120000' })
  @Max(120000, { message: 'SHUTDOWN_TIMEOUT_MS must be an integer from 100 to 120000' })
  SHUTDOWN_TIMEOUT_MS = 10000;

  /** `dev`: the built-in issuer signs tokens at POST /auth/token. `jwks`: tokens come from an external IdP. */
  @IsIn(['dev', 'jwks'], { message: 'AUTH_MODE must be dev or jwks' })
  AUTH_MODE = 'dev';

  @ValidateIf((c: BaseConfig) => c.AUTH_MODE === 'jwks' || c.AUTH_JWKS_URL !== undefined)
  @IsUrl(
    { protocols: ['http', 'https'], require_tld: false, require_protocol: true },
    { message: "AUTH_JWKS_URL must be the http(s) URL of the IdP's JWKS when AUTH_MODE=jwks" },
  )
  AUTH_JWKS_URL?: string;

  /** The `iss` tokens must carry. */
  @IsString()
  @Matches(/\S/, { message: 'AUTH_ISSUER must not be blank' })
  AUTH_ISSUER = 'revgate-dev-issuer';

  /** The `aud` tokens must carry. */
  @IsString()
  @Matches(/\S/, { message: 'AUTH_AUDIENCE must not be blank' })
  AUTH_AUDIENCE = 'revgate';

  /** JSON array of `{clientId, clientSecret, scopes[], legalEntities?[], customerId?}` for the dev issuer. */
  @IsOptional()
  @IsString()
  AUTH_DEV_CLIENTS?: string;

  /** Accept that the development issuer, with its published demo clients, is reachable off this machine. */
  @toBool()
  @IsBoolean({ message: 'AUTH_DEV_ISSUER_EXPOSED must be true or false' })
  AUTH_DEV_ISSUER_EXPOSED = false;

  @toInt()
  @IsInt({ message: 'AUTH_TOKEN_TTL_SECONDS must be an integer from 60 to 86400' })
  @Min(60, { message: 'AUTH_TOKEN_TTL_SECONDS must be an integer from 60 to 86400' })
  @Max(86400, { message: 'AUTH_TOKEN_TTL_SECONDS must be an integer from 60 to 86400' })
  AUTH_TOKEN_TTL_SECONDS = 3600;

  /**
   * Seconds a verified access token is remembered (at most until its `exp`), so a caller's next
   * requests skip the signature check; 0 verifies every request. A key the IdP withdraws stops
   * being accepted within this time.
   */
  @toInt()
  @IsInt({ message: 'AUTH_VERIFIED_TOKEN_CACHE_SECONDS must be an integer from 0 to 300' })
  @Min(0, { message: 'AUTH_VERIFIED_TOKEN_CACHE_SECONDS must be an integer from 0 to 300' })
  @Max(300, { message: 'AUTH_VERIFIED_TOKEN_CACHE_SECONDS must be an integer from 0 to 300' })
  AUTH_VERIFIED_TOKEN_CACHE_SECONDS = 60;

  /** Requests per minute per caller (token subject, or client address before authentication); 0 turns the limit off. */
  @toInt()
  @IsInt({ message: 'RATE_LIMIT_PER_MINUTE must be an integer from 0 to 1000000' })
  @Min(0, { message: 'RATE_LIMIT_PER_MINUTE must be an integer from 0 to 1000000' })
  @Max(1000000, { message: 'RATE_LIMIT_PER_MINUTE must be an integer from 0 to 1000000' })
  RATE_LIMIT_PER_MINUTE = 1200;

  /** How long Idempotency-Key results are kept; at least 24 hours. */
  @toInt()
  @IsInt({ message: 'IDEMPOTENCY_TTL_HOURS must be an integer from 24 to 720' })
  @Min(24, { message: 'IDEMPOTENCY_TTL_HOURS must be an integer from 24 to 720' })
  @Max(720, { message: 'IDEMPOTENCY_TTL_HOURS must be an integer from 24 to 720' })
  IDEMPOTENCY_TTL_HOURS = 24;

  /** Set by `npm start` when it hands its embedded database to the apps (so demo data is seeded). */
  @toBool()
  @IsBoolean({ message: 'REVGATE_EMBEDDED must be true or false' })
  REVGATE_EMBEDDED = false;

  /** Serve Swagger UI and the JSON spec. */
  @toBool()
  @IsBoolean({ message: 'DOCS_ENABLED must be true or false' })
  DOCS_ENABLED = true;
}

const LOOPBACK = /^(127(?:\.\d{1,3}){3}|::1|\[::1\]|localhost)$/i;

/** Rules that span several variables; each problem names the variable to change. */
export function crossCheck(config: BaseConfig): string[] {
  const problems: string[] = [];
  if (
    config.AUTH_MODE === 'dev' &&
    !LOOPBACK.test(config.HOST) &&
    config.AUTH_DEV_CLIENTS === undefined &&
    !config.AUTH_DEV_ISSUER_EXPOSED
  ) {
    problems.push(
      `AUTH_MODE: the development issuer and its published demo clients would be reachable on HOST=${config.HOST}; use AUTH_MODE=jwks with your identity provider, set AUTH_DEV_CLIENTS to clients of your own, or set AUTH_DEV_ISSUER_EXPOSED=true to accept the risk`,
    );
  }
  if (config.AUTH_JWKS_URL !== undefined) {
    const url = new URL(config.AUTH_JWKS_URL);
    if (url.protocol !== 'https:' && !LOOPBACK.test(url.hostname)) {
      problems.push('AUTH_JWKS_URL: must be https (plain http is accepted on loopback only)');
    }
  }
  return problems;
}

/** True on the embedded default: no external database was configured. */
export function isEmbeddedDefault(config: BaseConfig): boolean {
  return config.DATABASE_URL === undefined || config.REVGATE_EMBEDDED;
}

/** Variables whose value is a credential: an error names them, never repeats their value. */
const SECRET_NAME = /(PASSWORD|SECRET|PRIVATE_KEY)$/;

/** The offending value, for the operator, but never a credential or the password of a URL in it. */
function shown(value: unknown, name = ''): string {
  if (value === undefined) return 'it is not set';
  if (SECRET_NAME.test(name)) return 'the value is not shown';
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return `got ${JSON.stringify(text.replace(/(\/\/[^/:@\s]*:)\S*@/g, '$1***@'))}`;
}

function flatten(errors: ValidationError[], prefix = ''): string[] {
  return errors.flatMap((e) => {
    const name = prefix + e.property;
    const own = Object.values(e.constraints ?? {}).map(
      (m) =>
        `${name}: ${m.startsWith(name) ? m.slice(name.length).trim() : m} (${shown(e.value, name)})`,
    );
    return [...own, ...flatten(e.children ?? [], `${name}.`)];
  });
}

/** Reads and validates configuration; throws a ConfigError naming every bad variable. */
export function loadConfig<T extends object>(
  cls: new () => T,
  env: Record<string, string | undefined> = process.env,
): T {
  const defined = Object.fromEntries(
    Object.entries(env).filter(([, v]) => v !== undefined && v !== ''),
  );
  const instance = plainToInstance(cls, defined, { exposeDefaultValues: true });
  const errors = validateSync(instance, { whitelist: true, forbidUnknownValues: false });
  // Several constraints of one variable often share a message: say it once.
  if (errors.length > 0) throw new ConfigError([...new Set(flatten(errors))]);
  if (instance instanceof BaseConfig) {
    const problems = crossCheck(instance);
    if (problems.length > 0) throw new ConfigError(problems);
  }
  return instance;
}
