/**
 * Structured one-line JSON logs, the one logging path. Callers pass ids, codes and sizes, never
 * personal data; error messages are scrubbed on the way (a driver's message may carry the command it
 * failed on, with a whole report or an address in it), every string is bounded, and so is the line.
 */
const MAX_STRING = 300;
const MAX_LINE = 2_048;

export function log(
  level: 'info' | 'warn' | 'error',
  event: string,
  fields: Record<string, unknown> = {},
): void {
  const bounded = Object.fromEntries(
    Object.entries(fields).map(([name, value]) => [
      name,
      typeof value === 'string' ? clip(value, MAX_STRING) : value,
    ]),
  );
  let line = JSON.stringify({ level, event, time: new Date().toISOString(), ...bounded });
  if (line.length > MAX_LINE)
    line = JSON.stringify({ level, event, time: new Date().toISOString(), truncated: true });
  if (level === 'error') console.error(line);
  else if (level === 'warn') console.warn(line);
  else console.log(line);
}

const clip = (text: string, max: number) => (text.length > max ? `${text.slice(0, max)}…` : text);

/**
 * An error as log fields: its kind, its code (a database's SQLSTATE, an engine code), its cause's kind,
 * and a scrubbed message: cut before the first bracket (payloads, commands), addresses and long tokens
 * replaced, at most 160 characters.
 */
export function describeError(error: unknown): Record<string, unknown> {
  if (!(error instanceof Error)) return { error: typeof error };
  const fields: Record<string, unknown> = { error: error.name, message: scrubMessage(error.message) };
  const code = (error as { code?: unknown }).code;
  if ((typeof code === 'string' && code.length <= 40) || typeof code === 'number') fields.code = code;
  if (error.cause instanceof Error) fields.cause = error.cause.name;
  return fields;
}

export function scrubMessage(message: string): string {
  const head = message.split(/[[{]/, 1)[0] ?? '';
  return clip(
    head
      .replace(/[^\s@"'<>(),;:=]+@[^\s@"'<>(),;:=]+/g, '<address>')
      .replace(/[A-Za-z0-9_-]{24,}/g, '<redacted>')
      .trim(),
    160,
  );
}
