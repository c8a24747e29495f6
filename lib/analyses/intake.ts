import { ipAddress } from '@vercel/functions';
import { HUMAN_CHECK_FIELD, verifyHuman } from '../auth/human';
import { optionalSession } from '../auth/session';
import { config } from '../config';
import * as schemas from '../contracts/requests';
import { MAX_INPUT_BYTES } from '../engine';
import { ApiError } from '../http/errors';
import { formRedirect, HONEYPOT_FIELD, REDIRECT_FIELD } from '../http/forms';
import type { RequestContext } from '../http/handler';
import { validate, validateJsonField } from '../http/input';
import { readUpload } from '../http/upload';
import { enforceLimits } from '../limits';
import { submissionMail } from '../mail/templates';
import { presentAnalysis, statusUrlOf, submissionLimits, submitAnalysis, submitterHash } from '.';

/** What `POST /api/analyses` answers: JSON, or a form's way back to its page. */
export type IntakeResult =
  | { kind: 'json'; status: 201 | 202; body: Record<string, unknown>; headers: Headers }
  | {
      kind: 'redirect';
      to: URL;
      /** In the query: ids, status, or an error code. */
      query: Record<string, string>;
      /** In the fragment, which browsers never send to the page's server: the capability link. */
      fragment: Record<string, string>;
      headers: Headers;
    };

/**
 * An upload, end to end: the file and fields, the form's redirect, the honeypot, who submits (a
 * session, or an address that never reaches an account), the human check, the options, the limits (all
 * or nothing, before anything is stored), the submission and, for a form post, the mailed link. Errors
 * of a form post with a valid redirect go back to its page as `?error=CODE`; others are thrown.
 */
export async function acceptUpload(request: Request, context: RequestContext): Promise<IntakeResult> {
  const { forms, identifierSecret, appUrl, deployed } = config();
  let redirect: URL | undefined;
  const answer = (
    status: 201 | 202,
    body: Record<string, unknown>,
    headers: Headers,
    fragment = {},
  ): IntakeResult =>
    redirect
      ? {
          kind: 'redirect',
          to: redirect,
          query: { analysisId: String(body.id), status: String(body.status) },
          fragment,
          headers,
        }
      : { kind: 'json', status, body, headers };
  try {
    const upload = await readUpload(request, MAX_INPUT_BYTES);
    redirect = formRedirect(upload.fields[REDIRECT_FIELD], forms.redirectHosts, deployed);
    // A bot: look accepted, store nothing.
    if (upload.fields[HONEYPOT_FIELD]) {
      const id = crypto.randomUUID();
      return answer(202, { id, status: 'pending', statusUrl: statusUrlOf(appUrl, id, null) }, new Headers());
    }
    const session = await optionalSession(request, context.kv());
    // Without a session the address given is only where the link goes: it never reaches an account.
    const anonymous = session
      ? undefined
      : validate(schemas.submitter, upload.fields, 'submitter (email and name, or sign in)');
    if (anonymous) await verifyHuman(upload.fields[HUMAN_CHECK_FIELD], ipAddress(request));
    // Validated before the limits are counted: malformed options cost the submitter nothing.
    const options = analysisOptionsOf(upload.fields);
    // The limits and the submission's reads run side by side; nothing is stored unless the limits admit.
    const limits = enforceLimits(
      context.kv(),
      submissionLimits(
        session ? { userId: session.userId } : { email: anonymous?.email ?? '' },
        ipAddress(request),
      ),
      identifierSecret,
      'Too many analyses; try again later.',
    );
    limits.catch(() => {}); // awaited through submitAnalysis; this only keeps a refusal from going unobserved
    // Resolved before anything is stored: a missing mail provider is a 500 now, not a lost link later.
    const mail = anonymous ? context.mailer() : undefined;
    const { analysis, capabilityToken } = await submitAnalysis(
      context.db(),
      context.kv(),
      {
        submitter: session
          ? { userId: session.userId }
          : { submitterHash: await submitterHash(anonymous?.email ?? '', identifierSecret) },
        fileName: upload.fields.fileName || upload.fileName,
        bytes: upload.bytes,
        options,
      },
      context.waitUntil,
      context.requestId,
      limits,
    );
    const headers = await limits;
    const statusUrl = statusUrlOf(appUrl, analysis.id, capabilityToken);
    // The report reaches an anonymous submitter by mail; the link in it works until retention ends.
    if (anonymous && mail)
      context.waitUntil(() =>
        mail.send({ to: anonymous.email, url: statusUrl, ...submissionMail(statusUrl) }),
      );
    headers.set('location', statusUrl);
    const viewer = session ? 'owner' : 'capability';
    const body = { ...presentAnalysis(analysis, analysis.status !== 'pending', viewer), statusUrl };
    return answer(analysis.status === 'pending' ? 202 : 201, body, headers, { statusUrl });
  } catch (error) {
    if (redirect && error instanceof ApiError)
      return {
        kind: 'redirect',
        to: redirect,
        query: { error: error.code },
        fragment: {},
        headers: new Headers(),
      };
    throw error;
  }
}

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
