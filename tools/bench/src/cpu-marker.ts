/**
 * The line the measuring shell writes to stderr after the measured process exits, followed by the output of
 * its `times` builtin: the shell's own user and system time on one line, then those of the processes it
 * waited for (the measured process, all its threads) on the next.
 */
export const CPU_MARKER = 'NHS_FHIR_BENCH_TIMES';

const TIME = String.raw`(\d+)m(\d+(?:\.\d+)?)s`;
const pattern = new RegExp(String.raw`\n?${CPU_MARKER}\n${TIME} ${TIME}\n${TIME} ${TIME}\n`, 'g');

/** `times` writes minutes and seconds, `1m2.500s`; this is that in ms. */
function ms(minutes: string, seconds: string): number {
  return Math.round((Number(minutes) * 60 + Number(seconds)) * 1e6) / 1e3;
}

/**
 * Takes the shell's lines out of a process's output: the CPU ms of the waited-for process (user + system; undefined if
 * the shell did not report) and the rest.
 */
export function extractCpuMs(output: string): { cpuMs: number | undefined; output: string } {
  let cpuMs: number | undefined;
  const rest = output.replace(pattern, (_lines, ...parts: string[]) => {
    const [, , , , userMin, userSec, systemMin, systemSec] = parts as [
      string,
      string,
      string,
      string,
      string,
      string,
      string,
      string,
    ];
    cpuMs = Math.round((ms(userMin, userSec) + ms(systemMin, systemSec)) * 1e3) / 1e3;
    return '';
  });
  return { cpuMs, output: rest };
}
