/** The sign-in mail. Plain words, the link once, and what to do if it was not you. */
export function signInMail(url: string): { subject: string; text: string; html: string } {
  const escaped = url.replaceAll('&', '&amp;').replaceAll('"', '&quot;').replaceAll('<', '&lt;');
  return {
    subject: 'Your sign-in link for ManufacturingInsideAnalyzer',
    text: `Sign in with this link (valid 15 minutes, usable once):\n\n${url}\n\nIf you did not ask for it, ignore this mail.`,
    html: `<p>Sign in with this link (valid 15 minutes, usable once):</p><p><a href="${escaped}">Sign in</a></p><p>If you did not ask for it, ignore this mail.</p>`,
  };
}
