/**
 * The one place that reads the environment. Everything else asks `config()`.
 *
 * Outside Vercel every backend variable may be unset: the dev runner and tests then provide embedded
 * backends. On Vercel (`VERCEL_ENV` set) the production variables are required, and a missing one is a
 * ConfigError naming it, raised on first use instead of an `undefined` deep inside a driver.
 */

/**
 * How each variable is read. Plain functions, not a zod schema: a function's first request reads the
 * environment (its first error answer names the problem page under APP_URL), and building and running a
 * schema for it was most of that request's cost in a fresh isolate. Every reader trims, and treats '' and
 * 'undefined' (what `vercel env pull` writes for unset values) as unset.
 */
type Reader<T> = (value: string | undefined) => T;
class InvalidVariable extends Error {}

const optionalString: Reader<string | undefined> = (raw) => {
  const value = raw?.trim();
  return value === '' || value === 'undefined' ? undefined : value;
};
const optionalUrl: Reader<string | undefined> = (raw) => {
  const value = optionalString(raw);
  if (value !== undefined && !URL.canParse(value)) throw new InvalidVariable('Invalid URL');
  return value;
};
const atLeast =
  (length: number): Reader<string | undefined> =>
  (raw) => {
    const value = optionalString(raw);
    if (value !== undefined && value.length < length)
      throw new InvalidVariable(`must be at least ${length} characters`);
    return value;
  };
const integer =
  (min: number, fallback: number, max = Number.POSITIVE_INFINITY): Reader<number> =>
  (raw) => {
    if (raw === undefined) return fallback;
    const value = Number(raw);
    if (!Number.isInteger(value) || value < min || value > max)
      throw new InvalidVariable(
        `expected an integer from ${min}${max === Number.POSITIVE_INFINITY ? '' : ` to ${max}`}`,
      );
    return value;
  };
const oneOf =
  <const T extends string>(...values: T[]): Reader<T | undefined> =>
  (raw) =>
    values.find((value) => value === raw);

/** Upper bound for one KV call inside a request path (the client's own retries are off). */
export const DEFAULT_KV_TIMEOUT_MS = 1_500;

const ENVIRONMENT = {
  VERCEL_ENV: oneOf('production', 'preview', 'development'),
  NODE_ENV: optionalString,
  VERCEL_REGION: optionalString,
  VERCEL_GIT_COMMIT_SHA: optionalString,
  POSTGRES_URL: optionalUrl,
  POSTGRES_URL_NON_POOLING: optionalUrl,
  /** Local and test only: route the Neon WebSocket driver through a plain ws:// proxy (see README). */
  POSTGRES_WS_PROXY: optionalString,
  /** Local and test only: where Neon's HTTP query mode posts its queries (a bridge to a local server). */
  POSTGRES_HTTP_ENDPOINT: optionalUrl,
  KV_REST_API_URL: optionalUrl,
  KV_REST_API_TOKEN: optionalString,
  /**
   * Upper bound for one KV call inside a request path (default 1.5 s). Tests of concurrency raise it, so
   * that a busy machine cannot trip it; deployments keep the default.
   */
  KV_TIMEOUT_MS: integer(100, DEFAULT_KV_TIMEOUT_MS, 60_000),
  CRON_SECRET: atLeast(16),
  /** Key for the HMAC that turns emails and IPs into rate-limit and index keys (they are personal data). */
  IDENTIFIER_HASH_SECRET: atLeast(32),
  /** Where sign-in redirects browsers after the magic link (the web app). */
  APP_URL: optionalUrl,
  /** Mail: Resend's HTTP API when its key is set; otherwise nothing can be sent on Vercel. */
  RESEND_API_KEY: optionalString,
  MAIL_FROM: optionalString,
  /** Third-party sites whose pages may post to /api/analyses (origins, comma-separated). */
  FORM_ALLOWED_ORIGINS: optionalString,
  /** Hosts a form's `redirect` field may send the browser back to (comma-separated). */
  FORM_REDIRECT_HOSTS: optionalString,
  /** Cloudflare Turnstile: when set, sign-in requests and form posts without a session need a passed check. */
  TURNSTILE_SECRET_KEY: optionalString,
  /** Tests only: a stub of Turnstile's verify endpoint. */
  TURNSTILE_VERIFY_URL: optionalUrl,
  ANALYSIS_PENDING_TIMEOUT_MINUTES: integer(1, 15),
  ANALYSIS_RETENTION_DAYS: integer(1, 90),
  SESSION_IDLE_TIMEOUT_SECONDS: integer(60, 7 * 24 * 3600),
  SESSION_MAX_AGE_SECONDS: integer(60, 30 * 24 * 3600),
} satisfies Record<string, Reader<unknown>>;

type Environment = { [Name in keyof typeof ENVIRONMENT]: ReturnType<(typeof ENVIRONMENT)[Name]> };

/** Every variable this loader reads (docs/operations.md lists each; a test keeps them equal). */
export const environmentVariables = (): (keyof Environment)[] =>
  Object.keys(ENVIRONMENT) as (keyof Environment)[];

/** Each variable read, or every invalid one named with what is wrong with it. */
function readEnvironment(source: Record<string, string | undefined>): Environment {
  const env: Record<string, unknown> = {};
  const invalid: [string, string][] = [];
  for (const [name, read] of Object.entries(ENVIRONMENT) as [string, Reader<unknown>][]) {
    try {
      env[name] = read(source[name]);
    } catch (error) {
      if (!(error instanceof InvalidVariable)) throw error;
      invalid.push([name, error.message]);
    }
  }
  if (invalid.length > 0)
    throw new ConfigError(
      invalid.map(([name]) => name),
      `Invalid environment: ${invalid.map(([name, message]) => `${name}: ${message}`).join('; ')}`,
    );
  return env as Environment;
}

export type Config = Readonly<{
  /** True on a Vercel deployment (production or preview): production variables are required. */
  deployed: boolean;
  region: string;
  version: string;
  postgres:
    | { url: string; migrationUrl: string; wsProxy: string | undefined; httpEndpoint: string | undefined }
    | undefined;
  kv: { url: string; token: string; timeoutMs: number } | undefined;
  cronSecret: string | undefined;
  identifierSecret: string;
  appUrl: string;
  forms: { allowedOrigins: string[]; redirectHosts: string[] };
  analyses: { pendingTimeoutMs: number; retentionMs: number };
  mail: { provider: 'resend'; apiKey: string; from: string } | undefined;
  humanCheck: { secret: string; verifyUrl: string } | undefined;
  sessions: { idleTimeoutMs: number; maxAgeMs: number; touchIntervalMs: number };
}>;

export const REQUIRED_WHEN_DEPLOYED = [
  'POSTGRES_URL',
  'KV_REST_API_URL',
  'KV_REST_API_TOKEN',
  'CRON_SECRET',
  'IDENTIFIER_HASH_SECRET',
  'APP_URL',
  'RESEND_API_KEY',
  'MAIL_FROM',
] as const;

/** Outside Vercel only: identifiers stay hashed, but with a key anyone can read here. */
const LOCAL_IDENTIFIER_SECRET = 'local-development-identifier-secret-not-for-deployments';

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(
    readonly variables: readonly string[],
    detail: string,
  ) {
    super(detail);
  }
}

/** Parses an environment record; pure, so tests pass their own. */
export function loadConfig(source: Record<string, string | undefined>): Config {
  const env = readEnvironment(source);
  const deployed = env.VERCEL_ENV === 'production' || env.VERCEL_ENV === 'preview';
  if (deployed) {
    const missing = REQUIRED_WHEN_DEPLOYED.filter((name) => env[name] === undefined);
    if (missing.length > 0) {
      throw new ConfigError(missing, `Missing required environment variable(s): ${missing.join(', ')}`);
    }
  }
  // Off Vercel too, a production process (NODE_ENV=production: a self-hosted runner, a container) must
  // not fall back to the public local key: identifiers hashed with it could be reversed by anyone.
  if (!deployed && env.NODE_ENV === 'production' && env.IDENTIFIER_HASH_SECRET === undefined)
    throw new ConfigError(
      ['IDENTIFIER_HASH_SECRET'],
      'IDENTIFIER_HASH_SECRET is required outside local development (NODE_ENV=production)',
    );
  if ((env.KV_REST_API_URL === undefined) !== (env.KV_REST_API_TOKEN === undefined)) {
    const missing = env.KV_REST_API_URL === undefined ? 'KV_REST_API_URL' : 'KV_REST_API_TOKEN';
    throw new ConfigError([missing], `${missing} must be set together with its partner`);
  }
  return {
    deployed,
    region: env.VERCEL_REGION ?? 'local',
    version: env.VERCEL_GIT_COMMIT_SHA?.slice(0, 12) ?? 'dev',
    postgres: env.POSTGRES_URL
      ? {
          url: env.POSTGRES_URL,
          migrationUrl: env.POSTGRES_URL_NON_POOLING ?? env.POSTGRES_URL,
          wsProxy: env.POSTGRES_WS_PROXY,
          httpEndpoint: env.POSTGRES_HTTP_ENDPOINT,
        }
      : undefined,
    kv:
      env.KV_REST_API_URL && env.KV_REST_API_TOKEN
        ? { url: env.KV_REST_API_URL, token: env.KV_REST_API_TOKEN, timeoutMs: env.KV_TIMEOUT_MS }
        : undefined,
    cronSecret: env.CRON_SECRET,
    identifierSecret: env.IDENTIFIER_HASH_SECRET ?? LOCAL_IDENTIFIER_SECRET,
    appUrl: env.APP_URL ?? 'http://localhost:3000/',
    forms: {
      allowedOrigins: list(env.FORM_ALLOWED_ORIGINS).map((origin) => origin.replace(/\/$/, '')),
      redirectHosts: list(env.FORM_REDIRECT_HOSTS),
    },
    analyses: {
      pendingTimeoutMs: env.ANALYSIS_PENDING_TIMEOUT_MINUTES * 60_000,
      retentionMs: env.ANALYSIS_RETENTION_DAYS * 86_400_000,
    },
    mail:
      env.RESEND_API_KEY && env.MAIL_FROM
        ? { provider: 'resend', apiKey: env.RESEND_API_KEY, from: env.MAIL_FROM }
        : undefined,
    humanCheck: env.TURNSTILE_SECRET_KEY
      ? {
          secret: env.TURNSTILE_SECRET_KEY,
          verifyUrl: env.TURNSTILE_VERIFY_URL ?? 'https://challenges.cloudflare.com/turnstile/v0/siteverify',
        }
      : undefined,
    sessions: {
      idleTimeoutMs: env.SESSION_IDLE_TIMEOUT_SECONDS * 1000,
      maxAgeMs: Math.max(env.SESSION_MAX_AGE_SECONDS, env.SESSION_IDLE_TIMEOUT_SECONDS) * 1000,
      // Write "last used" at most this often, so a validation is normally one KV read.
      touchIntervalMs: Math.min(3600_000, Math.floor(env.SESSION_IDLE_TIMEOUT_SECONDS * 100)),
    },
  };
}

const list = (value: string | undefined) =>
  (value ?? '')
    .split(',')
    .map((item) => item.trim().toLowerCase())
    .filter(Boolean);

let cached: Config | undefined;

/** The process-wide configuration, read once from the runtime's environment. */
export function config(): Config {
  if (cached === undefined) {
    // Edge and Node runtimes both expose `process.env`; workerd without compat flags has no `process`.
    const runtime = globalThis as { process?: { env?: Record<string, string | undefined> } };
    cached = loadConfig(runtime.process?.env ?? {});
  }
  return cached;
}

/** Test and tooling hook: forget the cached configuration after changing the environment. */
export function resetConfig(): void {
  cached = undefined;
}
