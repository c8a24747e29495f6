import pg from 'pg';
import { createClient } from 'redis';
import { startKvRestBridge } from './kv-rest-bridge';
import { startNeonHttpBridge } from './neon-http-bridge';
import { startPgWsProxy } from './pg-ws-proxy';

/** What test files receive about the real services (serialisable: it crosses into test workers). */
export type RealServices = {
  postgres?: {
    /** For raw `pg` (baselines, admin work). */
    url: string;
    /** For @vercel/postgres: host must be exactly `localhost` for createPool() to accept it. */
    driverUrl: string;
    /** POSTGRES_WS_PROXY for the production driver's WebSocket pool (interactive transactions). */
    wsProxy: string;
    /** POSTGRES_HTTP_ENDPOINT for the production driver's HTTP query mode (everything else). */
    httpEndpoint: string;
  };
  kv?: { url: string; token: string; redisUrl: string };
  /** Why a service is missing, printed once and used as the skip reason. */
  missing: string[];
};

export type RunningServices = { services: RealServices; close(): Promise<void> };

/**
 * Reads TEST_POSTGRES_URL and TEST_REDIS_URL, checks each answers, and starts the adapters that let
 * the production clients reach them: the Neon HTTP bridge and WebSocket proxy (Postgres), the REST bridge (Redis).
 */
export async function startRealServices(env: NodeJS.ProcessEnv): Promise<RunningServices> {
  const missing: string[] = [];
  const closers: (() => Promise<void>)[] = [];
  const services: RealServices = { missing };

  const postgresUrl = env.TEST_POSTGRES_URL;
  if (!postgresUrl) missing.push('TEST_POSTGRES_URL is not set');
  else {
    const error = await probePostgres(postgresUrl);
    if (error) missing.push(`PostgreSQL at TEST_POSTGRES_URL does not answer: ${error}`);
    else {
      const target = new URL(postgresUrl);
      const proxy = await startPgWsProxy({ host: target.hostname, port: Number(target.port || 5432) });
      closers.push(() => proxy.close());
      const http = await startNeonHttpBridge(postgresUrl);
      closers.push(() => http.close());
      const driverUrl = new URL(postgresUrl);
      driverUrl.hostname = 'localhost';
      services.postgres = {
        url: postgresUrl,
        driverUrl: driverUrl.toString(),
        wsProxy: proxy.address,
        httpEndpoint: http.url,
      };
    }
  }

  const redisUrl = env.TEST_REDIS_URL;
  if (!redisUrl) missing.push('TEST_REDIS_URL is not set');
  else {
    const error = await probeRedis(redisUrl);
    if (error) missing.push(`Redis at TEST_REDIS_URL does not answer: ${error}`);
    else {
      const bridge = await startKvRestBridge(redisUrl);
      closers.push(() => bridge.close());
      services.kv = { url: bridge.url, token: bridge.token, redisUrl };
    }
  }

  return {
    services,
    async close() {
      await Promise.all(closers.map((close) => close()));
    },
  };
}

async function probePostgres(url: string): Promise<string | undefined> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2_000 });
  try {
    await client.connect();
    await client.query('select 1');
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  } finally {
    await client.end().catch(() => {});
  }
}

async function probeRedis(url: string): Promise<string | undefined> {
  const client = createClient({ url, socket: { connectTimeout: 2_000, reconnectStrategy: false } });
  client.on('error', () => {});
  try {
    await client.connect();
    await client.ping();
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  } finally {
    await client.quit().catch(() => client.destroy());
  }
}
