import * as z from 'zod';
import { analysisReport } from './report';
import { API_KEY_SCOPES, WEBHOOK_EVENTS } from './scopes';

/**
 * What the API answers. Presenters are typed by these (`z.output`), the OpenAPI document renders them,
 * and tests validate real responses against that document. Functions import only their types, so
 * none of this is built at a function's cold start.
 */
const instant = z.iso.datetime();

export const problem = z
  .looseObject({
    type: z.url().describe('a page that explains this kind of problem'),
    title: z.string(),
    status: z.number().int().min(400).max(599),
    detail: z.string(),
    requestId: z.string(),
    code: z
      .string()
      .optional()
      .describe('a finer reason where clients branch on it (e.g. BINARY_FILE, NOT_TABULAR)'),
    errors: z
      .array(z.object({ path: z.string(), message: z.string() }))
      .optional()
      .describe('422: each invalid field'),
  })
  .meta({ id: 'Problem', description: 'Problem details (RFC 9457)' });

export const loginAccepted = z.object({
  status: z.literal('sent'),
  message: z.string(),
  expiresInSeconds: z.number().int(),
});

export const user = z
  .object({ id: z.uuid(), email: z.email(), name: z.string(), createdAt: instant })
  .meta({ id: 'User' });

export const sessionIssued = z.object({
  token: z.string(),
  tokenType: z.literal('Bearer'),
  expiresAt: instant,
  user,
});

export const sessionInfo = z
  .object({
    id: z.string().describe('the first 12 hex digits of the token hash; never the token'),
    createdAt: instant,
    lastUsedAt: instant,
    expiresAt: instant,
    current: z.boolean(),
  })
  .meta({ id: 'Session' });
export const sessionList = z.object({ items: z.array(sessionInfo) });

const analysisStatus = z.enum(['pending', 'completed', 'failed']);

export const analysisFailure = z
  .object({
    code: z
      .string()
      .describe(
        'NOT_TABULAR, NO_HEADER, TIME_UNPARSEABLE, ... (the engine), ANALYSIS_FAILED, ANALYSIS_INTERRUPTED, ANALYSIS_TIMED_OUT',
      ),
    message: z.string(),
  })
  .meta({ id: 'AnalysisFailure' });

export const analysisSummary = z
  .object({
    id: z.uuid(),
    fileName: z.string(),
    status: analysisStatus,
    sizeBytes: z.number().int(),
    contentHash: z
      .string()
      .optional()
      .describe('for the owner only: it would tell a link holder which file this is'),
    analyzerVersion: z.string(),
    createdAt: instant,
    completedAt: instant.nullable(),
    error: analysisFailure.nullable().describe('why a failed analysis has no report'),
    oee: z
      .number()
      .nullable()
      .describe('the headline OEE (0..1) of a completed analysis; null when not computable or not done'),
    parentId: z
      .uuid()
      .nullable()
      .describe('the analysis this one re-runs with answers to its questions (same file), if any'),
    reportUrl: z
      .url()
      .describe(
        "the report page for people (HTML, in the reader's language); with the access token for a link holder",
      ),
  })
  .meta({ id: 'AnalysisSummary' });

export const analysisDetail = analysisSummary
  .extend({ result: analysisReport.nullable().describe('the report, once completed') })
  .meta({ id: 'Analysis' });

/** A submission's answer: the analysis (with its report when it completed at once) and where to read it. */
export const analysisAccepted = analysisSummary
  .extend({
    result: analysisReport.nullable().optional().describe('201 only: the cached report'),
    statusUrl: z.url().describe('where to read it; for an anonymous submission with its access token'),
  })
  .meta({ id: 'AnalysisAccepted' });

/** A rename answers the summary; renewing the link adds the new `statusUrl`. */
export const analysisUpdated = analysisSummary.extend({ statusUrl: z.url().optional() });

export const analysisList = z.object({
  items: z.array(analysisSummary),
  nextCursor: z.string().nullable().describe('pass as `cursor` for the next page; null on the last'),
});

export const apiKey = z
  .object({
    id: z.uuid(),
    name: z.string(),
    prefix: z.string().describe("the key's first characters, to tell keys apart"),
    scopes: z.array(z.enum(API_KEY_SCOPES)),
    createdAt: instant,
    lastUsedAt: instant.nullable().describe('to within a few minutes'),
  })
  .meta({ id: 'ApiKey' });
export const apiKeyCreated = apiKey
  .extend({ key: z.string().describe('the key itself: shown this once, only its hash is kept') })
  .meta({ id: 'ApiKeyCreated' });
export const apiKeyList = z.object({ items: z.array(apiKey) });

export const webhook = z
  .object({
    id: z.uuid(),
    url: z.url(),
    events: z.array(z.enum(WEBHOOK_EVENTS)),
    createdAt: instant,
    failingSince: instant.nullable().describe('since when every delivery has failed'),
    disabledAt: instant.nullable().describe('disabled after three days of failures'),
    previousSecretValidUntil: instant
      .nullable()
      .describe('after a rotation: the old secret still signs until then'),
  })
  .meta({ id: 'Webhook' });
export const webhookCreated = webhook
  .extend({ secret: z.string().describe('the signing secret (whsec_...): shown this once') })
  .meta({ id: 'WebhookCreated' });
export const webhookList = z.object({ items: z.array(webhook) });
export const delivery = z
  .object({
    id: z.string().describe('the webhook-id header, the same on every attempt'),
    event: z.enum(WEBHOOK_EVENTS),
    status: z.enum(['pending', 'delivered', 'failed']),
    attempts: z.number().int(),
    createdAt: instant,
    nextAttemptAt: instant.nullable(),
    deliveredAt: instant.nullable(),
    lastStatus: z.number().int().nullable().describe("the receiver's HTTP status; null: no answer"),
    lastLatencyMs: z.number().int().nullable(),
    lastResponse: z.string().nullable().describe("the receiver's answer or the error, at most 1 KB"),
  })
  .meta({ id: 'WebhookDelivery' });
export const deliveryList = z.object({ items: z.array(delivery) });

export const accountExport = z.object({
  exportedAt: instant,
  user,
  analyses: z.array(analysisDetail),
  sessions: z.array(sessionInfo),
  apiKeys: z.array(apiKey).describe('their names, prefixes and scopes (never the keys)'),
});

const componentHealth = z.object({
  status: z.enum(['ok', 'error']),
  backend: z.string(),
  latencyMs: z.number(),
  error: z.string().optional(),
});
export const health = z.object({
  status: z.literal('ok'),
  region: z.string(),
  version: z.string(),
  checks: z.object({ db: componentHealth, kv: componentHealth }),
});

export const cleanupSummary = z.object({
  ran: z.boolean(),
  reason: z.string().optional(),
  staleMarkedFailed: z.number().int(),
  expiredAnalysesDeleted: z.number().int(),
  cacheEntriesRemoved: z.number().int(),
  sessionIndexesPruned: z.number().int(),
  complete: z.boolean(),
});

export type Problem = z.output<typeof problem>;
export type ApiKeyInfo = z.output<typeof apiKey>;
export type WebhookInfo = z.output<typeof webhook>;
export type DeliveryInfo = z.output<typeof delivery>;
export type LoginAccepted = z.output<typeof loginAccepted>;
export type SessionIssued = z.output<typeof sessionIssued>;
export type AnalysisSummary = z.output<typeof analysisSummary>;
export type AnalysisDetail = z.output<typeof analysisDetail>;
export type SessionInfo = z.output<typeof sessionInfo>;
export type PublicUser = z.output<typeof user>;
export type AccountExport = z.output<typeof accountExport>;
export type CleanupSummary = z.output<typeof cleanupSummary>;
/** The cron's answer: the cleanup, and the webhook deliveries it retried. */
export const cronRun = cleanupSummary.extend({
  webhookDeliveries: z.number().int().describe('webhook deliveries whose retry was due, attempted once each'),
});
export type HealthReport = z.output<typeof health>;
