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

export type WorstCase = 'centuries' | 'machines' | 'event-machines' | 'sensors' | 'everything';
export const WORST_CASES: { input: WorstCase; title: string }[] = [
  { input: 'centuries', title: 'one row per day over centuries' },
  { input: 'machines', title: 'a distinct machine and part on every row (150,000+)' },
  { input: 'event-machines', title: 'an event log of 78,000 machines' },
  { input: 'sensors', title: 'a 300-column sensor file' },
  { input: 'everything', title: 'a distinct day, machine, shift, part and reason on every row' },
];

/**
 * Deterministic worst cases of about `targetBytes` for the engine's bounds: each maximises one thing a
 * report lists (days, machines and parts, machines of an event log, characteristics).
 */
export function generateWorstCaseCsv(input: WorstCase, targetBytes: number): string {
  let state = 11;
  const random = () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
  const lines: string[] = [];
  let bytes = 0;
  const add = (line: string) => {
    if (bytes + line.length + 1 > targetBytes) return false;
    lines.push(line);
    bytes += line.length + 1; // ASCII only
    return true;
  };
  const day = (index: number) =>
    new Date(Date.UTC(1600, 0, 1) + index * 86_400_000).toISOString().slice(0, 10);
  if (input === 'centuries') {
    add('Datum;Maschine;Gutteile;Ausschuss;Belegungszeit [min];Stillstand [min];Stillstandsgrund');
    for (let i = 0; add(`${day(i)};M${i % 7};${100 + (i % 50)};${i % 5};480;${i % 60};R${i % 13}`); i++);
  } else if (input === 'machines') {
    add('Machine;Part;Good;Scrap;Planned [min];Downtime [min]');
    for (let i = 0; add(`M${i};P${i};${100 + (i % 50)};${i % 5};480;${i % 60}`); i++);
  } else if (input === 'event-machines') {
    add('Start;End;Machine;State;Reason');
    const stamp = (ms: number) => new Date(ms).toISOString().slice(0, 16).replace('T', ' ');
    const at = Date.UTC(2026, 0, 5, 6);
    for (let i = 0; ; i++) {
      const machine = i % 78_000;
      const start = at + Math.floor(i / 78_000) * 3_600_000;
      const stop = random() < 0.4;
      if (
        !add(
          `${stamp(start)};${stamp(start + 3_600_000)};M${machine};${stop ? 'STOP' : 'RUN'};${stop ? `R${i % 9}` : ''}`,
        )
      )
        break;
    }
  } else if (input === 'everything') {
    add(
      'Date;Machine;Shift;Part;Good;Scrap;Planned [min];Downtime [min];Reason;Cycle time [s];Ideal cycle time [s]',
    );
    for (
      let i = 0;
      add(`${day(i)};M${i};S${i};P${i};${100 + (i % 50)};${i % 5};480;${i % 60};R${i};${20 + (i % 7)};20`);
      i++
    );
  } else {
    const sensors = Array.from({ length: 299 }, (_, i) => `Sensor${i + 1}_Actual`);
    add(['Timestamp', ...sensors].join(';'));
    const at = Date.UTC(2026, 0, 5, 6);
    for (let row = 0; ; row++) {
      const values = sensors.map((_, i) => (20 + i + random() * 2).toFixed(2).replace('.', ','));
      if (
        !add([new Date(at + row * 60_000).toISOString().slice(0, 19).replace('T', ' '), ...values].join(';'))
      )
        break;
    }
  }
  return `${lines.join('\n')}\n`;
}
