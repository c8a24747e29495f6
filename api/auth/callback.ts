import { submitterHash } from '../../lib/analyses/submitter';
import { publicUser } from '../../lib/auth/account';
import { consumeLoginToken, peekLoginToken } from '../../lib/auth/magic-link';
import { assertSameOrigin } from '../../lib/auth/session';
import { createSession } from '../../lib/auth/sessions';
import { config as appConfig } from '../../lib/config';
import * as schemas from '../../lib/contracts/requests';
import type { SessionIssued } from '../../lib/contracts/responses';
import { openDatabase } from '../../lib/db';
import { claimSubmissions, findOrCreateUserByEmail } from '../../lib/db/queries';
import { ApiError, handle, json, sessionCookie } from '../../lib/http';
import { escapeHtml, htmlPage } from '../../lib/http/html';
import { readQuery, readSmallBody } from '../../lib/http/input';
import { kv } from '../../lib/kv';

export const config = { runtime: 'edge', regions: ['fra1'] };

const wantsJson = (request: Request) => (request.headers.get('accept') ?? '').includes('application/json');

const NEW_LINK = '<p class="note">Ask for a new sign-in link where you asked for this one.</p>';

export default handle(
  {
    // Opening the link (a person, or a mail scanner's GET or HEAD) consumes nothing: it shows a button.
    GET: async (request, { kv }) => {
      const { token } = readQuery(request, schemas.callbackQuery());
      const state = await peekLoginToken(kv(), token);
      if (state === 'used')
        return htmlPage('Link already used', `<h1>This sign-in link was already used</h1>${NEW_LINK}`, {
          status: 410,
        });
      if (state === 'invalid')
        return htmlPage('Link not valid', `<h1>This sign-in link is invalid or has expired</h1>${NEW_LINK}`, {
          status: 400,
        });
      return htmlPage(
        'Sign in',
        `<h1>Sign in to ManufacturingInsideAnalyzer</h1><form method="post" action="/api/auth/callback"><input type="hidden" name="token" value="${escapeHtml(token)}"><button type="submit">Sign in</button></form><p class="note">The link works once, for 15 minutes. If you did not ask for it, close this page.</p>`,
        { headers: { 'referrer-policy': 'no-referrer' } },
      );
    },

    // The confirmation: a same-origin form post sets the cookie; a script (Accept: application/json)
    // gets a bearer token. Either way the token is taken once.
    POST: async (request, { db, kv }) => {
      const script = wantsJson(request);
      // A cross-site post could sign the browser into someone else's account (login CSRF).
      if (!script) assertSameOrigin(request);
      const { token } = await readSmallBody(request, schemas.callbackInput());
      const { sessions, appUrl, identifierSecret } = appConfig();
      const consumed = await consumeLoginToken(kv(), token, identifierSecret);
      if (!consumed.ok) {
        if (script)
          throw consumed.reason === 'used'
            ? new ApiError('gone', 'This sign-in link was already used. Ask for a new one.')
            : new ApiError('bad_request', 'This sign-in link is invalid or has expired. Ask for a new one.');
        return htmlPage(
          'Link not valid',
          `<h1>${consumed.reason === 'used' ? 'This sign-in link was already used' : 'This sign-in link is invalid or has expired'}</h1>${NEW_LINK}`,
          { status: consumed.reason === 'used' ? 410 : 400 },
        );
      }
      const { user } = await findOrCreateUserByEmail(await db(), {
        email: consumed.email,
        name: consumed.email.split('@')[0] ?? '',
      });
      // Submissions made with this address from forms, before or without an account, become theirs.
      await claimSubmissions(await db(), user.id, await submitterHash(user.email, identifierSecret));
      const { token: sessionToken, session } = await createSession(kv(), user.id, sessions);
      if (script)
        return json({
          token: sessionToken,
          tokenType: 'Bearer',
          expiresAt: new Date(session.expiresAt).toISOString(),
          user: publicUser(user),
        } satisfies SessionIssued);
      return new Response(null, {
        status: 303,
        headers: {
          location: appUrl,
          'set-cookie': sessionCookie(sessionToken, sessions.maxAgeMs),
          'cache-control': 'no-store',
        },
      });
    },
  },
  { stores: { db: openDatabase, kv } },
);
