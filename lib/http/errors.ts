import { ConfigError, config } from '../config';
import { ConflictError, DatabaseError, InvalidDataError, NotFoundError } from '../db/errors';
import { KvUnavailableError } from '../kv/store';
import { type ErrorCode, PROBLEMS, problemPath } from './problems';

export type { ErrorCode } from './problems';

/**
 * A problem's `type`: absolute, under APP_URL (where public/problems/ is served), else under the
 * request's own origin when the configuration itself is what failed.
 */
export function problemType(code: ErrorCode, fallbackBase = 'http://localhost/'): string {
  let base = fallbackBase;
  try {
    base = config().appUrl;
  } catch {}
  return new URL(problemPath(code), base).href;
}

export class ApiError extends Error {
  override readonly name = 'ApiError';
  readonly status: number;
  constructor(
    readonly code: ErrorCode,
    message: string = PROBLEMS[code].title,
    readonly extra: { headers?: HeadersInit; fields?: Record<string, unknown> } = {},
  ) {
    super(message);
    this.status = PROBLEMS[code].status;
  }
}

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

/** Renders any thrown value as problem+json. Unknown errors never leak their message. */
export function toProblemResponse(error: unknown, requestId: string, origin?: string): Response {
  const apiError = asApiError(error);
  const body = {
    type: problemType(apiError.code, origin),
    title: PROBLEMS[apiError.code].title,
    status: apiError.status,
    detail: apiError.message,
    requestId,
    ...apiError.extra.fields,
  };
  const headers = new Headers(apiError.extra.headers);
  headers.set('content-type', PROBLEM_CONTENT_TYPE);
  headers.set('cache-control', 'no-store');
  return new Response(JSON.stringify(body), { status: apiError.status, headers });
}

/** Typed failures from lib/ map to the vocabulary here; anything else is a bug and says nothing. */
function asApiError(error: unknown): ApiError {
  if (error instanceof ApiError) return error;
  if (error instanceof ConfigError) return new ApiError('misconfigured', error.message);
  if (error instanceof NotFoundError) return new ApiError('not_found');
  if (error instanceof ConflictError) return new ApiError('conflict');
  if (error instanceof InvalidDataError) return new ApiError('validation_failed');
  if (error instanceof KvUnavailableError || (error instanceof DatabaseError && error.transient)) {
    return new ApiError('unavailable', 'A backend is unavailable; try again shortly.', {
      headers: { 'retry-after': '5' },
    });
  }
  return new ApiError('internal', 'An unexpected error occurred; it has been logged.');
}
