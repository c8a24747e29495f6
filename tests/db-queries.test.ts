import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { type Database, queryRows } from '../lib/db';
import { ConflictError, InvalidDataError, NotFoundError } from '../lib/db/errors';
import {
  completeAnalysis,
  countAnalysesByContentHash,
  createAnalysis,
  decodeCursor,
  deleteAnalysis,
  deleteUser,
  encodeCursor,
  failAnalysis,
  findOrCreateUserByEmail,
  getAnalysisById,
  getUserById,
  getUserWithAnalyses,
  listAnalysesPage,
} from '../lib/db/queries';
import { analyses, type NewAnalysis, users } from '../lib/db/schema';
import { seedDemoData } from '../tools/db/seed-data';
import {
  createAnalyses,
  createUser,
  getUserByEmail,
  getUserWithAnalysesJoined,
  listUsers,
  recentCompletedAnalyses,
} from '../tools/test-support/queries';
import { openEmbeddedTestDatabase, openPostgresTestDatabase, type TestDatabase } from './support/databases';
import { services } from './support/services';
import { openForSuite } from './support/suite';

const HASH = 'a'.repeat(64);
let counter = 0;
const uniqueEmail = () => `person-${process.pid}-${++counter}@example.com`;
const analysisFor = (userId: string, extra: Partial<NewAnalysis> = {}): NewAnalysis => ({
  userId,
  fileName: 'line.csv',
  contentHash: HASH,
  sizeBytes: 100,
  analyzerVersion: 'test-1',
  ...extra,
});

/** One contract, every backend: embedded PGlite and the real server through the production driver. */
const backends: [string, () => Promise<TestDatabase>, boolean][] = [
  ['embedded PGlite', openEmbeddedTestDatabase, true],
  ['PostgreSQL via @vercel/postgres', openPostgresTestDatabase, Boolean(services.postgres)],
];

describe.each(backends)('queries on %s', (_name, open, available) => {
  let db: Database;
  openForSuite(available, open, (handle) => {
    db = handle.db;
  });

  describe.skipIf(!available)('contract', () => {
    it('creates users with normalised email; another spelling of it conflicts', async () => {
      const email = uniqueEmail();
      const user = await createUser(db, { email: `  ${email.toUpperCase()} `, name: 'Anna' });
      expect(user).toMatchObject({ email, name: 'Anna' });
      expect(user.createdAt).toBeInstanceOf(Date);
      await expect(createUser(db, { email: email.replace('p', 'P'), name: 'Other' })).rejects.toBeInstanceOf(
        ConflictError,
      );
      expect(await getUserByEmail(db, email.toUpperCase())).toEqual(user);
      expect(await getUserById(db, user.id)).toEqual(user);
      expect(await getUserById(db, '00000000-0000-4000-8000-00000000dead')).toBeUndefined();
      expect((await listUsers(db)).map((row) => row.id)).toContain(user.id);
    });

    it('makes exactly one user from 20 concurrent first submissions of one email', async () => {
      const email = uniqueEmail();
      const results = await Promise.all(
        Array.from({ length: 20 }, (_, index) =>
          findOrCreateUserByEmail(db, { email, name: `Submitter ${index}` }),
        ),
      );
      expect(new Set(results.map((result) => result.user.id)).size).toBe(1);
      expect(results.filter((result) => result.created)).toHaveLength(1);
      const [{ count }] = (await db
        .select({ count: sql<number>`count(*)::int` })
        .from(users)
        .where(sql`${users.email} = ${email}`)) as [{ count: number }];
      expect(count).toBe(1);
      // The first name stays: a later public submission does not rename the account.
      const again = await findOrCreateUserByEmail(db, { email, name: 'Mallory' });
      expect(again).toEqual({ user: results[0]?.user, created: false });
    });

    it('inserts one and many analyses, returning rows, and refuses bad data with typed errors', async () => {
      const user = await createUser(db, { email: uniqueEmail(), name: 'B' });
      const one = await createAnalysis(db, analysisFor(user.id));
      expect(one).toMatchObject({ status: 'pending', result: null, completedAt: null, userId: user.id });
      const many = await createAnalyses(
        db,
        [1, 2, 3].map((n) => analysisFor(user.id, { fileName: `f${n}.csv` })),
      );
      expect(many.map((row) => row.fileName)).toEqual(['f1.csv', 'f2.csv', 'f3.csv']);
      await expect(
        createAnalysis(db, analysisFor('00000000-0000-4000-8000-00000000dead')),
      ).rejects.toBeInstanceOf(NotFoundError);
      await expect(createAnalysis(db, analysisFor(user.id, { contentHash: 'XYZ' }))).rejects.toBeInstanceOf(
        InvalidDataError,
      );
      // All or nothing: one bad row in a bulk insert stores none.
      await expect(
        createAnalyses(db, [
          analysisFor(user.id, { fileName: 'ok.csv' }),
          analysisFor(user.id, { sizeBytes: -1 }),
        ]),
      ).rejects.toBeInstanceOf(InvalidDataError);
      expect((await getUserWithAnalyses(db, user.id))?.analyses).toHaveLength(4);
    });

    it('completes a pending analysis once, with its JSON result, and fails another', async () => {
      const user = await createUser(db, { email: uniqueEmail(), name: 'C' });
      const [a, b] = await createAnalyses(db, [analysisFor(user.id), analysisFor(user.id)]);
      const report = {
        kpis: { overall: { oee: { value: 0.7479 } } },
        notes: ['ä ö ü', '🙂'],
        nested: [1, null],
      };
      const done = await completeAnalysis(db, a?.id ?? '', report);
      expect(done).toMatchObject({ status: 'completed', result: report });
      expect(done.completedAt).toBeInstanceOf(Date);
      await expect(completeAnalysis(db, a?.id ?? '', { other: true })).rejects.toBeInstanceOf(NotFoundError);
      expect((await getAnalysisById(db, a?.id ?? ''))?.result).toEqual(report);
      expect(
        await failAnalysis(db, b?.id ?? '', { code: 'NOT_TABULAR', message: 'not a CSV' }),
      ).toMatchObject({
        status: 'failed',
        error: 'not a CSV',
        errorCode: 'NOT_TABULAR',
      });
    });

    it('lists recent completed analyses of a user, newest first, limited', async () => {
      const user = await createUser(db, { email: uniqueEmail(), name: 'D' });
      const rows = await createAnalyses(
        db,
        Array.from({ length: 6 }, (_, n) =>
          analysisFor(user.id, { fileName: `r${n}.csv`, createdAt: new Date(Date.UTC(2026, 0, 1 + n)) }),
        ),
      );
      for (const row of rows.filter((_, n) => n % 2 === 0))
        await completeAnalysis(db, row.id, { n: row.fileName });
      const recent = await recentCompletedAnalyses(db, user.id, 2);
      expect(recent.map((row) => row.fileName)).toEqual(['r4.csv', 'r2.csv']);
    });

    it('reads a user with analyses as a join and as a relational query, alike', async () => {
      const user = await createUser(db, { email: uniqueEmail(), name: 'E' });
      const lonely = await createUser(db, { email: uniqueEmail(), name: 'F' });
      await createAnalyses(db, [analysisFor(user.id), analysisFor(user.id)]);
      const joined = await getUserWithAnalysesJoined(db, user.id);
      const relational = await getUserWithAnalyses(db, user.id);
      expect(joined?.analyses).toHaveLength(2);
      expect(relational?.analyses).toEqual(joined?.analyses);
      expect(await getUserWithAnalysesJoined(db, lonely.id)).toEqual({ user: lonely, analyses: [] });
      expect(await getUserWithAnalysesJoined(db, '00000000-0000-4000-8000-00000000dead')).toBeUndefined();
    });

    it('pages through a user’s analyses with a keyset cursor: every row once, even with equal timestamps', async () => {
      const user = await createUser(db, { email: uniqueEmail(), name: 'G' });
      const sameInstant = new Date('2026-03-01T10:00:00.123Z');
      const rows = await createAnalyses(
        db,
        Array.from({ length: 25 }, (_, n) =>
          analysisFor(user.id, {
            createdAt: n < 12 ? sameInstant : new Date(sameInstant.getTime() + n * 1000),
          }),
        ),
      );
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const page = await listAnalysesPage(db, user.id, {
          limit: 10,
          after: cursor ? decodeCursor(cursor) : undefined,
        });
        seen.push(...page.items.map((row) => row.id));
        cursor = page.nextCursor;
      } while (cursor);
      expect(seen).toHaveLength(25);
      expect(new Set(seen)).toEqual(new Set(rows.map((row) => row.id)));
      await completeAnalysis(db, rows[0]?.id ?? '', {});
      const completed = await listAnalysesPage(db, user.id, { limit: 10, status: 'completed' });
      expect(completed).toEqual({ items: [expect.objectContaining({ id: rows[0]?.id })], nextCursor: null });
    });

    it('decodes only cursors it made', () => {
      const row = {
        createdAt: new Date('2026-01-02T03:04:05.678Z'),
        id: '00000000-0000-4000-8000-000000000001',
      };
      expect(decodeCursor(encodeCursor(row))).toEqual(row);
      for (const garbage of ['', '!!!', btoa('x.y'), btoa('1.not-a-uuid'), btoa("1.0' or 1=1")]) {
        expect(decodeCursor(garbage)).toBeUndefined();
      }
    });

    it('deletes an analysis only for its owner', async () => {
      const owner = await createUser(db, { email: uniqueEmail(), name: 'H' });
      const stranger = await createUser(db, { email: uniqueEmail(), name: 'I' });
      const row = await createAnalysis(db, analysisFor(owner.id));
      await expect(deleteAnalysis(db, row.id, stranger.id)).rejects.toBeInstanceOf(NotFoundError);
      expect(await getAnalysisById(db, row.id)).toBeDefined();
      expect((await deleteAnalysis(db, row.id, owner.id)).id).toBe(row.id);
      expect(await getAnalysisById(db, row.id)).toBeUndefined();
    });

    it('deletes a user with everything of theirs in one transaction and reports what went', async () => {
      const user = await createUser(db, { email: uniqueEmail(), name: 'J' });
      const otherHash = 'b'.repeat(64);
      await createAnalyses(db, [analysisFor(user.id), analysisFor(user.id, { contentHash: otherHash })]);
      const before = await countAnalysesByContentHash(db, [otherHash]);
      const removed = await deleteUser(db, user.id);
      expect(removed.user.id).toBe(user.id);
      expect(removed.analyses.map((row) => row.contentHash).sort()).toEqual([HASH, otherHash]);
      expect(await getUserWithAnalyses(db, user.id)).toBeUndefined();
      const left = await db.select().from(analyses).where(sql`${analyses.userId} = ${user.id}`);
      expect(left).toEqual([]);
      expect((await countAnalysesByContentHash(db, [otherHash])).get(otherHash) ?? 0).toBe(
        (before.get(otherHash) ?? 0) - 1,
      );
      await expect(deleteUser(db, user.id)).rejects.toBeInstanceOf(NotFoundError);
    });

    it('rolls a failed transaction back completely', async () => {
      const email = uniqueEmail();
      await expect(
        db.transaction(async (tx) => {
          await tx.insert(users).values({ email, name: 'K' });
          throw new Error('abort');
        }),
      ).rejects.toThrow('abort');
      expect(await getUserByEmail(db, email)).toBeUndefined();
    });

    it('seeds idempotently', async () => {
      const first = await seedDemoData(db);
      const second = await seedDemoData(db);
      expect(first.analyses).toBe(4);
      expect(second).toEqual({ users: 0, analyses: 0 });
      const admin = await getUserByEmail(db, 'admin@example.com');
      expect((await getUserWithAnalyses(db, admin?.id ?? ''))?.analyses).toHaveLength(2);
    });

    it('uses an index for recent completed analyses with 100,000 analyses in the table', async () => {
      const owner = await createUser(db, { email: uniqueEmail(), name: 'Big' });
      const others = await Promise.all(
        Array.from({ length: 50 }, (_, n) => createUser(db, { email: uniqueEmail(), name: `U${n}` })),
      );
      const ids = [owner, ...others].map((user) => user.id);
      // 100,000 rows spread over 51 users, a third completed, in one statement.
      await db.execute(sql`
        insert into analyses (user_id, file_name, content_hash, size_bytes, status, result, analyzer_version, created_at, completed_at)
        select (${sql.raw(`array[${ids.map((id) => `'${id}'::uuid`).join(',')}]`)})[1 + n % ${ids.length}],
               'bulk.csv', ${HASH}, 1000,
               case when n % 3 = 0 then 'completed'::analysis_status else 'pending'::analysis_status end,
               case when n % 3 = 0 then '{}'::jsonb end, 'test-1',
               now() - n * interval '1 minute',
               case when n % 3 = 0 then now() end
        from generate_series(1, 100000) as n`);
      await db.execute(sql`analyze analyses`);
      const query = db
        .select()
        .from(analyses)
        .where(sql`${analyses.userId} = ${owner.id} and ${analyses.status} = 'completed'`)
        .orderBy(sql`${analyses.createdAt} desc, ${analyses.id} desc`)
        .limit(10);
      const { sql: text, params } = query.toSQL();
      const inlined = params.reduce<string>(
        (acc, param, index) => acc.replace(`$${index + 1}`, `'${param}'`),
        text,
      );
      const plan = await queryRows<{ 'QUERY PLAN': string }>(db, sql.raw(`explain ${inlined}`));
      const lines = plan.map((row) => row['QUERY PLAN']).join('\n');
      expect(lines).toMatch(/Index Scan using analyses_user_status_created_idx/);
      expect(lines).not.toMatch(/Seq Scan/);
      expect((await recentCompletedAnalyses(db, owner.id, 10)).length).toBe(10);
    });
  });
});

describe.skipIf(!services.postgres)('production driver specifics', () => {
  let handle: TestDatabase;
  openForSuite(true, openPostgresTestDatabase, (opened) => {
    handle = opened;
  });

  it('keeps each transaction on one connection under 20 concurrent transactions', async () => {
    const observations = await Promise.all(
      Array.from({ length: 20 }, () =>
        handle.db.transaction(async (tx) => {
          const read = async () =>
            (
              await queryRows<{ pid: number; xid: string }>(
                tx,
                sql`select pg_backend_pid() as pid, txid_current() as xid`,
              )
            )[0];
          const first = await read();
          await tx.execute(sql`select pg_sleep(0.005)`);
          const second = await read();
          return { first, second };
        }),
      ),
    );
    for (const { first, second } of observations) expect(second).toEqual(first);
    expect(new Set(observations.map((o) => o.first?.xid)).size).toBe(20);
  });
});
