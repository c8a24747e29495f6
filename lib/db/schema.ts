import { relations, sql } from 'drizzle-orm';
import {
  type AnyPgColumn,
  check,
  index,
  integer,
  jsonb,
  pgEnum,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import type { ApiKeyScope, WebhookEvent } from '../contracts/scopes';

// Millisecond precision, as JS Dates: a keyset cursor built from a Date then matches the stored value
// exactly (with Postgres' default microseconds, rows would repeat across pages).
const instant = (name: string) => timestamp(name, { withTimezone: true, mode: 'date', precision: 3 });
const timestamps = { createdAt: instant('created_at').notNull().defaultNow() };

export const users = pgTable(
  'users',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    /** Stored normalised (trimmed, lower case); the check makes a second spelling impossible. */
    email: text('email').notNull(),
    name: text('name').notNull(),
    ...timestamps,
  },
  (table) => [
    uniqueIndex('users_email_key').on(table.email),
    check('users_email_normalised', sql`${table.email} = lower(btrim(${table.email}))`),
  ],
);

export const analysisStatus = pgEnum('analysis_status', ['pending', 'completed', 'failed']);
export type AnalysisStatus = (typeof analysisStatus.enumValues)[number];

/** The stored report. Its full shape belongs to the analysis engine; here it is any JSON object. */
export type AnalysisResult = { [key: string]: unknown };

export const analyses = pgTable(
  'analyses',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    /** The owner; null for a submission from a form without a session, until its address signs in. */
    userId: uuid('user_id').references(() => users.id, { onDelete: 'cascade' }),
    /**
     * Unclaimed submissions only: HMAC of the submitter's address (never the address itself), so that
     * signing in with that address claims them. Null once claimed.
     */
    submitterHash: text('submitter_hash'),
    fileName: text('file_name').notNull(),
    /**
     * SHA-256 of the analysis input, lower-case hex: the cache key. That is the uploaded bytes, or with a
     * column mapping the hash of both (see `analysisInputHash`). The file itself is not stored.
     */
    contentHash: text('content_hash').notNull(),
    sizeBytes: integer('size_bytes').notNull(),
    status: analysisStatus('status').notNull().default('pending'),
    result: jsonb('result').$type<AnalysisResult>(),
    error: text('error'),
    /** A failed analysis: the engine's code (NOT_TABULAR, ...) clients branch on; the message is for people. */
    errorCode: text('error_code'),
    analyzerVersion: text('analyzer_version').notNull(),
    /** SHA-256 of the capability token a form submitter without a session reads this analysis with. */
    capabilityHash: text('capability_hash'),
    /** A re-run of an earlier analysis of the same file with the reader's answers; null otherwise. */
    parentId: uuid('parent_id').references((): AnyPgColumn => analyses.id, { onDelete: 'set null' }),
    ...timestamps,
    completedAt: instant('completed_at'),
  },
  (table) => [
    // A user's analyses, newest first, keyset-paginated; also serves the user-with-analyses join.
    // NULLS FIRST is what `ORDER BY x DESC` means; drizzle's index default (NULLS LAST) would not serve it.
    index('analyses_user_created_idx').on(
      table.userId,
      table.createdAt.desc().nullsFirst(),
      table.id.desc().nullsFirst(),
    ),
    // The same filtered by status: "recent completed analyses of a user", listing by status.
    index('analyses_user_status_created_idx').on(
      table.userId,
      table.status,
      table.createdAt.desc().nullsFirst(),
      table.id.desc().nullsFirst(),
    ),
    // Cache bookkeeping: does any other analysis still use this report?
    index('analyses_content_hash_idx').on(table.contentHash, table.analyzerVersion),
    // Cleanup: stale pending analyses and retention.
    index('analyses_pending_created_idx').on(table.createdAt).where(sql`${table.status} = 'pending'`),
    index('analyses_created_idx').on(table.createdAt),
    // Deleting an analysis unlinks its re-runs (ON DELETE SET NULL) without a scan.
    index('analyses_parent_idx').on(table.parentId).where(sql`${table.parentId} is not null`),
    // Claiming on sign-in, and erasing an address's unclaimed submissions.
    index('analyses_submitter_idx').on(table.submitterHash).where(sql`${table.userId} is null`),
    check(
      'analyses_owned_or_claimable',
      sql`${table.userId} is not null or ${table.submitterHash} is not null`,
    ),
    check('analyses_content_hash_hex', sql`${table.contentHash} ~ '^[0-9a-f]{64}$'`),
    check('analyses_size_non_negative', sql`${table.sizeBytes} >= 0`),
    check(
      'analyses_status_consistent',
      sql`(${table.status} <> 'completed' or (${table.result} is not null and ${table.completedAt} is not null))
        and (${table.status} <> 'failed' or (${table.error} is not null and ${table.completedAt} is not null))`,
    ),
  ],
);

/**
 * API keys for machines (an MES job, a nightly script): the key is shown once; only its SHA-256 is kept
 * (a key has 256 random bits, so a plain hash cannot be guessed back). Deleting the row revokes it.
 */
export const apiKeys = pgTable(
  'api_keys',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    /** The key's first characters, to tell keys apart in a list. */
    prefix: text('prefix').notNull(),
    hash: text('hash').notNull(),
    scopes: text('scopes').array().notNull().$type<ApiKeyScope[]>(),
    ...timestamps,
    lastUsedAt: instant('last_used_at'),
  },
  (table) => [
    uniqueIndex('api_keys_hash_key').on(table.hash),
    index('api_keys_user_created_idx').on(table.userId, table.createdAt),
    check('api_keys_hash_hex', sql`${table.hash} ~ '^[0-9a-f]{64}$'`),
    check(
      'api_keys_scopes_known',
      sql`cardinality(${table.scopes}) > 0 and ${table.scopes} <@ array['analyses:read', 'analyses:write']::text[]`,
    ),
  ],
);

/**
 * Where a user's analyses are announced when they end. The signing secret is kept sealed (AES-GCM under
 * a key derived from IDENTIFIER_HASH_SECRET): a copy of the table alone cannot forge deliveries. After a
 * rotation the previous secret signs too, until `previousUntil`.
 */
export const webhooks = pgTable(
  'webhooks',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    url: text('url').notNull(),
    events: text('events').array().notNull().$type<WebhookEvent[]>(),
    secret: jsonb('secret').notNull().$type<{ iv: string; sealed: string }>(),
    previousSecret: jsonb('previous_secret').$type<{ iv: string; sealed: string }>(),
    previousUntil: instant('previous_until'),
    /** Since when every delivery has failed; null after a success. */
    failingSince: instant('failing_since'),
    /** Set after three days of failures (its owner is mailed); a disabled endpoint gets nothing. */
    disabledAt: instant('disabled_at'),
    ...timestamps,
  },
  (table) => [index('webhooks_user_idx').on(table.userId)],
);

export const deliveryStatus = pgEnum('delivery_status', ['pending', 'delivered', 'failed']);

/** One event for one endpoint: its attempts, at least once, with bounded retries. */
export const webhookDeliveries = pgTable(
  'webhook_deliveries',
  {
    /** The `webhook-id` header: the same on every attempt, so receivers can drop duplicates. */
    id: text('id').primaryKey(),
    webhookId: uuid('webhook_id')
      .notNull()
      .references(() => webhooks.id, { onDelete: 'cascade' }),
    event: text('event').notNull().$type<WebhookEvent>(),
    payload: jsonb('payload').notNull().$type<Record<string, unknown>>(),
    status: deliveryStatus('status').notNull().default('pending'),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: instant('next_attempt_at').notNull().defaultNow(),
    lastStatus: integer('last_status'),
    lastLatencyMs: integer('last_latency_ms'),
    /** The receiver's answer or the error, at most 1 KB. */
    lastResponse: text('last_response'),
    ...timestamps,
    deliveredAt: instant('delivered_at'),
  },
  (table) => [
    index('webhook_deliveries_due_idx').on(table.nextAttemptAt).where(sql`${table.status} = 'pending'`),
    index('webhook_deliveries_webhook_idx').on(table.webhookId, table.createdAt),
  ],
);

export type Webhook = typeof webhooks.$inferSelect;
export type WebhookDelivery = typeof webhookDeliveries.$inferSelect;

export const usersRelations = relations(users, ({ many }) => ({ analyses: many(analyses) }));
export const analysesRelations = relations(analyses, ({ one }) => ({
  user: one(users, { fields: [analyses.userId], references: [users.id] }),
}));

export type ApiKey = typeof apiKeys.$inferSelect;
export type User = typeof users.$inferSelect;
export type NewUser = typeof users.$inferInsert;
export type Analysis = typeof analyses.$inferSelect;
export type NewAnalysis = typeof analyses.$inferInsert;
