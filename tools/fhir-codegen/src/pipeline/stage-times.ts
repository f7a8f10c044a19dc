/** Wall-clock milliseconds per stage of one generator run (`npm run bench -- --only codegen` prints them). */
export interface StageTimes {
  /** Spec sync and package graph: read the packages and index their resources. */
  load: number;
  /** Profile snapshots (base types pass their shipped snapshot through: 0). */
  snapshot: number;
  /** Type models, profile models. */
  model: number;
  /** Validator tables compiled from the closure (their own snapshots included). */
  tables: number;
  /** The emitted declarations built from the models (`src/emit/`). */
  emit: number;
  /** Those declarations printed to text (`src/emit/printer.ts`). */
  print: number;
  /** Files written to the output folder in one swap. */
  write: number;
}

export const noTimes = (): StageTimes => ({ load: 0, snapshot: 0, model: 0, tables: 0, emit: 0, print: 0, write: 0 });

/** `load 120 ms, model 80 ms, ...`: the stages that took any time, in pipeline order. */
export const formatTimes = (times: StageTimes): string =>
  Object.entries(times)
    .filter(([, ms]) => ms > 0)
    .map(([stage, ms]) => `${stage} ${Math.round(ms)} ms`)
    .join(', ');
