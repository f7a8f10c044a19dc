/** The line prefix the CPU hook writes to stderr, followed by milliseconds. */
export const CPU_MARKER = 'NHS_FHIR_BENCH_CPU_MS=';

/** Takes the hook's line out of a process's output: the CPU ms (undefined if the process died first) and the rest. */
export function extractCpuMs(output: string): { cpuMs: number | undefined; output: string } {
  const pattern = new RegExp(`\\n?${CPU_MARKER}(\\d+(?:\\.\\d+)?)\\n`, 'g');
  let cpuMs: number | undefined;
  const rest = output.replace(pattern, (_line, ms: string) => {
    cpuMs = Number(ms);
    return '';
  });
  return { cpuMs, output: rest };
}
