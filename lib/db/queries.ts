import type { ApiKeyScope, WebhookEvent } from '../contracts/scopes';
import { isUuid } from '../crypto';
import { normaliseEmail } from './email';
import { guarded, NotFoundError } from './errors';

export { normaliseEmail };

import { type Database, loadSchema, queryRows, type Schema } from './index';
import type {
  Analysis,
  AnalysisResult,
  AnalysisStatus,
  ApiKey,
  NewAnalysis,
  User,
  Webhook,
  WebhookDelivery,
} from './schema';

// drizzle's operators and our tables, bound by the first query an instance runs: evaluating them (the
// query builders, pg-core's column builders) is most of a function's module scope, and a request that
// never queries (a refusal, a preflight) never pays it. Every statement below runs through `query`.
let { and, desc, eq, getTableColumns, inArray, isNull, lt, or, sql } = {} as typeof import('drizzle-orm');
let { users, analyses, apiKeys, webhooks, webhookDeliveries } = {} as Schema;
let bound: Promise<void> | undefined;

/** `guarded` (driver errors mapped), once the operators and tables are bound. */
async function query<T>(work: () => Promise<T>): Promise<T> {
  if (!users) {
    bound ??= Promise.all([import('drizzle-orm'), loadSchema()]).then(([drizzle, schema]) => {
      ({ and, desc, eq, getTableColumns, inArray, isNull, lt, or, sql } = drizzle);
      ({ users, analyses, apiKeys, webhooks, webhookDeliveries } = schema);
    });
    await bound;
  }
  return guarded(work);
}

// ---------- users ----------

export const getUserById = (db: Database, id: string): Promise<User | undefined> =>
  query(async () => (await db.select().from(users).where(eq(users.id, id)).limit(1))[0]);

/**
 * The user with this email, created if new, in one statement: concurrent first submissions of one email
 * make one user. An existing user's name is left alone: a public form must not rename an account.
 */
export const findOrCreateUserByEmail = (
  db: Database,
  input: { email: string; name: string },
): Promise<{ user: User; created: boolean }> =>
  query(async () => {
    const email = normaliseEmail(input.email);
    const [row] = await db
      .insert(users)
      .values({ email, name: input.name })
      // A no-op update so RETURNING yields the existing row; xmax = 0 only for a fresh insert.
      .onConflictDoUpdate({ target: users.email, set: { email: sql`excluded.email` } })
      .returning({ ...getTableColumns(users), created: sql<boolean>`(xmax = 0)` });
    if (!row) throw new Error('upsert returned no row');
    const { created, ...user } = row;
    return { user, created };
  });

/** The same through drizzle's relational query API. */
export const getUserWithAnalyses = (
  db: Database,
  id: string,
): Promise<(User & { analyses: Analysis[] }) | undefined> =>
  query(() =>
    db.query.users.findFirst({
      where: eq(users.id, id),
      with: { analyses: { orderBy: [desc(analyses.createdAt), desc(analyses.id)] } },
    }),
  );

/**
 * Deletes the user and, by cascade, their analyses, in one transaction; answers what was removed so the
 * caller can clean KV (cached reports by content hash). NotFoundError when there is no such user.
 */
export const deleteUser = (
  db: Database,
  id: string,
): Promise<{ user: User; analyses: { id: string; contentHash: string; analyzerVersion: string }[] }> =>
  query(() =>
    db.transaction(async (tx) => {
      const removed = await tx
        .select({
          id: analyses.id,
          contentHash: analyses.contentHash,
          analyzerVersion: analyses.analyzerVersion,
        })
        .from(analyses)
        .where(eq(analyses.userId, id))
        .for('update');
      const [user] = await tx.delete(users).where(eq(users.id, id)).returning();
      if (!user) throw new NotFoundError('no such user');
      return { user, analyses: removed };
    }),
  );

// ---------- analyses ----------

/** A row finished at once (from the cache) completes at its creation instant: both are the statement's now(). */
export const createAnalysis = (db: Database, input: Omit<NewAnalysis, 'completedAt'>): Promise<Analysis> =>
  query(
    async () =>
      (
        await db
          .insert(analyses)
          .values({
            ...input,
            ...(input.status && input.status !== 'pending' ? { completedAt: sql`now()` } : {}),
          })
          .returning()
      )[0] as Analysis,
  );

export const getAnalysisById = (db: Database, id: string): Promise<Analysis | undefined> =>
  query(async () => (await db.select().from(analyses).where(eq(analyses.id, id)).limit(1))[0]);

/**
 * Stores a report on a pending analysis. Only a pending analysis moves: a late or duplicate completion
 * of one that already finished changes nothing. NotFoundError when no pending analysis has this id.
 */
export const completeAnalysis = (db: Database, id: string, result: AnalysisResult): Promise<Analysis> =>
  finishAnalysis(db, id, { status: 'completed', result, error: null, errorCode: null });

export const failAnalysis = (
  db: Database,
  id: string,
  failure: { code: string; message: string },
): Promise<Analysis> =>
  finishAnalysis(db, id, { status: 'failed', result: null, error: failure.message, errorCode: failure.code });

const finishAnalysis = (
  db: Database,
  id: string,
  outcome: {
    status: AnalysisStatus;
    result: AnalysisResult | null;
    error: string | null;
    errorCode: string | null;
  },
): Promise<Analysis> =>
  query(async () => {
    const [row] = await db
      .update(analyses)
      .set({ ...outcome, completedAt: sql`now()` })
      .where(and(eq(analyses.id, id), eq(analyses.status, 'pending')))
      .returning();
    if (!row) throw new NotFoundError('no pending analysis with this id');
    return row;
  });

/** Deletes one analysis; with `userId`, only if it belongs to that user. Answers the deleted row. */
export const deleteAnalysis = (db: Database, id: string, userId?: string): Promise<Analysis> =>
  query(async () => {
    const owned =
      userId === undefined ? eq(analyses.id, id) : and(eq(analyses.id, id), eq(analyses.userId, userId));
    const [row] = await db.delete(analyses).where(owned).returning();
    if (!row) throw new NotFoundError('no such analysis');
    return row;
  });

/**
 * Gives a signed-in user the unclaimed submissions made with their address (its HMAC): on sign-in, and
 * when they open one's link. Answers how many were claimed.
 */
export const claimSubmissions = (
  db: Database,
  userId: string,
  submitterHash: string,
  id?: string,
): Promise<number> =>
  query(async () => {
    const rows = await db
      .update(analyses)
      .set({ userId, submitterHash: null })
      .where(
        and(
          isNull(analyses.userId),
          eq(analyses.submitterHash, submitterHash),
          id === undefined ? undefined : eq(analyses.id, id),
        ),
      )
      .returning({ id: analyses.id });
    return rows.length;
  });

/** Deletes an address's unclaimed submissions (erasure); answers what went, for the cache. */
export const deleteUnclaimedSubmissions = (
  db: Database,
  submitterHash: string,
): Promise<{ contentHash: string; analyzerVersion: string }[]> =>
  query(() =>
    db
      .delete(analyses)
      .where(and(isNull(analyses.userId), eq(analyses.submitterHash, submitterHash)))
      .returning({ contentHash: analyses.contentHash, analyzerVersion: analyses.analyzerVersion }),
  );

/** Replaces an analysis's capability (the old link stops working); only its owner may. */
export const replaceCapability = (
  db: Database,
  id: string,
  userId: string,
  capabilityHash: string,
): Promise<Analysis> =>
  query(async () => {
    const [row] = await db
      .update(analyses)
      .set({ capabilityHash })
      .where(and(eq(analyses.id, id), eq(analyses.userId, userId)))
      .returning();
    if (!row) throw new NotFoundError('no such analysis');
    return row;
  });

/** Whether this user already has an analysis of this input (a cache hit may then be answered at once). */
export const userHasContent = (db: Database, userId: string, contentHash: string): Promise<boolean> =>
  query(async () => {
    const rows = await db
      .select({ id: analyses.id })
      .from(analyses)
      .where(and(eq(analyses.userId, userId), eq(analyses.contentHash, contentHash)))
      .limit(1);
    return rows.length > 0;
  });

/** How many analyses use each of these content hashes (for dropping cache entries nobody uses). */
export const countAnalysesByContentHash = (db: Database, hashes: string[]): Promise<Map<string, number>> =>
  query(async () => {
    if (hashes.length === 0) return new Map();
    const rows = await db
      .select({ hash: analyses.contentHash, count: sql<number>`count(*)::int` })
      .from(analyses)
      .where(inArray(analyses.contentHash, hashes))
      .groupBy(analyses.contentHash);
    return new Map(rows.map((row) => [row.hash, row.count]));
  });

// ---------- keyset pagination ----------

export type Page<T> = { items: T[]; nextCursor: string | null };

/** Opaque cursor: base64url of the last row's creation time (ms) and id. */
export function encodeCursor(row: { createdAt: Date; id: string }): string {
  return btoa(`${row.createdAt.getTime()}.${row.id}`)
    .replaceAll('+', '-')
    .replaceAll('/', '_')
    .replace(/=+$/, '');
}

/** Undefined for anything that is not a cursor this API made. */
export function decodeCursor(cursor: string): { createdAt: Date; id: string } | undefined {
  try {
    const [ms, id] = atob(cursor.replaceAll('-', '+').replaceAll('_', '/')).split('.');
    const createdAt = new Date(Number(ms));
    if (!ms || !/^\d+$/.test(ms) || Number.isNaN(createdAt.getTime()) || !id || !isUuid(id)) return undefined;
    return { createdAt, id };
  } catch {
    return undefined;
  }
}

/**
 * A user's analyses, newest first, `limit` at a time: each page continues strictly after the cursor's
 * row, so inserts and deletes between pages never repeat or skip a row (unlike OFFSET).
 */
export const listAnalysesPage = (
  db: Database,
  userId: string,
  options: { limit: number; after?: { createdAt: Date; id: string }; status?: AnalysisStatus },
): Promise<Page<Analysis>> =>
  query(async () => {
    const { limit, after, status } = options;
    const rows = await db
      .select()
      .from(analyses)
      .where(
        and(
          eq(analyses.userId, userId),
          status ? eq(analyses.status, status) : undefined,
          after
            ? or(
                lt(analyses.createdAt, after.createdAt),
                and(eq(analyses.createdAt, after.createdAt), lt(analyses.id, after.id)),
              )
            : undefined,
        ),
      )
      .orderBy(desc(analyses.createdAt), desc(analyses.id))
      .limit(limit + 1);
    const items = rows.slice(0, limit);
    const last = items.at(-1);
    return { items, nextCursor: rows.length > limit && last ? encodeCursor(last) : null };
  });

/** Renames an analysis of this user. NotFoundError when it is not theirs (ids do not leak). */
export const renameAnalysis = (
  db: Database,
  id: string,
  userId: string,
  fileName: string,
): Promise<Analysis> =>
  query(async () => {
    const [row] = await db
      .update(analyses)
      .set({ fileName })
      .where(and(eq(analyses.id, id), eq(analyses.userId, userId)))
      .returning();
    if (!row) throw new NotFoundError('no such analysis');
    return row;
  });

/** Marks analyses still pending after `olderThan` as failed (their background work died), at most `limit`. */
export const failStalePending = (
  db: Database,
  olderThan: Date,
  limit: number,
  failure: { code: string; message: string },
): Promise<number> =>
  query(async () => {
    const stale = db
      .select({ id: analyses.id })
      .from(analyses)
      .where(and(eq(analyses.status, 'pending'), lt(analyses.createdAt, olderThan)))
      .limit(limit);
    const rows = await db
      .update(analyses)
      .set({ status: 'failed', error: failure.message, errorCode: failure.code, completedAt: sql`now()` })
      .where(and(inArray(analyses.id, stale), eq(analyses.status, 'pending')))
      .returning({ id: analyses.id });
    return rows.length;
  });

/** Deletes analyses created before `cutoff` (retention), at most `limit`; answers what went, for the cache. */
export const deleteAnalysesCreatedBefore = (
  db: Database,
  cutoff: Date,
  limit: number,
): Promise<{ contentHash: string; analyzerVersion: string }[]> =>
  query(async () => {
    const old = db
      .select({ id: analyses.id })
      .from(analyses)
      .where(lt(analyses.createdAt, cutoff))
      .limit(limit);
    return db
      .delete(analyses)
      .where(inArray(analyses.id, old))
      .returning({ contentHash: analyses.contentHash, analyzerVersion: analyses.analyzerVersion });
  });

/** Which of these (engine version, hash) pairs some analysis still uses. */
export const contentHashesInUse = (db: Database, hashes: string[]): Promise<Set<string>> =>
  query(async () => {
    if (hashes.length === 0) return new Set();
    const rows = await db
      .selectDistinct({ hash: analyses.contentHash, version: analyses.analyzerVersion })
      .from(analyses)
      .where(inArray(analyses.contentHash, hashes));
    return new Set(rows.map((row) => `${row.version}:${row.hash}`));
  });

// ---------- API keys ----------

/** At most this many keys per user: a list a person can still read. */
export const MAX_API_KEYS_PER_USER = 20;

/**
 * Stores a key's hash for the user, unless they have MAX_API_KEYS_PER_USER already (undefined then).
 * The count and the insert are one statement, so concurrent creations cannot pass the bound.
 */
export const createApiKey = (
  db: Database,
  input: { userId: string; name: string; prefix: string; hash: string; scopes: ApiKeyScope[] },
): Promise<ApiKey | undefined> =>
  query(async () => {
    const rows = await queryRows<Record<string, unknown>>(
      db,
      sql`insert into ${apiKeys} (user_id, name, prefix, hash, scopes)
          select ${input.userId}, ${input.name}, ${input.prefix}, ${input.hash},
                 string_to_array(${input.scopes.join(',')}, ',')
          where (select count(*) from ${apiKeys} where user_id = ${input.userId}) < ${MAX_API_KEYS_PER_USER}
          returning id, user_id, name, prefix, hash, scopes, created_at, last_used_at`,
    );
    const row = rows[0];
    return row ? apiKeyFromRow(row) : undefined;
  });

const apiKeyFromRow = (row: Record<string, unknown>): ApiKey => ({
  id: row.id as string,
  userId: row.user_id as string,
  name: row.name as string,
  prefix: row.prefix as string,
  hash: row.hash as string,
  scopes: row.scopes as ApiKeyScope[],
  createdAt: new Date(row.created_at as string),
  lastUsedAt: row.last_used_at ? new Date(row.last_used_at as string) : null,
});

export const listApiKeys = (db: Database, userId: string): Promise<ApiKey[]> =>
  query(() =>
    db
      .select()
      .from(apiKeys)
      .where(eq(apiKeys.userId, userId))
      .orderBy(desc(apiKeys.createdAt))
      .limit(MAX_API_KEYS_PER_USER),
  );

export const getApiKeyByHash = (db: Database, hash: string): Promise<ApiKey | undefined> =>
  query(async () => (await db.select().from(apiKeys).where(eq(apiKeys.hash, hash)).limit(1))[0]);

/** Deletes the user's key; its hash (to purge the cache), or NotFoundError when it is not theirs. */
export const deleteApiKey = (db: Database, userId: string, id: string): Promise<string> =>
  query(async () => {
    if (!isUuid(id)) throw new NotFoundError('no such key');
    const [row] = await db
      .delete(apiKeys)
      .where(and(eq(apiKeys.id, id), eq(apiKeys.userId, userId)))
      .returning({ hash: apiKeys.hash });
    if (!row) throw new NotFoundError('no such key');
    return row.hash;
  });

export const touchApiKey = (db: Database, id: string): Promise<void> =>
  query(async () => {
    await db.update(apiKeys).set({ lastUsedAt: sql`now()` }).where(eq(apiKeys.id, id));
  });

/** The hashes of a user's keys: erasure purges their cache entries. */
export const apiKeyHashesOf = (db: Database, userId: string): Promise<string[]> =>
  query(async () =>
    (await db.select({ hash: apiKeys.hash }).from(apiKeys).where(eq(apiKeys.userId, userId))).map(
      (row) => row.hash,
    ),
  );

// ---------- webhooks ----------

export const MAX_WEBHOOKS_PER_USER = 10;

export const createWebhook = (
  db: Database,
  input: { userId: string; url: string; events: WebhookEvent[]; secret: { iv: string; sealed: string } },
): Promise<Webhook | undefined> =>
  query(async () => {
    const existing = await db
      .select({ id: webhooks.id })
      .from(webhooks)
      .where(eq(webhooks.userId, input.userId));
    if (existing.length >= MAX_WEBHOOKS_PER_USER) return undefined;
    return (await db.insert(webhooks).values(input).returning())[0];
  });

export const listWebhooks = (db: Database, userId: string): Promise<Webhook[]> =>
  query(() =>
    db.select().from(webhooks).where(eq(webhooks.userId, userId)).orderBy(desc(webhooks.createdAt)),
  );

/** The user's webhook, or NotFoundError. */
export const getWebhook = (db: Database, userId: string, id: string): Promise<Webhook> =>
  query(async () => {
    const row = isUuid(id)
      ? (
          await db
            .select()
            .from(webhooks)
            .where(and(eq(webhooks.id, id), eq(webhooks.userId, userId)))
            .limit(1)
        )[0]
      : undefined;
    if (!row) throw new NotFoundError('no such webhook');
    return row;
  });

export const deleteWebhook = (db: Database, userId: string, id: string): Promise<void> =>
  query(async () => {
    const rows = isUuid(id)
      ? await db
          .delete(webhooks)
          .where(and(eq(webhooks.id, id), eq(webhooks.userId, userId)))
          .returning({ id: webhooks.id })
      : [];
    if (rows.length === 0) throw new NotFoundError('no such webhook');
  });

export const updateWebhook = (db: Database, id: string, change: Partial<Omit<Webhook, 'id' | 'userId'>>) =>
  query(async () => {
    await db.update(webhooks).set(change).where(eq(webhooks.id, id));
  });

/** The enabled endpoints of a user that take an event. */
export const webhooksFor = (db: Database, userId: string, event: WebhookEvent): Promise<Webhook[]> =>
  query(() =>
    db
      .select()
      .from(webhooks)
      .where(
        and(
          eq(webhooks.userId, userId),
          isNull(webhooks.disabledAt),
          sql`${event} = any(${webhooks.events})`,
        ),
      ),
  );

export const createDeliveries = (
  db: Database,
  rows: { id: string; webhookId: string; event: WebhookEvent; payload: Record<string, unknown> }[],
): Promise<WebhookDelivery[]> =>
  query(async () => (rows.length === 0 ? [] : db.insert(webhookDeliveries).values(rows).returning()));

/**
 * Pending deliveries whose time has come, oldest first, with their endpoints; a disabled endpoint's wait
 * (else they would fill every batch and starve the rest).
 */
export const dueDeliveries = (db: Database, now: Date, limit: number) =>
  query(() =>
    db
      .select({ delivery: webhookDeliveries, webhook: webhooks })
      .from(webhookDeliveries)
      .innerJoin(webhooks, eq(webhooks.id, webhookDeliveries.webhookId))
      .where(
        and(
          eq(webhookDeliveries.status, 'pending'),
          lt(webhookDeliveries.nextAttemptAt, now),
          isNull(webhooks.disabledAt),
        ),
      )
      .orderBy(webhookDeliveries.nextAttemptAt)
      .limit(limit),
  );

export const recordAttempt = (
  db: Database,
  id: string,
  change: Pick<
    WebhookDelivery,
    'status' | 'attempts' | 'nextAttemptAt' | 'lastStatus' | 'lastLatencyMs' | 'lastResponse'
  > & {
    deliveredAt: Date | null;
  },
) =>
  query(async () => {
    await db.update(webhookDeliveries).set(change).where(eq(webhookDeliveries.id, id));
  });

export const listDeliveries = (db: Database, webhookId: string, limit = 50): Promise<WebhookDelivery[]> =>
  query(() =>
    db
      .select()
      .from(webhookDeliveries)
      .where(eq(webhookDeliveries.webhookId, webhookId))
      .orderBy(desc(webhookDeliveries.createdAt))
      .limit(limit),
  );

export const getDelivery = (db: Database, webhookId: string, id: string) =>
  query(async () => {
    const row = (
      await db
        .select()
        .from(webhookDeliveries)
        .where(and(eq(webhookDeliveries.id, id), eq(webhookDeliveries.webhookId, webhookId)))
        .limit(1)
    )[0];
    if (!row) throw new NotFoundError('no such delivery');
    return row;
  });

/** Finished deliveries older than `before` (the log keeps a month); pending ones stay until they end. */
export const pruneDeliveries = (db: Database, before: Date): Promise<number> =>
  query(
    async () =>
      (
        await db
          .delete(webhookDeliveries)
          .where(and(sql`${webhookDeliveries.status} <> 'pending'`, lt(webhookDeliveries.createdAt, before)))
          .returning({ id: webhookDeliveries.id })
      ).length,
  );
