import type { Mailer, MailMessage } from '../../lib/mail';

/** The dev runner's mailer: keeps messages in memory, prints each link, serves them at /__dev/outbox. */
export class Outbox implements Mailer {
  readonly name = 'dev-outbox';
  readonly messages: (MailMessage & { sentAt: string })[] = [];
  constructor(private readonly print: (line: string) => void = (line) => console.log(line)) {}

  async send(message: MailMessage): Promise<void> {
    this.messages.push({ ...message, sentAt: new Date().toISOString() });
    this.print(`[outbox] to ${message.to}: ${message.subject}\n         ${message.url}`);
  }

  /** GET /__dev/outbox: newest first. Belongs to the runner, never to api/. */
  route = (): Response =>
    Response.json(
      [...this.messages].reverse().map(({ to, subject, url, sentAt }) => ({ to, subject, url, sentAt })),
      { headers: { 'cache-control': 'no-store' } },
    );
}
