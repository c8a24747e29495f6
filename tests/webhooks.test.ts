import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { sql } from 'drizzle-orm';
import { Webhook as Verifier } from 'standardwebhooks';
import { describe, expect, it, vi } from 'vitest';
import { queryRows } from '../lib/db';
import { DISABLE_AFTER_MS, refusedTarget, runDueDeliveries, webhookContext } from '../lib/webhooks';
import { type App, appBackends, signIn } from './support/app';
import { unique } from './support/kv';
import { openForSuite } from './support/suite';

describe('webhook targets', () => {
  it.each([
    ['http://example.com/hook', 'https only'],
    ['https://10.1.2.3/hook', 'private'],
    ['https://172.20.0.1/', 'private'],
    ['https://192.168.1.10/', 'private'],
    ['https://127.0.0.1/', 'not a public host'],
    ['https://169.254.169.254/latest/meta-data/', 'private'], // cloud metadata
    ['https://100.64.0.7/', 'private'], // carrier-grade NAT
    ['https://0.0.0.0/', 'private'],
    ['https://[::1]/', 'not a public host'],
    ['https://[fd12:3456::1]/', 'private'],
    ['https://[fe80::1]/', 'private'],
    ['https://[::ffff:10.0.0.1]/', 'private'], // IPv4-mapped
    ['https://[64:ff9b::a00:1]/', 'private'], // NAT64 into 10.0.0.1
    ['https://2130706433/', 'not a public host'], // 127.0.0.1 as one number
    ['https://0x7f000001/', 'not a public host'],
    ['https://localhost/', 'not a public host'],
    ['https://metadata.google.internal/', 'not a public host'],
    ['https://user:secret@example.com/', 'credentials'],
    ['http://localhost:8080/hook', 'https only'], // deployed: even loopback over http is refused
  ])('refuses %s when deployed', (url, reason) => {
    expect(refusedTarget(url, { deployed: true })).toContain(reason);
  });

  it('allows public https hosts, and http to this machine only in local dev', () => {
    for (const url of ['https://hooks.example.com/mia', 'https://8.8.8.8/', 'https://[2606:4700::1111]/'])
      expect(refusedTarget(url, { deployed: true })).toBeNull();
    expect(refusedTarget('http://127.0.0.1:9999/hook', { deployed: false })).toBeNull();
    expect(refusedTarget('http://localhost:9999/hook', { deployed: false })).toBeNull();
    expect(refusedTarget('http://192.168.1.2:9999/hook', { deployed: false })).toBe('https only');
  });
});

type Received = { headers: IncomingHttpHeaders; body: string; answered: number };

/** A receiver on loopback that answers what `answers` says, in turn (the last one from then on). */
async function receiver(answers: { status: number; body?: string; location?: string }[]) {
  const received: Received[] = [];
  const server: Server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk) => {
      body += chunk;
    });
    request.on('end', () => {
      const answer = answers[Math.min(received.length, answers.length - 1)] ?? { status: 200 };
      received.push({ headers: request.headers, body, answered: answer.status });
      response.writeHead(answer.status, answer.location ? { location: answer.location } : {});
      response.end(answer.body ?? '');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`,
    received,
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}

describe.each(appBackends)('webhooks on %s', (_name, start, available) => {
  let app: App;
  openForSuite(available, start, (started) => {
    app = started;
  });
  const at = (path: string) => `${app.server.url}${path}`;
  const csv = (marker: string) =>
    `Machine;Planned [min];Downtime [min];Downtime reason;Total;Scrap;Ideal Cycle Time [s]\nA;480;48;Jam;1000;20;20\n${marker};480;30;Tool change;900;9;25\n`;
  const setUp = async (url: string) => {
    const { bearer } = await signIn(app, `${unique('hooks')}@example.com`);
    const auth = { authorization: `Bearer ${bearer}` };
    const created = await fetch(at('/api/webhooks'), {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify({ url, events: ['analysis.completed', 'analysis.failed'] }),
    });
    expect(created.status).toBe(201);
    const hook = (await created.json()) as { id: string; secret: string };
    const upload = async () => {
      const form = new FormData();
      form.set('file', new File([csv(unique('M'))], 'line.csv', { type: 'text/csv' }));
      const response = await fetch(at('/api/analyses'), { method: 'POST', headers: auth, body: form });
      expect(response.status).toBe(202);
      const { id } = (await response.json()) as { id: string };
      await app.server.idle();
      return id;
    };
    const deliveries = async () =>
      (
        (await (await fetch(at(`/api/webhooks/${hook.id}/deliveries`), { headers: auth })).json()) as {
          items: {
            id: string;
            status: string;
            attempts: number;
            lastStatus: number | null;
            lastLatencyMs: number;
            lastResponse: string;
          }[];
        }
      ).items;
    return { auth, hook, upload, deliveries };
  };
  /** The cron's retry pass, at a time of the test's choosing. */
  const retryAt = async (when: Date) =>
    runDueDeliveries(
      await webhookContext(
        { db: async () => app.db, kv: () => app.kv, mailer: () => app.outbox },
        () => when,
      ),
    );

  it.skipIf(!available)(
    'announces a completed analysis, signed as Standard Webhooks receivers verify it',
    async () => {
      const target = await receiver([{ status: 204 }]);
      try {
        const { auth, hook, upload, deliveries } = await setUp(target.url);
        const id = await upload();
        expect(target.received).toHaveLength(1);
        const [delivery] = target.received as Received[];
        const event = new Verifier(hook.secret).verify(
          delivery?.body ?? '',
          delivery?.headers as Record<string, string>,
        ) as {
          type: string;
          data: { analysisId: string; oee: number; reportUrl: string; topLoss: { reason: string } };
        };
        const analysis = (await (await fetch(at(`/api/analyses/${id}`), { headers: auth })).json()) as {
          result: {
            kpis: { overall: { oee: { value: number } } };
            downtimePareto: { items: { reason: string }[] };
          };
        };
        expect(event.type).toBe('analysis.completed');
        expect(event.data.analysisId).toBe(id);
        expect(event.data.oee).toBe(analysis.result.kpis.overall.oee.value);
        expect(event.data.topLoss.reason).toBe(analysis.result.downtimePareto.items[0]?.reason);
        expect(event.data.reportUrl).toBe(`${app.server.url}/reports/${id}`); // no capability token
        // A forged signature does not verify.
        expect(() =>
          new Verifier(hook.secret).verify(`${delivery?.body} `, delivery?.headers as Record<string, string>),
        ).toThrow();
        const [logged] = await deliveries();
        expect(logged).toMatchObject({ status: 'delivered', attempts: 1, lastStatus: 204 });
        expect(logged?.lastLatencyMs).toBeGreaterThanOrEqual(0);
      } finally {
        await target.close();
      }
    },
  );

  it.skipIf(!available)(
    'retries a failing receiver: two failures, then exactly one accepted delivery with the same id',
    async () => {
      const target = await receiver([
        { status: 500, body: 'x'.repeat(10_000) },
        { status: 503 },
        { status: 200 },
      ]);
      try {
        const { hook, upload, deliveries } = await setUp(target.url);
        await upload();
        const soon = Date.now();
        expect((await retryAt(new Date(soon + 60_000))).attempted).toBe(0); // not due yet: 5 minutes after the first
        expect((await retryAt(new Date(soon + 6 * 60_000))).attempted).toBe(1);
        expect((await retryAt(new Date(soon + 2 * 60 * 60_000))).attempted).toBe(1);
        expect((await retryAt(new Date(soon + 30 * 60 * 60_000))).attempted).toBe(0); // delivered: nothing left
        const ids = new Set(target.received.map((entry) => entry.headers['webhook-id']));
        expect(ids.size).toBe(1);
        expect(target.received.map((entry) => entry.answered)).toEqual([500, 503, 200]);
        expect(target.received.filter((entry) => entry.answered === 200)).toHaveLength(1);
        // Each attempt is signed at its own time (the retries at the injected clock's): verified as of then.
        for (const entry of target.received) {
          vi.useFakeTimers({ toFake: ['Date'] });
          vi.setSystemTime(Number(entry.headers['webhook-timestamp']) * 1000);
          try {
            expect(() =>
              new Verifier(hook.secret).verify(entry.body, entry.headers as Record<string, string>),
            ).not.toThrow();
          } finally {
            vi.useRealTimers();
          }
        }
        const [logged] = await deliveries();
        expect(logged).toMatchObject({ status: 'delivered', attempts: 3, lastStatus: 200 });
        // The log keeps a finished delivery for a month.
        expect((await retryAt(new Date(soon + 29 * 24 * 60 * 60_000))).pruned).toBe(0);
        expect(await deliveries()).toHaveLength(1);
        await retryAt(new Date(soon + 31 * 24 * 60 * 60_000));
        expect(await deliveries()).toEqual([]);
      } finally {
        await target.close();
      }
    },
  );

  it.skipIf(!available)('follows no redirect, keeps 1 KB of an answer, sends again on request', async () => {
    const target = await receiver([
      { status: 302, location: 'http://169.254.169.254/' },
      { status: 500, body: 'y'.repeat(5000) },
      { status: 200 },
    ]);
    try {
      const { auth, hook, upload, deliveries } = await setUp(target.url);
      await upload();
      expect(target.received).toHaveLength(1); // the redirect was not followed
      expect((await deliveries())[0]).toMatchObject({ status: 'pending', lastStatus: 302 });
      const [first] = await deliveries();
      const again = await fetch(at(`/api/webhooks/${hook.id}/deliveries/${first?.id}`), {
        method: 'POST',
        headers: auth,
      });
      expect(again.status).toBe(200);
      const logged = (await again.json()) as { lastStatus: number; lastResponse: string };
      expect(logged.lastStatus).toBe(500);
      expect(new TextEncoder().encode(logged.lastResponse).length).toBeLessThanOrEqual(1024);
      await fetch(at(`/api/webhooks/${hook.id}/deliveries/${first?.id}`), { method: 'POST', headers: auth });
      expect((await deliveries())[0]).toMatchObject({ status: 'delivered', lastStatus: 200 });
      expect(new Set(target.received.map((entry) => entry.headers['webhook-id'])).size).toBe(1);
    } finally {
      await target.close();
    }
  });

  it.skipIf(!available)('rotates the secret: for 24 hours both sign, then only the new one', async () => {
    const target = await receiver([{ status: 200 }]);
    try {
      const { auth, hook, upload } = await setUp(target.url);
      const rotated = await fetch(at(`/api/webhooks/${hook.id}/secret`), { method: 'POST', headers: auth });
      expect(rotated.status).toBe(200);
      const { secret, previousSecretValidUntil } = (await rotated.json()) as {
        secret: string;
        previousSecretValidUntil: string;
      };
      expect(secret).not.toBe(hook.secret);
      expect(new Date(previousSecretValidUntil).getTime() - Date.now()).toBeGreaterThan(23 * 60 * 60_000);
      await upload();
      const [delivery] = target.received as Received[];
      expect(String(delivery?.headers['webhook-signature']).split(' ')).toHaveLength(2);
      for (const key of [hook.secret, secret])
        expect(() =>
          new Verifier(key).verify(delivery?.body ?? '', delivery?.headers as Record<string, string>),
        ).not.toThrow();
      // After the overlap, a delivery carries only the new secret's signature.
      await queryRows(
        app.db,
        sql`update webhooks set previous_until = now() - interval '1 minute' where id = ${hook.id}`,
      );
      await upload();
      const later = target.received[1] as Received;
      expect((later.headers['webhook-signature'] as string).split(' ')).toHaveLength(1);
      expect(() =>
        new Verifier(hook.secret).verify(later.body, later.headers as Record<string, string>),
      ).toThrow();
      expect(() =>
        new Verifier(secret).verify(later.body, later.headers as Record<string, string>),
      ).not.toThrow();
    } finally {
      await target.close();
    }
  });

  it.skipIf(!available)('disables an endpoint that failed for three days, and mails its owner', async () => {
    const target = await receiver([{ status: 500 }]);
    try {
      const { auth, hook, upload, deliveries } = await setUp(target.url);
      await upload();
      const start = Date.now();
      await retryAt(new Date(start + 6 * 60_000));
      let listed = (await (await fetch(at('/api/webhooks'), { headers: auth })).json()) as {
        items: { id: string; failingSince: string | null; disabledAt: string | null }[];
      };
      expect(listed.items[0]?.failingSince).not.toBeNull();
      expect(listed.items[0]?.disabledAt).toBeNull();
      await retryAt(new Date(start + DISABLE_AFTER_MS + 60 * 60_000));
      listed = (await (await fetch(at('/api/webhooks'), { headers: auth })).json()) as typeof listed;
      expect(listed.items[0]?.disabledAt).not.toBeNull();
      await app.server.idle();
      const owner = (await (await fetch(at('/api/me'), { headers: auth })).json()) as { email: string };
      expect(
        app.outbox.messages.filter((message) => message.to === owner.email).map((message) => message.subject),
      ).toContain('A webhook of yours was disabled');
      // Disabled: its pending delivery is not picked by the cron again, and a new analysis is not announced.
      expect((await retryAt(new Date(start + DISABLE_AFTER_MS + 30 * 60 * 60_000))).attempted).toBe(0);
      const before = target.received.length;
      await upload();
      expect(target.received.length).toBe(before);
      expect((await deliveries()).length).toBe(1);
      expect(hook.id).toBe(listed.items[0]?.id);
    } finally {
      await target.close();
    }
  });

  it.skipIf(!available)(
    'refuses targets inside a network at registration, and keeps the secret sealed',
    async () => {
      const { bearer } = await signIn(app, `${unique('ssrf')}@example.com`);
      for (const url of [
        'http://example.com/',
        'https://10.0.0.1/',
        'https://169.254.169.254/',
        'https://[::1]/',
      ]) {
        const refused = await fetch(at('/api/webhooks'), {
          method: 'POST',
          headers: { authorization: `Bearer ${bearer}`, 'content-type': 'application/json' },
          body: JSON.stringify({ url, events: ['analysis.completed'] }),
        });
        expect(refused.status).toBe(422);
        expect(((await refused.json()) as { code: string }).code).toBe('WEBHOOK_URL_REFUSED');
      }
      const created = await fetch(at('/api/webhooks'), {
        method: 'POST',
        headers: { authorization: `Bearer ${bearer}`, 'content-type': 'application/json' },
        body: JSON.stringify({ url: 'https://hooks.example.com/mia', events: ['analysis.failed'] }),
      });
      const { secret } = (await created.json()) as { secret: string };
      const rows = await queryRows<Record<string, unknown>>(app.db, sql`select * from webhooks`);
      expect(JSON.stringify(rows)).not.toContain(secret.slice(6));
    },
  );
});
