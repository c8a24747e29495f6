import { sql } from 'drizzle-orm';
import pg from 'pg';
import { resetConfig } from '../../lib/config';
import { type Database, openDatabase } from '../../lib/db';
import { findOrCreateUserByEmail, getUserById, listAnalysesPage } from '../../lib/db/queries';
import { analyses, users } from '../../lib/db/schema';
import { migratePostgres } from '../db/migrate-postgres';
import { startNeonHttpBridge } from '../test-support/neon-http-bridge';
import { startPgWsProxy } from '../test-support/pg-ws-proxy';
import { createAnalyses, recentCompletedAnalyses } from '../test-support/queries';
import { ms, timeSequential } from './stats';

/**
 * Median latency of the main queries through the production driver (Neon's HTTP query mode over a local
 * bridge, as in tests) against the very same SQL text and parameters through raw `pg`.
 */
export async function benchQueries(postgresUrl: string): Promise<void> {
  const name = `mia_bench_${process.pid}`;
  const admin = new pg.Client({ connectionString: postgresUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  const url = new URL(postgresUrl);
  url.pathname = `/${name}`;
  const proxy = await startPgWsProxy({ host: url.hostname, port: Number(url.port || 5432) });
  const http = await startNeonHttpBridge(postgresUrl);
  const raw = new pg.Pool({ connectionString: url.toString(), max: 4 });
  try {
    await migratePostgres(url.toString());
    const driverUrl = new URL(url);
    driverUrl.hostname = 'localhost';
    process.env.POSTGRES_URL = driverUrl.toString();
    process.env.POSTGRES_WS_PROXY = proxy.address;
    process.env.POSTGRES_HTTP_ENDPOINT = http.url;
    resetConfig();
    const session = openDatabase();
    const db: Database = await session.db;

    const { user } = await findOrCreateUserByEmail(db, { email: 'bench@example.com', name: 'Bench' });
    const rows = await createAnalyses(
      db,
      Array.from({ length: 1000 }, (_, n) => ({
        userId: user.id,
        fileName: `f${n}.csv`,
        contentHash: 'a'.repeat(64),
        sizeBytes: n,
        analyzerVersion: 'bench',
        createdAt: new Date(Date.UTC(2026, 0, 1) + n * 60_000),
      })),
    );
    await db.execute(
      sql`update analyses set status = 'completed', result = '{"ok":true}', completed_at = now() where size_bytes % 2 = 0`,
    );
    await db.execute(sql`analyze`);

    // Each case: the drizzle call, and the SQL it sends (from toSQL) for the raw baseline.
    const cases: { name: string; run: () => Promise<unknown>; query: { sql: string; params: unknown[] } }[] =
      [
        {
          name: 'user by id',
          run: () => getUserById(db, user.id),
          query: db.select().from(users).where(sql`${users.id} = ${user.id}`).limit(1).toSQL(),
        },
        {
          name: 'recent completed (10)',
          run: () => recentCompletedAnalyses(db, user.id, 10),
          query: db
            .select()
            .from(analyses)
            .where(sql`${analyses.userId} = ${user.id} and ${analyses.status} = 'completed'`)
            .orderBy(sql`${analyses.createdAt} desc, ${analyses.id} desc`)
            .limit(10)
            .toSQL(),
        },
        {
          name: 'keyset page (20)',
          run: () => listAnalysesPage(db, user.id, { limit: 20, after: rows[500] }),
          query: db
            .select()
            .from(analyses)
            .where(
              sql`${analyses.userId} = ${user.id} and (${analyses.createdAt}, ${analyses.id}) < (${rows[500]?.createdAt}, ${rows[500]?.id})`,
            )
            .orderBy(sql`${analyses.createdAt} desc, ${analyses.id} desc`)
            .limit(21)
            .toSQL(),
        },
        {
          name: 'find-or-create by email',
          run: () => findOrCreateUserByEmail(db, { email: 'bench@example.com', name: 'Bench' }),
          query: {
            sql: `insert into "users" ("id", "email", "name", "created_at") values (default, $1, $2, default)
                on conflict ("email") do update set "email" = excluded.email returning *, (xmax = 0)`,
            params: ['bench@example.com', 'Bench'],
          },
        },
      ];

    console.log('\nQueries: production driver (@vercel/postgres, pooled) vs the same SQL through raw pg');
    for (const entry of cases) {
      const baseline = await timeSequential(() =>
        raw.query(entry.query.sql, entry.query.params as unknown[]),
      );
      const measured = await timeSequential(entry.run);
      console.log(
        `${entry.name.padEnd(26)} pg ${ms(baseline.medianMs).padStart(9)}   driver ${ms(measured.medianMs).padStart(9)}   ratio ${(measured.medianMs / baseline.medianMs).toFixed(2)}x   (p95 ${ms(baseline.p95Ms)} / ${ms(measured.p95Ms)})`,
      );
    }
    await session.release();

    // What an edge request pays: a pool opened for the request, one query, the pool ended.
    const perRequest = await timeSequential(async () => {
      const scoped = openDatabase();
      await getUserById(await scoped.db, user.id);
      await scoped.release();
    }, 100);
    const rawConnect = await timeSequential(async () => {
      const client = new pg.Client({ connectionString: url.toString() });
      await client.connect();
      await client.query('select * from users where id = $1', [user.id]);
      await client.end();
    }, 100);
    console.log(
      `${'per-request pool + query'.padEnd(26)} pg ${ms(rawConnect.medianMs).padStart(9)}   driver ${ms(perRequest.medianMs).padStart(9)}   ratio ${(perRequest.medianMs / rawConnect.medianMs).toFixed(2)}x   (new connection each time, both sides)`,
    );
  } finally {
    await raw.end();
    await proxy.close();
    await http.close();
    await admin.query(`drop database if exists ${name} with (force)`);
    await admin.end();
  }
}
