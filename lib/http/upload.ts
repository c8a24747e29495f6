import { ApiError } from './errors';
import { REDIRECT_FIELD } from './forms';
import { readBounded } from './input';

export type Upload = { bytes: Uint8Array; fileName: string; fields: Record<string, string> };

/** What browsers and clients call a CSV export or an Excel workbook. */
const CSV_TYPES = new Set([
  'text/csv',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  'application/vnd.ms-excel.sheet.macroenabled.12',
  'text/plain',
  'application/csv',
  'application/vnd.ms-excel',
  'application/octet-stream',
  'text/tab-separated-values',
  '',
]);

/**
 * A CSV upload from any of the three ways clients send one: multipart (`file`), a url-encoded form
 * (`csv` as text) or JSON (`csv` as text). Bounded to `maxBytes` before and after reading; other types
 * are 415. The other fields come back as strings. `seen.redirect` gets the form's redirect field as soon
 * as it is known, even when the body is then refused (from the first bytes of one that is too large),
 * so a form post's refusal can go back to its page.
 */
export async function readUpload(
  request: Request,
  maxBytes: number,
  seen: { redirect?: string | undefined } = {},
): Promise<Upload> {
  const contentType = request.headers.get('content-type') ?? '';
  const type = contentType.split(';')[0]?.trim().toLowerCase() ?? '';
  // The body may be larger than the file it carries: multipart framing, JSON escapes, URL encoding
  // (up to three bytes a byte). Reading stops past that bound; the file itself is checked after.
  if (!['multipart/form-data', 'application/x-www-form-urlencoded', 'application/json'].includes(type))
    throw new ApiError(
      'unsupported_media_type',
      'Send multipart/form-data (file), a url-encoded form or JSON (csv).',
    );
  const envelope = type === 'application/x-www-form-urlencoded' ? 3 : type === 'application/json' ? 2 : 1;
  const body = await readBounded(request, maxBytes * envelope + 65_536, 'The file', (head) => {
    seen.redirect ??= redirectInHead(head, type, contentType);
  }).catch((error: unknown) => {
    // The bound read is the envelope's; the person needs the file's.
    if (error instanceof ApiError && error.code === 'payload_too_large') throw fileTooLarge(maxBytes);
    throw error;
  });
  let upload: Upload;
  if (type === 'multipart/form-data') {
    let form: FormData;
    try {
      form = await new Response(body, { headers: { 'content-type': contentType } }).formData();
    } catch {
      throw new ApiError('bad_request', 'Malformed multipart body.');
    }
    const file = form.get('file');
    const fields = textFields(form);
    seen.redirect ??= fields[REDIRECT_FIELD];
    if (!(file instanceof File))
      throw new ApiError('validation_failed', 'file: a CSV file is required in the "file" field.');
    if (!CSV_TYPES.has(file.type.toLowerCase()) && !/\.(csv|txt|tsv|xlsx|xlsm)$/i.test(file.name)) {
      throw new ApiError('unsupported_media_type', 'Send a CSV export or an Excel workbook (.xlsx).');
    }
    if (file.size > maxBytes) throw fileTooLarge(maxBytes);
    upload = { bytes: new Uint8Array(await file.arrayBuffer()), fileName: file.name || 'upload.csv', fields };
  } else if (type === 'application/x-www-form-urlencoded' || type === 'application/json') {
    const text = new TextDecoder().decode(body);
    let fields: Record<string, string>;
    if (type === 'application/json') {
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch {
        throw new ApiError('bad_request', 'Malformed JSON in request body.');
      }
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
        throw new ApiError('bad_request', 'The JSON body must be an object.');
      // Strings as they are; an object (the column mapping) as JSON text, as forms send it.
      fields = Object.fromEntries(
        Object.entries(parsed).flatMap(([name, value]) =>
          typeof value === 'string'
            ? [[name, value]]
            : typeof value === 'object' && value !== null && !Array.isArray(value)
              ? [[name, JSON.stringify(value)]]
              : [],
        ),
      ) as Record<string, string>;
    } else {
      fields = Object.fromEntries(new URLSearchParams(text));
    }
    seen.redirect ??= fields[REDIRECT_FIELD];
    const csv = fields.csv;
    if (!csv) throw new ApiError('validation_failed', 'csv: the CSV text is required in the "csv" field.');
    delete fields.csv;
    upload = { bytes: new TextEncoder().encode(csv), fileName: fields.fileName || 'upload.csv', fields };
  } else {
    throw new ApiError(
      'unsupported_media_type',
      'Send multipart/form-data (file), a url-encoded form or JSON (csv).',
    );
  }
  if (upload.bytes.length > maxBytes) throw fileTooLarge(maxBytes);
  return upload;
}

const fileTooLarge = (maxBytes: number) =>
  new ApiError(
    'payload_too_large',
    `The file may have at most ${maxBytes / 1024 / 1024} MB (${maxBytes} bytes).`,
  );

function textFields(form: FormData): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const [name, value] of form.entries())
    if (typeof value === 'string' && !(name in fields)) fields[name] = value;
  return fields;
}

/**
 * The redirect field from the first bytes of a form body too large to read: url-encoded fields and
 * multipart parts come in the form's order, so a form that puts its hidden fields before the file
 * still gets its refusal back on its page.
 */
function redirectInHead(head: Uint8Array, type: string, contentType: string): string | undefined {
  const text = new TextDecoder().decode(head);
  if (type === 'application/x-www-form-urlencoded') {
    const complete = text.slice(0, Math.max(0, text.lastIndexOf('&')));
    return new URLSearchParams(complete).get(REDIRECT_FIELD) ?? undefined;
  }
  if (type !== 'multipart/form-data') return undefined;
  const boundary = /boundary="?([^";]+)"?/i.exec(contentType)?.[1];
  if (!boundary) return undefined;
  const parts = text.split(`--${boundary}`);
  parts.pop(); // the cut may fall inside the last one
  for (const part of parts) {
    const [head, ...rest] = part.split('\r\n\r\n');
    if (
      head &&
      new RegExp(`name="${REDIRECT_FIELD}"`).test(head) &&
      !/filename=/.test(head) &&
      rest.length > 0
    )
      return rest.join('\r\n\r\n').replace(/\r\n$/, '');
  }
  return undefined;
}
