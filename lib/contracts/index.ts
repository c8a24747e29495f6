import * as z from 'zod';
import { createDocument, type ZodOpenApiOperationObject, type ZodOpenApiResponseObject } from 'zod-openapi';
import { PROBLEM_CODES, problemPath } from '../http/problems';
import * as mini from '../zod';
import * as requests from './requests';
import * as responses from './responses';

/**
 * The API's contract: every operation of every function, its inputs and each status it can answer
 * with the headers that come with it, as an OpenAPI 3.1 document generated from the zod schemas the
 * functions validate with (./requests.ts) and the presenters are typed by (./responses.ts). Only
 * `api/openapi` and the tools bundle this file (and its generator).
 */

const header = (description: string, example?: string) =>
  z.string().meta({ description, ...(example ? { example } : {}) });
const headers = {
  location: header('where the created or accepted resource is read'),
  rateLimit: header(
    'the quota left in each policy the request counted against (draft-ietf-httpapi-ratelimit-headers)',
    '"analysis-user";r=19;t=3600',
  ),
  rateLimitPolicy: header('each policy: quota and window in seconds', '"analysis-user";q=20;w=3600'),
  retryAfter: header('seconds to wait before trying again', '5'),
  etag: header('the representation: send it back in If-None-Match', '"3f2a…"'),
  cacheControl: header('how long a client may reuse the answer', 'private, max-age=300'),
  setCookie: header('the session cookie (__Host-session), set or cleared'),
  replayed: header(
    '"true" when this is the stored answer to an earlier request with the same Idempotency-Key',
  ),
  wwwAuthenticate: header('the scheme to authenticate with', 'Bearer'),
};
const limited = { RateLimit: headers.rateLimit, 'RateLimit-Policy': headers.rateLimitPolicy };
/** A replayed answer (Idempotency-Key) cost nothing, so it has no quota headers. */
const limitedUnlessReplayed = {
  RateLimit: headers.rateLimit.optional().describe('absent on a replayed answer'),
  'RateLimit-Policy': headers.rateLimitPolicy.optional().describe('absent on a replayed answer'),
};

const json = (schema: z.core.$ZodType) => ({ 'application/json': { schema } });
const problemContent = { 'application/problem+json': { schema: responses.problem } };
const html = { 'text/html': { schema: z.string() } };

/** A problem response, with what it means for this operation. */
const problem = (description: string, extra: Partial<ZodOpenApiResponseObject> = {}) => ({
  description,
  content: problemContent,
  ...extra,
});
const common = {
  unauthorized: problem('no session, or it ended (a bearer token or the session cookie)', {
    headers: z.object({ 'WWW-Authenticate': headers.wwwAuthenticate }),
  }),
  malformed: problem('malformed JSON, form or multipart body'),
  tooLarge: problem('the body is larger than the operation accepts'),
  mediaType: problem('a content type the operation does not take'),
  invalid: problem('invalid fields: each in `errors`'),
  crossSite: problem(
    'a cookie-authenticated change from another site (CSRF), a recent sign-in is needed, or an API key (account routes take none)',
  ),
  crossSiteOrScope: problem(
    'a cookie-authenticated change from another site (CSRF), or an API key without analyses:write',
  ),
  keyScope: problem('an API key without the scope this operation needs'),
  keyRefused: problem("an API key: account routes take a person's session only"),
  limited: problem('over a limit: nothing was stored or counted', {
    headers: z.object({ ...limited, 'Retry-After': headers.retryAfter }),
  }),
  /** Any operation: a bug (500) or a backend that did not answer (503, with Retry-After). */
  fallback: problem('an unexpected failure (500) or a backend outage (503, with Retry-After)'),
};

const session: Record<string, string[]>[] = [{ bearer: [] }, { cookie: [] }];
/** A session, or an API key with the scope (role names, as OpenAPI 3.1 allows for http schemes). */
const keyed = (scope: string): Record<string, string[]>[] => [...session, { apiKey: [scope] }];
const keyedOrAnonymous = (scope: string): Record<string, string[]>[] => [...keyed(scope), {}];

type Operation = ZodOpenApiOperationObject & { operationId: string };
const operation = (spec: Operation): Operation => ({
  ...spec,
  responses: { ...spec.responses, default: common.fallback },
});

const analysisPath = z.object({ id: z.uuid().describe('the analysis id') });
const webhookPath = z.object({ id: z.uuid().describe('the webhook id') });
const uploadFields = z.object({
  fileName: z.string().max(255).optional().describe('the name to show; defaults to the file name'),
  options: z
    .string()
    .optional()
    .describe(
      'JSON object of analysis options (mapping, units, states, specs, baseline, microStopMinutes, sampleHoldMinutes; see docs/api.md)',
    ),
  mapping: z
    .string()
    .optional()
    .describe('JSON object: source header -> field or null; the same as options.mapping (give one)'),
  email: z.string().optional().describe('without a session: where the link to the report goes'),
  name: z.string().optional().describe('without a session: the submitter'),
  redirect: z
    .string()
    .optional()
    .describe('form posts: an allowed URL the browser goes back to (303), with ?error=CODE on refusal'),
  website: z.string().optional().describe('honeypot: leave empty'),
  'cf-turnstile-response': z
    .string()
    .optional()
    .describe('without a session: the human check token, when the service has it switched on'),
});
const submission = {
  multipart: uploadFields.extend({
    file: z
      .string()
      .meta({ format: 'binary' })
      .describe('the CSV export, or an Excel workbook (.xlsx, .xlsm)'),
  }),
  text: uploadFields.extend({ csv: z.string().describe('the CSV text') }),
  json: uploadFields.extend({
    csv: z.string().describe('the CSV text'),
    options: z.optional(requests.analysisOptions()).describe('analysis options, as an object'),
    mapping: z.optional(requests.mappingOverride()),
  }),
};

export const paths = {
  '/api/health': {
    get: operation({
      operationId: 'getHealth',
      summary: 'Database and KV reachability, region and version',
      tags: ['platform'],
      responses: {
        200: { description: 'both backends answer', content: json(responses.health) },
        503: problem('a backend did not answer: `checks` says which', {
          headers: z.object({ 'Retry-After': headers.retryAfter }),
        }),
      },
    }),
  },
  '/api/openapi': {
    get: operation({
      operationId: 'getOpenApi',
      summary: 'This OpenAPI 3.1 document',
      tags: ['platform'],
      responses: {
        200: {
          description: 'the document',
          content: json(z.record(z.string(), z.unknown())),
          headers: z.object({ 'Cache-Control': headers.cacheControl }),
        },
      },
    }),
  },
  '/api/auth/login': {
    post: operation({
      operationId: 'requestSignIn',
      summary: 'Mail a sign-in link (the same answer whether or not the address has an account)',
      tags: ['auth'],
      requestBody: {
        required: true,
        content: {
          'application/json': { schema: requests.loginInput() },
          'application/x-www-form-urlencoded': { schema: requests.loginInput() },
        },
      },
      responses: {
        202: {
          description: 'a link was sent if the address can receive mail',
          content: json(responses.loginAccepted),
          headers: z.object(limited),
        },
        400: common.malformed,
        403: problem('a request from another site, or the human check did not pass'),
        413: common.tooLarge,
        415: common.mediaType,
        422: common.invalid,
        429: common.limited,
      },
    }),
  },
  '/api/auth/callback': {
    get: operation({
      operationId: 'showSignInConfirmation',
      summary:
        'The mailed link: a page with a button that confirms it. Consumes nothing, so mail scanners leave the link usable',
      tags: ['auth'],
      requestParams: { query: requests.callbackQuery() },
      responses: {
        200: { description: 'the confirmation page', content: html },
        400: { description: 'the link is invalid or has expired (a page)', content: html },
        410: { description: 'the link was already used (a page)', content: html },
        422: common.invalid,
      },
    }),
    post: operation({
      operationId: 'confirmSignIn',
      summary:
        'Confirm a link, once: the page posts it (same origin) and gets the cookie and a redirect; a script posts `token` with Accept: application/json and gets a bearer token',
      tags: ['auth'],
      requestBody: {
        required: true,
        content: {
          'application/json': { schema: requests.callbackInput() },
          'application/x-www-form-urlencoded': { schema: requests.callbackInput() },
        },
      },
      responses: {
        200: {
          description: 'the bearer token (Accept: application/json)',
          content: json(responses.sessionIssued),
        },
        303: {
          description: 'signed in: to the app, with the session cookie',
          headers: z.object({ Location: headers.location, 'Set-Cookie': headers.setCookie }),
        },
        400: {
          description: 'the link is invalid or has expired (a page, or problem details for scripts)',
          content: { ...problemContent, ...html },
        },
        403: problem('a confirmation posted from another site (login CSRF)'),
        410: {
          description: 'the link was already used (a page, or problem details for scripts)',
          content: { ...problemContent, ...html },
        },
        413: common.tooLarge,
        415: common.mediaType,
        422: common.invalid,
      },
    }),
  },
  '/api/auth/logout': {
    post: operation({
      operationId: 'signOut',
      summary: 'End this session',
      tags: ['auth'],
      security: session,
      responses: {
        204: {
          description: 'signed out; the cookie is cleared',
          headers: z.object({ 'Set-Cookie': headers.setCookie }),
        },
        401: common.unauthorized,
        403: common.crossSite,
      },
    }),
  },
  '/api/auth/logout-all': {
    post: operation({
      operationId: 'signOutEverywhere',
      summary: 'End every session of the user',
      tags: ['auth'],
      security: session,
      responses: {
        204: { description: 'signed out everywhere', headers: z.object({ 'Set-Cookie': headers.setCookie }) },
        401: common.unauthorized,
        403: common.crossSite,
      },
    }),
  },
  '/api/me': {
    get: operation({
      operationId: 'getMe',
      summary: 'The signed-in user',
      tags: ['account'],
      security: session,
      responses: {
        200: { description: 'the user', content: json(responses.user) },
        401: common.unauthorized,
        403: common.keyRefused,
      },
    }),
    delete: operation({
      operationId: 'eraseAccount',
      summary:
        'Erase the account (GDPR art. 17): user, analyses, sessions, cached results nobody else uses, rate-limit entries. Needs a recent sign-in',
      tags: ['account'],
      security: session,
      responses: {
        204: {
          description: 'erased; the cookie is cleared',
          headers: z.object({ 'Set-Cookie': headers.setCookie }),
        },
        401: common.unauthorized,
        403: common.crossSite,
      },
    }),
  },
  '/api/me/sessions': {
    get: operation({
      operationId: 'listSessions',
      summary: "The user's live sessions, most recently used first",
      tags: ['account'],
      security: session,
      responses: {
        200: { description: 'the sessions', content: json(responses.sessionList) },
        401: common.unauthorized,
        403: common.keyRefused,
      },
    }),
  },
  '/api/keys': {
    get: operation({
      operationId: 'listApiKeys',
      summary: "The user's API keys (never the keys themselves)",
      tags: ['account'],
      security: session,
      responses: {
        200: { description: 'the keys', content: json(responses.apiKeyList) },
        401: common.unauthorized,
        403: problem('an API key: keys never manage keys'),
      },
    }),
    post: operation({
      operationId: 'createApiKey',
      summary: 'A new API key for a machine, shown once; needs a sign-in of the last 10 minutes',
      tags: ['account'],
      security: session,
      requestBody: { content: json(requests.apiKeyCreate()) },
      responses: {
        201: { description: 'the key, this once', content: json(responses.apiKeyCreated) },
        400: common.malformed,
        401: common.unauthorized,
        403: problem('no recent sign-in, a cross-site request, or an API key'),
        409: problem('20 keys already: delete one first'),
        415: common.mediaType,
        422: common.invalid,
      },
    }),
  },
  '/api/keys/{id}': {
    delete: operation({
      operationId: 'revokeApiKey',
      summary: 'Revoke a key at once: its next request fails',
      tags: ['account'],
      security: session,
      requestParams: { path: z.object({ id: z.uuid().describe('the key id from the list') }) },
      responses: {
        204: { description: 'revoked' },
        401: common.unauthorized,
        403: common.crossSite,
        404: problem('no such key of this user'),
        422: common.invalid,
      },
    }),
  },
  '/api/webhooks': {
    get: operation({
      operationId: 'listWebhooks',
      summary: "The user's webhooks",
      tags: ['integrations'],
      security: session,
      responses: {
        200: { description: 'the webhooks', content: json(responses.webhookList) },
        401: common.unauthorized,
        403: common.keyRefused,
      },
    }),
    post: operation({
      operationId: 'createWebhook',
      summary:
        'Announce the end of each analysis to a URL (Standard Webhooks: webhook-id, webhook-timestamp, webhook-signature); the secret is shown once',
      tags: ['integrations'],
      security: session,
      requestBody: { content: json(requests.webhookCreate()) },
      responses: {
        201: {
          description: 'the webhook and its signing secret, this once',
          content: json(responses.webhookCreated),
        },
        400: common.malformed,
        401: common.unauthorized,
        403: common.crossSite,
        409: problem('10 webhooks already: delete one first'),
        415: common.mediaType,
        422: problem(
          'invalid fields, or a URL that is not https or points inside a network (`code: WEBHOOK_URL_REFUSED`)',
        ),
      },
    }),
  },
  '/api/webhooks/{id}': {
    delete: operation({
      operationId: 'deleteWebhook',
      summary: 'Delete a webhook and its delivery log',
      tags: ['integrations'],
      security: session,
      requestParams: { path: webhookPath },
      responses: {
        204: { description: 'deleted' },
        401: common.unauthorized,
        403: common.crossSite,
        404: problem('no such webhook of this user'),
        422: common.invalid,
      },
    }),
  },
  '/api/webhooks/{id}/secret': {
    post: operation({
      operationId: 'rotateWebhookSecret',
      summary: 'A new signing secret; the old one keeps signing for 24 hours beside it',
      tags: ['integrations'],
      security: session,
      requestParams: { path: webhookPath },
      responses: {
        200: { description: 'the new secret, this once', content: json(responses.webhookCreated) },
        401: common.unauthorized,
        403: common.crossSite,
        404: problem('no such webhook of this user'),
        422: common.invalid,
      },
    }),
  },
  '/api/webhooks/{id}/deliveries': {
    get: operation({
      operationId: 'listWebhookDeliveries',
      summary: 'The last 50 deliveries: status, attempts, latency, the first 1 KB of the answer',
      tags: ['integrations'],
      security: session,
      requestParams: { path: webhookPath },
      responses: {
        200: { description: 'the log', content: json(responses.deliveryList) },
        401: common.unauthorized,
        403: common.keyRefused,
        404: problem('no such webhook of this user'),
        422: common.invalid,
      },
    }),
  },
  '/api/webhooks/{id}/deliveries/{delivery}': {
    post: operation({
      operationId: 'redeliverWebhook',
      summary: 'Send a delivery again now (the same webhook-id)',
      tags: ['integrations'],
      security: session,
      requestParams: {
        path: webhookPath.extend({ delivery: z.string().describe('the delivery id (msg_...)') }),
      },
      responses: {
        200: { description: 'the attempt made', content: json(responses.delivery) },
        401: common.unauthorized,
        403: common.crossSite,
        404: problem('no such webhook or delivery of this user'),
        422: common.invalid,
      },
    }),
  },
  '/api/me/sessions/{id}': {
    delete: operation({
      operationId: 'endSession',
      summary: 'End one session of the user, by the id from the list',
      tags: ['account'],
      security: session,
      requestParams: { path: requests.sessionIdQuery() },
      responses: {
        204: { description: 'ended' },
        401: common.unauthorized,
        403: common.crossSite,
        404: problem('no such session of this user'),
        422: common.invalid,
      },
    }),
  },
  '/api/me/export': {
    get: operation({
      operationId: 'exportAccount',
      summary: 'Everything held about the user as one JSON download (GDPR art. 15 and 20)',
      tags: ['account'],
      security: session,
      responses: {
        200: {
          description: 'the export',
          content: json(responses.accountExport),
          headers: z.object({
            'Content-Disposition': header('attachment; filename="account-export-DAY.json"'),
          }),
        },
        401: common.unauthorized,
        403: common.keyRefused,
      },
    }),
  },
  '/api/analyses': {
    post: operation({
      operationId: 'submitAnalysis',
      summary:
        'Submit a CSV export, signed in or from a registered form with `email` and `name`. Cached input completes at once (201); otherwise 202 and poll `statusUrl`. Form posts with an allowed `redirect` get 303 back',
      tags: ['analyses'],
      security: keyedOrAnonymous('analyses:write'),
      requestParams: {
        header: z.object({
          'Idempotency-Key': z.optional(requests.idempotencyKey()),
        }),
      },
      requestBody: {
        required: true,
        content: {
          'multipart/form-data': { schema: submission.multipart },
          'application/x-www-form-urlencoded': { schema: submission.text },
          'application/json': { schema: submission.json },
        },
      },
      responses: {
        201: {
          description: 'completed or failed at once, from the cache: the report is in `result`',
          content: json(responses.analysisAccepted),
          headers: z.object({
            Location: headers.location,
            ...limitedUnlessReplayed,
            'Idempotent-Replayed': headers.replayed.optional(),
          }),
        },
        202: {
          description: 'stored and being computed: poll `statusUrl` (Location) after Retry-After seconds',
          content: json(responses.analysisAccepted),
          headers: z.object({
            Location: headers.location,
            'Retry-After': headers.retryAfter,
            ...limitedUnlessReplayed,
            'Idempotent-Replayed': headers.replayed.optional(),
          }),
        },
        303: {
          description:
            'a form post with `redirect`: back to the page with analysisId and status (the link in the fragment), or error=CODE',
          headers: z.object({ Location: headers.location }),
        },
        400: common.malformed,
        401: common.unauthorized,
        403: problem(
          'an unregistered origin, the human check did not pass, or an API key without analyses:write',
        ),
        409: problem('a request with this Idempotency-Key is still being processed: retry after it', {
          headers: z.object({ 'Retry-After': headers.retryAfter }),
        }),
        413: common.tooLarge,
        415: problem('not a CSV: a spreadsheet, an image, a PDF, an archive (`code` says which)'),
        422: problem(
          'invalid fields (`errors`), text that is not a table (`code`), or an Idempotency-Key reused with another body',
        ),
        429: common.limited,
      },
    }),
    get: operation({
      operationId: 'listAnalyses',
      summary: "The user's analyses, newest first, keyset-paginated",
      tags: ['analyses'],
      security: keyed('analyses:read'),
      requestParams: { query: requests.listQuery() },
      responses: {
        403: common.keyScope,
        200: { description: 'a page', content: json(responses.analysisList) },
        401: common.unauthorized,
        422: common.invalid,
      },
    }),
  },
  '/reports/{id}': {
    get: operation({
      operationId: 'getReportPage',
      summary:
        "The report page for people (HTML: charts as inline SVG, no scripts), in German or English: `lang`, else Accept-Language, else the export's language. While pending it reloads itself; a failed analysis says what to change",
      tags: ['reports'],
      security: keyedOrAnonymous('analyses:read'),
      requestParams: {
        path: analysisPath,
        query: mini.pick(requests.reportQuery(), { access: true, lang: true }),
        header: z.object({ 'Accept-Language': z.string().optional() }),
      },
      responses: {
        401: common.unauthorized,
        403: common.keyScope,
        200: {
          description: 'the page (`reportUrl` of the analysis links here)',
          content: html,
          headers: z.object({
            'Content-Security-Policy': z.string().describe("default-src 'none': the page loads nothing"),
            'Content-Language': z.enum(['de', 'en']),
          }),
        },
        404: { description: 'no such report for this reader (a page)', content: html },
        422: common.invalid,
      },
    }),
    post: operation({
      operationId: 'answerReportQuestions',
      summary:
        "Answers to the page's questions with the same file again: a new analysis with the answers as options, linked to this one (`parentId`). No upload quota; re-runs of one analysis are bounded per day",
      tags: ['reports'],
      security: keyedOrAnonymous('analyses:write'),
      requestParams: {
        path: analysisPath,
        query: mini.pick(requests.reportQuery(), { access: true, lang: true }),
      },
      requestBody: {
        content: {
          'multipart/form-data': {
            schema: z
              .object({
                file: z.string().meta({ format: 'binary' }).describe('the same file as the analysis'),
              })
              .catchall(z.string())
              .describe(
                'the form fields of the page (state.N, spec.N.lsl, column.N, ideal.N, dateOrder, ...)',
              ),
          },
        },
      },
      responses: {
        401: common.unauthorized,
        303: {
          description: 'the re-run is made: its report page',
          headers: z.object({ Location: z.string().describe('the new report page') }),
        },
        403: {
          description:
            'a link holder cannot re-run an analysis someone owns (a page), or an API key without analyses:write',
          content: { ...problemContent, ...html },
        },
        404: { description: 'no such report for this reader (a page)', content: html },
        409: { description: 'the analysis is not completed (a page)', content: html },
        413: { description: 'the file is too large (a page)', content: html },
        415: { description: 'not a multipart form with a CSV file (a page)', content: html },
        422: {
          description: 'not the same file, no answer, or an invalid one (a page); a bad query is a problem',
          content: { ...problemContent, ...html },
        },
        429: {
          description: 'too many re-runs of this analysis today (a page)',
          content: html,
          headers: z.object({ 'Retry-After': headers.retryAfter }),
        },
      },
    }),
  },
  '/api/analyses/{id}': {
    get: operation({
      operationId: 'getAnalysis',
      summary: 'One analysis with its report: for its owner, or with the access token from `statusUrl`',
      tags: ['analyses'],
      security: keyedOrAnonymous('analyses:read'),
      requestParams: {
        path: analysisPath,
        query: mini.pick(requests.analysisIdQuery(), { access: true }),
        header: z.object({
          'If-None-Match': z.string().optional().describe('the ETag of a completed report'),
        }),
      },
      responses: {
        403: common.keyScope,
        200: {
          description: 'the analysis; a finished one carries an ETag and may be reused privately',
          content: json(responses.analysisDetail),
          headers: z.object({
            'Cache-Control': headers.cacheControl,
            ETag: headers.etag.optional(),
            'Retry-After': headers.retryAfter.optional().describe('while pending: when to poll again'),
          }),
        },
        304: {
          description: 'not modified: the ETag still matches',
          headers: z.object({ ETag: headers.etag, 'Cache-Control': headers.cacheControl }),
        },
        401: common.unauthorized,
        404: problem('no such analysis for this reader'),
        422: common.invalid,
      },
    }),
    patch: operation({
      operationId: 'updateAnalysis',
      summary: 'Rename an analysis, or renew its access link (`access: "renew"`; the old link stops working)',
      tags: ['analyses'],
      security: keyed('analyses:write'),
      requestParams: { path: analysisPath },
      requestBody: {
        required: true,
        content: {
          'application/json': { schema: requests.analysisUpdate() },
          'application/x-www-form-urlencoded': { schema: requests.analysisUpdate() },
        },
      },
      responses: {
        200: { description: 'updated', content: json(responses.analysisUpdated) },
        400: common.malformed,
        401: common.unauthorized,
        403: common.crossSiteOrScope,
        404: problem('no such analysis of this user'),
        413: common.tooLarge,
        415: common.mediaType,
        422: common.invalid,
      },
    }),
    delete: operation({
      operationId: 'deleteAnalysis',
      summary: 'Delete an analysis, and its cached report when no other analysis uses it',
      tags: ['analyses'],
      security: keyed('analyses:write'),
      requestParams: { path: analysisPath },
      responses: {
        204: { description: 'deleted' },
        401: common.unauthorized,
        403: common.crossSiteOrScope,
        404: problem('no such analysis of this user'),
      },
    }),
  },
  '/api/cron/cleanup': {
    get: operation({
      operationId: 'runCleanup',
      summary: 'The daily cleanup (Vercel cron): stale pending analyses, retention, cache, session indexes',
      tags: ['platform'],
      security: [{ cron: [] }],
      responses: {
        200: { description: 'what was done', content: json(responses.cronRun) },
        401: problem('not the scheduler'),
        500: problem('CRON_SECRET is not set: the cleanup refuses to run'),
      },
    }),
  },
} satisfies Record<string, Partial<Record<'get' | 'post' | 'patch' | 'delete', Operation>>>;

/** The document `/api/openapi` serves; problem `type`s resolve under `appUrl`. */
export function openApiDocument(version: string, appUrl: string) {
  return createDocument(
    {
      openapi: '3.1.0',
      info: {
        title: 'ManufacturingInsideAnalyzer API',
        version,
        description: [
          'Upload production data (CSV exports of an MES, a BDE terminal or a spreadsheet) and read an explainable analysis: OEE, losses, downtime Pareto, quality and SPC.',
          'Errors are problem details (RFC 9457, application/problem+json); each `type` is a page under /problems/.',
          `A method a path does not list is answered 405 with \`Allow\`. Problem types: ${PROBLEM_CODES.map((code) => new URL(problemPath(code), appUrl).href).join(', ')}.`,
        ].join('\n\n'),
      },
      servers: [{ url: new URL('/', appUrl).href.replace(/\/$/, '') }],
      tags: [
        { name: 'analyses', description: 'uploads and their reports' },
        { name: 'reports', description: 'the report page for people, and answers to its questions' },
        { name: 'auth', description: 'passwordless sign-in by mailed link' },
        { name: 'account', description: 'the user, sessions, export and erasure' },
        { name: 'integrations', description: 'webhooks announcing the end of each analysis' },
        { name: 'platform', description: 'health, this document, the scheduled cleanup' },
      ],
      security: [],
      paths,
      components: {
        securitySchemes: {
          bearer: { type: 'http', scheme: 'bearer', description: 'the session token from confirmSignIn' },
          apiKey: {
            type: 'http',
            scheme: 'bearer',
            description:
              'an API key (`mia_...`, from createApiKey) with the scopes the operation names; analyses routes only',
          },
          cookie: {
            type: 'apiKey',
            in: 'cookie',
            name: '__Host-session',
            description: 'the browser session',
          },
          cron: { type: 'http', scheme: 'bearer', description: 'CRON_SECRET (Vercel cron)' },
        },
      },
    },
    { reused: 'inline' },
  );
}
