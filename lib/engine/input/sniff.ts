import { DELIMITERS, type Delimiter, parseCsv } from './csv';

/**
 * The delimiter: Excel's `sep=` first line wins; otherwise the candidate whose quote-aware field count
 * is most consistent (and above one) over the first lines. Ties prefer `;` (German exports, where `,`
 * is the decimal separator).
 */
export function sniffDelimiter(text: string): { delimiter: Delimiter; body: string; sepLine: boolean } {
  const sep = /^sep=(.)\r?\n/i.exec(text);
  if (sep && DELIMITERS.includes(sep[1] as Delimiter)) {
    return { delimiter: sep[1] as Delimiter, body: text.slice(sep[0].length), sepLine: true };
  }
  const sample = text.slice(0, 64 * 1024);
  let best: { delimiter: Delimiter; score: number } = { delimiter: ';', score: -1 };
  for (const delimiter of DELIMITERS) {
    const rows = parseCsv(sample, delimiter, 60).filter((row) => row.some((cell) => cell.trim() !== ''));
    if (rows.length > 1 && sample.length === 64 * 1024) rows.pop(); // the cut may split the last row
    const counts = new Map<number, number>();
    for (const row of rows) counts.set(row.length, (counts.get(row.length) ?? 0) + 1);
    let modeWidth = 1;
    let modeCount = 0;
    for (const [width, count] of counts) {
      if (count > modeCount || (count === modeCount && width > modeWidth))
        [modeWidth, modeCount] = [width, count];
    }
    if (modeWidth < 2) continue;
    // Consistency dominates; wider tables break ties between equally consistent candidates.
    const score = modeCount / Math.max(1, rows.length) + modeWidth / 1000;
    if (score > best.score + 1e-9) best = { delimiter, score };
  }
  return { delimiter: best.delimiter, body: text, sepLine: false };
}
