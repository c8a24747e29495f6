import * as z from '../zod';

/** Emails are compared and stored trimmed and lower-cased (the schema's check enforces it). */
export const normaliseEmail = (email: string): string => email.trim().toLowerCase();

/** The one email validator: every function that takes an address uses it. */
export const emailSchema = z.lazySchema(() =>
  z.pipe(z.string().check(z.trim(), z.toLowerCase(), z.maxLength(254)), z.email()),
);

/** Providers that deliver `first.last+tag@` and `firstlast@` to one mailbox. */
const DOTLESS_DOMAINS = new Set(['gmail.com', 'googlemail.com']);

/**
 * The mailbox an address reaches, for limits: `+tag` dropped, and for the providers that ignore dots,
 * dots too (googlemail is gmail), so `Ana.B+1@gmail.com` and `anab@googlemail.com` share one quota.
 * Sign-in and claims still use the exact address.
 */
export function mailboxOf(email: string): string {
  const address = normaliseEmail(email);
  const at = address.lastIndexOf('@');
  if (at <= 0) return address;
  let local = address.slice(0, at).split('+')[0] ?? '';
  let domain = address.slice(at + 1);
  if (DOTLESS_DOMAINS.has(domain)) {
    local = local.replaceAll('.', '');
    domain = 'gmail.com';
  }
  return `${local}@${domain}`;
}
