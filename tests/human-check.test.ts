import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type App, appBackends } from './support/app';
import { unique } from './support/kv';
import { useEnv } from './support/services';

// Cloudflare's documented test secret keys (developers.cloudflare.com/turnstile/troubleshooting/testing/):
// 1x... always passes, 2x... always fails, 3x... answers "token already spent". A stub of the siteverify
// endpoint answers as Turnstile does for them, so the test needs no network.
const PASSES = '1x0000000000000000000000000000000AA';
const FAILS = '2x0000000000000000000000000000000AA';
const SPENT = '3x0000000000000000000000000000000AA';
const DUMMY_TOKEN = 'XXXX.DUMMY.TOKEN.XXXX';

async function startSiteverifyStub(): Promise<{
  url: string;
  requests: URLSearchParams[];
  close(): Promise<void>;
}> {
  const requests: URLSearchParams[] = [];
  const server: Server = createServer(async (request, response) => {
    let body = '';
    for await (const chunk of request) body += chunk;
    const form = new URLSearchParams(body);
    requests.push(form);
    const secret = form.get('secret');
    const reply = !form.get('response')
      ? { success: false, 'error-codes': ['missing-input-response'] }
      : secret === PASSES
        ? { success: true, 'error-codes': [] }
        : secret === SPENT
          ? { success: false, 'error-codes': ['timeout-or-duplicate'] }
          : { success: false, 'error-codes': ['invalid-input-response'] };
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(JSON.stringify(reply));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/turnstile/v0/siteverify`,
    requests,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

const [, startEmbedded] = appBackends[0] as (typeof appBackends)[number];

describe('the optional human check (Cloudflare Turnstile), switched on by env', () => {
  let app: App;
  let stub: Awaited<ReturnType<typeof startSiteverifyStub>>;
  let restore = () => {};
  beforeAll(async () => {
    stub = await startSiteverifyStub();
    app = await startEmbedded();
  });
  afterAll(async () => {
    restore();
    await app?.close();
    await stub?.close();
  });

  const login = (fields: Record<string, string>) =>
    fetch(`${app.server.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-real-ip': '203.0.113.9' },
      body: new URLSearchParams(fields),
    });
  const submit = (fields: Record<string, string>) =>
    fetch(`${app.server.url}/api/analyses`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-real-ip': '203.0.113.9' },
      body: new URLSearchParams({ csv: 'Machine;Good;Scrap\nA;10;1\n', name: 'Hu', ...fields }),
    });
  const email = () => `${unique('human')}@example.com`;

  it('is off by default', async () => {
    expect((await login({ email: email() })).status).toBe(202);
  });

  it('refuses sign-in requests and anonymous posts without a passed check, before they cost anything', async () => {
    restore = useEnv({ TURNSTILE_SECRET_KEY: PASSES, TURNSTILE_VERIFY_URL: stub.url });
    const address = email();
    expect((await login({ email: address })).status).toBe(403);
    expect((await submit({ email: address })).status).toBe(403);
    const passed = await login({ email: address, 'cf-turnstile-response': DUMMY_TOKEN });
    expect(passed.status).toBe(202);
    // The refusals used no quota: this is the first of five.
    expect(passed.headers.get('ratelimit')).toContain('"login-email";r=4');
    expect((await submit({ email: address, 'cf-turnstile-response': DUMMY_TOKEN })).status).toBe(202);
    const sent = stub.requests.at(-1);
    expect(sent?.get('secret')).toBe(PASSES);
    expect(sent?.get('response')).toBe(DUMMY_TOKEN);
    expect(sent?.get('remoteip')).toBe('203.0.113.9');
    restore();
    for (const secret of [FAILS, SPENT]) {
      restore = useEnv({ TURNSTILE_SECRET_KEY: secret, TURNSTILE_VERIFY_URL: stub.url });
      expect((await login({ email: email(), 'cf-turnstile-response': DUMMY_TOKEN })).status).toBe(403);
      restore();
    }
    // The verify endpoint down: 503, not a pass.
    restore = useEnv({ TURNSTILE_SECRET_KEY: PASSES, TURNSTILE_VERIFY_URL: 'http://127.0.0.1:9/siteverify' });
    expect((await login({ email: email(), 'cf-turnstile-response': DUMMY_TOKEN })).status).toBe(503);
    restore();
    restore = () => {};
    await app.server.idle();
  });
});
