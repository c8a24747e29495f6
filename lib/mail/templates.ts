import type { Analysis } from '../db/schema';
import type { AnalysisReport } from '../engine/report';
import { escapeHtml } from '../http/html';
import { formatFor } from '../report/format';
import type { Lang } from '../report/language';
import { MESSAGES } from '../report/messages';

/** The sign-in mail. Plain words, the link once, and what to do if it was not you. */
export function signInMail(url: string): { subject: string; text: string; html: string } {
  const escaped = escapeHtml(url);
  return {
    subject: 'Your sign-in link for ManufacturingInsideAnalyzer',
    text: `Sign in with this link (valid 15 minutes, usable once):\n\n${url}\n\nIf you did not ask for it, ignore this mail.`,
    html: `<p>Sign in with this link (valid 15 minutes, usable once):</p><p><a href="${escaped}">Sign in</a></p><p>If you did not ask for it, ignore this mail.</p>`,
  };
}

/**
 * The mail when an analysis has ended, in the submitter's language: the headline figures and the link
 * to the report page (the only way the report reaches a form submitter without an account).
 */
export function resultMail(
  analysis: Analysis,
  reportUrl: string,
  lang: Lang,
): { subject: string; text: string; html: string } {
  const m = MESSAGES[lang];
  const f = formatFor(lang);
  const escaped = escapeHtml(reportUrl);
  const failed = analysis.status === 'failed';
  const overall = failed ? undefined : (analysis.result as AnalysisReport | null)?.kpis?.overall;
  const figures = overall
    ? (
        [
          [m.headline.oee, overall.oee.value],
          [m.headline.availability, overall.availability.value],
          [m.headline.performance, overall.performance.value],
          [m.headline.quality, overall.quality.value],
        ] as const
      ).map(([name, value]) => `${name}: ${value === null ? m.headline.notComputable : f.percent(value)}`)
    : [];
  const why = failed ? (m.failures[analysis.errorCode ?? ''] ?? analysis.error ?? '') : '';
  const lines = [failed ? m.mail.failed : m.mail.done, ...figures, ...(why ? [why] : [])];
  return {
    subject: failed ? m.mail.subjectFailed(analysis.fileName) : m.mail.subjectDone(analysis.fileName),
    text: `${lines.join('\n')}\n\n${m.mail.open}: ${reportUrl}\n\n${m.mail.keepPrivate}\n${m.mail.notYou}`,
    html: `<p>${escapeHtml(lines[0] as string)}</p>${
      figures.length > 0 ? `<ul>${figures.map((line) => `<li>${escapeHtml(line)}</li>`).join('')}</ul>` : ''
    }${why ? `<p>${escapeHtml(why)}</p>` : ''}<p><a href="${escaped}">${escapeHtml(m.mail.open)}</a></p><p>${escapeHtml(
      m.mail.keepPrivate,
    )}</p><p>${escapeHtml(m.mail.notYou)}</p>`,
  };
}

/** The mail when a webhook endpoint was disabled after three days of failed deliveries. */
export function webhookDisabledMail(url: string): { subject: string; text: string; html: string } {
  return {
    subject: 'A webhook of yours was disabled',
    text: `Every delivery to ${url} has failed for three days, so it was disabled. Fix the receiver, then delete the webhook and create it again.`,
    html: `<p>Every delivery to <code>${escapeHtml(url)}</code> has failed for three days, so it was disabled.</p><p>Fix the receiver, then delete the webhook and create it again.</p>`,
  };
}
