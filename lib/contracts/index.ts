import type * as z from 'zod';
import * as schemas from './requests';

export { schemas };

type Response = { description: string; schema?: z.ZodType; contentType?: string; headers?: string[] };
export type RouteContract = {
  method: 'get' | 'post' | 'patch' | 'delete';
  path: string;
  summary: string;
  tags: string[];
  auth: 'none' | 'session' | 'cron';
  query?: z.ZodType;
  body?: { schema: z.ZodType; contentTypes: string[] };
  responses: Record<number, Response>;
};

const problems = (...statuses: number[]): Record<number, Response> =>
  Object.fromEntries(
    statuses.map((status) => [
      status,
      {
        description: 'Problem details (RFC 9457)',
        schema: schemas.problem,
        contentType: 'application/problem+json',
      },
    ]),
  );

/** Every function's contract. A test checks that each api/ file appears here and vice versa. */
export const contracts: RouteContract[] = [
  {
    method: 'get',
    path: '/api/health',
    summary: 'Database and KV reachability, region and version',
    tags: ['platform'],
    auth: 'none',
    responses: { 200: { description: 'Both backends answer', schema: schemas.health }, ...problems(503) },
  },
  {
    method: 'get',
    path: '/api/openapi',
    summary: 'This OpenAPI 3.1 description',
    tags: ['platform'],
    auth: 'none',
    responses: { 200: { description: 'OpenAPI document' } },
  },
  {
    method: 'post',
    path: '/api/auth/login',
    summary: 'Send a sign-in link (the answer is the same whether or not the email is known)',
    tags: ['auth'],
    auth: 'none',
    body: {
      schema: schemas.loginInput,
      contentTypes: ['application/json', 'application/x-www-form-urlencoded'],
    },
    responses: {
      202: {
        description: 'A link was sent if the address can receive it',
        schema: schemas.loginAccepted,
        headers: ['RateLimit', 'RateLimit-Policy'],
      },
      ...problems(400, 413, 415, 422, 429, 503),
    },
  },
  {
    method: 'get',
    path: '/api/auth/callback',
    summary:
      'The mailed sign-in link: an HTML page with a button that confirms it. Consumes nothing, so mail scanners (GET, HEAD) leave the link usable',
    tags: ['auth'],
    auth: 'none',
    query: schemas.callbackQuery,
    responses: {
      200: { description: 'The confirmation page', contentType: 'text/html' },
      400: { description: 'The link is invalid or has expired (HTML page)', contentType: 'text/html' },
      410: { description: 'The link was already used (HTML page)', contentType: 'text/html' },
      ...problems(422, 503),
    },
  },
  {
    method: 'post',
    path: '/api/auth/callback',
    summary:
      "Confirm a sign-in link, once: the confirmation page posts it (same origin) and gets the session cookie and a redirect; a script posts `token` with Accept: application/json and gets a bearer token. A sign-in ends the address's other outstanding links",
    tags: ['auth'],
    auth: 'none',
    body: {
      schema: schemas.callbackInput,
      contentTypes: ['application/json', 'application/x-www-form-urlencoded'],
    },
    responses: {
      200: { description: 'Bearer token (Accept: application/json)', schema: schemas.sessionIssued },
      303: {
        description: 'Redirect to the app with the session cookie set',
        headers: ['Location', 'Set-Cookie'],
      },
      ...problems(400, 403, 410, 413, 415, 422, 503),
    },
  },
  {
    method: 'post',
    path: '/api/auth/logout',
    summary: 'End this session',
    tags: ['auth'],
    auth: 'session',
    responses: { 204: { description: 'Signed out; the cookie is cleared' }, ...problems(401, 403) },
  },
  {
    method: 'post',
    path: '/api/auth/logout-all',
    summary: 'End every session of the user',
    tags: ['auth'],
    auth: 'session',
    responses: {
      204: { description: 'Signed out everywhere; the cookie is cleared' },
      ...problems(401, 403),
    },
  },
  {
    method: 'get',
    path: '/api/me',
    summary: 'The signed-in user',
    tags: ['account'],
    auth: 'session',
    responses: { 200: { description: 'The user', schema: schemas.user }, ...problems(401) },
  },
  {
    method: 'delete',
    path: '/api/me',
    summary:
      'Erase the account (GDPR art. 17): user, analyses, sessions, cached results nobody else uses, rate-limit entries',
    tags: ['account'],
    auth: 'session',
    responses: {
      204: { description: 'Erased; the cookie is cleared' },
      ...problems(401, 403, 503),
    },
  },
  {
    method: 'get',
    path: '/api/me/sessions',
    summary: "The user's live sessions (id, created, last used, expires, current), most recently used first",
    tags: ['account'],
    auth: 'session',
    responses: { 200: { description: 'The sessions', schema: schemas.sessionList }, ...problems(401) },
  },
  {
    method: 'delete',
    path: '/api/me/sessions/{id}',
    summary: 'End one session of the user, by the id from the list (rewritten to /api/me/sessions?id=)',
    tags: ['account'],
    auth: 'session',
    query: schemas.sessionIdQuery,
    responses: { 204: { description: 'Ended' }, ...problems(401, 403, 404, 422) },
  },
  {
    method: 'get',
    path: '/api/me/export',
    summary: 'Everything held about the user as one JSON download (GDPR art. 15/20)',
    tags: ['account'],
    auth: 'session',
    responses: {
      200: { description: 'The export', schema: schemas.accountExport, headers: ['Content-Disposition'] },
      ...problems(401),
    },
  },
  {
    method: 'post',
    path: '/api/analyses',
    summary:
      'Submit a CSV (multipart `file`, or `csv` as form field or JSON) signed in, or from a third-party form with `email` and `name`. A cached result completes at once (201); otherwise 202 with Location. Form posts with an allowed `redirect` get 303 back.',
    tags: ['analyses'],
    auth: 'none',
    body: {
      schema: schemas.analysisSubmission,
      contentTypes: ['multipart/form-data', 'application/x-www-form-urlencoded', 'application/json'],
    },
    responses: {
      201: {
        description: 'Completed or failed from the cache',
        schema: schemas.analysisAccepted,
        headers: ['Location', 'RateLimit', 'RateLimit-Policy'],
      },
      202: {
        description: 'Stored and being computed',
        schema: schemas.analysisAccepted,
        headers: ['Location', 'RateLimit', 'RateLimit-Policy'],
      },
      303: {
        description:
          'Form post with redirect: back to the page with analysisId, status, statusUrl (or error)',
        headers: ['Location'],
      },
      ...problems(400, 401, 403, 413, 415, 422, 429, 503),
    },
  },
  {
    method: 'get',
    path: '/api/analyses',
    summary: "The user's analyses, newest first, keyset-paginated",
    tags: ['analyses'],
    auth: 'session',
    query: schemas.listQuery,
    responses: { 200: { description: 'A page', schema: schemas.analysisList }, ...problems(400, 401, 422) },
  },
  {
    method: 'get',
    path: '/api/analyses/{id}',
    summary:
      'One analysis with its report: for its owner, or with the capability token (`access`) from the status URL',
    tags: ['analyses'],
    auth: 'session',
    query: schemas.analysisIdQuery,
    responses: {
      200: { description: 'The analysis', schema: schemas.analysisDetail },
      ...problems(401, 404),
    },
  },
  {
    method: 'patch',
    path: '/api/analyses/{id}',
    summary:
      'Rename an analysis, or renew its capability link (`access: "renew"`; the old link stops working)',
    tags: ['analyses'],
    auth: 'session',
    body: {
      schema: schemas.analysisUpdate,
      contentTypes: ['application/json', 'application/x-www-form-urlencoded'],
    },
    responses: {
      200: { description: 'Renamed', schema: schemas.analysisSummary },
      ...problems(401, 403, 404, 422),
    },
  },
  {
    method: 'delete',
    path: '/api/analyses/{id}',
    summary: 'Delete an analysis, and its cached report when no other analysis uses it',
    tags: ['analyses'],
    auth: 'session',
    responses: { 204: { description: 'Deleted' }, ...problems(401, 403, 404) },
  },
  {
    method: 'get',
    path: '/api/cron/cleanup',
    summary:
      'Daily cleanup (Vercel cron, Authorization: Bearer CRON_SECRET): stale pending analyses, retention, cache, session indexes',
    tags: ['platform'],
    auth: 'cron',
    responses: {
      200: { description: 'Summary of what was done', schema: schemas.cleanupSummary },
      ...problems(401, 500),
    },
  },
];
