// Queries only tests and the benches use: kept out of lib/ so no function bundles them.
import { and, desc, eq } from 'drizzle-orm';
import type { Database } from '../../lib/db';
import { normaliseEmail } from '../../lib/db/email';
import { guarded } from '../../lib/db/errors';
import {
  type Analysis,
  analyses,
  type NewAnalysis,
  type NewUser,
  type User,
  users,
} from '../../lib/db/schema';

export const listUsers = (db: Database): Promise<User[]> =>
  guarded(() => db.select().from(users).orderBy(users.createdAt, users.id));

export const getUserByEmail = (db: Database, email: string): Promise<User | undefined> =>
  guarded(
    async () =>
      (
        await db
          .select()
          .from(users)
          .where(eq(users.email, normaliseEmail(email)))
          .limit(1)
      )[0],
  );

/** Inserts a new user; ConflictError when the email is taken. */
export const createUser = (db: Database, input: NewUser): Promise<User> =>
  guarded(async () => {
    const [user] = await db
      .insert(users)
      .values({ ...input, email: normaliseEmail(input.email) })
      .returning();
    return user as User;
  });

/** The user and all their analyses (newest first) via a LEFT JOIN. */
export const getUserWithAnalysesJoined = (
  db: Database,
  id: string,
): Promise<{ user: User; analyses: Analysis[] } | undefined> =>
  guarded(async () => {
    const rows = await db
      .select({ user: users, analysis: analyses })
      .from(users)
      .leftJoin(analyses, eq(analyses.userId, users.id))
      .where(eq(users.id, id))
      .orderBy(desc(analyses.createdAt), desc(analyses.id));
    const first = rows[0];
    if (!first) return undefined;
    return { user: first.user, analyses: rows.flatMap((row) => (row.analysis ? [row.analysis] : [])) };
  });

/** Many analyses in one statement (all or nothing). */
export const createAnalyses = (db: Database, inputs: NewAnalysis[]): Promise<Analysis[]> =>
  guarded(async () => (inputs.length === 0 ? [] : db.insert(analyses).values(inputs).returning()));

/** The user's most recent completed analyses (served by analyses_user_status_created_idx). */
export const recentCompletedAnalyses = (db: Database, userId: string, limit = 10): Promise<Analysis[]> =>
  guarded(() =>
    db
      .select()
      .from(analyses)
      .where(and(eq(analyses.userId, userId), eq(analyses.status, 'completed')))
      .orderBy(desc(analyses.createdAt), desc(analyses.id))
      .limit(limit),
  );
