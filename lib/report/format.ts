import type { Lang } from './language';

const LOCALES: Record<Lang, string> = { de: 'de-DE', en: 'en-GB' };

export type Format = ReturnType<typeof formatFor>;

/**
 * Numbers for reading, by locale (Intl): rounded to what a person compares, the JSON keeps full
 * precision. Missing values are a dash, never a 0. Times in Berlin, where the engine reads them.
 */
export function formatFor(lang: Lang) {
  const locale = LOCALES[lang];
  const percent = new Intl.NumberFormat(locale, {
    style: 'percent',
    minimumFractionDigits: 1,
    maximumFractionDigits: 1,
  });
  const whole = new Intl.NumberFormat(locale, { maximumFractionDigits: 0 });
  const wholePercent = new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 0 });
  const one = new Intl.NumberFormat(locale, { maximumFractionDigits: 1 });
  const precise = new Intl.NumberFormat(locale, { maximumSignificantDigits: 5 });
  const twoPlaces = new Intl.NumberFormat(locale, { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  const day = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeZone: 'Europe/Berlin' });
  const moment = new Intl.DateTimeFormat(locale, {
    dateStyle: 'medium',
    timeStyle: 'short',
    timeZone: 'Europe/Berlin',
  });
  const missing = (value: number | null | undefined): value is null | undefined =>
    value === null || value === undefined || !Number.isFinite(value);
  return {
    locale,
    percent: (value: number | null | undefined) => (missing(value) ? '–' : percent.format(value)),
    /** Axis and reference labels: 85 %, 50 %. */
    wholePercent: (value: number) => wholePercent.format(value),
    /** Counts and minutes: whole when large, one decimal when small. */
    number: (value: number | null | undefined) =>
      missing(value) ? '–' : Math.abs(value) >= 100 ? whole.format(value) : one.format(value),
    /** Measurements and indices: five significant digits (74.012 mm, Cpk 1.3342). */
    measure: (value: number | null | undefined) => (missing(value) ? '–' : precise.format(value)),
    /** Capability indices: two places, as they are compared with 1.33. */
    index: (value: number | null | undefined) => (missing(value) ? '–' : twoPlaces.format(value)),
    minutes: (value: number | null | undefined) =>
      missing(value) ? '–' : `${Math.abs(value) >= 100 ? whole.format(value) : one.format(value)} min`,
    date: (iso: string | null | undefined) => (iso ? day.format(new Date(iso)) : '–'),
    dateTime: (value: Date | string | null | undefined) => (value ? moment.format(new Date(value)) : '–'),
  };
}
