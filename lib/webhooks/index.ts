import { reportUrlOf } from '../analyses/present';
import { config } from '../config';
import type { DeliveryInfo, WebhookInfo } from '../contracts/responses';
import type { WebhookEvent } from '../contracts/scopes';
import { seal, unseal } from '../crypto';
import type { Database } from '../db';
import {
  createDeliveries,
  createWebhook,
  dueDeliveries,
  getUserById,
  getWebhook,
  MAX_WEBHOOKS_PER_USER,
  pruneDeliveries,
  recordAttempt,
  updateWebhook,
  webhooksFor,
} from '../db/queries';
import type { Analysis, Webhook, WebhookDelivery } from '../db/schema';
import type { AnalysisReport } from '../engine/report';
import { ApiError } from '../http/errors';
import { keys } from '../kv/keys';
import type { KvStore } from '../kv/store';
import { describeError, log } from '../log';
import { type Mailer, mailerIfConfigured } from '../mail';
import { refusedTarget } from './target';

export { refusedTarget } from './target';

/** Attempts per delivery, and the waits after each failed one: 5 attempts over about a day. */
const RETRY_AFTER_MS = [5 * 60_000, 60 * 60_000, 6 * 60 * 60_000, 18 * 60 * 60_000];
const MAX_ATTEMPTS = RETRY_AFTER_MS.length + 1;
/** An endpoint failing this long is disabled and its owner mailed. */
export const DISABLE_AFTER_MS = 3 * 24 * 60 * 60_000;
/** Both secrets sign for this long after a rotation. */
const ROTATION_OVERLAP_MS = 24 * 60 * 60_000;
const TIMEOUT_MS = 5_000;
const RESPONSE_EXCERPT_BYTES = 1024;
const SECRET_PURPOSE = 'webhook-signing-secret';

export type Settings = { identifierSecret: string; appUrl: string; deployed: boolean };
type Clock = () => Date;

/** A Standard Webhooks secret: `whsec_` and base64 of 32 random bytes. */
function newSecret(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  return `whsec_${btoa(String.fromCharCode(...bytes))}`;
}

const sealSecret = (settings: Settings, secret: string) =>
  seal(settings.identifierSecret, 'webhooks', SECRET_PURPOSE, secret);
const openSecret = (settings: Settings, sealed: { iv: string; sealed: string }) =>
  unseal(settings.identifierSecret, 'webhooks', SECRET_PURPOSE, sealed);

/** The URL's refusal as a 422 a client can act on. */
function assertTarget(url: string, settings: Settings): void {
  const refused = refusedTarget(url, settings);
  if (refused)
    throw new ApiError('validation_failed', `url: ${refused}.`, { fields: { code: 'WEBHOOK_URL_REFUSED' } });
}

export async function registerWebhook(
  db: Database,
  settings: Settings,
  input: { userId: string; url: string; events: WebhookEvent[] },
): Promise<{ webhook: Webhook; secret: string }> {
  assertTarget(input.url, settings);
  const secret = newSecret();
  const webhook = await createWebhook(db, {
    userId: input.userId,
    url: input.url,
    events: [...new Set(input.events)].sort(),
    secret: await sealSecret(settings, secret),
  });
  if (!webhook)
    throw new ApiError('conflict', `You have ${MAX_WEBHOOKS_PER_USER} webhooks: delete one first.`);
  return { webhook, secret };
}

/** A new secret; the previous one keeps signing for ROTATION_OVERLAP_MS, so receivers can switch over. */
export async function rotateSecret(
  db: Database,
  settings: Settings,
  userId: string,
  id: string,
  now: Clock = () => new Date(),
): Promise<{ webhook: Webhook; secret: string }> {
  const webhook = await getWebhook(db, userId, id);
  const secret = newSecret();
  const change = {
    secret: await sealSecret(settings, secret),
    previousSecret: webhook.secret,
    previousUntil: new Date(now().getTime() + ROTATION_OVERLAP_MS),
  };
  await updateWebhook(db, id, change);
  return { webhook: { ...webhook, ...change }, secret };
}

/** Standard Webhooks signature: HMAC-SHA256 over `id.timestamp.body` with the secret's bytes, base64. */
async function signature(secret: string, id: string, timestamp: number, body: string): Promise<string> {
  const raw = Uint8Array.from(atob(secret.replace(/^whsec_/, '')), (char) => char.charCodeAt(0));
  const key = await crypto.subtle.importKey('raw', raw, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  const mac = await crypto.subtle.sign('HMAC', key, new TextEncoder().encode(`${id}.${timestamp}.${body}`));
  return `v1,${btoa(String.fromCharCode(...new Uint8Array(mac)))}`;
}

/** The event's body: headline figures and the report link (no capability token: receivers use their key). */
function payloadOf(event: WebhookEvent, analysis: Analysis, appUrl: string, now: Date) {
  const report = analysis.status === 'completed' ? (analysis.result as AnalysisReport | null) : null;
  const overall = report?.kpis?.overall;
  const top = report?.downtimePareto?.items[0];
  return {
    type: event,
    timestamp: now.toISOString(),
    data: {
      analysisId: analysis.id,
      status: analysis.status,
      fileName: analysis.fileName,
      oee: overall?.oee.value ?? null,
      availability: overall?.availability.value ?? null,
      performance: overall?.performance.value ?? null,
      quality: overall?.quality.value ?? null,
      topLoss: top ? { reason: top.reason, minutes: top.minutes, share: top.share } : null,
      error: analysis.status === 'failed' ? { code: analysis.errorCode, message: analysis.error } : null,
      reportUrl: reportUrlOf(appUrl, analysis.id, null),
    },
  };
}

type Context = {
  db: Database;
  kv: KvStore;
  mailer: () => Mailer | undefined;
  settings: Settings;
  now: Clock;
};

/**
 * An owned analysis has ended: one delivery per enabled endpoint of its owner that takes the event,
 * stored first (at least once), then attempted now; what fails is retried by the cron.
 */
export async function announce(context: Context, analysis: Analysis): Promise<WebhookDelivery[]> {
  if (!analysis.userId || analysis.status === 'pending') return [];
  const event: WebhookEvent = analysis.status === 'completed' ? 'analysis.completed' : 'analysis.failed';
  const endpoints = await webhooksFor(context.db, analysis.userId, event);
  if (endpoints.length === 0) return [];
  const payload = payloadOf(event, analysis, context.settings.appUrl, context.now());
  const deliveries = await createDeliveries(
    context.db,
    endpoints.map((webhook) => ({ id: `msg_${crypto.randomUUID()}`, webhookId: webhook.id, event, payload })),
  );
  const byId = new Map(endpoints.map((webhook) => [webhook.id, webhook]));
  await Promise.all(
    deliveries.map((delivery) => attempt(context, delivery, byId.get(delivery.webhookId) as Webhook)),
  );
  return deliveries;
}

/** How long the delivery log keeps a finished delivery. */
const DELIVERY_LOG_MS = 30 * 24 * 60 * 60_000;

/** The cron's part: pending deliveries whose time has come, one attempt each; the log kept to a month. */
export async function runDueDeliveries(
  context: Context,
  limit = 100,
): Promise<{ attempted: number; pruned: number }> {
  const due = await dueDeliveries(context.db, context.now(), limit);
  for (const { delivery, webhook } of due) await attempt(context, delivery, webhook);
  const pruned = await pruneDeliveries(context.db, new Date(context.now().getTime() - DELIVERY_LOG_MS));
  return { attempted: due.length, pruned };
}

/** Sends a delivery again now (the owner asked), whatever its state. */
export async function redeliver(context: Context, webhook: Webhook, delivery: WebhookDelivery) {
  return attempt(context, { ...delivery, status: 'pending' }, webhook, true);
}

/**
 * One attempt: signed with the current secret (and the previous one during a rotation), 5 s at most,
 * no redirect followed, at most 1 KB of the answer read. One delivery in flight per endpoint (a KV
 * lease): a second waits for the cron. A 2xx delivers; anything else waits for the next attempt, up to
 * MAX_ATTEMPTS. An endpoint failing for DISABLE_AFTER_MS is disabled and its owner mailed.
 */
async function attempt(
  context: Context,
  delivery: WebhookDelivery,
  webhook: Webhook,
  manual = false,
): Promise<WebhookDelivery> {
  const { db, kv, settings } = context;
  if (webhook.disabledAt && !manual) return delivery;
  const lease = keys.webhookInFlight(webhook.id);
  if (!(await kv.set(lease, delivery.id, { ttlMs: TIMEOUT_MS * 3, onlyIfAbsent: true }))) return delivery;
  try {
    const now = context.now();
    const timestamp = Math.floor(now.getTime() / 1000);
    const body = JSON.stringify(delivery.payload);
    const secrets = [await openSecret(settings, webhook.secret)];
    if (webhook.previousSecret && webhook.previousUntil && webhook.previousUntil > now)
      secrets.push(await openSecret(settings, webhook.previousSecret));
    const signatures = await Promise.all(
      secrets.map((secret) => signature(secret, delivery.id, timestamp, body)),
    );
    const started = performance.now();
    let status: number | null = null;
    let excerpt: string;
    const refused = refusedTarget(webhook.url, settings);
    if (refused) excerpt = `not sent: ${refused}`;
    else
      try {
        const response = await fetch(webhook.url, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'user-agent': 'ManufacturingInsideAnalyzer-Webhooks/1',
            'webhook-id': delivery.id,
            'webhook-timestamp': String(timestamp),
            'webhook-signature': signatures.join(' '),
          },
          body,
          redirect: 'manual',
          signal: AbortSignal.timeout(TIMEOUT_MS),
        });
        status = response.status;
        excerpt = await firstBytes(response, RESPONSE_EXCERPT_BYTES);
      } catch (error) {
        excerpt =
          `no answer: ${(error as Error).name === 'TimeoutError' ? 'timed out after 5 s' : (error as Error).message}`.slice(
            0,
            RESPONSE_EXCERPT_BYTES,
          );
      }
    const latency = Math.round(performance.now() - started);
    const ok = status !== null && status >= 200 && status < 300;
    const attempts = delivery.attempts + 1;
    const next: WebhookDelivery = {
      ...delivery,
      attempts,
      lastStatus: status,
      lastLatencyMs: latency,
      lastResponse: excerpt,
      status: ok ? 'delivered' : attempts >= MAX_ATTEMPTS && !manual ? 'failed' : 'pending',
      nextAttemptAt: new Date(
        now.getTime() + (RETRY_AFTER_MS[Math.min(attempts, RETRY_AFTER_MS.length) - 1] ?? 0),
      ),
      deliveredAt: ok ? now : null,
    };
    await recordAttempt(db, delivery.id, next);
    await endpointHealth(context, webhook, ok, now);
    return next;
  } finally {
    await kv.deleteIfEquals(lease, delivery.id).catch(() => false);
  }
}

/** A success clears the failure clock; three days of failures disable the endpoint and tell its owner. */
async function endpointHealth(context: Context, webhook: Webhook, ok: boolean, now: Date): Promise<void> {
  if (ok) {
    if (webhook.failingSince) await updateWebhook(context.db, webhook.id, { failingSince: null });
    return;
  }
  const since = webhook.failingSince ?? now;
  if (!webhook.failingSince) await updateWebhook(context.db, webhook.id, { failingSince: since });
  if (webhook.disabledAt || now.getTime() - since.getTime() < DISABLE_AFTER_MS) return;
  await updateWebhook(context.db, webhook.id, { disabledAt: now });
  log('warn', 'webhook_disabled', { webhookId: webhook.id });
  const [user, mailer] = [await getUserById(context.db, webhook.userId), context.mailer()];
  if (!user || !mailer) return;
  const { webhookDisabledMail } = await import('../mail/templates'); // texts on use, not at cold start
  await mailer
    .send({ to: user.email, url: context.settings.appUrl, ...webhookDisabledMail(webhook.url) })
    .catch((error) => log('warn', 'webhook_disabled_mail_failed', describeError(error)));
}

/** At most `limit` bytes of a body as text; the rest is never read. */
async function firstBytes(response: Response, limit: number): Promise<string> {
  const reader = response.body?.getReader();
  if (!reader) return '';
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    while (size < limit) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      size += value.length;
    }
  } finally {
    await reader.cancel().catch(() => {});
  }
  const bytes = new Uint8Array(Math.min(size, limit));
  let offset = 0;
  for (const chunk of chunks) {
    const part = chunk.subarray(0, bytes.length - offset);
    bytes.set(part, offset);
    offset += part.length;
    if (offset >= bytes.length) break;
  }
  return new TextDecoder().decode(bytes);
}

export const presentWebhook = (webhook: Webhook): WebhookInfo => ({
  id: webhook.id,
  url: webhook.url,
  events: webhook.events,
  createdAt: webhook.createdAt.toISOString(),
  failingSince: webhook.failingSince?.toISOString() ?? null,
  disabledAt: webhook.disabledAt?.toISOString() ?? null,
  previousSecretValidUntil: webhook.previousUntil?.toISOString() ?? null,
});

export const presentDelivery = (delivery: WebhookDelivery): DeliveryInfo => ({
  id: delivery.id,
  event: delivery.event,
  status: delivery.status,
  attempts: delivery.attempts,
  createdAt: delivery.createdAt.toISOString(),
  nextAttemptAt: delivery.status === 'pending' ? delivery.nextAttemptAt.toISOString() : null,
  deliveredAt: delivery.deliveredAt?.toISOString() ?? null,
  lastStatus: delivery.lastStatus,
  lastLatencyMs: delivery.lastLatencyMs,
  lastResponse: delivery.lastResponse,
});

/** The webhooks' view of a request: its stores, the mailer if one is configured, settings, the clock. */
export async function webhookContext(
  request: { db(): Promise<Database>; kv(): KvStore; mailer(): Mailer },
  now: Clock = () => new Date(),
): Promise<Context> {
  return {
    db: await request.db(),
    kv: request.kv(),
    mailer: () => mailerIfConfigured(request.mailer),
    settings: webhookSettings(),
    now,
  };
}

/** What the webhooks read from the one config: the secret their secrets are sealed with, links, https-only. */
export function webhookSettings(): Settings {
  const { identifierSecret, appUrl, deployed } = config();
  return { identifierSecret, appUrl, deployed };
}
