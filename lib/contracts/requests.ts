import * as z from 'zod';
import { emailSchema } from '../db/email';
import { API_KEY_SCOPES, WEBHOOK_EVENTS } from './scopes';

/**
 * What clients send: functions validate their input with these (so they stay small: each function
 * loads them at cold start), and the OpenAPI document describes them. Responses: ./responses.ts.
 */
export const loginInput = z.object({
  email: emailSchema,
  'cf-turnstile-response': z
    .string()
    .max(2048)
    .optional()
    .describe('the human check token, when the service has it switched on (Cloudflare Turnstile)'),
});

export const callbackQuery = z.object({ token: z.string().min(1).max(200) });
export const callbackInput = z.object({ token: z.string().min(1).max(200) });

export const submitter = z.object({
  email: emailSchema,
  name: z.string().trim().min(1).max(200),
});

/** The engine's options (what the file cannot say), and its column mapping on its own. */
export { analysisOptions, mappingOption as mappingOverride } from '../engine/input/options';

export const listQuery = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(20),
  cursor: z.string().max(200).optional(),
  status: z.enum(['pending', 'completed', 'failed']).optional(),
});

/** `[id]` reaches the function as the query parameter `id`; clients put it in the path. */
export const analysisIdQuery = z.object({
  id: z.string(),
  access: z
    .string()
    .max(200)
    .optional()
    .describe('the capability token from `statusUrl` (anonymous submissions)'),
});

/** The report page: `/reports/{id}` is rewritten to `api/reports/[id]` (vercel.json). */
export const reportQuery = analysisIdQuery.extend({
  lang: z.enum(['de', 'en']).optional().describe('the page language; else Accept-Language, else the export'),
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

/** `/api/auth/logout-all` is rewritten to `/api/auth/logout?scope=all` (vercel.json): one function. */
export const logoutQuery = z.object({ scope: z.literal('all').optional() });

export const apiKeyCreate = z.object({
  name: z.string().trim().min(1).max(100).describe('what the key is for, e.g. "MES export job"'),
  scopes: z
    .array(z.enum(API_KEY_SCOPES))
    .min(1)
    .max(API_KEY_SCOPES.length)
    .describe('analyses:write uploads (and renames, deletes); analyses:read reads'),
});
/** `/api/keys/{id}` is rewritten to `/api/keys?part=key&id=` (vercel.json). */
export const apiKeyIdQuery = z.object({ id: z.string().max(100) });

export const webhookCreate = z.object({
  url: z.url().max(2000).describe('https; no private, loopback or link-local address'),
  events: z.array(z.enum(WEBHOOK_EVENTS)).min(1).max(WEBHOOK_EVENTS.length),
});
/** `/api/webhooks/{id}[/...]` are rewritten to `/api/webhooks?part=...&id=` (vercel.json). */
export const webhookIdQuery = z.object({ id: z.string().max(100) });
export const deliveryQuery = webhookIdQuery.extend({ delivery: z.string().max(100) });

/** `/api/me/sessions/{id}` is rewritten to `/api/me?part=sessions&id=` (vercel.json). */
export const sessionIdQuery = z.object({
  id: z.string().regex(/^[0-9a-f]{12}$/, 'a session id from the list'),
});

/**
 * `Idempotency-Key` (IETF httpapi draft): a structured-field string, so quoted; sent bare it is
 * accepted too, as most clients do. Printable ASCII, at most 255 characters.
 */
export const idempotencyKey = z
  .string()
  .transform((value) => (/^".*"$/.test(value) ? value.slice(1, -1) : value))
  .pipe(
    z
      .string()
      .min(1)
      .max(255)
      .regex(/^[\x21-\x7e]+$/, 'printable ASCII without spaces'),
  )
  .describe('a unique value per logical request, e.g. a UUID; retries repeat it (24 hours)');
