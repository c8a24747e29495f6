import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createClient } from 'redis';

/**
 * `refuse-writes`: plain SETs (values, not NX locks) answer a Redis error, as a full Redis would; the
 * client then throws, quoting the command with its value.
 */
export type BridgeFault = 'none' | 'error' | 'stall' | 'refuse-writes';

export type KvRestBridge = {
  url: string;
  token: string;
  /** HTTP requests served so far: one per KV round trip the client made. */
  requests(): number;
  /** Makes every following request fail (HTTP 500) or hang, for fault tests. */
  setFault(fault: BridgeFault): void;
  close(): Promise<void>;
};

type Reply = { result: unknown } | { error: string };

/**
 * An Upstash-REST-compatible front for a real Redis, so the production @vercel/kv client can be tested
 * against the real server. It speaks what the client sends: POST `/` (one command), `/pipeline` and
 * `/multi-exec` with JSON arrays, bearer auth, and base64 results when `Upstash-Encoding: base64`.
 */
export async function startKvRestBridge(redisUrl: string): Promise<KvRestBridge> {
  // RESP2: with RESP3 (node-redis 6's default) hashes come back as maps, which the REST client misreads.
  const redis = createClient({ url: redisUrl, RESP: 2 });
  redis.on('error', () => {}); // surfaced per command below
  await redis.connect();
  const token = crypto.randomUUID();
  let served = 0;
  let fault: BridgeFault = 'none';
  const stalled = new Set<() => void>();

  const run = async (command: unknown[]): Promise<Reply> => {
    const plainSet =
      String(command[0]).toUpperCase() === 'SET' &&
      !command.some((arg) => String(arg).toUpperCase() === 'NX');
    if (fault === 'refuse-writes' && plainSet) return { error: 'ERR injected write fault' };
    try {
      return { result: await redis.sendCommand(command.map(String)) };
    } catch (error) {
      return { error: error instanceof Error ? error.message : String(error) };
    }
  };

  const runMulti = async (commands: unknown[][]): Promise<Reply[]> => {
    const multi = redis.multi();
    for (const command of commands) multi.addCommand(command.map(String));
    try {
      const results = await multi.exec();
      return results.map((result) => ({ result }));
    } catch (error) {
      const replies = (error as { replies?: unknown[]; errorIndexes?: number[] }).replies;
      if (!replies) return [{ error: error instanceof Error ? error.message : String(error) }];
      return replies.map((reply) => (reply instanceof Error ? { error: reply.message } : { result: reply }));
    }
  };

  const server = createServer(async (request, response) => {
    served++;
    if (fault === 'stall') {
      await new Promise<void>((resolve) => stalled.add(resolve));
      response.destroy();
      return;
    }
    const send = (status: number, body: unknown) => {
      response.writeHead(status, { 'content-type': 'application/json' });
      response.end(JSON.stringify(body));
    };
    if (fault === 'error') return send(500, { error: 'injected fault' });
    if (request.method !== 'POST') return send(405, { error: 'POST only' });
    if (request.headers.authorization !== `Bearer ${token}`) return send(401, { error: 'Unauthorized' });

    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    let body: unknown;
    try {
      body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    } catch {
      return send(400, { error: 'ERR body is not JSON' });
    }
    const base64 = request.headers['upstash-encoding'] === 'base64';
    const encode = (reply: Reply): Reply =>
      'result' in reply && base64 ? { result: toBase64(reply.result) } : reply;
    const path = new URL(request.url ?? '/', 'http://bridge').pathname.replace(/\/$/, '');

    if (path === '/pipeline' || path === '/multi-exec') {
      if (!Array.isArray(body) || !body.every(Array.isArray))
        return send(400, { error: 'ERR expected [[...]]' });
      const replies =
        path === '/pipeline' ? await Promise.all(body.map((command) => run(command))) : await runMulti(body);
      return send(200, replies.map(encode));
    }
    if (!Array.isArray(body)) return send(400, { error: 'ERR expected [...]' });
    const reply = await run(body);
    return 'error' in reply ? send(400, reply) : send(200, encode(reply));
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    token,
    requests: () => served,
    setFault(next) {
      fault = next;
      if (next !== 'stall') for (const release of stalled) release();
      if (next !== 'stall') stalled.clear();
    },
    async close() {
      for (const release of stalled) release();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await redis.quit().catch(() => redis.destroy());
    },
  };
}

function toBase64(value: unknown): unknown {
  if (typeof value === 'string') return Buffer.from(value, 'utf8').toString('base64');
  if (Array.isArray(value)) return value.map(toBase64);
  return value;
}
