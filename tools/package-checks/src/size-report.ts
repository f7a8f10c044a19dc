import type { TarballCheck } from './check-tarball.js';
import type { PackedTarball } from './pack.js';

function kilobytes(bytes: number): string {
  return (bytes / 1024).toFixed(1);
}

/** A Markdown table of each tarball's packed and unpacked size and what the checks said, with totals. */
export function formatPackReport(tarballs: readonly PackedTarball[], checks: readonly TarballCheck[]): string {
  const byName = new Map(checks.map((check) => [check.name, check]));
  const rows = tarballs.map((tarball) => {
    const check = byName.get(tarball.name);
    const count = (tool: string) => check?.problems.filter((problem) => problem.tool === tool).length ?? '-';
    return [
      tarball.name,
      kilobytes(tarball.size),
      kilobytes(tarball.unpackedSize),
      String(tarball.files.length),
      String(count('publint')),
      String(count('attw')),
      String(check?.ignored.length ?? '-'),
      String(count('contents')),
    ];
  });
  const sum = (pick: (tarball: PackedTarball) => number) => tarballs.reduce((total, each) => total + pick(each), 0);
  rows.push([
    `total (${tarballs.length})`,
    kilobytes(sum((tarball) => tarball.size)),
    kilobytes(sum((tarball) => tarball.unpackedSize)),
    String(sum((tarball) => tarball.files.length)),
    '',
    '',
    '',
    '',
  ]);
  const header = ['package', 'packed KiB', 'unpacked KiB', 'files', 'publint', 'attw', 'attw ignored', 'contents'];
  const line = (cells: string[]) => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map((_, index) => (index === 0 ? '---' : '---:'))), ...rows.map(line)].join('\n');
}
