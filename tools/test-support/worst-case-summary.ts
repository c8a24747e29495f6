// Analyses each generated 4 MB worst case and prints one JSON line per case with the sizes the bounds
// test checks. Run by that test under `--max-old-space-size=128`, the Vercel Edge isolate's heap.
import { analyzeCsv, MAX_INPUT_BYTES } from '../../lib/engine';
import { generateWorstCaseCsv, WORST_CASES } from './production-csv';

// The row encoder's WebAssembly memory lives outside the V8 heap the flag caps: every instance is
// recorded (with its runs counted), so each line can say whether the module read the case and how large
// the largest memory so far has grown.
const memories: WebAssembly.Memory[] = [];
let wasmRuns = 0;
const Instance = WebAssembly.Instance;
class CountingInstance {
  readonly exports: WebAssembly.Exports;
  constructor(module: WebAssembly.Module, imports?: WebAssembly.Imports) {
    const { exports } = new Instance(module, imports);
    memories.push(exports.memory as WebAssembly.Memory);
    const setup = exports.setup as (...args: number[]) => void;
    this.exports = {
      ...exports,
      setup: (...args: number[]) => {
        wasmRuns++;
        setup(...args);
      },
    };
  }
}
WebAssembly.Instance = CountingInstance as unknown as typeof WebAssembly.Instance;

for (const { input } of WORST_CASES) {
  const runsBefore = wasmRuns;
  const report = await analyzeCsv(
    new TextEncoder().encode(generateWorstCaseCsv(input, MAX_INPUT_BYTES - 1024)),
  );
  console.log(
    JSON.stringify({
      input,
      rows: report.input.rows,
      reportBytes: new TextEncoder().encode(JSON.stringify(report)).length,
      periodUnit: report.kpis?.periodUnit ?? null,
      periods: report.kpis?.byPeriod.length ?? 0,
      earlier: report.kpis?.byPeriod[0]?.key === '(earlier)' ? report.kpis.byPeriod[0].groups : null,
      machines: report.kpis?.byMachine.length ?? 0,
      parts: report.kpis?.byPart.length ?? 0,
      shifts: report.kpis?.byShift.length ?? 0,
      heatmapRows: report.downtimeByMachine?.machines.length ?? 0,
      reliability: report.reliability.length,
      cycleGroups: report.cycleTime.length,
      charts: report.spc.length,
      points: report.spc.reduce((sum, chart) => sum + chart.points.length, 0),
      codes: report.dataQuality.issues.map((issue) => issue.code),
      readByWasm: wasmRuns > runsBefore,
      wasmMemoryBytes: Math.max(0, ...memories.map((memory) => memory.buffer.byteLength)),
    }),
  );
}
