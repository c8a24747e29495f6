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

export const loginInput = z.object({ email: emailSchema });
export const loginAccepted = z.object({
  status: z.literal('sent'),
  message: z.string(),
  expiresInSeconds: z.number().int(),
});

export const callbackQuery = z.object({ token: z.string().min(1).max(200) });

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
