/** The sign-in mail. Plain words, the link once, and what to do if it was not you. */
export function signInMail(url: string): { subject: string; text: string; html: string } {
  const escaped = url.replaceAll('&', '&amp;').replaceAll('"', '&quot;').replaceAll('<', '&lt;');
  return {
    subject: 'Your sign-in link for ManufacturingInsideAnalyzer',
    text: `Sign in with this link (valid 15 minutes, usable once):\n\n${url}\n\nIf you did not ask for it, ignore this mail.`,
    html: `<p>Sign in with this link (valid 15 minutes, usable once):</p><p><a href="${escaped}">Sign in</a></p><p>If you did not ask for it, ignore this mail.</p>`,
  };
}

/** The mail to a form submitter: the link to their analysis (it shows progress, then the report). */
export function submissionMail(url: string): { subject: string; text: string; html: string } {
  const escaped = url.replaceAll('&', '&amp;').replaceAll('"', '&quot;').replaceAll('<', '&lt;');
  return {
    subject: 'Your production data analysis',
    text: `Your file was received. Its analysis is here (keep the link private; it is the only key to it):\n\n${url}\n\nSign in with this address to keep it in your account. If you did not upload a file, ignore this mail.`,
    html: `<p>Your file was received. Its analysis is here (keep the link private; it is the only key to it):</p><p><a href="${escaped}">Open the analysis</a></p><p>Sign in with this address to keep it in your account. If you did not upload a file, ignore this mail.</p>`,
  };
}
