import { ipAddress } from '@vercel/functions';
import {
  presentAnalysis,
  statusUrlOf,
  submissionLimits,
  submitAnalysis,
  submitterHash,
} from '../../lib/analyses';
import { HUMAN_CHECK_FIELD, verifyHuman } from '../../lib/auth/human';
import { optionalSession, requireSession } from '../../lib/auth/session';
import { config as appConfig } from '../../lib/config';
import { schemas } from '../../lib/contracts';
import { decodeCursor, listAnalysesPage } from '../../lib/db/queries';
import { MAX_INPUT_BYTES } from '../../lib/engine';
import { ApiError, handle, json } from '../../lib/http';
import { crossOrigin, preflight } from '../../lib/http/cors';
import { formRedirect, HONEYPOT_FIELD, REDIRECT_FIELD, redirectWith } from '../../lib/http/forms';
import { readQuery, validate, validateJsonField } from '../../lib/http/input';
import { readUpload } from '../../lib/http/upload';
import { checkRateLimits } from '../../lib/limits';
import { rateLimitHeaders } from '../../lib/limits/headers';
import { submissionMail } from '../../lib/mail/templates';

export const config = { runtime: 'edge', regions: ['fra1'] };

export default handle({
  OPTIONS: (request) => preflight(request, appConfig().forms.allowedOrigins, 'POST, OPTIONS'),

  POST: async (request, { db, waitUntil, requestId, kv, mailer }) => {
    const { forms, identifierSecret, appUrl, deployed } = appConfig();
    const cors = crossOrigin(request, forms.allowedOrigins).headers;
    let redirect: URL | undefined;
    try {
      const upload = await readUpload(request, MAX_INPUT_BYTES);
      redirect = formRedirect(upload.fields[REDIRECT_FIELD], forms.redirectHosts, deployed);
      if (upload.fields[HONEYPOT_FIELD]) {
        // A bot: look accepted, store nothing.
        const id = crypto.randomUUID();
        return redirect
          ? redirectWith(redirect, { analysisId: id, status: 'pending' }, cors)
          : json(
              { id, status: 'pending', statusUrl: statusUrlOf(appUrl, id, null) },
              { status: 202, headers: cors },
            );
      }

      const session = await optionalSession(request, kv());
      // Without a session the address given is only where the link goes: it never reaches an account.
      const anonymous = session
        ? undefined
        : validate(schemas.submitter, upload.fields, 'submitter (email and name, or sign in)');
      if (anonymous) await verifyHuman(upload.fields[HUMAN_CHECK_FIELD], ipAddress(request));
      // Validated before the limits are counted: malformed options cost the submitter nothing.
      const options = analysisOptionsOf(upload.fields);
      const limits = await checkRateLimits(
        kv(),
        submissionLimits(
          session ? { userId: session.userId } : { email: anonymous?.email ?? '' },
          ipAddress(request),
        ),
        identifierSecret,
      );
      const headers = rateLimitHeaders(limits);
      for (const [name, value] of cors) headers.set(name, value);
      if (limits.some((limit) => !limit.allowed))
        throw new ApiError('rate_limited', 'Too many analyses; try again later.', { headers });

      // Resolved before anything is stored: a missing mail provider is a 500 now, not a lost link later.
      const mail = anonymous ? mailer() : undefined;
      const { analysis, capabilityToken } = await submitAnalysis(
        db(),
        kv(),
        {
          submitter: session
            ? { userId: session.userId }
            : { submitterHash: await submitterHash(anonymous?.email ?? '', identifierSecret) },
          fileName: upload.fields.fileName || upload.fileName,
          bytes: upload.bytes,
          options,
        },
        waitUntil,
        requestId,
      );
      const statusUrl = statusUrlOf(appUrl, analysis.id, capabilityToken);
      // The report reaches an anonymous submitter by mail; the link in it works until retention ends.
      if (anonymous && mail)
        waitUntil(mail.send({ to: anonymous.email, url: statusUrl, ...submissionMail(statusUrl) }));
      // Back to the site's page: its query gets no token (the page's server would log it); the fragment,
      // which browsers never send, carries the link for the page's own script.
      if (redirect)
        return redirectWith(redirect, { analysisId: analysis.id, status: analysis.status }, headers, {
          statusUrl,
        });
      headers.set('location', statusUrl);
      const viewer = session ? 'owner' : 'capability';
      const body = { ...presentAnalysis(analysis, analysis.status !== 'pending', viewer), statusUrl };
      return json(body, { status: analysis.status === 'pending' ? 202 : 201, headers });
    } catch (error) {
      // A form post with a valid redirect goes back to its page with an error code the site can show.
      if (redirect && error instanceof ApiError) return redirectWith(redirect, { error: error.code }, cors);
      if (error instanceof ApiError && cors.has('access-control-allow-origin')) {
        const headers = new Headers(error.extra.headers);
        for (const [name, value] of cors) headers.set(name, value);
        throw new ApiError(error.code, error.message, { ...error.extra, headers });
      }
      throw error;
    }
  },

  GET: async (request, { db, kv }) => {
    const { session } = await requireSession(request, kv());
    const query = readQuery(request, schemas.listQuery);
    const after = query.cursor === undefined ? undefined : decodeCursor(query.cursor);
    if (query.cursor !== undefined && !after)
      throw new ApiError('bad_request', 'cursor: not a cursor from this API.');
    const page = await listAnalysesPage(db(), session.userId, {
      limit: query.limit,
      after,
      status: query.status,
    });
    return json({
      items: page.items.map((analysis) => presentAnalysis(analysis, false)),
      nextCursor: page.nextCursor,
    });
  },
});

/**
 * The submission's analysis options: `options` (JSON text in forms, an object in JSON bodies), or the
 * older `mapping` field alone; both at once is ambiguous and refused.
 */
function analysisOptionsOf(fields: Record<string, string>) {
  const options = fields.options
    ? validateJsonField(schemas.analysisOptions, fields.options, 'options')
    : undefined;
  if (!fields.mapping) return options;
  if (options?.mapping)
    throw new ApiError(
      'validation_failed',
      'Give the column mapping once: in options.mapping or in mapping.',
    );
  return { ...options, mapping: validateJsonField(schemas.mappingOverride, fields.mapping, 'mapping') };
}
