/**
 * Typed outcomes of database work. Raw driver errors never leave lib/db: their messages can carry
 * query parameters (emails), and callers must branch on kinds, not on driver codes.
 */
export class ConflictError extends Error {
  override readonly name = 'ConflictError';
  constructor(readonly constraint: string | undefined) {
    super(`conflicts with an existing row${constraint ? ` (${constraint})` : ''}`);
  }
}

export class NotFoundError extends Error {
  override readonly name = 'NotFoundError';
}

/** The data breaks a constraint or type of the schema (a bug in validation upstream, or bad input). */
export class InvalidDataError extends Error {
  override readonly name = 'InvalidDataError';
}

/**
 * Any other failure. `transient` when the database could not be reached or gave up (no SQLSTATE,
 * classes 08, 53, 57: answer 503 and let the client retry); otherwise a bug (answer 500).
 */
export class DatabaseError extends Error {
  override readonly name = 'DatabaseError';
  readonly transient: boolean;
  constructor(readonly code: string | undefined) {
    super(`database error${code ? ` ${code}` : ''}`);
    this.transient = code === undefined || /^(08|53|57)/.test(code);
  }
}

type PgErrorLike = { code: string; constraint?: string };

function findPgError(error: unknown): PgErrorLike | undefined {
  for (let current = error, depth = 0; current && depth < 5; depth++) {
    const candidate = current as { code?: unknown; cause?: unknown };
    if (typeof candidate.code === 'string' && /^[0-9A-Z]{5}$/.test(candidate.code))
      return candidate as PgErrorLike;
    current = candidate.cause;
  }
  return undefined;
}

export function mapDatabaseError(error: unknown): Error {
  if (error instanceof ConflictError || error instanceof NotFoundError || error instanceof InvalidDataError) {
    return error;
  }
  const pg = findPgError(error);
  switch (pg?.code) {
    case '23505':
      return new ConflictError(pg.constraint);
    case '23503':
      return new NotFoundError('a referenced row does not exist');
    case '23502':
    case '23514':
    case '22P02':
    case '22001':
    case '22007':
      return new InvalidDataError(`invalid data (${pg.code}${pg.constraint ? ` ${pg.constraint}` : ''})`);
    default:
      return new DatabaseError(pg?.code);
  }
}

/** Runs database work and rethrows any failure as one of the typed errors above. */
export async function guarded<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw mapDatabaseError(error);
  }
}
