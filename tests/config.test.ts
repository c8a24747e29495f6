import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../lib/config';

describe('config', () => {
  it('runs on embedded defaults outside Vercel with nothing set', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({ deployed: false, region: 'local', postgres: undefined, kv: undefined });
  });

  it('names every missing production variable on a deployment', () => {
    try {
      loadConfig({ VERCEL_ENV: 'production', POSTGRES_URL: 'postgres://u@db-pooler.example/x' });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).variables).toEqual([
        'KV_REST_API_URL',
        'KV_REST_API_TOKEN',
        'CRON_SECRET',
        'IDENTIFIER_HASH_SECRET',
        'APP_URL',
        'RESEND_API_KEY',
        'MAIL_FROM',
      ]);
      expect((error as Error).message).toContain(
        'KV_REST_API_URL, KV_REST_API_TOKEN, CRON_SECRET, IDENTIFIER_HASH_SECRET, APP_URL',
      );
    }
  });

  it('refuses the public local identifier key in a production process off Vercel', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(/IDENTIFIER_HASH_SECRET is required/);
    expect(
      loadConfig({ NODE_ENV: 'production', IDENTIFIER_HASH_SECRET: 'x'.repeat(32) }).identifierSecret,
    ).toBe('x'.repeat(32));
    expect(loadConfig({ NODE_ENV: 'development' }).deployed).toBe(false);
  });

  it('treats empty strings and the literal "undefined" as unset', () => {
    expect(() =>
      loadConfig({ VERCEL_ENV: 'preview', POSTGRES_URL: 'undefined', KV_REST_API_URL: '' }),
    ).toThrow(/POSTGRES_URL, KV_REST_API_URL/);
  });

  it('rejects malformed values with the variable name', () => {
    expect(() => loadConfig({ POSTGRES_URL: 'not a url' })).toThrow(/POSTGRES_URL/);
    expect(() => loadConfig({ CRON_SECRET: 'short' })).toThrow(/CRON_SECRET: must be at least 16/);
    expect(() => loadConfig({ KV_REST_API_URL: 'https://kv.example' })).toThrow(/KV_REST_API_TOKEN/);
    // Whole numbers within bounds; every invalid variable is named at once.
    try {
      loadConfig({ KV_TIMEOUT_MS: '50', ANALYSIS_RETENTION_DAYS: '1.5', SESSION_MAX_AGE_SECONDS: 'soon' });
      expect.unreachable();
    } catch (error) {
      expect((error as ConfigError).variables).toEqual([
        'KV_TIMEOUT_MS',
        'ANALYSIS_RETENTION_DAYS',
        'SESSION_MAX_AGE_SECONDS',
      ]);
      expect((error as Error).message).toContain('KV_TIMEOUT_MS: expected an integer from 100 to 60000');
    }
    expect(loadConfig({ KV_TIMEOUT_MS: ' 2500 ', APP_URL: ' https://app.example/ ' })).toMatchObject({
      appUrl: 'https://app.example/',
    });
    expect(
      loadConfig({ KV_TIMEOUT_MS: '2500', KV_REST_API_URL: 'https://kv', KV_REST_API_TOKEN: 't' }).kv,
    ).toEqual({ url: 'https://kv', token: 't', timeoutMs: 2500 });
    // An unknown VERCEL_ENV is no deployment, as before.
    expect(loadConfig({ VERCEL_ENV: 'staging' }).deployed).toBe(false);
  });

  it('defaults the session timings and derives the touch interval', () => {
    expect(loadConfig({}).sessions).toEqual({
      idleTimeoutMs: 604_800_000,
      maxAgeMs: 2_592_000_000,
      touchIntervalMs: 3_600_000,
    });
    expect(
      loadConfig({ SESSION_IDLE_TIMEOUT_SECONDS: '600', SESSION_MAX_AGE_SECONDS: '60' }).sessions,
    ).toEqual({
      idleTimeoutMs: 600_000,
      maxAgeMs: 600_000,
      touchIntervalMs: 60_000,
    });
    expect(() => loadConfig({ IDENTIFIER_HASH_SECRET: 'short' })).toThrow(/IDENTIFIER_HASH_SECRET/);
  });

  it('prefers the direct connection for migrations, as Vercel sets both', () => {
    const config = loadConfig({
      POSTGRES_URL: 'postgres://u@db-pooler.example/x',
      POSTGRES_URL_NON_POOLING: 'postgres://u@db.example/x',
      VERCEL_REGION: 'fra1',
      VERCEL_GIT_COMMIT_SHA: 'abcdef0123456789',
    });
    expect(config.postgres?.migrationUrl).toBe('postgres://u@db.example/x');
    expect(config.region).toBe('fra1');
    expect(config.version).toBe('abcdef012345');
  });
});
