import { defineConfig } from 'drizzle-kit';

// Migrations and drizzle-kit use the direct connection when Vercel provides one (a pooler can break
// session-level statements); `generate` and `check` need no database at all.
const url =
  process.env.POSTGRES_URL_NON_POOLING || process.env.POSTGRES_URL || 'postgres://localhost:5432/unused';

export default defineConfig({
  schema: './lib/db/schema.ts',
  out: './drizzle',
  dialect: 'postgresql',
  dbCredentials: { url },
  strict: true,
  verbose: true,
});
