import { emailSchema } from '../db/email';
import * as z from '../zod';
import { API_KEY_SCOPES, WEBHOOK_EVENTS } from './scopes';

/**
 * What clients send: functions validate their input with these, and the OpenAPI document describes
 * them. zod/mini, each built on first use: a function loads this module at cold start and needs one or
 * two of its schemas. Responses: ./responses.ts.
 */
const text = (min: number, max: number) => z.string().check(z.minLength(min), z.maxLength(max));
const trimmed = (max: number) => z.string().check(z.trim(), z.minLength(1), z.maxLength(max));

export const loginInput = z.lazySchema(() =>
  z.object({
    email: emailSchema(),
    'cf-turnstile-response': z.optionalDescribed(
      z.string().check(z.maxLength(2048)),
      'the human check token, when the service has it switched on (Cloudflare Turnstile)',
    ),
  }),
);

export const callbackQuery = z.lazySchema(() => z.object({ token: text(1, 200) }));
export const callbackInput = z.lazySchema(() => z.object({ token: text(1, 200) }));

export const submitter = z.lazySchema(() => z.object({ email: emailSchema(), name: trimmed(200) }));

/** The engine's options (what the file cannot say), and its column mapping on its own. */
export { analysisOptions, mappingOption as mappingOverride } from '../engine/input/options';

export const listQuery = z.lazySchema(() =>
  z.object({
    limit: z._default(z.coerce.number().check(z.int(), z.gte(1), z.lte(100)), 20),
    cursor: z.optional(z.string().check(z.maxLength(200))),
    status: z.optional(z.enum(['pending', 'completed', 'failed'])),
  }),
);

/** `[id]` reaches the function as the query parameter `id`; clients put it in the path. */
export const analysisIdQuery = z.lazySchema(() =>
  z.object({
    id: z.string(),
    access: z.optionalDescribed(
      z.string().check(z.maxLength(200)),
      'the capability token from `statusUrl` (anonymous submissions)',
    ),
  }),
);

/** The report page: `/reports/{id}` is rewritten to `api/reports/[id]` (vercel.json). */
export const reportQuery = z.lazySchema(() =>
  z.extend(analysisIdQuery(), {
    lang: z.optionalDescribed(
      z.enum(['de', 'en']),
      'the page language; else Accept-Language, else the export',
    ),
  }),
);

export const analysisUpdate = z.lazySchema(() =>
  z
    .object({
      fileName: z.optionalDescribed(trimmed(255), 'a new name'),
      access: z.optionalDescribed(
        z.literal('renew'),
        'a new capability link in `statusUrl`: the old one stops working',
      ),
    })
    .check(
      z.refine(
        (update) => update.fileName !== undefined || update.access !== undefined,
        'give fileName or access',
      ),
    ),
);

/** `/api/auth/logout-all` is rewritten to `/api/auth/logout?scope=all` (vercel.json): one function. */
export const logoutQuery = z.lazySchema(() => z.object({ scope: z.optional(z.literal('all')) }));

export const apiKeyCreate = z.lazySchema(() =>
  z.object({
    name: trimmed(100).check(z.describe('what the key is for, e.g. "MES export job"')),
    scopes: z
      .array(z.enum(API_KEY_SCOPES))
      .check(
        z.minLength(1),
        z.maxLength(API_KEY_SCOPES.length),
        z.describe('analyses:write uploads (and renames, deletes); analyses:read reads'),
      ),
  }),
);
/** `/api/keys/{id}` is rewritten to `/api/keys?part=key&id=` (vercel.json). */
export const apiKeyIdQuery = z.lazySchema(() => z.object({ id: z.string().check(z.maxLength(100)) }));

export const webhookCreate = z.lazySchema(() =>
  z.object({
    url: z.url().check(z.maxLength(2000), z.describe('https; no private, loopback or link-local address')),
    events: z.array(z.enum(WEBHOOK_EVENTS)).check(z.minLength(1), z.maxLength(WEBHOOK_EVENTS.length)),
  }),
);
/** `/api/webhooks/{id}[/...]` are rewritten to `/api/webhooks?part=...&id=` (vercel.json). */
export const webhookIdQuery = z.lazySchema(() => z.object({ id: z.string().check(z.maxLength(100)) }));
export const deliveryQuery = z.lazySchema(() =>
  z.extend(webhookIdQuery(), { delivery: z.string().check(z.maxLength(100)) }),
);

/** `/api/me/sessions/{id}` is rewritten to `/api/me?part=sessions&id=` (vercel.json). */
export const sessionIdQuery = z.lazySchema(() =>
  z.object({
    id: z.string().check(z.regex(/^[0-9a-f]{12}$/, 'a session id from the list')),
  }),
);

/**
 * `Idempotency-Key` (IETF httpapi draft): a structured-field string, so quoted; sent bare it is
 * accepted too, as most clients do. Printable ASCII, at most 255 characters.
 */
export const idempotencyKey = z.lazySchema(() =>
  z
    .pipe(
      z.pipe(
        z.string(),
        z.transform((value: string) => (/^".*"$/.test(value) ? value.slice(1, -1) : value)),
      ),
      z
        .string()
        .check(z.minLength(1), z.maxLength(255), z.regex(/^[\x21-\x7e]+$/, 'printable ASCII without spaces')),
    )
    .check(z.describe('a unique value per logical request, e.g. a UUID; retries repeat it (24 hours)')),
);
