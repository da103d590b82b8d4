/**
 * `schema.safeParse(value).success`, answered by a predicate read off the zod schema
 * itself, for the event payloads that leave the core: a page of datasets is checked
 * against the contract on its way out, and zod's parse (which builds a copy of every
 * dataset only for the copy to be dropped) cost more than fetching the page.
 *
 * The rule stays the contract's: nothing here restates a schema. Each node of the schema
 * becomes a test of what zod tests there (type, lengths, bounds, patterns, enum values,
 * strict keys); a node this does not know (a refinement, a transform, a format, a
 * record…) is answered by zod itself for that node. test/unit/compiled-check.test.ts
 * checks both agree on the contract's events, valid and broken alike.
 *
 * The tests of a schema are written out as the source of one function (a union's options
 * are functions of their own), so a dataset's nine fields are nine inline tests: built
 * from closures, one per node and one per check, a page's check was a few calls per field
 * and most of what the core added to a page. The source holds only fixed text, the
 * schema's keys (as JSON strings) and whole numbers from its checks; every other value
 * (a pattern, an enum's values, zod itself for a node not known here) is passed in, never
 * written into it, and no value checked ever is.
 */
import { types } from 'node:util';
import { z } from 'zod';

export type Check = (value: unknown) => boolean;

interface CheckDef {
  check: string;
  when?: unknown;
  [k: string]: unknown;
}

interface Def {
  type: string;
  checks?: Array<{ _zod: { def: CheckDef } }>;
  coerce?: boolean;
  shape?: Record<string, z.ZodType>;
  catchall?: z.ZodType;
  element?: z.ZodType;
  options?: z.ZodType[];
  innerType?: z.ZodType;
}

const defOf = (schema: z.ZodType) => (schema as unknown as { _zod: { def: Def } })._zod.def;
const valuesOf = (schema: z.ZodType) => (schema as unknown as { _zod: { values?: Set<unknown> } })._zod.values;


const byZod = (schema: z.ZodType): Check => (value) => schema.safeParse(value).success;

type When = (payload: { value: unknown; issues: unknown[] }) => boolean;

/**
 * zod's own `when` of a length check (run it on a value that is not nullish and has a
 * length): once the type test has passed (a string, an array), it holds, so such a check
 * is tested inline. Any other `when` is called, as zod calls it.
 */
const LENGTH_WHEN = defOf(z.string().max(1)).checks![0]._zod.def.when;

/** A number from a schema's check, as source: a safe integer literally, anything else passed in. */
const numberIn = (src: Source, n: unknown) => (typeof n === 'number' && Number.isSafeInteger(n) ? String(n) : src.constant(n));

/** The source of one function under construction: its constants and its local names. */
class Source {
  private readonly constants: unknown[] = [];
  private names = 0;

  constant(value: unknown): string {
    this.constants.push(value);
    return `c${this.constants.length - 1}`;
  }

  local(prefix: string): string {
    return `${prefix}${++this.names}`;
  }

  /** `lines` test `v0` and return false on the first failure; true when they all pass. */
  build(lines: string[]): Check {
    const constants = this.constants.map((_, i) => `c${i} = C[${i}]`);
    const source = [constants.length ? `const ${constants.join(', ')};` : '', 'return function check(v0) {', ...lines, 'return true;', '};'].join('\n');
    return new Function('C', source)(this.constants) as Check;
  }
}

/** One check's test of `v` as an expression, or null when it is not one known here. */
function testOf(src: Source, c: CheckDef, kind: 'string' | 'number' | 'array', v: string): string | null {
  if ((c.check === 'max_length' || c.check === 'min_length' || c.check === 'length_equals') && kind !== 'number') {
    if (c.check === 'max_length') return `${v}.length <= ${numberIn(src, c.maximum)}`;
    if (c.check === 'min_length') return `${v}.length >= ${numberIn(src, c.minimum)}`;
    return `${v}.length === ${numberIn(src, c.length)}`;
  }
  if (c.check === 'string_format' && c.format === 'regex' && kind === 'string' && c.pattern instanceof RegExp) {
    const pattern = src.constant(c.pattern);
    return `(${pattern}.lastIndex = 0, ${pattern}.test(${v}))`;
  }
  if ((c.check === 'greater_than' || c.check === 'less_than') && kind === 'number') {
    const bound = numberIn(src, c.value);
    if (c.check === 'greater_than') return `${v} ${c.inclusive ? '>=' : '>'} ${bound}`;
    return `${v} ${c.inclusive ? '<=' : '<'} ${bound}`;
  }
  if (c.check === 'number_format' && c.format === 'safeint' && kind === 'number') return `Number.isSafeInteger(${v})`;
  return null;
}

/** The lines of the checks zod runs after the type (null when one is not known here), each behind its `when` as in zod. */
function checkLines(src: Source, def: Def, kind: 'string' | 'number' | 'array', v: string): string[] | null {
  const out: string[] = [];
  for (const check of def.checks ?? []) {
    const c = check._zod.def;
    const test = testOf(src, c, kind, v);
    if (test === null) return null;
    // Earlier checks passed (or the answer is already false), so zod's payload has no issues here.
    if (c.when === undefined || (c.when === LENGTH_WHEN && kind !== 'number')) {
      out.push(`if (!(${test})) return false;`);
      continue;
    }
    // One payload object per check, refilled each time: `when` only reads it.
    const when = src.constant(c.when as When);
    const payload = src.constant({ value: undefined, issues: [] });
    const applies = src.local('a');
    out.push(`${payload}.value = ${v};`, `const ${applies} = ${when}(${payload});`, `${payload}.value = undefined;`, `if (${applies} && !(${test})) return false;`);
  }
  return out;
}

/** The lines testing `v` for what `schema.safeParse` accepts (a node not known here: zod's answer for it). */
function checkNode(src: Source, schema: z.ZodType, v: string): string[] {
  const def = defOf(schema);
  const byZodHere = () => [`if (!${src.constant(byZod(schema))}(${v})) return false;`];
  // A schema that is itself a check (z.int(), z.email()…) tests more than its type says.
  if ('check' in def) return byZodHere();
  switch (def.type) {
    case 'string': {
      const checks = def.coerce ? null : checkLines(src, def, 'string', v);
      return checks ? [`if (typeof ${v} !== "string") return false;`, ...checks] : byZodHere();
    }
    case 'number': {
      const checks = def.coerce ? null : checkLines(src, def, 'number', v);
      return checks ? [`if (typeof ${v} !== "number" || !Number.isFinite(${v})) return false;`, ...checks] : byZodHere();
    }
    case 'boolean':
      return def.coerce || def.checks?.length ? byZodHere() : [`if (typeof ${v} !== "boolean") return false;`];
    case 'null':
      return [`if (${v} !== null) return false;`];
    case 'unknown':
    case 'any':
      return def.checks?.length ? byZodHere() : [];
    case 'literal':
    case 'enum': {
      const values = valuesOf(schema);
      return values && !def.checks?.length ? [`if (!${src.constant(values)}.has(${v})) return false;`] : byZodHere();
    }
    case 'nullable':
      return [`if (${v} !== null) {`, ...checkNode(src, def.innerType!, v), '}'];
    case 'optional':
      return [`if (${v} !== undefined) {`, ...checkNode(src, def.innerType!, v), '}'];
    case 'array': {
      const checks = checkLines(src, def, 'array', v);
      if (!checks) return byZodHere();
      const i = src.local('i');
      const element = src.local('v');
      return [`if (!Array.isArray(${v})) return false;`, ...checks, `for (let ${i} = 0; ${i} < ${v}.length; ${i}++) {`, `const ${element} = ${v}[${i}];`, ...checkNode(src, def.element!, element), '}'];
    }
    case 'union': {
      if (def.checks?.length) return byZodHere();
      const options = def.options!.map((option) => `${src.constant(compileCheck(option))}(${v})`);
      return [`if (!(${options.join(' || ') || 'false'})) return false;`];
    }
    case 'object': {
      if (def.checks?.length) return byZodHere();
      const catchall = def.catchall ? defOf(def.catchall).type : null;
      // A strip object (no catchall) and a loose one (unknown) take any other key; a strict one (never) none.
      if (catchall !== null && catchall !== 'unknown' && catchall !== 'never') return byZodHere();
      return objectLines(src, def, v, false, catchall === 'never', (key, field) => checkNode(src, def.shape![key], field));
    }
    default:
      return byZodHere();
  }
}

/**
 * An object node: one named read per key (`v["id"]`, `v["name"]`…) and its tests inline —
 * a read site that saw every key of every object would stay slow (megamorphic).
 * `closed`: no other key allowed. `plain`: only a plain object (see compileUnchanged).
 * Null when a field's lines are (compileUnchanged's "not here").
 */
function objectLines<T extends string[] | null>(src: Source, def: Def, v: string, plain: boolean, closed: boolean, field: (key: string, v: string) => T, first: string[] = []): T {
  const keys = Object.keys(def.shape!);
  const lines = [`if (typeof ${v} !== "object" || ${v} === null || Array.isArray(${v})) return false;`, ...first];
  if (plain) lines.push(`if (Object.getPrototypeOf(${v}) !== Object.prototype || Object.hasOwn(${v}, "__proto__")) return false;`);
  for (const key of keys) {
    const value = src.local('v');
    const tests = field(key, value);
    if (tests === null) return null as T;
    lines.push(`const ${value} = ${v}[${JSON.stringify(key)}];`, ...tests);
  }
  if (closed) lines.push(`for (const key of Object.keys(${v})) if (!${src.constant(new Set(keys))}.has(key)) return false;`);
  return lines as T;
}

export function compileCheck(schema: z.ZodType): Check {
  const src = new Source();
  return src.build(checkNode(src, schema, 'v0'));
}

/**
 * For the calls' requests and responses, which zod parses into a copy: a predicate that is
 * true only when zod accepts the value AND its parse would hand back the value itself —
 * no key stripped, nothing transformed, defaulted or coerced — so the dispatch can pass
 * the value on without building the copy. False says nothing more (zod is asked then, for
 * its answer or its issues). Null when the schema holds anything that may change a value
 * (a transform, a default, a coercion, an `overwrite` check such as trim, or any node or
 * check not known here): such a schema always goes through zod.
 *
 * With `dataOnly` (the dispatch's requests, which reach a handler: nothing invalid may),
 * every object and array it passes on is also plain data as zod's copy is: no proxy, no
 * getter or setter (read once here, it could answer differently when the handler reads
 * it), no hidden or symbol key, and an array with no holes, no keys besides its indices
 * and Array's own prototype. A value from JSON or a structured clone always is; one built
 * in this process may not be, and then zod makes the copy. Responses are the handlers' own
 * values and skip this (it reads every property's descriptor, a cost on a 100,000-row page).
 */

const isData = (v: object, key: string | symbol) => {
  if (typeof key !== 'string') return false;
  const d = Object.getOwnPropertyDescriptor(v, key);
  return d !== undefined && d.enumerable === true && 'value' in d;
};

/** Own keys all enumerable string-keyed data properties, and no proxy in front of them. */
function isDataObject(v: object): boolean {
  if (types.isProxy(v)) return false;
  for (const key of Reflect.ownKeys(v)) if (!isData(v, key)) return false;
  return true;
}

/** A plain dense array: Array's prototype, its indices (each a data property) and `length`, nothing else. */
function isDataArray(v: unknown[]): boolean {
  if (types.isProxy(v) || Object.getPrototypeOf(v) !== Array.prototype) return false;
  const keys = Reflect.ownKeys(v);
  // `length` is one key; the rest must be exactly the indices 0..length-1 (a hole makes fewer, an extra key more… or a swap, caught below).
  if (keys.length !== v.length + 1) return false;
  for (const key of keys) {
    if (key === 'length') continue;
    if (typeof key !== 'string') return false;
    const i = Number(key);
    if (!(Number.isInteger(i) && i >= 0 && i < v.length && String(i) === key) || !isData(v, key)) return false;
  }
  return true;
}

export function compileUnchanged(schema: z.ZodType, { dataOnly = false }: { dataOnly?: boolean } = {}): Check | null {
  const src = new Source();
  const lines = unchangedNode(src, schema, 'v0', dataOnly);
  return lines && src.build(lines);
}

/** compileUnchanged's lines for `v`, or null when the node may change a value (or is not known here). */
function unchangedNode(src: Source, schema: z.ZodType, v: string, dataOnly: boolean): string[] | null {
  const def = defOf(schema);
  if ('check' in def) return null;
  switch (def.type) {
    case 'string':
    case 'number':
      if (def.coerce || !checkLines(new Source(), def, def.type as 'string' | 'number', v)) return null;
      return checkNode(src, schema, v);
    case 'boolean':
    case 'null':
    case 'unknown':
    case 'any':
    case 'literal':
    case 'enum':
      if (def.coerce || def.checks?.length) return null;
      return checkNode(src, schema, v);
    case 'nullable': {
      const inner = unchangedNode(src, def.innerType!, v, dataOnly);
      return inner && [`if (${v} !== null) {`, ...inner, '}'];
    }
    case 'optional': {
      const inner = unchangedNode(src, def.innerType!, v, dataOnly);
      return inner && [`if (${v} !== undefined) {`, ...inner, '}'];
    }
    case 'array': {
      const checks = checkLines(src, def, 'array', v);
      const i = src.local('i');
      const element = src.local('v');
      const tests = unchangedNode(src, def.element!, element, dataOnly);
      if (!checks || !tests) return null;
      return [
        `if (!Array.isArray(${v})) return false;`,
        ...(dataOnly ? [`if (!${src.constant(isDataArray)}(${v})) return false;`] : []),
        ...checks,
        `for (let ${i} = 0; ${i} < ${v}.length; ${i}++) {`,
        `const ${element} = ${v}[${i}];`,
        ...tests,
        '}',
      ];
    }
    case 'union': {
      // zod answers with the first option that accepts the value: that one must leave it as it is.
      if (def.checks?.length) return null;
      const options = def.options!.map((o) => ({ accepts: compileCheck(o), unchanged: compileUnchanged(o, { dataOnly }) }));
      if (options.some((o) => !o.unchanged)) return null;
      const branches = options.map((o) => `if (${src.constant(o.accepts)}(${v})) { if (!${src.constant(o.unchanged)}(${v})) return false; }`);
      return [[...branches, 'return false;'].join(' else ')];
    }
    case 'object': {
      if (def.checks?.length) return null;
      const catchall = def.catchall ? defOf(def.catchall).type : null;
      // A strip object (no catchall) keeps only its keys: a value with others would come back without them.
      if (catchall !== null && catchall !== 'unknown' && catchall !== 'never') return null;
      // zod's copy is a plain object: anything else (a null prototype, a class, an own
      // "__proto__" key as JSON.parse makes it) goes to zod, which normalises it.
      // Plain data first, so no getter or proxy trap runs before it is refused.
      const first = dataOnly ? [`if (!${src.constant(isDataObject)}(${v})) return false;`] : [];
      return objectLines(src, def, v, true, catchall !== 'unknown', (key, field) => unchangedNode(src, def.shape![key], field, dataOnly), first);
    }
    default:
      return null;
  }
}
