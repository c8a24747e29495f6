import { config } from '../config';
import * as schemas from '../contracts/requests';
import { sha256Hex } from '../crypto';
import type { Analysis } from '../db/schema';
import type { AnalysisReport } from '../engine';
import { MAX_INPUT_BYTES } from '../engine';
import { ApiError } from '../http/errors';
import type { RequestContext } from '../http/handler';
import { formatIssues } from '../http/input';
import { readUpload } from '../http/upload';
import { enforceLimits, policies } from '../limits';
import { answersToOptions, type Lang, MESSAGES, questionsOf } from '../report';
import { announce, webhookContext } from '../webhooks';
import { submitAnalysis, type Viewer } from '.';

export type Rerun = { analysis: Analysis; viewer: Viewer };

/**
 * A re-run of a completed analysis with the reader's answers to its questions: the same file again
 * (it is never stored, so the form asks for it; its SHA-256 must be the report's), the answers merged
 * over the options it ran with, a new analysis linked to it. It costs no upload quota; re-runs of one
 * analysis are bounded per day instead. A link holder re-runs only a submission nobody owns yet: a
 * link must never create analyses in an account. Refusals are ApiErrors with a reader's message.
 */
export async function rerunWithAnswers(
  request: Request,
  context: RequestContext,
  { analysis, viewer }: Rerun,
  lang: Lang,
): Promise<Analysis> {
  const words = MESSAGES[lang].questions;
  if (analysis.status !== 'completed')
    throw new ApiError('conflict', 'Only a completed analysis has questions to answer.');
  if (viewer === 'capability' && analysis.userId !== null)
    throw new ApiError('forbidden', 'Sign in to re-run an analysis in your account.');
  const upload = await readUpload(request, MAX_INPUT_BYTES);
  const report = analysis.result as unknown as AnalysisReport;
  if ((await sha256Hex(upload.bytes)) !== report.input.sha256)
    throw new ApiError('validation_failed', words.wrongFile);
  const { options, answered } = answersToOptions(upload.fields, questionsOf(report), report.options);
  if (answered === 0) throw new ApiError('validation_failed', words.nothing);
  const checked = schemas.analysisOptions().safeParse(options);
  if (!checked.success) throw new ApiError('validation_failed', formatIssues(checked.error));

  const limits = enforceLimits(
    context.kv(),
    [{ policy: policies.rerunPerAnalysis, identifier: analysis.id }],
    config().identifierSecret,
    'Too many re-runs of this analysis today; try again tomorrow.',
  );
  limits.catch(() => {}); // awaited through submitAnalysis
  const owner = analysis.userId;
  const { analysis: rerun } = await submitAnalysis(
    await context.db(),
    context.kv(),
    {
      submitter: owner ? { userId: owner } : { submitterHash: analysis.submitterHash as string },
      fileName: analysis.fileName,
      bytes: upload.bytes,
      options: checked.data,
      parentId: analysis.id,
      // The link holder's token reads the re-run too.
      ...(owner ? {} : { capabilityHash: analysis.capabilityHash as string }),
      onFinished: async (done) => {
        await announce(await webhookContext(context), done);
      },
    },
    context.waitUntil,
    context.requestId,
    limits,
  );
  return rerun;
}
