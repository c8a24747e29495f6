/** Runs `work` `iterations` times after a warm-up, one at a time, and answers the median and p95 in ms. */
export async function timeSequential(
  work: () => Promise<unknown>,
  iterations = 200,
  warmup = 20,
): Promise<{ medianMs: number; p95Ms: number }> {
  for (let i = 0; i < warmup; i++) await work();
  const samples: number[] = [];
  for (let i = 0; i < iterations; i++) {
    const started = performance.now();
    await work();
    samples.push(performance.now() - started);
  }
  samples.sort((a, b) => a - b);
  const at = (q: number) => samples[Math.min(samples.length - 1, Math.floor(q * samples.length))] ?? 0;
  return { medianMs: at(0.5), p95Ms: at(0.95) };
}

export const ms = (value: number) => `${value.toFixed(2)} ms`;

/** The middle sample (the upper one of an even count). */
export const median = (values: number[]): number =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;
