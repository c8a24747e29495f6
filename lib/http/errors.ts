import { ConfigError } from '../config';
import { ConflictError, DatabaseError, InvalidDataError, NotFoundError } from '../db/errors';
import { KvUnavailableError } from '../kv/store';

/**
 * The closed error vocabulary of the API. Each code has one status and one stable problem `type`
 * (RFC 9457); handlers throw `ApiError(code)` and `toProblemResponse` renders it.
 */
const PROBLEMS = {
  bad_request: { status: 400, title: 'Bad request' },
  validation_failed: { status: 422, title: 'Validation failed' },
  unauthorized: { status: 401, title: 'Unauthorized' },
  forbidden: { status: 403, title: 'Forbidden' },
  not_found: { status: 404, title: 'Not found' },
  method_not_allowed: { status: 405, title: 'Method not allowed' },
  conflict: { status: 409, title: 'Conflict' },
  gone: { status: 410, title: 'Gone' },
  payload_too_large: { status: 413, title: 'Payload too large' },
  unsupported_media_type: { status: 415, title: 'Unsupported media type' },
  rate_limited: { status: 429, title: 'Too many requests' },
  internal: { status: 500, title: 'Internal server error' },
  misconfigured: { status: 500, title: 'Server misconfigured' },
  unavailable: { status: 503, title: 'Service unavailable' },
} as const satisfies Record<string, { status: number; title: string }>;

export type ErrorCode = keyof typeof PROBLEMS;

export const problemType = (code: ErrorCode): string => `/problems/${code.replaceAll('_', '-')}`;

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
export function toProblemResponse(error: unknown, requestId: string): Response {
  const apiError = asApiError(error);
  const body = {
    type: problemType(apiError.code),
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
