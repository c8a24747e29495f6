import { ipAddress } from '@vercel/functions/headers';
import { verifyHuman } from '../../lib/auth/human';
import { issueLoginToken, LOGIN_TOKEN_TTL_MS, signInLimits } from '../../lib/auth/magic-link';
import { assertNotCrossSite } from '../../lib/auth/session';
import { config as appConfig } from '../../lib/config';
import * as schemas from '../../lib/contracts/requests';
import type { LoginAccepted } from '../../lib/contracts/responses';
import { handle, json } from '../../lib/http';
import { readSmallBody } from '../../lib/http/input';
import { kv } from '../../lib/kv';
import { enforceLimits } from '../../lib/limits';
import { signInMail } from '../../lib/mail/templates';

export const config = { runtime: 'edge', regions: ['fra1'] };

export default handle(
  {
    POST: async (request, { waitUntil, kv, mailer }) => {
      const { identifierSecret, appUrl, forms } = appConfig();
      // Another website's form must not make each visitor's browser send mail.
      assertNotCrossSite(request, forms.allowedOrigins);
      const input = await readSmallBody(request, schemas.loginInput());
      const ip = ipAddress(request);
      await verifyHuman(input['cf-turnstile-response'], ip);
      const headers = await enforceLimits(
        kv(),
        signInLimits(input.email, ip),
        identifierSecret,
        'Too many sign-in requests; try again later.',
      );

      // The same answer whether or not the address has an account: accounts are made on first sign-in.
      const token = await issueLoginToken(kv(), input.email, identifierSecret);
      // From APP_URL, never from the request's Host (a forged Host would put another site in the mail).
      const url = new URL(`/api/auth/callback?token=${token}`, appUrl).href;
      const mail = mailer(); // resolved now, so a missing provider is a 500 here, not a silent background failure
      waitUntil(() => mail.send({ to: input.email, url, ...signInMail(url) }));
      return json(
        {
          status: 'sent',
          message: 'If the address can receive mail, a sign-in link is on its way.',
          expiresInSeconds: LOGIN_TOKEN_TTL_MS / 1000,
        } satisfies LoginAccepted,
        { status: 202, headers },
      );
    },
  },
  // Registered form origins may offer sign-in on their pages: their scripts can read the answer.
  { cors: () => appConfig().forms.allowedOrigins, stores: { kv } },
);
