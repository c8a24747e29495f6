import { ipAddress } from '@vercel/functions/headers';
import { HUMAN_CHECK_FIELD, verifyHuman } from '../auth/human';
import { optionalCaller } from '../auth/session';
import { config } from '../config';
import * as schemas from '../contracts/requests';
import { sha256Hex } from '../crypto';
import { getUserById } from '../db/queries';
import { AnalysisInputError, MAX_INPUT_BYTES, screenUpload } from '../engine';
import { ApiError } from '../http/errors';
import { formRedirect, HONEYPOT_FIELD, REDIRECT_FIELD, redirectWith } from '../http/forms';
import type { RequestContext } from '../http/handler';
import { claimIdempotencyKey, type IdempotencyClaim, storedAnswer } from '../http/idempotency';
import { validate, validateJsonField } from '../http/input';
import { json } from '../http/respond';
import { readUpload } from '../http/upload';
import { enforceLimits, policies } from '../limits';
import { mailerIfConfigured } from '../mail';
import { pickLanguage } from '../report/language';
import { announce, webhookContext } from '../webhooks';
import {
  analysisInputHash,
  POLL_AFTER_SECONDS,
  presentDetail,
  presentSummary,
  reportUrlOf,
  type Submitter,
  statusUrlOf,
  submissionLimits,
  submitAnalysis,
  submitterHash,
} from '.';

/**
 * An upload, end to end: the file and fields, the form's redirect, the honeypot, the screen (a
 * workbook, an image, text that is no table: refused before anything is counted), who submits (a
 * session, or an address that never reaches an account), the human check, the options, the
 * Idempotency-Key, the limits (all or nothing, before anything is stored), the submission and, for a
 * form post, the mailed link. Refusals of a form post with a valid redirect go back to its page as
 * `?error=CODE`; others are thrown.
 */
export async function acceptUpload(request: Request, context: RequestContext): Promise<Response> {
  const { forms, identifierSecret, appUrl, deployed } = config();
  // The form's way back, as early as the transport tells it: the action URL's query, else the body.
  const seen: { redirect?: string | undefined } = {
    redirect: new URL(request.url).searchParams.get(REDIRECT_FIELD) ?? undefined,
  };
  let redirect: URL | undefined;
  let claim: Extract<IdempotencyClaim, { replay?: undefined }> | undefined;
  try {
    const upload = await readUpload(request, MAX_INPUT_BYTES, seen);
    redirect = formRedirect(seen.redirect, forms.redirectHosts, deployed);
    // A bot: look accepted, store nothing.
    if (upload.fields[HONEYPOT_FIELD]) {
      const id = crypto.randomUUID();
      return answer(redirect, 202, { id, status: 'pending', statusUrl: statusUrlOf(appUrl, id, null) });
    }
    await screen(upload.bytes);
    // A person's session or a machine's API key (analyses:write); neither: a form submitter.
    const session = await optionalCaller(request, context, 'analyses:write');
    // Without a session the address given is only where the link goes: it never reaches an account.
    const anonymous = session
      ? undefined
      : validate(schemas.submitter(), upload.fields, 'submitter (email and name, or sign in)');
    if (anonymous) await verifyHuman(upload.fields[HUMAN_CHECK_FIELD], ipAddress(request));
    // Validated before the limits are counted: malformed options cost the submitter nothing.
    const options = analysisOptionsOf(upload.fields);
    const submitter: Submitter = session
      ? { userId: session.userId }
      : { submitterHash: await submitterHash(anonymous?.email ?? '', identifierSecret) };
    const fileName = upload.fields.fileName || upload.fileName;
    const contentHash = await analysisInputHash(upload.bytes, options);

    // A retry with the same key and content gets the first answer: no second analysis, no quota.
    const key = request.headers.get('idempotency-key');
    if (key !== null) {
      const claimed = await claimIdempotencyKey(
        context.kv(),
        identifierSecret,
        'userId' in submitter ? `user:${submitter.userId}` : `submitter:${submitter.submitterHash}`,
        validate(schemas.idempotencyKey(), key, 'Idempotency-Key header'),
        await sha256Hex(`${contentHash}\n${fileName}\n${seen.redirect ?? ''}`),
      );
      if (claimed.replay) return claimed.replay;
      claim = claimed;
    }

    // The limits and the submission's reads run side by side; nothing is stored unless the limits admit.
    const limits = enforceLimits(
      context.kv(),
      submissionLimits(
        session ? { userId: session.userId } : { email: anonymous?.email ?? '' },
        ipAddress(request),
      ).concat(
        session?.via === 'key' ? [{ policy: policies.analysisPerKey, identifier: session.key.keyId }] : [],
      ),
      identifierSecret,
      'Too many analyses; try again later.',
    );
    limits.catch(() => {}); // awaited through submitAnalysis; this only keeps a refusal from going unobserved
    // Resolved before anything is stored: a missing mail provider is a 500 now, not a lost link later.
    // A signed-in user has the report in their account: without a provider they get no mail.
    const mail = anonymous ? context.mailer() : mailerIfConfigured(context.mailer);
    const lang = pickLanguage(upload.fields.lang ?? null, request.headers.get('accept-language'));
    let reportUrl = '';
    const { analysis, capabilityToken } = await submitAnalysis(
      await context.db(),
      context.kv(),
      {
        submitter,
        fileName,
        bytes: upload.bytes,
        options,
        contentHash,
        // The report reaches an anonymous submitter by this mail (the link works until retention ends);
        // a signed-in one at their account's address.
        onFinished: async (done) => {
          const mailed = async () => {
            const to =
              anonymous?.email ?? (session && (await getUserById(await context.db(), session.userId))?.email);
            if (!to || !mail) return;
            // The texts (both languages) are imported when a mail is written, not at cold start.
            const { resultMail } = await import('../mail/templates');
            await mail.send({ to, url: reportUrl, ...resultMail(done, reportUrl, lang) });
          };
          // The mail, and the owner's webhooks (an anonymous submission has none), side by side.
          await Promise.all([mailed(), announce(await webhookContext(context), done)]);
        },
      },
      context.waitUntil,
      context.requestId,
      limits,
    );
    const headers = await limits;
    const statusUrl = statusUrlOf(appUrl, analysis.id, capabilityToken);
    reportUrl = reportUrlOf(appUrl, analysis.id, capabilityToken);
    headers.set('location', statusUrl);
    const viewer = session ? 'owner' : 'capability';
    const pending = analysis.status === 'pending';
    if (pending) headers.set('retry-after', String(POLL_AFTER_SECONDS));
    const link = { appUrl, viewer, token: capabilityToken } as const;
    const presented = pending ? presentSummary(analysis, link) : presentDetail(analysis, link);
    const response = answer(redirect, pending ? 202 : 201, { ...presented, statusUrl }, headers, {
      statusUrl,
      reportUrl,
    });
    await claim?.settle(await storedAnswer(response));
    return response;
  } catch (error) {
    await claim?.release();
    // A refusal before the redirect was checked still goes back to the page, if it is an allowed one.
    redirect ??= allowedRedirect(seen.redirect, forms.redirectHosts, deployed);
    if (redirect && error instanceof ApiError) {
      const code = error.extra.fields?.code;
      return redirectWith(redirect, { error: error.code, ...(typeof code === 'string' ? { code } : {}) });
    }
    throw error;
  }
}

/** JSON, or for a form post with a redirect, the way back to its page (the link in the fragment). */
function answer(
  redirect: URL | undefined,
  status: 201 | 202,
  body: { id: string; status: string; statusUrl: string },
  headers = new Headers(),
  fragment: Record<string, string> = {},
): Response {
  if (!redirect) return json(body, { status, headers });
  const back = new Headers();
  for (const name of ['ratelimit', 'ratelimit-policy']) {
    const value = headers.get(name);
    if (value !== null) back.set(name, value);
  }
  return redirectWith(redirect, { analysisId: body.id, status: body.status }, back, fragment);
}

const allowedRedirect = (value: string | undefined, hosts: readonly string[], httpsOnly: boolean) => {
  try {
    return formRedirect(value, hosts, httpsOnly);
  } catch {
    return undefined;
  }
};

/** The engine's cheap checks, as refusals: a binary format is 415, text that is no table 422. */
async function screen(bytes: Uint8Array): Promise<void> {
  try {
    await screenUpload(bytes);
  } catch (error) {
    if (!(error instanceof AnalysisInputError)) throw error;
    const binary = error.code === 'SPREADSHEET_NOT_CSV' || error.code === 'BINARY_FILE';
    throw new ApiError(binary ? 'unsupported_media_type' : 'validation_failed', error.message, {
      fields: { code: error.code },
    });
  }
}

/**
 * The submission's analysis options: `options` (JSON text in forms, an object in JSON bodies), or the
 * older `mapping` field alone; both at once is ambiguous and refused.
 */
function analysisOptionsOf(fields: Record<string, string>) {
  const options = fields.options
    ? validateJsonField(schemas.analysisOptions(), fields.options, 'options')
    : undefined;
  if (!fields.mapping) return options;
  if (options?.mapping)
    throw new ApiError(
      'validation_failed',
      'Give the column mapping once: in options.mapping or in mapping.',
    );
  return { ...options, mapping: validateJsonField(schemas.mappingOverride(), fields.mapping, 'mapping') };
}
