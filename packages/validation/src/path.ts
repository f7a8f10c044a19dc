/**
 * Where a node is: a point on its walk's trail, the property names and array positions from the root down to the node
 * being visited. The text (`Patient.identifier[0].system`) is built only when an issue needs it: building every path
 * as a string cost about a fifth of a structure-only pass.
 *
 * Stepping to a child overwrites the trail below the parent and reuses the point object of that depth, instead of
 * allocating a step per property and item (a few percent of a structure-only pass, and most of its garbage). So a
 * point is valid only while the walk is at or under its node: nothing may keep one longer. Nothing does: an issue
 * turns its path into text as it is added (`IssueList.add`).
 */
export class PathPoint {
  constructor(
    private readonly trail: Trail,
    private readonly depth: number,
  ) {}

  /** The point of a child: a property name, or an array position. */
  step(key: string | number): PathPoint {
    return this.trail.set(this.depth + 1, key);
  }

  toString(): string {
    return this.trail.text(this.depth);
  }
}

/**
 * A walk's trail: the root's text, then one property name or array position per level below it. One trail serves
 * walk after walk (`start`), its points made once: a walk may start another (a trial match) only on another trail.
 */
export class Trail {
  private readonly keys: (string | number)[] = [''];
  private readonly points: PathPoint[] = [new PathPoint(this, 0)];

  /** The root point of a new walk whose root node's path is `root` (a resource type, or `$` for a trial match). */
  start(root: string): PathPoint {
    this.keys[0] = root;
    return this.points[0]!;
  }

  set(depth: number, key: string | number): PathPoint {
    // Pushed when first reached, never written past the end: the arrays stay packed.
    if (depth < this.keys.length) {
      this.keys[depth] = key;
      return this.points[depth]!;
    }
    this.keys.push(key);
    const point = new PathPoint(this, depth);
    this.points.push(point);
    return point;
  }

  text(depth: number): string {
    let text = String(this.keys[0]);
    for (let level = 1; level <= depth; level++) {
      const key = this.keys[level]!;
      text += typeof key === 'number' ? `[${key}]` : `.${key}`;
    }
    return text;
  }
}

export type Path = string | PathPoint;
