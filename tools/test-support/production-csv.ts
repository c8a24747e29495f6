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

/**
 * A deterministic machine state log (one event per row: start, end, machine, state, reason) of about
 * `targetBytes`, for the benchmark: twelve machines, a distinct timestamp on every row.
 */
export function generateEventLogCsv(targetBytes: number, seed = 7): string {
  let state = seed >>> 0;
  const random = () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
  const reasons = ['Stau', 'Rüsten', 'Materialmangel', 'Werkzeugbruch', 'Pause'];
  const stamp = (ms: number) => new Date(ms).toISOString().slice(0, 19).replace('T', ' ');
  const encoder = new TextEncoder();
  const size = (line: string) => encoder.encode(line).length;
  const lines = ['Beginn;Ende;Maschine;Zustand;Störgrund'];
  let bytes = size(lines[0] ?? '') + 2;
  let clock = Date.UTC(2026, 0, 5, 5);
  for (let row = 0; ; row++) {
    const minutes = 1 + Math.floor(random() * 50);
    const running = random() < 0.7;
    const line = [
      stamp(clock),
      stamp(clock + minutes * 60_000),
      `M${row % 12}`,
      running ? 'RUN' : 'STOP',
      running ? '' : reasons[Math.floor(random() * reasons.length)],
    ].join(';');
    const lineBytes = size(line) + 2;
    if (bytes + lineBytes > targetBytes) break;
    lines.push(line);
    bytes += lineBytes;
    clock += (minutes * 60_000) / 12;
  }
  return `${lines.join('\r\n')}\r\n`;
}
