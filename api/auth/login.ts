import { ipAddress } from '@vercel/functions';
import { issueLoginToken, LOGIN_TOKEN_TTL_MS } from '../../lib/auth/magic-link';
import { config as appConfig } from '../../lib/config';
import { schemas } from '../../lib/contracts';
import { ApiError, handle, json, rateLimitHeaders } from '../../lib/http';
import { readSmallBody } from '../../lib/http/input';
import { checkRateLimits, kv, policies } from '../../lib/kv';
import { mailer } from '../../lib/mail';
import { signInMail } from '../../lib/mail/templates';

export const config = { runtime: 'edge', regions: ['fra1'] };

export default handle({
  POST: async (request, { waitUntil }) => {
    const { email } = await readSmallBody(request, schemas.loginInput);
    const { identifierSecret } = appConfig();
    const limits = await checkRateLimits(
      kv(),
      [
        { policy: policies.loginPerEmail, identifier: email },
        { policy: policies.loginPerIp, identifier: ipAddress(request) ?? 'unknown' },
      ],
      identifierSecret,
    );
    const headers = rateLimitHeaders(limits);
    if (limits.some((limit) => !limit.allowed))
      throw new ApiError('rate_limited', 'Too many sign-in requests; try again later.', { headers });

    // The same answer whether or not the address has an account: accounts are made on first sign-in.
    const token = await issueLoginToken(kv(), email, identifierSecret);
    // From APP_URL, never from the request's Host (a forged Host would put another site in the mail).
    const url = new URL(`/api/auth/callback?token=${token}`, appConfig().appUrl).href;
    const mail = mailer(); // resolved now, so a missing provider is a 500 here, not a silent background failure
    waitUntil(mail.send({ to: email, url, ...signInMail(url) }));
    return json(
      {
        status: 'sent',
        message: 'If the address can receive mail, a sign-in link is on its way.',
        expiresInSeconds: LOGIN_TOKEN_TTL_MS / 1000,
      },
      { status: 202, headers },
    );
  },
});
