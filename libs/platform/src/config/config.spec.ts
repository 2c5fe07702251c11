import { IsIn, Matches } from 'class-validator';
import { BaseConfig, ConfigError, isEmbeddedDefault, loadConfig } from './config';

class AppConfig extends BaseConfig {
  @IsIn(['a', 'b'], { message: 'FLAVOUR must be a or b' })
  FLAVOUR = 'a';
}

function configError(
  env: Record<string, string | undefined>,
  cls: new () => BaseConfig = AppConfig,
): ConfigError {
  try {
    loadConfig(cls, env);
  } catch (e) {
    if (e instanceof ConfigError) return e;
    throw e;
  }
  throw new Error('loadConfig accepted an invalid configuration');
}

describe('loadConfig', () => {
  it('applies the defaults when nothing is set', () => {
    const config = loadConfig(AppConfig, {});
    expect(config).toBeInstanceOf(AppConfig);
    expect(config).toMatchObject({
      HOST: '127.0.0.1',
      PORT: 3000,
      DATABASE_URL: undefined,
      EMBEDDED_PG_PORT: 54329,
      LOG_LEVEL: 'info',
      BODY_LIMIT_BYTES: 1048576,
      AUTH_MODE: 'dev',
      AUTH_ISSUER: 'revgate-dev-issuer',
      AUTH_AUDIENCE: 'revgate',
      AUTH_TOKEN_TTL_SECONDS: 3600,
      AUTH_VERIFIED_TOKEN_CACHE_SECONDS: 60,
      IDEMPOTENCY_TTL_HOURS: 24,
      REVGATE_EMBEDDED: false,
      DOCS_ENABLED: true,
      FLAVOUR: 'a',
    });
    expect(isEmbeddedDefault(config)).toBe(true);
  });

  it('treats empty variables as unset', () => {
    expect(loadConfig(AppConfig, { PORT: '', LOG_LEVEL: '', DATABASE_URL: '' })).toMatchObject({
      PORT: 3000,
      LOG_LEVEL: 'info',
      DATABASE_URL: undefined,
    });
  });

  it('converts integers and booleans from their string form', () => {
    const config = loadConfig(AppConfig, {
      PORT: ' 8080 ',
      BODY_LIMIT_BYTES: '2048',
      DOCS_ENABLED: 'off',
      REVGATE_EMBEDDED: 'YES',
      DATABASE_URL: 'postgres://app:pw@db.internal:5432/revgate',
    });
    expect(config).toMatchObject({
      PORT: 8080,
      BODY_LIMIT_BYTES: 2048,
      DOCS_ENABLED: false,
      REVGATE_EMBEDDED: true,
    });
    expect(isEmbeddedDefault(config)).toBe(true); // REVGATE_EMBEDDED wins over DATABASE_URL
    expect(
      isEmbeddedDefault(loadConfig(AppConfig, { DATABASE_URL: 'postgresql://localhost/revgate' })),
    ).toBe(false);
  });

  it('ignores variables it does not know', () => {
    const config = loadConfig(AppConfig, { PATH: '/usr/bin', HOME: '/root' });
    expect(config).not.toHaveProperty('PATH');
    expect(config).not.toHaveProperty('HOME');
  });

  it.each(['abc', '3000.5', '-1', '65536', '1e3'])(
    'refuses PORT=%s, naming the variable and the expected range',
    (port) => {
      const error = configError({ PORT: port });
      expect(error.name).toBe('ConfigError');
      expect(error.problems).toHaveLength(1);
      expect(error.problems[0]).toMatch(/^PORT: must be an integer from 0 to 65535 \(got "/);
      expect(error.message).toContain('PORT');
      expect(error.message).toContain('integer from 0 to 65535');
      expect(error.message).toContain(JSON.stringify(port));
    },
  );

  it.each(['-1', '301', '1.5', 'a minute'])(
    'refuses AUTH_VERIFIED_TOKEN_CACHE_SECONDS=%s (0 turns the cache off, 300 at most)',
    (seconds) => {
      const error = configError({ AUTH_VERIFIED_TOKEN_CACHE_SECONDS: seconds });
      expect(error.problems).toEqual([
        `AUTH_VERIFIED_TOKEN_CACHE_SECONDS: must be an integer from 0 to 300 (got ${JSON.stringify(seconds)})`,
      ]);
    },
  );

  it('takes AUTH_VERIFIED_TOKEN_CACHE_SECONDS=0 (verify every request)', () => {
    expect(
      loadConfig(AppConfig, { AUTH_VERIFIED_TOKEN_CACHE_SECONDS: '0' })
        .AUTH_VERIFIED_TOKEN_CACHE_SECONDS,
    ).toBe(0);
  });

  it.each([
    'not a url',
    'mysql://user@db:3306/revgate',
    'postgres://',
    'http://db.internal/revgate',
  ])('refuses DATABASE_URL=%s, saying a postgres:// URL is expected', (url) => {
    const error = configError({ DATABASE_URL: url });
    expect(error.problems).toHaveLength(1);
    expect(error.problems[0]).toMatch(/^DATABASE_URL: must be a postgres:\/\/ URL/);
  });

  it('does not repeat the password of a bad DATABASE_URL', () => {
    const error = configError({ DATABASE_URL: 'mysql://admin:hunter2-secret@db:3306/revgate' });
    expect(error.message).toContain('DATABASE_URL');
    expect(error.message).not.toContain('hunter2-secret');
    expect(error.message).toContain('(got "mysql://admin:***@db:3306/revgate")');
  });

  it('never repeats the value of a variable that holds a credential', () => {
    class WithSecret extends BaseConfig {
      @Matches(/^\S{12,}$/, { message: 'SOME_API_PASSWORD must be at least 12 characters' })
      SOME_API_PASSWORD = 'a-long-enough-one';
    }
    const error = configError({ SOME_API_PASSWORD: 'hunter2' }, WithSecret);
    expect(error.problems).toEqual([
      'SOME_API_PASSWORD: must be at least 12 characters (the value is not shown)',
    ]);
    expect(error.message).not.toContain('hunter2');
  });

  it('accepts postgres and postgresql URLs', () => {
    for (const url of [
      'postgres://u:p@127.0.0.1:5432/db',
      'postgresql://u@localhost/db',
      'postgres://u:p@db.example.com/db',
    ]) {
      expect(loadConfig(AppConfig, { DATABASE_URL: url }).DATABASE_URL).toBe(url);
    }
  });

  it('lists every bad variable at once', () => {
    const error = configError({
      PORT: 'x',
      LOG_LEVEL: 'loud',
      FLAVOUR: 'c',
      DOCS_ENABLED: 'maybe',
    });
    expect(error.problems.map((p) => p.split(':')[0]).sort()).toEqual([
      'DOCS_ENABLED',
      'FLAVOUR',
      'LOG_LEVEL',
      'PORT',
    ]);
    expect(error.message).toMatch(/^Invalid configuration:\n {2}- /);
  });

  it('refuses AUTH_MODE=jwks without AUTH_JWKS_URL', () => {
    const error = configError({ AUTH_MODE: 'jwks' });
    expect(error.problems).toHaveLength(1);
    expect(error.problems[0]).toMatch(/^AUTH_JWKS_URL: .*AUTH_MODE=jwks.*\(it is not set\)$/);
  });

  it('refuses a JWKS URL that is not http(s)', () => {
    const error = configError({ AUTH_MODE: 'jwks', AUTH_JWKS_URL: 'ftp://idp.example.com/jwks' });
    expect(error.problems[0]).toMatch(/^AUTH_JWKS_URL: /);
  });

  it('accepts AUTH_MODE=jwks with an http(s) AUTH_JWKS_URL', () => {
    const config = loadConfig(AppConfig, {
      AUTH_MODE: 'jwks',
      AUTH_JWKS_URL: 'http://127.0.0.1:4444/.well-known/jwks.json',
    });
    expect(config).toMatchObject({
      AUTH_MODE: 'jwks',
      AUTH_JWKS_URL: 'http://127.0.0.1:4444/.well-known/jwks.json',
    });
  });

  it('refuses an unknown AUTH_MODE and a blank issuer', () => {
    const error = configError({ AUTH_MODE: 'saml', AUTH_ISSUER: '   ' });
    expect(error.problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^AUTH_MODE: must be dev or jwks/),
        expect.stringMatching(/^AUTH_ISSUER: must not be blank/),
      ]),
    );
  });

  it('keeps idempotency keys at least 24 hours', () => {
    expect(configError({ IDEMPOTENCY_TTL_HOURS: '23' }).problems[0]).toMatch(
      /^IDEMPOTENCY_TTL_HOURS: must be an integer from 24 to 720/,
    );
    expect(loadConfig(AppConfig, { IDEMPOTENCY_TTL_HOURS: '48' }).IDEMPOTENCY_TTL_HOURS).toBe(48);
  });
});

describe('rules that span variables', () => {
  it('refuses the development issuer on a public interface unless clients are set or the risk accepted', () => {
    expect(() => loadConfig(BaseConfig, { HOST: '0.0.0.0' })).toThrow(
      /AUTH_MODE: the development issuer/,
    );
    expect(loadConfig(BaseConfig, { HOST: '0.0.0.0', AUTH_DEV_ISSUER_EXPOSED: 'true' }).HOST).toBe(
      '0.0.0.0',
    );
    expect(
      loadConfig(BaseConfig, { HOST: '0.0.0.0', AUTH_DEV_CLIENTS: '[]' }).AUTH_DEV_CLIENTS,
    ).toBe('[]');
    expect(loadConfig(BaseConfig, { HOST: '::1' }).HOST).toBe('::1');
    expect(
      loadConfig(BaseConfig, {
        HOST: '0.0.0.0',
        AUTH_MODE: 'jwks',
        AUTH_JWKS_URL: 'https://idp.example.com/jwks',
      }).AUTH_MODE,
    ).toBe('jwks');
  });

  it('wants the JWKS over https, except on loopback', () => {
    expect(() =>
      loadConfig(BaseConfig, { AUTH_MODE: 'jwks', AUTH_JWKS_URL: 'http://idp.example.com/jwks' }),
    ).toThrow('AUTH_JWKS_URL: must be https');
    expect(
      loadConfig(BaseConfig, { AUTH_MODE: 'jwks', AUTH_JWKS_URL: 'http://127.0.0.1:9999/jwks' })
        .AUTH_JWKS_URL,
    ).toBe('http://127.0.0.1:9999/jwks');
  });
});
