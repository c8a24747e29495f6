import type * as z from 'zod';
import * as schemas from './schemas';

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
      'Consume a sign-in link: sets the session cookie and redirects, or answers a bearer token for Accept: application/json',
    tags: ['auth'],
    auth: 'none',
    query: schemas.callbackQuery,
    responses: {
      200: { description: 'Bearer token (Accept: application/json)', schema: schemas.sessionIssued },
      303: {
        description: 'Redirect to the app with the session cookie set',
        headers: ['Location', 'Set-Cookie'],
      },
      ...problems(400, 410, 503),
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
    responses: { 204: { description: 'Erased; the cookie is cleared' }, ...problems(401, 403, 503) },
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
];
