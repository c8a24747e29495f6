/** Structured one-line JSON logs. Callers pass ids and codes, never personal data. */
export function log(
  level: 'info' | 'warn' | 'error',
  event: string,
  fields: Record<string, unknown> = {},
): void {
  const line = JSON.stringify({ level, event, time: new Date().toISOString(), ...fields });
  if (level === 'error') console.error(line);
  else if (level === 'warn') console.warn(line);
  else console.log(line);
}

export function describeError(error: unknown): Record<string, unknown> {
  return error instanceof Error ? { error: error.name, message: error.message } : { error: String(error) };
}
