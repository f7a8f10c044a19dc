import { deepEqual, isObject, type JsonObject } from './json-values.js';

/**
 * A compiler for the small part of FHIRPath most invariants use (paths, exists/empty/not/hasValue/
 * count/first, where/all/exists with a condition, and/or/xor/implies, =, !=, in, comparisons of
 * numbers, string literals), into plain closures over the JSON. Anything else, at compile time or
 * when a value needs what the subset does not do (dates, strings compared by order, more than one
 * value where one is wanted), throws `Unsupported`, and the caller evaluates with fhirpath instead.
 */
export class Unsupported extends Error {}

type Collection = readonly unknown[];
interface Env {
  resource: unknown;
}
type Fn = (focus: Collection, env: Env) => Collection;

/** A primitive with only an extension (`_birthDate` without `birthDate`): it exists, but has no value. */
const NO_VALUE = Object.freeze({ noValue: true });
const UCUM = 'http://unitsofmeasure.org';
const DATE_LIKE = /^\d{4}(-|$)|^T?\d{2}:\d{2}/;

const unsupported = (why: string): never => {
  throw new Unsupported(why);
};

// Thrown while evaluating (a value the subset does not handle): one shared instance, as the caller only needs to know
// that fhirpath must decide, and building an Error with its stack on every such value cost more than the check.
const OUTSIDE = new Unsupported('a value outside the subset');
const outside = (): never => {
  throw OUTSIDE;
};

// --- tokens ---------------------------------------------------------------------------------------
type Token = { kind: 'id' | 'str' | 'num' | 'op' | 'env'; text: string };

function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let at = 0;
  while (at < source.length) {
    const char = source[at]!;
    if (/\s/.test(char)) {
      at++;
      continue;
    }
    if (char === "'") {
      let text = '';
      at++;
      while (at < source.length && source[at] !== "'") {
        if (source[at] === '\\') {
          const next = source[at + 1];
          if (next === "'" || next === '\\' || next === '/' || next === '"') text += next;
          else unsupported('string escape');
          at += 2;
        } else text += source[at++];
      }
      if (at >= source.length) unsupported('unterminated string');
      at++;
      tokens.push({ kind: 'str', text });
      continue;
    }
    const number = /^\d+(\.\d+)?/.exec(source.slice(at));
    if (number !== null) {
      tokens.push({ kind: 'num', text: number[0] });
      at += number[0].length;
      continue;
    }
    const name = /^[A-Za-z_$][A-Za-z0-9_]*/.exec(source.slice(at)) ?? /^`[^`]+`/.exec(source.slice(at));
    if (name !== null) {
      tokens.push({ kind: 'id', text: name[0].replace(/`/g, '') });
      at += name[0].length;
      continue;
    }
    if (char === '%') {
      const variable = /^%[A-Za-z]+/.exec(source.slice(at));
      if (variable === null) unsupported('variable');
      tokens.push({ kind: 'env', text: variable![0].slice(1) });
      at += variable![0].length;
      continue;
    }
    const op = /^(<=|>=|!=|!~|[().,|=<>+\-*~&{}])/.exec(source.slice(at));
    if (op === null) unsupported(`character ${char}`);
    tokens.push({ kind: 'op', text: op![0] });
    at += op![0].length;
  }
  return tokens;
}

// --- values ---------------------------------------------------------------------------------------
/**
 * The children named `name` of each item: arrays flattened, choice variants (`value` → `valueQuantity`) found,
 * extension-only primitives kept as NO_VALUE. `extensionKey` is `_name`, made once by the caller: a key built per
 * call is a new string that every lookup must first find in the string table.
 */
function member(items: Collection, name: string, choice: boolean, extensionKey: string): Collection {
  // One item (an invariant's focus is one node) and its value: answered without building a list, and a list of
  // values without nulls is the resource's own array (collections are only read).
  if (items.length === 1) {
    const item = items[0];
    if (!isObject(item)) return EMPTY;
    const value = childValue(item, name, choice);
    if (value === undefined || value === null) return item[extensionKey] !== undefined ? [NO_VALUE] : EMPTY;
    if (!Array.isArray(value)) return [value];
    if (!value.includes(null) && !value.includes(undefined)) return value;
  }
  const out: unknown[] = [];
  for (const item of items) {
    if (!isObject(item)) continue;
    const value = childValue(item, name, choice);
    if (value === undefined || value === null) {
      if (item[extensionKey] !== undefined) out.push(NO_VALUE);
      continue;
    }
    if (Array.isArray(value)) {
      for (const entry of value) if (entry !== null && entry !== undefined) out.push(entry);
    } else out.push(value);
  }
  return out;
}

/** An object's `name` property, or for a choice name its variant (`value` → `valueQuantity`). */
function childValue(item: JsonObject, name: string, choice: boolean): unknown {
  const value = item[name];
  if (value !== undefined || !choice) return value;
  for (const key in item) {
    if (
      key.length > name.length &&
      key.startsWith(name) &&
      key.charCodeAt(name.length) >= 65 &&
      key.charCodeAt(name.length) <= 90
    )
      return item[key];
  }
  return undefined;
}

/**
 * The `name` values of every object below `items`, level by level as fhirpath's `descendants()` visits them. A key
 * that could be a choice variant of `name` (`nameString`), or a `_` primitive extension (which fhirpath merges
 * into its primitive), is outside the subset: the model decides those.
 */
function descendantMember(items: Collection, name: string): Collection {
  const out: unknown[] = [];
  let level = items;
  // The focus's own `name` children are not wanted (they are its children, not theirs): only from the second level on.
  let below = false;
  while (level.length > 0) {
    const next: unknown[] = [];
    for (const item of level) {
      if (!isObject(item)) continue;
      for (const key in item) {
        if (key === 'resourceType') continue;
        if (key.charCodeAt(0) === 95) return outside();
        const value = item[key];
        if (value === undefined || value === null) continue;
        if (
          key !== name &&
          key.length > name.length &&
          key.startsWith(name) &&
          key.charCodeAt(name.length) >= 65 &&
          key.charCodeAt(name.length) <= 90
        )
          return outside();
        if (Array.isArray(value)) {
          for (const entry of value) {
            if (entry === null || entry === undefined) continue;
            next.push(entry);
            if (below && key === name) out.push(entry);
          }
        } else {
          next.push(value);
          if (below && key === name) out.push(value);
        }
      }
    }
    level = next;
    below = true;
  }
  return out;
}

/** A collection as a boolean: empty is empty (undefined), one boolean is itself, one other value is true. */
function truth(collection: Collection): boolean | undefined {
  if (collection.length === 0) return undefined;
  if (collection.length > 1) outside();
  const value = collection[0];
  return typeof value === 'boolean' ? value : true;
}
// The collections most evaluations end in, made once: an invariant's result is read, never changed, and a fresh
// one-item array per operator was most of what evaluating allocated.
const EMPTY: Collection = [];
const TRUE: Collection = [true];
const FALSE: Collection = [false];
const ofBoolean = (value: boolean): Collection => (value ? TRUE : FALSE);
const fromTruth = (value: boolean | undefined): Collection => (value === undefined ? EMPTY : ofBoolean(value));

function single(collection: Collection): unknown {
  if (collection.length > 1) outside();
  const value = collection[0];
  if (value === NO_VALUE) return undefined;
  return value;
}

function equal(left: Collection, right: Collection): boolean | undefined {
  if (left.length === 0 || right.length === 0) return undefined;
  if (left.length !== right.length) return false;
  for (let index = 0; index < left.length; index++) {
    const a = left[index];
    const b = right[index];
    if (a === NO_VALUE || b === NO_VALUE) return undefined;
    if (typeof a === 'string' && typeof b === 'string' && (DATE_LIKE.test(a) || DATE_LIKE.test(b))) outside();
    // Values of different kinds are not equal; complex values are equal when all their children are.
    if (isObject(a) || isObject(b)) {
      if (!deepEqual(a, b)) return false;
    } else if (a !== b) return false;
  }
  return true;
}

function compare(left: Collection, right: Collection, op: string): boolean | undefined {
  const a = single(left);
  const b = single(right);
  if (a === undefined || b === undefined) return undefined;
  let order: number | null;
  if (typeof a === 'number' && typeof b === 'number') order = a - b;
  else if (typeof a === 'string' && typeof b === 'string') order = compareDates(a, b);
  else return outside();
  // Dates of different precision that agree as far as both go compare as empty, as FHIRPath says.
  if (order === null) return undefined;
  return op === '<' ? order < 0 : op === '>' ? order > 0 : op === '<=' ? order <= 0 : order >= 0;
}

const DATE_ONLY = /^\d{4}(-\d{2}(-\d{2})?)?$/;
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?(Z|[+-]\d{2}:\d{2})$/;

/**
 * The order of two FHIR dates or dateTimes, as FHIRPath compares them, for the two forms that need no time zone
 * of the machine: dates without a time (compared at the lesser precision; null when they agree that far but
 * differ in precision), and dateTimes to the second with a zone. Anything else is left to fhirpath.
 */
function compareDates(a: string, b: string): number | null {
  if (DATE_ONLY.test(a) && DATE_ONLY.test(b)) {
    const length = Math.min(a.length, b.length);
    const [x, y] = [a.slice(0, length), b.slice(0, length)];
    if (x !== y) return x < y ? -1 : 1;
    return a.length === b.length ? 0 : null;
  }
  if (INSTANT.test(a) && INSTANT.test(b)) return Date.parse(a) - Date.parse(b);
  return outside();
}

// --- parser: precedence climbing over FHIRPath's operator levels ------------------------------------
const LEVELS: string[][] = [
  ['implies'],
  ['or', 'xor'],
  ['and'],
  ['in', 'contains'],
  ['=', '!=', '~', '!~'],
  ['<', '>', '<=', '>='],
  ['|'],
  ['+', '-', '&'],
];

class Parser {
  private at = 0;
  constructor(
    private readonly tokens: Token[],
    private readonly choices: ReadonlySet<string> | undefined,
  ) {}

  parse(): Fn {
    const fn = this.expression(0);
    if (this.at !== this.tokens.length) unsupported(`unexpected ${this.tokens[this.at]!.text}`);
    return fn;
  }

  private peek(): Token | undefined {
    return this.tokens[this.at];
  }
  private take(text?: string): Token {
    const token = this.tokens[this.at];
    if (token === undefined || (text !== undefined && token.text !== text))
      return unsupported(`expected ${text ?? 'a token'}`);
    this.at++;
    return token;
  }

  private expression(level: number): Fn {
    if (level >= LEVELS.length) return this.postfix();
    let left = this.expression(level + 1);
    for (;;) {
      const token = this.peek();
      if (token === undefined || (token.kind !== 'op' && token.kind !== 'id') || !LEVELS[level]!.includes(token.text))
        return left;
      this.at++;
      const right = this.expression(level + 1);
      left = binary(token.text, left, right);
    }
  }

  private postfix(): Fn {
    let fn = this.term();
    while (this.peek()?.text === '.') {
      this.at++;
      fn = this.invocation(fn);
    }
    return fn;
  }

  private term(): Fn {
    const token = this.take();
    if (token.kind === 'str') return () => [token.text];
    if (token.kind === 'num') {
      const value = Number(token.text);
      return () => [value];
    }
    if (token.kind === 'env') {
      if (token.text === 'resource') return (_focus, env) => [env.resource];
      if (token.text === 'ucum') return () => [UCUM];
      return outside; // another variable: only if evaluated (`false and %x` never is)
    }
    if (token.text === '(') {
      const inner = this.expression(0);
      this.take(')');
      return inner;
    }
    if (token.text === '{') {
      this.take('}');
      return () => EMPTY;
    }
    if (token.text === 'true' || token.text === 'false') {
      const value = token.text === 'true';
      return () => [value];
    }
    if (token.kind === 'id') {
      this.at--;
      return this.invocation((focus) => focus);
    }
    return unsupported(`term ${token.text}`);
  }

  /** `is(Type)`: the type name is not an expression. */
  private isType(base: Fn): Fn {
    const type = this.take();
    if (type.kind !== 'id') return unsupported('is() without a type name');
    this.take(')');
    return isTypeOf(base, type.text);
  }

  /**
   * `descendants().name`: the `name` children of every node below `base`. Only this form is compiled: a bare
   * `descendants()` is left to fhirpath (lazily, as any function outside the subset).
   */
  private descendantsMember(base: Fn): Fn {
    this.take(')');
    const dot = this.peek();
    const member = this.tokens[this.at + 1];
    const after = this.tokens[this.at + 2];
    if (dot?.text !== '.' || member?.kind !== 'id' || after?.text === '(') return outside;
    this.at += 2;
    const name = member.text;
    return (focus, env) => descendantMember(base(focus, env), name);
  }

  /** `name` or `name(args)` applied to the collection `base` gives. */
  private invocation(base: Fn): Fn {
    const name = this.take();
    if (name.kind !== 'id') return unsupported('member name');
    if (this.peek()?.text !== '(') {
      const key = name.text;
      const extensionKey = `_${key}`;
      // Only a name that is a choice element somewhere (`value`, `onset`) is looked for under its typed names.
      const choice = this.choices?.has(key) ?? true;
      // A leading type name (`Appointment.status`) names the focus itself.
      if (key.charCodeAt(0) >= 65 && key.charCodeAt(0) <= 90) {
        return (focus, env) => {
          const items = base(focus, env);
          return items.length > 0 && items.every((item) => isObject(item) && item['resourceType'] === key)
            ? items
            : member(items, key, choice, extensionKey);
        };
      }
      if (key === '$this') return base;
      return (focus, env) => member(base(focus, env), key, choice, extensionKey);
    }
    this.take('(');
    if (name.text === 'is') return this.isType(base);
    if (name.text === 'descendants') return this.descendantsMember(base);
    const args: Fn[] = [];
    while (this.peek()?.text !== ')') {
      args.push(this.expression(0));
      if (this.peek()?.text === ',') this.at++;
    }
    this.take(')');
    return functionCall(name.text, base, args);
  }
}

function isTypeOf(base: Fn, type: string): Fn {
  return (focus, env) => {
    const items = base(focus, env);
    if (items.length === 0) return EMPTY;
    const item = single(items);
    // Only resources carry their type in the JSON; other values need the model, which fhirpath has.
    if (!isObject(item) || typeof item['resourceType'] !== 'string') return outside();
    return ofBoolean(item['resourceType'] === type);
  };
}

function binary(op: string, left: Fn, right: Fn): Fn {
  switch (op) {
    case 'and':
      return (focus, env) => {
        const a = truth(left(focus, env));
        if (a === false) return FALSE;
        const b = truth(right(focus, env));
        if (b === false) return FALSE;
        return a === true && b === true ? TRUE : EMPTY;
      };
    case 'or':
      return (focus, env) => {
        const a = truth(left(focus, env));
        if (a === true) return TRUE;
        const b = truth(right(focus, env));
        if (b === true) return TRUE;
        return a === false && b === false ? FALSE : EMPTY;
      };
    case 'xor':
      return (focus, env) => {
        const a = truth(left(focus, env));
        const b = truth(right(focus, env));
        return a === undefined || b === undefined ? EMPTY : ofBoolean(a !== b);
      };
    case 'implies':
      return (focus, env) => {
        const a = truth(left(focus, env));
        if (a === false) return TRUE;
        const b = truth(right(focus, env));
        if (b === true) return TRUE;
        return a === true && b === false ? FALSE : EMPTY;
      };
    case '=':
      return (focus, env) => fromTruth(equal(left(focus, env), right(focus, env)));
    case '!=':
      return (focus, env) => {
        const result = equal(left(focus, env), right(focus, env));
        return result === undefined ? EMPTY : ofBoolean(!result);
      };
    case '<':
    case '>':
    case '<=':
    case '>=':
      return (focus, env) => fromTruth(compare(left(focus, env), right(focus, env), op));
    case '|':
      return (focus, env) => {
        const out = [...left(focus, env)];
        for (const item of right(focus, env)) if (!out.includes(item)) out.push(item);
        return out;
      };
    case 'in':
      return (focus, env) => {
        const items = left(focus, env);
        if (items.length === 0) return EMPTY;
        const value = single(items);
        if (value === undefined) return EMPTY;
        if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') return outside();
        if (typeof value === 'string' && DATE_LIKE.test(value)) return outside();
        return ofBoolean(right(focus, env).includes(value));
      };
    case '&':
      // String concatenation: an empty operand counts as the empty string.
      return (focus, env) => {
        const a = single(left(focus, env)) ?? '';
        const b = single(right(focus, env)) ?? '';
        if (typeof a !== 'string' || typeof b !== 'string') return outside();
        return [a + b];
      };
    case '+':
      return (focus, env) => {
        const a = single(left(focus, env));
        const b = single(right(focus, env));
        if (a === undefined || b === undefined) return EMPTY;
        if (typeof a !== 'number' || typeof b !== 'number') return outside();
        return [(a as number) + (b as number)];
      };
    default:
      return outside; // an operator outside the subset: fhirpath decides, only if it is reached
  }
}

function functionCall(name: string, base: Fn, args: Fn[]): Fn {
  const arity = (count: number): void => {
    if (args.length !== count) unsupported(`${name} with ${args.length} arguments`);
  };
  switch (name) {
    case 'empty':
      arity(0);
      return (focus, env) => ofBoolean(base(focus, env).length === 0);
    case 'exists':
      if (args.length === 0) return (focus, env) => ofBoolean(base(focus, env).length > 0);
      arity(1);
      return (focus, env) => ofBoolean(base(focus, env).some((item) => truth(args[0]!([item], env)) === true));
    case 'not':
      arity(0);
      return (focus, env) => {
        const value = truth(base(focus, env));
        return value === undefined ? EMPTY : ofBoolean(!value);
      };
    case 'hasValue':
      arity(0);
      return (focus, env) => {
        const items = base(focus, env);
        return ofBoolean(
          items.length === 1 &&
            (typeof items[0] === 'string' || typeof items[0] === 'number' || typeof items[0] === 'boolean'),
        );
      };
    case 'count':
      arity(0);
      return (focus, env) => [base(focus, env).length];
    case 'first':
      arity(0);
      return (focus, env) => base(focus, env).slice(0, 1);
    case 'where':
      arity(1);
      return (focus, env) => base(focus, env).filter((item) => truth(args[0]!([item], env)) === true);
    case 'all':
      arity(1);
      return (focus, env) => ofBoolean(base(focus, env).every((item) => truth(args[0]!([item], env)) === true));
    case 'contains':
      arity(1);
      return (focus, env) => {
        const value = single(base(focus, env));
        const part = single(args[0]!(focus, env));
        if (value === undefined || part === undefined) return EMPTY;
        if (typeof value !== 'string' || typeof part !== 'string') return outside();
        return ofBoolean(value.includes(part));
      };
    case 'trace':
      return base;
    case 'extension':
      arity(1);
      return (focus, env) => {
        const url = single(args[0]!(focus, env));
        if (typeof url !== 'string') return outside();
        return member(base(focus, env), 'extension', false, '_extension').filter(
          (extension) => isObject(extension) && extension['url'] === url,
        );
      };
    case 'select':
      arity(1);
      return (focus, env) => base(focus, env).flatMap((item) => args[0]!([item], env));
    case 'intersect':
      arity(1);
      return (focus, env) => {
        const other = args[0]!(focus, env);
        const out: unknown[] = [];
        for (const item of base(focus, env))
          if (other.some((candidate) => deepEqual(candidate, item)) && !out.some((kept) => deepEqual(kept, item)))
            out.push(item);
        return out;
      };
    case 'matches': {
      arity(1);
      const compiled = new Map<string, RegExp | null>();
      return (focus, env) => {
        const value = single(base(focus, env));
        const regex = single(args[0]!(focus, env));
        if (value === undefined || regex === undefined) return EMPTY;
        if (typeof value !== 'string' || typeof regex !== 'string') return outside();
        let pattern = compiled.get(regex);
        if (pattern === undefined) {
          // fhirpath's flags for matches(): unicode and dotAll; a pattern JavaScript cannot read is fhirpath's to
          // report.
          try {
            pattern = new RegExp(regex, 'us');
          } catch {
            pattern = null;
          }
          compiled.set(regex, pattern);
        }
        if (pattern === null) return outside();
        return ofBoolean(pattern.test(value));
      };
    }
    case 'isDistinct':
      arity(0);
      return (focus, env) => {
        const items = base(focus, env);
        return ofBoolean(items.every((item, index) => items.findIndex((other) => deepEqual(other, item)) === index));
      };

    default:
      // A function outside the subset fails only when reached: in `onBehalfOf.exists() implies (... resolve() ...)`
      // the left side decides most resources without it.
      return outside;
  }
}

/**
 * Compiles an invariant expression of the subset to a function giving its result collection; throws Unsupported
 * for anything else. `choices`: the names of the choice elements (`value` for `value[x]`), so that only those are
 * looked for under their typed names (`valueQuantity`); without it every absent name is.
 */
export function compileSubset(
  expression: string,
  choices?: ReadonlySet<string>,
): (node: unknown, resource: unknown) => readonly unknown[] {
  const fn = new Parser(tokenize(expression), choices).parse();
  // One focus and one environment per compiled expression, refilled per call instead of allocated (an evaluation
  // never starts another), and emptied after it, so that they hold no resource between calls.
  const focus: unknown[] = [undefined];
  const env: Env = { resource: undefined };
  return (node, resource) => {
    focus[0] = node;
    env.resource = resource;
    try {
      const result = fn(focus, env);
      return result === focus ? [node] : result; // `$this` gives the focus itself
    } finally {
      focus[0] = undefined;
      env.resource = undefined;
    }
  };
}
