/**
 * Where a node is: its parent's path and its own property name or array position. The walk makes one per
 * property and item, and the text (`Patient.identifier[0].system`) is built only when an issue needs it:
 * building every path as a string cost about a fifth of a structure-only pass.
 */
export class PathStep {
  private text: string | undefined = undefined;
  constructor(
    private readonly parent: Path,
    /** A property name, or undefined for an array position. */
    private readonly key: string | undefined,
    private readonly position: number,
  ) {}
  toString(): string {
    return (this.text ??=
      this.key !== undefined ? `${String(this.parent)}.${this.key}` : `${String(this.parent)}[${this.position}]`);
  }
}

export type Path = string | PathStep;
