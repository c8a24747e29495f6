import { AnalysisInputError } from '../errors';

export type Encoding = 'utf-8' | 'utf-8-bom' | 'utf-16le' | 'utf-16be' | 'windows-1252';

/** Windows-1252 code points for bytes 0x80-0x9F (the rest equal Latin-1); decoded by hand, edge-safe. */
const CP1252_HIGH = [
  0x20ac, 0x81, 0x201a, 0x0192, 0x201e, 0x2026, 0x2020, 0x2021, 0x02c6, 0x2030, 0x0160, 0x2039, 0x0152, 0x8d,
  0x017d, 0x8f, 0x90, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x02dc, 0x2122, 0x0161, 0x203a,
  0x0153, 0x9d, 0x017e, 0x0178,
];

function decodeWindows1252(bytes: Uint8Array): string {
  const chunks: string[] = [];
  const CHUNK = 8192;
  for (let start = 0; start < bytes.length; start += CHUNK) {
    const codes = new Array<number>(Math.min(CHUNK, bytes.length - start));
    for (let i = 0; i < codes.length; i++) {
      const byte = bytes[start + i] as number;
      codes[i] = byte >= 0x80 && byte <= 0x9f ? (CP1252_HIGH[byte - 0x80] as number) : byte;
    }
    chunks.push(String.fromCharCode(...codes));
  }
  return chunks.join('');
}

const startsWith = (bytes: Uint8Array, signature: number[]) =>
  signature.every((byte, i) => bytes[i] === byte);

/**
 * Bytes to text: refuses spreadsheets and binaries, honours a BOM (UTF-8, UTF-16 LE/BE as Excel's
 * "Unicode text" writes), else strict UTF-8, else Windows-1252 (what German Excel writes as "CSV").
 */
export function decodeText(bytes: Uint8Array): {
  text: string;
  encoding: Encoding;
  /** Where the text is exactly the decode of valid UTF-8: those bytes. */
  utf8?: Uint8Array;
} {
  if (bytes.length === 0) throw new AnalysisInputError('EMPTY_FILE', 'The file is empty.');

  if (startsWith(bytes, [0xff, 0xfe]))
    return { text: new TextDecoder('utf-16le').decode(bytes.subarray(2)), encoding: 'utf-16le' };
  if (startsWith(bytes, [0xfe, 0xff])) {
    const swapped = new Uint8Array(bytes.length - 2 - ((bytes.length - 2) % 2));
    for (let i = 0; i < swapped.length; i += 2) {
      swapped[i] = bytes[i + 3] as number;
      swapped[i + 1] = bytes[i + 2] as number;
    }
    return { text: new TextDecoder('utf-16le').decode(swapped), encoding: 'utf-16be' };
  }
  if (looksBinary(bytes)) {
    throw new AnalysisInputError('BINARY_FILE', 'The file is binary, not text. Upload a CSV export.');
  }
  if (startsWith(bytes, [0xef, 0xbb, 0xbf])) {
    const utf8 = bytes.subarray(3);
    const text = decodeUtf8(utf8);
    return text === undefined
      ? { text: new TextDecoder('utf-8').decode(utf8), encoding: 'utf-8-bom' }
      : { text, encoding: 'utf-8-bom', utf8 };
  }
  const text = decodeUtf8(bytes);
  if (text !== undefined) return { text, encoding: 'utf-8', utf8: bytes };
  return { text: decodeWindows1252(bytes), encoding: 'windows-1252' };
}

/** Strict UTF-8, or undefined where the bytes are not; a BOM stays in the text, so it is the bytes' exact decode. */
function decodeUtf8(bytes: Uint8Array): string | undefined {
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    return undefined;
  }
}

/** How many UTF-8 bytes the first `units` UTF-16 units of `text` take (a prefix: a header, a `sep=` line). */
export const utf8Length = (text: string, units: number): number =>
  units === 0 ? 0 : new TextEncoder().encode(text.slice(0, units)).length;

/** The bytes of `suffix`, a suffix of `text` whose UTF-8 bytes are `utf8`. */
export const utf8Suffix = (utf8: Uint8Array, text: string, suffix: string): Uint8Array =>
  utf8.subarray(utf8Length(text, text.length - suffix.length));

/** NUL bytes or many control characters in the first 8 KB mean this is no text file. */
function looksBinary(bytes: Uint8Array): boolean {
  const sample = bytes.subarray(0, 8192);
  let control = 0;
  for (const byte of sample) {
    if (byte === 0) return true;
    if (byte < 0x09 || (byte > 0x0d && byte < 0x20) || byte === 0x7f) control++;
  }
  return control > sample.length * 0.05;
}
