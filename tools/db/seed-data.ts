import type { Database } from '../../lib/db';
import { findOrCreateUserByEmail } from '../../lib/db/queries';
import { type AnalysisResult, analyses, type NewAnalysis } from '../../lib/db/schema';

const DEMO_ENGINE = 'demo-1';

/** A small report in the engine's shape: enough for the account and listing functions to show. */
function demoReport(
  oee: { availability: number; performance: number; quality: number },
  line: string,
): AnalysisResult {
  const value = oee.availability * oee.performance * oee.quality;
  return {
    schemaVersion: 1,
    engineVersion: DEMO_ENGINE,
    input: { rows: 480, encoding: 'utf-8', delimiter: ';' },
    kpis: {
      overall: {
        availability: { value: oee.availability, status: 'ok' },
        performance: { value: oee.performance, status: 'ok' },
        quality: { value: oee.quality, status: 'ok' },
        oee: { value: Math.round(value * 10_000) / 10_000, status: 'ok' },
      },
    },
    pareto: [
      { reason: 'Changeover', minutes: 210, share: 0.42 },
      { reason: 'Material shortage', minutes: 120, share: 0.24 },
    ],
    insights: [{ code: 'top_loss', text: `Changeover is the largest downtime reason on ${line}.` }],
  };
}

const hash = (seed: string) => seed.repeat(64).slice(0, 64);

/** Fixed ids make the seed idempotent: a second run inserts nothing and changes nothing. */
const DEMO_ANALYSES = (adminId: string, userId: string): NewAnalysis[] => [
  {
    id: '00000000-0000-4000-8000-000000000001',
    userId: adminId,
    fileName: 'line-1-week-45.csv',
    contentHash: hash('a1'),
    sizeBytes: 48_213,
    status: 'completed',
    analyzerVersion: DEMO_ENGINE,
    result: demoReport({ availability: 0.8667, performance: 0.9273, quality: 0.9307 }, 'line 1'),
    completedAt: new Date('2026-11-06T08:00:03Z'),
    createdAt: new Date('2026-11-06T08:00:00Z'),
  },
  {
    id: '00000000-0000-4000-8000-000000000002',
    userId: adminId,
    fileName: 'press-shop-october.csv',
    contentHash: hash('b2'),
    sizeBytes: 310_877,
    status: 'completed',
    analyzerVersion: DEMO_ENGINE,
    result: demoReport({ availability: 0.91, performance: 0.88, quality: 0.985 }, 'press 3'),
    completedAt: new Date('2026-11-02T14:30:05Z'),
    createdAt: new Date('2026-11-02T14:30:00Z'),
  },
  {
    id: '00000000-0000-4000-8000-000000000003',
    userId: userId,
    fileName: 'export.xlsx.csv',
    contentHash: hash('c3'),
    sizeBytes: 1_024,
    status: 'failed',
    analyzerVersion: DEMO_ENGINE,
    error: 'No header row with a quantity or time column was found.',
    completedAt: new Date('2026-11-10T09:12:01Z'),
    createdAt: new Date('2026-11-10T09:12:00Z'),
  },
  {
    id: '00000000-0000-4000-8000-000000000004',
    userId: userId,
    fileName: 'shift-report-today.csv',
    contentHash: hash('d4'),
    sizeBytes: 12_345,
    status: 'pending',
    analyzerVersion: DEMO_ENGINE,
    createdAt: new Date('2026-11-24T07:00:00Z'),
  },
];

/** The seed's two users plus demo analyses; idempotent. Answers how many rows were new. */
export async function seedDemoData(db: Database): Promise<{ users: number; analyses: number }> {
  const admin = await findOrCreateUserByEmail(db, { email: 'admin@example.com', name: 'Admin' });
  const user = await findOrCreateUserByEmail(db, { email: 'user@example.com', name: 'User' });
  const inserted = await db
    .insert(analyses)
    .values(DEMO_ANALYSES(admin.user.id, user.user.id))
    .onConflictDoNothing({ target: analyses.id })
    .returning({ id: analyses.id });
  return { users: Number(admin.created) + Number(user.created), analyses: inserted.length };
}
