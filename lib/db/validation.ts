import { createInsertSchema } from 'drizzle-zod';
import type * as z from 'zod';
import { emailSchema } from './email';
import { analyses, users } from './schema';

export { emailSchema };

/**
 * Zod schemas derived from the Drizzle tables: one source of truth for what a row may hold.
 * Functions validate input with these (narrowed with .pick/.extend) before it reaches a query.
 */

export const userInsertSchema = createInsertSchema(users, {
  email: () => emailSchema,
  name: (schema) => schema.trim().min(1).max(200),
}).omit({ id: true, createdAt: true });

export const analysisInsertSchema = createInsertSchema(analyses, {
  fileName: (schema) => schema.trim().min(1).max(255),
  contentHash: (schema) => schema.regex(/^[0-9a-f]{64}$/, 'must be a lower-case hex SHA-256'),
  sizeBytes: (schema) => schema.int().min(0),
  analyzerVersion: (schema) => schema.min(1).max(50),
}).omit({
  id: true,
  createdAt: true,
  completedAt: true,
  status: true,
  result: true,
  error: true,
  capabilityHash: true,
});

export type UserInput = z.infer<typeof userInsertSchema>;
export type AnalysisInput = z.infer<typeof analysisInsertSchema>;
