/**
 * Deterministic synthetic production data (a German BDE-style aggregated export) of about `targetBytes`,
 * for the edge test and the benchmark. A tiny LCG keeps it reproducible without dependencies.
 */
export function generateProductionCsv(targetBytes: number, seed = 42): string {
  let state = seed >>> 0;
  const random = () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
  const machines = ['Presse 1', 'Presse 2', 'Fräse 3', 'Drehbank 4', 'Spritzguss 5', 'Montage 6'];
  const parts = ['Halter A', 'Halter B', 'Deckel', 'Welle 12', 'Gehäuse'];
  const reasons = [
    'Rüsten',
    'Störung Hydraulik',
    'Materialmangel',
    'Werkzeugwechsel',
    'Qualitätsprüfung',
    'Reinigung',
    'Pause',
  ];
  const shifts = ['F', 'S', 'N'];
  const lines = [
    'Datum;Schicht;Maschine;Artikel;Gutteile;Ausschuss;Belegungszeit [min];Stillstand [min];Stillstandsgrund;Ideale Taktzeit (s)',
  ];
  const encoder = new TextEncoder();
  const size = (line: string) => encoder.encode(line).length;
  let bytes = size(lines[0] ?? '') + 2;
  const start = Date.UTC(2026, 0, 1);
  for (let row = 0; bytes < targetBytes; row++) {
    const day = new Date(start + Math.floor(row / (machines.length * shifts.length)) * 86_400_000);
    const date = `${String(day.getUTCDate()).padStart(2, '0')}.${String(day.getUTCMonth() + 1).padStart(2, '0')}.${day.getUTCFullYear()}`;
    const downtime = Math.round(random() * 900) / 10;
    const good = 200 + Math.floor(random() * 1800);
    const scrap = Math.floor(random() * 60);
    const line = [
      date,
      shifts[row % shifts.length],
      machines[Math.floor(row / shifts.length) % machines.length],
      parts[Math.floor(random() * parts.length)],
      good,
      scrap,
      450,
      String(downtime).replace('.', ','),
      reasons[Math.floor(random() * reasons.length)],
      String(10 + Math.floor(random() * 8)),
    ].join(';');
    const lineBytes = size(line) + 2;
    if (bytes + lineBytes > targetBytes) break;
    lines.push(line);
    bytes += lineBytes;
  }
  return `${lines.join('\r\n')}\r\n`;
}
