import { ConfigError, config } from '../config';

export type MailMessage = { to: string; subject: string; text: string; html: string; url: string };
export interface Mailer {
  readonly name: string;
  send(message: MailMessage): Promise<void>;
}

export class MailError extends Error {
  override readonly name = 'MailError';
}

/** Resend's HTTP API over fetch (edge-safe); the key and sender come from config. */
export function resendMailer(
  apiKey: string,
  from: string,
  endpoint = 'https://api.resend.com/emails',
): Mailer {
  return {
    name: 'resend',
    async send({ to, subject, text, html }) {
      const response = await fetch(endpoint, {
        method: 'POST',
        headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
        body: JSON.stringify({ from, to: [to], subject, text, html }),
        signal: AbortSignal.timeout(10_000),
      });
      if (!response.ok) throw new MailError(`mail API answered ${response.status}`);
    },
  };
}

let provided: Mailer | undefined;

/** Lets the dev runner and tests supply an outbox; on Vercel the configured provider is used. */
export function provideMailer(mailer: Mailer | undefined): void {
  provided = mailer;
}

/** The one mailer handle. */
export function mailer(): Mailer {
  if (provided) return provided;
  const settings = config().mail;
  if (!settings) throw new ConfigError(['RESEND_API_KEY', 'MAIL_FROM'], 'No mail provider is configured');
  return resendMailer(settings.apiKey, settings.from);
}

/** The mailer, or undefined where no provider is configured (mail that is a courtesy, not a promise). */
export function mailerIfConfigured(get: () => Mailer = mailer): Mailer | undefined {
  try {
    return get();
  } catch (error) {
    if (error instanceof ConfigError) return undefined;
    throw error;
  }
}
