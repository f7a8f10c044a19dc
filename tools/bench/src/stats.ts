/** The middle value of the samples (the mean of the two middle ones for an even count). */
export function median(samples: readonly number[]): number {
  if (samples.length === 0) throw new RangeError('median: no samples');
  const sorted = [...samples].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  const upper = sorted[middle] as number;
  return sorted.length % 2 === 1 ? upper : ((sorted[middle - 1] as number) + upper) / 2;
}

/** How many times `ours` takes `other`'s time: below 1 means ours is faster. */
export function ratio(ours: number, other: number): number {
  if (!(other > 0)) throw new RangeError(`ratio: the reference time must be positive, got ${other}`);
  return ours / other;
}

/** `1234.5` ms -> `1.23 s`; below a second stays in ms so short runs keep their precision. */
export function formatMs(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(2)} s`;
}

/** `0.8567` -> `0.86x`. */
export function formatRatio(value: number): string {
  return `${value.toFixed(2)}x`;
}

/** Times of one measured command over several runs, wall-clock and CPU, in ms. */
export interface Samples {
  wall: number[];
  cpu: number[];
}

export function emptySamples(): Samples {
  return { wall: [], cpu: [] };
}

/** Adds one run; a run whose CPU time is unknown adds to wall-clock only. */
export function addSample(samples: Samples, run: { ms: number; cpuMs: number | undefined }): void {
  samples.wall.push(run.ms);
  if (run.cpuMs !== undefined) samples.cpu.push(run.cpuMs);
}
