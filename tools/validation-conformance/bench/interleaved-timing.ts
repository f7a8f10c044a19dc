// Interleaved CPU-time measurement: each round times, for every row in turn, a block of JSON.parse passes beside a
// block of
// that row's passes, and keeps their ratio. The median ratio over rounds is what is reported: a burst of load from
// another
// process stretches a block pair together, so a ratio stays stable on a shared machine where raw times do not.

/**
 * CPU milliseconds used by this process so far, not wall time: other jobs share the cores and stretch wall time
 * unevenly.
 */
const cpuMs = (): number => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
};

/**
 * CPU milliseconds per pass, repeating the pass until the block has used at least `blockMs` (always at least one pass).
 */
function timeBlock(pass: () => void, blockMs: number): number {
  let passes = 0;
  const started = cpuMs();
  do {
    pass();
    passes++;
  } while (cpuMs() - started < blockMs);
  return (cpuMs() - started) / passes;
}

/** The value at fraction `at` (0..1) of the sorted values, interpolated between neighbours. */
export function quantile(values: number[], at: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const position = (sorted.length - 1) * at;
  const below = Math.floor(position);
  const above = Math.min(below + 1, sorted.length - 1);
  return sorted[below]! + (sorted[above]! - sorted[below]!) * (position - below);
}

export const median = (values: number[]): number => quantile(values, 0.5);

export interface TimingSettings {
  rounds: number;
  /** Minimum CPU milliseconds of one block. */
  blockMs: number;
}

export interface RowTiming {
  /** Median CPU milliseconds of one pass over the corpus. */
  msPerPass: number;
  /** Median over rounds of (this row's ms/pass) / (the JSON.parse ms/pass of the block beside it). */
  ratio: number;
  /** The first and third quartiles of those per-round ratios: how much the rounds agreed. */
  ratioQuartiles: [number, number];
}

export interface Timings {
  /** Median CPU milliseconds of one JSON.parse pass, over every parse block. */
  parseMsPerPass: number;
  rows: RowTiming[];
}

/**
 * Times every row against JSON.parse, round-robin; within a pair the order alternates by round, so drift during a round
 * cancels.
 */
export function timeInterleaved(parsePass: () => void, rowPasses: (() => void)[], settings: TimingSettings): Timings {
  for (const pass of [parsePass, ...rowPasses]) timeBlock(pass, settings.blockMs / 4); // warm-up
  const parseTimes: number[] = [];
  const rowTimes = rowPasses.map(() => [] as number[]);
  const ratios = rowPasses.map(() => [] as number[]);
  for (let round = 0; round < settings.rounds; round++) {
    rowPasses.forEach((pass, row) => {
      let parseMs: number;
      let rowMs: number;
      if (round % 2 === 0) {
        parseMs = timeBlock(parsePass, settings.blockMs);
        rowMs = timeBlock(pass, settings.blockMs);
      } else {
        rowMs = timeBlock(pass, settings.blockMs);
        parseMs = timeBlock(parsePass, settings.blockMs);
      }
      parseTimes.push(parseMs);
      rowTimes[row]!.push(rowMs);
      ratios[row]!.push(rowMs / parseMs);
    });
  }
  return {
    parseMsPerPass: median(parseTimes),
    rows: rowPasses.map((_, row) => ({
      msPerPass: median(rowTimes[row]!),
      ratio: median(ratios[row]!),
      ratioQuartiles: [quantile(ratios[row]!, 0.25), quantile(ratios[row]!, 0.75)],
    })),
  };
}
