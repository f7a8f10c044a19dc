/**
 * Progress of a generator run, stage by stage: what each stage is doing and how far it is. The pipeline reports
 * events through an `onProgress` option; the CLIs turn them into lines on stderr with `progressReporter`.
 */

/** One step of a stage. `start` when it begins, `step` as it advances (`done` of `total`), `end` with its result. */
export interface ProgressEvent {
  /** The stage: `load`, `snapshot`, `model`, `tables`, `emit`, `write` (the API generator uses the same names). */
  readonly stage: string;
  readonly phase: 'start' | 'step' | 'end';
  /** What the stage does or did, in a few words: `3 packages loaded`, `building snapshots`. */
  readonly message: string;
  /** Items done so far, for `step` events. */
  readonly done?: number;
  /** Items in all, when known in advance. */
  readonly total?: number;
}

export type OnProgress = (event: ProgressEvent) => void;

/** What `progressReporter` writes to: a stream with the `isTTY` flag Node sets on terminals. */
export interface ProgressStream {
  write(text: string): unknown;
  readonly isTTY?: boolean;
}

export interface ProgressReporterOptions {
  /** Put before every line, to tell runs apart in Nx's interleaved output: the package or API generated. */
  readonly label: string;
  /** Default `process.stderr`. */
  readonly stream?: ProgressStream;
  /** Print nothing. */
  readonly quiet?: boolean;
}

/**
 * Progress should be quiet under CI (`CI=true`, the variable CI services set) or when the CLI was given `--quiet`.
 * `env` defaults to `process.env`.
 */
export const progressQuiet = (quietFlag: boolean | undefined, env: NodeJS.ProcessEnv = process.env): boolean =>
  quietFlag === true || (env['CI'] !== undefined && env['CI'] !== '' && env['CI'] !== 'false' && env['CI'] !== '0');

/**
 * An `OnProgress` that writes one line per finished stage. On a terminal the current stage is also shown while it
 * runs, on one line rewritten in place; elsewhere (a file, a pipe, Nx's task output) only the finished lines appear.
 *
 * @example
 * const onProgress = progressReporter({ label: 'uk-core', quiet: progressQuiet(values.quiet) });
 * await runPipelineTo(out, request, { onProgress });
 * // stderr: "uk-core: load: 3 packages loaded (12034 resources)"
 */
export function progressReporter(options: ProgressReporterOptions): OnProgress {
  if (options.quiet === true) return () => {};
  const stream = options.stream ?? process.stderr;
  const live = stream.isTTY === true;
  let open = false;
  return (event) => {
    const count = event.done === undefined ? '' : ` ${event.done}${event.total === undefined ? '' : `/${event.total}`}`;
    const line = `${options.label}: ${event.stage}: ${event.message}`;
    if (event.phase === 'end') {
      stream.write(`${open ? '\r\x1b[K' : ''}${line}\n`);
      open = false;
    } else if (live) {
      stream.write(`\r\x1b[K${line}${count}`);
      open = true;
    }
  };
}
