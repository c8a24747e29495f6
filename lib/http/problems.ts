/**
 * The closed vocabulary of problems the API answers with (RFC 9457). Each code has one status, a
 * title, and a page at `problemPath(code)` (public/problems/, written from this table by
 * `npm run problems`; a test keeps them equal) that says what it means and what to do.
 */
export const PROBLEMS = {
  bad_request: {
    status: 400,
    title: 'Bad request',
    help: 'The body or a parameter could not be read at all (malformed JSON, form or multipart), or a link is invalid. Fix the request; repeating it unchanged gives the same answer.',
  },
  validation_failed: {
    status: 422,
    title: 'Validation failed',
    help: 'The request was readable but a field is invalid; `errors` lists each field with its message, `code` names a finer reason (NOT_TABULAR: the text is not a table; IDEMPOTENCY_KEY_REUSED: the key came with another body).',
  },
  unauthorized: {
    status: 401,
    title: 'Unauthorized',
    help: 'Sign in first: send the session cookie or `Authorization: Bearer <token>` from the sign-in. A session that ended, or an account that was erased, answers this too.',
  },
  forbidden: {
    status: 403,
    title: 'Forbidden',
    help: 'The request is understood but refused: it came from a site that is not registered, a cookie-authenticated change came from another site, the human check failed, or the operation needs a recent sign-in.',
  },
  not_found: {
    status: 404,
    title: 'Not found',
    help: 'Nothing is here for this reader: the id does not exist, belongs to someone else, or its access link has been renewed or has expired.',
  },
  method_not_allowed: {
    status: 405,
    title: 'Method not allowed',
    help: 'The path exists but not with this method; `Allow` lists the methods it takes.',
  },
  conflict: {
    status: 409,
    title: 'Conflict',
    help: 'The request clashes with one still in progress (the same Idempotency-Key) or with the current state. Retry after `Retry-After` seconds.',
  },
  gone: {
    status: 410,
    title: 'Gone',
    help: 'The sign-in link was already used. Ask for a new one.',
  },
  payload_too_large: {
    status: 413,
    title: 'Payload too large',
    help: 'The body or file is larger than the operation accepts; the limit is in `detail`. Split the export by period or machine.',
  },
  unsupported_media_type: {
    status: 415,
    title: 'Unsupported media type',
    help: 'The content type, or the file itself, is not one the operation takes: uploads are CSV text. A workbook, image, PDF or archive is named in `code` (SPREADSHEET_NOT_CSV, BINARY_FILE). Export the sheet as CSV.',
  },
  rate_limited: {
    status: 429,
    title: 'Too many requests',
    help: 'A limit was reached; nothing was stored or counted. `Retry-After` says when to try again; `RateLimit` and `RateLimit-Policy` show the quotas.',
  },
  internal: {
    status: 500,
    title: 'Internal server error',
    help: 'A failure of ours; it has been logged with the `requestId`. Quote it to support if it persists.',
  },
  misconfigured: {
    status: 500,
    title: 'Server misconfigured',
    help: 'The deployment lacks a setting it needs (named in `detail`); the operator has to set it.',
  },
  unavailable: {
    status: 503,
    title: 'Service unavailable',
    help: 'A backend (the database or KV) did not answer in time. Retry after `Retry-After` seconds; nothing was changed.',
  },
} as const satisfies Record<string, { status: number; title: string; help: string }>;

export type ErrorCode = keyof typeof PROBLEMS;
export const PROBLEM_CODES = Object.keys(PROBLEMS) as ErrorCode[];

/** The page of a problem type, e.g. `/problems/not-found` (served from public/, clean URLs). */
export const problemPath = (code: ErrorCode): string => `/problems/${code.replaceAll('_', '-')}`;
