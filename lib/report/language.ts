/** The languages the report page and mails speak. Apart from the texts, so choosing one costs no texts. */
const LANGUAGES = ['de', 'en'] as const;
export type Lang = (typeof LANGUAGES)[number];

/**
 * The reader's language: `?lang=`, else the first of Accept-Language we speak, else the export's.
 */
export function pickLanguage(
  query: string | null,
  acceptLanguage: string | null,
  exportLanguage?: Lang,
): Lang {
  if (query === 'de' || query === 'en') return query;
  const accepted = (acceptLanguage ?? '')
    .split(',')
    .map((part) => {
      const [tag = '', ...params] = part.trim().split(';');
      const q = params.find((param) => param.trim().startsWith('q='));
      return { tag: tag.trim().toLowerCase().slice(0, 2), q: q ? Number(q.trim().slice(2)) : 1 };
    })
    .filter((entry) => entry.tag !== '' && entry.q > 0)
    .sort((a, b) => b.q - a.q);
  for (const entry of accepted) if (entry.tag === 'de' || entry.tag === 'en') return entry.tag;
  return exportLanguage ?? 'en';
}
