import type * as z from '../zod';
import { ApiError } from './errors';

/** `path: message` for each failed field, as clients can show them. */
export function formatIssues(error: z.core.$ZodError): string {
  return error.issues.map((issue) => `${issue.path.join('.') || '(body)'}: ${issue.message}`).join('; ');
}

/** A 422 for one field, shaped as `validate` reports them. */
export const invalidField = (path: string, message: string): ApiError =>
  new ApiError('validation_failed', `Invalid query: ${path}: ${message}`, {
    fields: { errors: [{ path, message }] },
  });

export function validate<T extends z.ZodMiniType>(schema: T, value: unknown, where: string): z.infer<T> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    throw new ApiError('validation_failed', `Invalid ${where}: ${formatIssues(parsed.error)}`, {
      fields: {
        errors: parsed.error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message })),
      },
    });
  }
  return parsed.data;
}

/**
 * The body's bytes, read as a stream and abandoned as soon as they pass `maxBytes` (413): a client
 * cannot make a function buffer more than it accepts, whatever Content-Length says or omits.
 */
export async function readBounded(
  request: Request,
  maxBytes: number,
  what = 'The body',
  /** Called with the body's first bytes (at most 64 KB) when it is too large, before the 413. */
  onTooLarge?: (head: Uint8Array) => void,
): Promise<Uint8Array<ArrayBuffer>> {
  const tooLarge = () => new ApiError('payload_too_large', `${what} may have at most ${maxBytes} bytes.`);
  const declared = Number(request.headers.get('content-length') ?? '0');
  if (!request.body) return new Uint8Array(new ArrayBuffer(0));
  // A declared length over the bound is refused at once; only a caller that asks reads a little of it.
  const bound = declared > maxBytes ? (onTooLarge ? Math.min(maxBytes, 65_536) : 0) : maxBytes;
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  while (declared <= maxBytes || total < bound) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    total += value.byteLength;
    if (total > maxBytes) break;
  }
  const bytes = concat(chunks, total);
  if (declared > maxBytes || total > maxBytes) {
    await reader.cancel().catch(() => {});
    onTooLarge?.(bytes.subarray(0, 65_536));
    throw tooLarge();
  }
  return bytes;
}

function concat(chunks: Uint8Array[], total: number): Uint8Array<ArrayBuffer> {
  const bytes = new Uint8Array(total);
  let at = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, at);
    at += chunk.byteLength;
  }
  return bytes;
}

/**
 * A small body (JSON or a form post) as a plain object, validated: malformed JSON and an unsupported
 * type are 400/415, invalid fields 422. Bounded: bodies here are a few fields, never files.
 */
export async function readSmallBody<T extends z.ZodMiniType>(
  request: Request,
  schema: T,
  maxBytes = 16 * 1024,
): Promise<z.infer<T>> {
  const type = (request.headers.get('content-type') ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  const raw = new TextDecoder().decode(await readBounded(request, maxBytes));
  let value: unknown;
  if (type === 'application/json') {
    try {
      value = JSON.parse(raw);
    } catch {
      throw new ApiError('bad_request', 'Malformed JSON in request body.');
    }
  } else if (type === 'application/x-www-form-urlencoded') {
    value = Object.fromEntries(new URLSearchParams(raw));
  } else {
    throw new ApiError(
      'unsupported_media_type',
      'Send application/json or application/x-www-form-urlencoded.',
    );
  }
  return validate(schema, value, 'request body');
}

export function readQuery<T extends z.ZodMiniType>(request: Request, schema: T): z.infer<T> {
  return validate(schema, Object.fromEntries(new URL(request.url).searchParams), 'query');
}

/** A form field that holds JSON text (forms cannot nest), validated like any other input. */
export function validateJsonField<T extends z.ZodMiniType>(
  schema: T,
  text: string,
  field: string,
): z.infer<T> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new ApiError('validation_failed', `Invalid ${field}: not JSON.`);
  }
  return validate(schema, value, field);
}
