import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import pg from 'pg';

export type NeonHttpBridge = {
  /** What POSTGRES_HTTP_ENDPOINT takes: the URL Neon's driver posts its queries to. */
  url: string;
  /** Query requests served (a batch is one). */
  requests(): number;
  close(): Promise<void>;
};

type Query = { query: string; params?: (string | null)[] };

/** Postgres' own text for every type: the driver parses values by dataTypeID, as from Neon. */
const RAW_TEXT = { getTypeParser: () => (value: string) => value };
const ERROR_FIELDS = [
  'severity',
  'code',
  'detail',
  'hint',
  'position',
  'internalPosition',
  'internalQuery',
  'where',
  'schema',
  'table',
  'column',
  'dataType',
  'constraint',
  'file',
  'line',
  'routine',
] as const;

/**
 * Speaks Neon's HTTP query mode (the wire format `@neondatabase/serverless`'s `neon()` uses) in front of
 * a plain local PostgreSQL, so tests and the dev runner run the production driver: `POST` a JSON
 * `{query, params}` or `{queries: [...]}` (one transaction), answer `{fields, rows, command, rowCount}`
 * (rows as arrays of Postgres text) or `{results: [...]}`; errors are 400 with Postgres' fields. The
 * server is fixed by the caller; only the database comes from the request's Neon-Connection-String, so
 * this is never an open relay.
 */
export async function startNeonHttpBridge(target: string): Promise<NeonHttpBridge> {
  const pools = new Map<string, pg.Pool>();
  let served = 0;
  const poolFor = (connectionString: string) => {
    const database = new URL(connectionString).pathname.slice(1) || 'postgres';
    let pool = pools.get(database);
    if (!pool) {
      const url = new URL(target);
      url.pathname = `/${database}`;
      pool = new pg.Pool({ connectionString: url.toString(), max: 8 });
      pool.on('error', () => {}); // an idle connection dropped by a test's forced database drop
      pools.set(database, pool);
    }
    return pool;
  };
  const run = async (client: pg.PoolClient | pg.Pool, { query, params = [] }: Query) => {
    const result = await client.query({ text: query, values: params, rowMode: 'array', types: RAW_TEXT });
    return {
      fields: result.fields.map((field) => ({
        name: field.name,
        dataTypeID: field.dataTypeID,
        tableID: field.tableID,
        columnID: field.columnID,
        dataTypeSize: field.dataTypeSize,
        dataTypeModifier: field.dataTypeModifier,
        format: 'text',
      })),
      rows: result.rows,
      command: result.command,
      rowCount: result.rowCount,
      rowAsArray: true,
    };
  };
  const answer = (response: ServerResponse, status: number, body: unknown) => {
    response.writeHead(status, { 'content-type': 'application/json' });
    response.end(JSON.stringify(body));
  };

  const server = createServer(async (request: IncomingMessage, response: ServerResponse) => {
    if (request.method !== 'POST') return answer(response, 405, { message: 'POST only' });
    served++;
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    let body: Query | { queries: Query[] };
    try {
      body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    } catch {
      return answer(response, 400, { message: 'body is not JSON' });
    }
    const connectionString = String(request.headers['neon-connection-string'] ?? '');
    let pool: pg.Pool;
    try {
      pool = poolFor(connectionString);
    } catch {
      return answer(response, 400, { message: 'Neon-Connection-String is not a URL' });
    }
    try {
      if (!('queries' in body)) return answer(response, 200, await run(pool, body));
      const client = await pool.connect();
      try {
        const level = String(request.headers['neon-batch-isolation-level'] ?? '');
        const modes = [
          level ? `isolation level ${level.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase()}` : '',
          request.headers['neon-batch-read-only'] === 'true' ? 'read only' : '',
          request.headers['neon-batch-deferrable'] === 'true' ? 'deferrable' : '',
        ].filter(Boolean);
        await client.query(`begin ${modes.join(' ')}`);
        const results = [];
        for (const query of body.queries) results.push(await run(client, query));
        await client.query('commit');
        return answer(response, 200, { results });
      } catch (error) {
        await client.query('rollback').catch(() => {});
        throw error;
      } finally {
        client.release();
      }
    } catch (error) {
      const fields = error as Record<string, unknown>;
      const reply: Record<string, unknown> = {
        message: error instanceof Error ? error.message : String(error),
      };
      for (const name of ERROR_FIELDS) if (fields[name] !== undefined) reply[name] = fields[name];
      // A server that cannot be reached is no query error: Neon answers such with another status.
      return answer(response, typeof fields.code === 'string' && fields.code.length === 5 ? 400 : 503, reply);
    }
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/sql`,
    requests: () => served,
    async close() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await Promise.all([...pools.values()].map((pool) => pool.end().catch(() => {})));
    },
  };
}
