/**
 * Whether a webhook URL may be called: https only when deployed (http to localhost only in local dev),
 * no credentials in it, and no address that reaches inside a network: private, loopback, link-local,
 * carrier-grade NAT, metadata and other reserved ranges, written as IP literals (IPv4, IPv6, IPv4-mapped)
 * or as names that mean them. A reason for the refusal, or null when the URL is allowed.
 *
 * The edge has no DNS API, so a public name that resolves to a private address is not caught here; the
 * platform's egress reaches only the public internet, which is what makes that acceptable.
 */
export function refusedTarget(raw: string, { deployed }: { deployed: boolean }): string | null {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return 'not a URL';
  }
  if (url.username || url.password) return 'no credentials in the URL';
  const host = url.hostname
    .toLowerCase()
    .replace(/^\[|\]$/g, '')
    .replace(/\.$/, '');
  const local = host === 'localhost' || host === '127.0.0.1' || host === '::1';
  if (url.protocol === 'http:' && local && !deployed) return null; // a receiver on this machine, in dev
  if (url.protocol !== 'https:') return 'https only';
  if (local || host.endsWith('.localhost') || host.endsWith('.local') || host.endsWith('.internal'))
    return 'not a public host';
  if (host === 'metadata' || host === 'metadata.google.internal') return 'a cloud metadata address';
  const v4 = ipv4(host);
  if (v4) return privateV4(v4) ? 'a private, loopback, link-local or reserved address' : null;
  if (host.includes(':')) {
    const groups = ipv6(host);
    if (!groups) return 'not a valid IPv6 address';
    return privateV6(groups) ? 'a private, loopback, link-local or reserved address' : null;
  }
  if (/^[0-9.]+$/.test(host) || /^0x/i.test(host)) return 'not a valid address';
  return null;
}

function ipv4(host: string): number[] | undefined {
  const parts = host.split('.');
  if (parts.length !== 4 || !parts.every((part) => /^\d{1,3}$/.test(part))) return undefined;
  const bytes = parts.map(Number);
  return bytes.every((byte) => byte <= 255) ? bytes : undefined;
}

function privateV4([a = 0, b = 0]: number[]): boolean {
  return (
    a === 0 || // this network
    a === 10 ||
    a === 127 ||
    (a === 100 && b >= 64 && b <= 127) || // carrier-grade NAT
    (a === 169 && b === 254) || // link-local, cloud metadata (169.254.169.254)
    (a === 172 && b >= 16 && b <= 31) ||
    (a === 192 && b === 168) ||
    (a === 192 && b === 0) || // IETF protocol assignments, documentation
    (a === 198 && (b === 18 || b === 19)) || // benchmarking
    a >= 224 // multicast and reserved
  );
}

function ipv6(host: string): number[] | undefined {
  let text = host;
  let tail: number[] = [];
  const dotted = /:(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (dotted?.[1]) {
    const v4 = ipv4(dotted[1]);
    if (!v4) return undefined;
    tail = [(v4[0] as number) * 256 + (v4[1] as number), (v4[2] as number) * 256 + (v4[3] as number)];
    text = `${text.slice(0, dotted.index)}:`;
    if (text.endsWith('::')) text = `${text}`;
    else text = text.slice(0, -1);
  }
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const parse = (part: string) =>
    part === '' ? [] : part.split(':').map((group) => Number.parseInt(group, 16));
  const head = parse(halves[0] ?? '');
  const rest = halves.length === 2 ? parse(halves[1] ?? '') : [];
  const missing = 8 - head.length - rest.length - tail.length;
  if (halves.length === 1 && missing !== 0) return undefined;
  if (missing < 0) return undefined;
  const groups = [...head, ...Array<number>(halves.length === 2 ? missing : 0).fill(0), ...rest, ...tail];
  return groups.length === 8 &&
    groups.every((group) => Number.isInteger(group) && group >= 0 && group <= 0xffff)
    ? groups
    : undefined;
}

function privateV6(groups: number[]): boolean {
  const [first = 0] = groups;
  if (groups.every((group) => group === 0)) return true; // ::
  if (groups.slice(0, 7).every((group) => group === 0) && groups[7] === 1) return true; // ::1
  // IPv4-mapped (::ffff:a.b.c.d) and IPv4-compatible: judged as the IPv4 address.
  if (groups.slice(0, 5).every((group) => group === 0) && (groups[5] === 0xffff || groups[5] === 0)) {
    const [high = 0, low = 0] = groups.slice(6);
    return privateV4([high >> 8, high & 255, low >> 8, low & 255]);
  }
  return (
    (first & 0xfe00) === 0xfc00 || // unique local fc00::/7
    (first & 0xffc0) === 0xfe80 || // link-local fe80::/10
    (first & 0xff00) === 0xff00 || // multicast
    (first === 0x2001 && groups[1] === 0x0db8) || // documentation
    (first === 0x0064 && groups[1] === 0xff9b) // NAT64 (reaches IPv4 inside)
  );
}
