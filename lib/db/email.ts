import * as z from 'zod';

/** Emails are compared and stored trimmed and lower-cased (the schema's check enforces it). */
export const normaliseEmail = (email: string): string => email.trim().toLowerCase();

/** The one email validator: functions and insert schemas share it (kept free of drizzle-zod for small bundles). */
export const emailSchema = z.string().trim().toLowerCase().max(254).pipe(z.email());
