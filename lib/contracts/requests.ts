import * as z from 'zod';
import { emailSchema } from '../db/email';

/** Request and response shapes of the API: functions validate with these, /api/openapi describes them. */
export const problem = z.object({
  type: z.string(),
  title: z.string(),
  status: z.number().int(),
  detail: z.string(),
  requestId: z.string(),
});

export const loginInput = z.object({
  email: emailSchema,
  'cf-turnstile-response': z
    .string()
    .max(2048)
    .optional()
    .describe('the human check token, when the service has it switched on (Cloudflare Turnstile)'),
});
export const loginAccepted = z.object({
  status: z.literal('sent'),
  message: z.string(),
  expiresInSeconds: z.number().int(),
});

export const callbackQuery = z.object({ token: z.string().min(1).max(200) });
export const callbackInput = z.object({ token: z.string().min(1).max(200) });

export const user = z.object({
  id: z.uuid(),
  email: z.email(),
  name: z.string(),
  createdAt: z.iso.datetime(),
});

export const sessionIssued = z.object({
  token: z.string(),
  tokenType: z.literal('Bearer'),
  expiresAt: z.iso.datetime(),
  user,
});

export const sessionInfo = z.object({
  id: z.string().describe('the first 12 hex digits of the token hash; never the token'),
  createdAt: z.iso.datetime(),
  lastUsedAt: z.iso.datetime(),
  expiresAt: z.iso.datetime(),
  current: z.boolean(),
});

export const analysisExport = z.object({
  id: z.uuid(),
  fileName: z.string(),
  contentHash: z.string(),
  sizeBytes: z.number().int(),
  status: z.enum(['pending', 'completed', 'failed']),
  result: z.record(z.string(), z.unknown()).nullable(),
  error: z.string().nullable(),
  analyzerVersion: z.string(),
  createdAt: z.iso.datetime(),
  completedAt: z.iso.datetime().nullable(),
});

export const sessionList = z.object({ items: z.array(sessionInfo) });
export const sessionIdQuery = z.object({
  id: z.string().regex(/^[0-9a-f]{12}$/, 'a session id from the list'),
});

export const accountExport = z.object({
  exportedAt: z.iso.datetime(),
  user,
  analyses: z.array(analysisExport),
  sessions: z.array(sessionInfo),
});

export const health = z.object({
  status: z.literal('ok'),
  region: z.string(),
  version: z.string(),
  checks: z.object({
    db: z.object({ status: z.string(), backend: z.string(), latencyMs: z.number() }),
    kv: z.object({ status: z.string(), backend: z.string(), latencyMs: z.number() }),
  }),
});

export const submitter = z.object({
  email: emailSchema,
  name: z.string().trim().min(1).max(200),
});

/** The engine's options (what the file cannot say), and its column mapping on its own. */
export { analysisOptions, mappingOption as mappingOverride } from '../engine/input/options';

export const analysisSubmission = z.object({
  csv: z
    .string()
    .describe('the CSV text (JSON and url-encoded forms); multipart sends a `file` field instead'),
  fileName: z.string().max(255).optional(),
  options: z
    .string()
    .optional()
    .describe(
      'JSON object of analysis options (mapping, units, states, specs, baseline, microStopMinutes, sampleHoldMinutes; see the README); a JSON body may send the object itself',
    ),
  mapping: z
    .string()
    .optional()
    .describe(
      'JSON object: source header to canonical field (or null to leave the column out), over the detected mapping; the same as options.mapping, kept for existing clients (give one of the two)',
    ),
  email: z.string().optional().describe('without a session: the submitter'),
  name: z.string().optional().describe('without a session: the submitter'),
  redirect: z.string().optional().describe('form posts: an allowed URL to send the browser back to'),
  website: z.string().optional().describe('honeypot: leave empty'),
  'cf-turnstile-response': z
    .string()
    .optional()
    .describe('without a session: the human check token, when the service has it switched on'),
});

export const analysisAccepted = z.object({
  id: z.uuid(),
  status: z.enum(['pending', 'completed', 'failed']),
  statusUrl: z.string(),
});

export const analysisSummary = z.object({
  id: z.uuid(),
  fileName: z.string(),
  status: z.enum(['pending', 'completed', 'failed']),
  sizeBytes: z.number().int(),
  contentHash: z.string(),
  analyzerVersion: z.string(),
  createdAt: z.iso.datetime(),
  completedAt: z.iso.datetime().nullable(),
  error: z.string().nullable(),
});

export const analysisDetail = analysisSummary.extend({
  result: z.record(z.string(), z.unknown()).nullable(),
});

export const analysisList = z.object({
  items: z.array(analysisSummary),
  nextCursor: z.string().nullable(),
});

export const listQuery = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(20),
  cursor: z.string().max(200).optional(),
  status: z.enum(['pending', 'completed', 'failed']).optional(),
});

export const analysisIdQuery = z.object({
  id: z.string(),
  access: z.string().max(200).optional(),
});

export const analysisUpdate = z
  .object({
    fileName: z.string().trim().min(1).max(255).optional().describe('a new name'),
    access: z
      .literal('renew')
      .optional()
      .describe('a new capability link in `statusUrl`: the old one stops working'),
  })
  .refine(
    (update) => update.fileName !== undefined || update.access !== undefined,
    'give fileName or access',
  );

export const cleanupSummary = z.object({
  ran: z.boolean(),
  reason: z.string().optional(),
  staleMarkedFailed: z.number().int(),
  expiredAnalysesDeleted: z.number().int(),
  cacheEntriesRemoved: z.number().int(),
  sessionIndexesPruned: z.number().int(),
  complete: z.boolean(),
});
