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
 */
import { types } from 'node:util';
import type { z } from 'zod';

export type Check = (value: unknown) => boolean;

interface Def {
  type: string;
  checks?: Array<{ _zod: { def: { check: string; [k: string]: unknown } } }>;
  coerce?: boolean;
  shape?: Record<string, z.ZodType>;
  catchall?: z.ZodType;
  element?: z.ZodType;
  options?: z.ZodType[];
  innerType?: z.ZodType;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

const byZod = (schema: z.ZodType): Check => (value) => schema.safeParse(value).success;

type When = (payload: { value: unknown; issues: unknown[] }) => boolean;

/** One check's test, or null when it is not one known here. */
function testOf(c: Record<string, unknown>, kind: 'string' | 'number' | 'array'): Check | null {
  if ((c.check === 'max_length' || c.check === 'min_length' || c.check === 'length_equals') && kind !== 'number') {
    const n = (c.maximum ?? c.minimum ?? c.length) as number;
    if (c.check === 'max_length') return (v) => (v as { length: number }).length <= n;
    if (c.check === 'min_length') return (v) => (v as { length: number }).length >= n;
    return (v) => (v as { length: number }).length === n;
  }
  if (c.check === 'string_format' && c.format === 'regex' && kind === 'string' && c.pattern instanceof RegExp) {
    const pattern = c.pattern;
    return (v) => {
      pattern.lastIndex = 0;
      return pattern.test(v as string);
    };
  }
  if ((c.check === 'greater_than' || c.check === 'less_than') && kind === 'number') {
    const bound = c.value as number;
    if (c.check === 'greater_than') return c.inclusive ? (v) => (v as number) >= bound : (v) => (v as number) > bound;
    return c.inclusive ? (v) => (v as number) <= bound : (v) => (v as number) < bound;
  }
  if (c.check === 'number_format' && c.format === 'safeint' && kind === 'number') return (v) => Number.isSafeInteger(v);
  return null;
}

/** The checks zod runs after the type (null when one is not known here), each behind its `when` as in zod. */
function checksOf(def: Def, kind: 'string' | 'number' | 'array'): Check[] | null {
  const out: Check[] = [];
  for (const check of def.checks ?? []) {
    const c = check._zod.def;
    const test = testOf(c, kind);
    if (!test) return null;
    // Earlier checks passed (or the answer is already false), so zod's payload has no issues here.
    // One payload object per check, refilled each time: `when` only reads it, and a fresh
    // object and array for every field of every dataset was most of a page's check.
    const when = c.when as When | undefined;
    if (!when) {
      out.push(test);
      continue;
    }
    const payload: { value: unknown; issues: unknown[] } = { value: undefined, issues: [] };
    out.push((v) => {
      payload.value = v;
      const applies = when(payload);
      payload.value = undefined;
      return !applies || test(v);
    });
  }
  return out;
}

const all = (checks: Check[]) => (value: unknown) => {
  for (const check of checks) if (!check(value)) return false;
  return true;
};

/**
 * An object node's test, written out as one function with a named read per key
 * (`v["id"]`, `v["name"]`…) instead of a loop reading `v[keys[i]]`: a loop's one read
 * site sees every key of every object and stays slow (megamorphic), where each written-out
 * read learns its one key. Only the schema's own keys are written in, through
 * JSON.stringify; the tests themselves are the compiled ones, passed in.
 * `closed`: no other key allowed. `plain`: only a plain object (see compileUnchanged).
 */
function objectCheck(keys: string[], checks: Check[], closed: boolean, plain: boolean): Check {
  const lines = ['return function objectCheck(v) {', '  if (!isObject(v)) return false;'];
  if (plain) lines.push('  if (Object.getPrototypeOf(v) !== Object.prototype || Object.hasOwn(v, "__proto__")) return false;');
  keys.forEach((key, i) => lines.push(`  if (!checks[${i}](v[${JSON.stringify(key)}])) return false;`));
  if (closed) lines.push('  for (const key of Object.keys(v)) if (!known.has(key)) return false;');
  lines.push('  return true;', '};');
  // The source holds only the schema's keys (as JSON strings) and fixed text, never a value checked.
  const make = new Function('isObject', 'checks', 'known', lines.join('\n')) as (isObject: (v: unknown) => boolean, checks: Check[], known: Set<string>) => Check;
  return make(isObject, checks, new Set(keys));
}

export function compileCheck(schema: z.ZodType): Check {
  const def = (schema as unknown as { _zod: { def: Def; values?: Set<unknown> } })._zod.def;
  // A schema that is itself a check (z.int(), z.email()…) tests more than its type says.
  if ('check' in def) return byZod(schema);
  switch (def.type) {
    case 'string': {
      const checks = def.coerce ? null : checksOf(def, 'string');
      if (!checks) return byZod(schema);
      const rest = all(checks);
      return (v) => typeof v === 'string' && rest(v);
    }
    case 'number': {
      const checks = def.coerce ? null : checksOf(def, 'number');
      if (!checks) return byZod(schema);
      const rest = all(checks);
      return (v) => typeof v === 'number' && Number.isFinite(v) && rest(v);
    }
    case 'boolean':
      return def.coerce || def.checks?.length ? byZod(schema) : (v) => typeof v === 'boolean';
    case 'null':
      return (v) => v === null;
    case 'unknown':
    case 'any':
      return def.checks?.length ? byZod(schema) : () => true;
    case 'literal':
    case 'enum': {
      const values = (schema as unknown as { _zod: { values?: Set<unknown> } })._zod.values;
      return values && !def.checks?.length ? (v) => values.has(v) : byZod(schema);
    }
    case 'nullable': {
      const inner = compileCheck(def.innerType!);
      return (v) => v === null || inner(v);
    }
    case 'optional': {
      const inner = compileCheck(def.innerType!);
      return (v) => v === undefined || inner(v);
    }
    case 'array': {
      const checks = checksOf(def, 'array');
      if (!checks) return byZod(schema);
      const element = compileCheck(def.element!);
      const rest = all(checks);
      return (v) => {
        if (!Array.isArray(v) || !rest(v)) return false;
        for (let i = 0; i < v.length; i++) if (!element(v[i])) return false;
        return true;
      };
    }
    case 'union': {
      if (def.checks?.length) return byZod(schema);
      const options = def.options!.map(compileCheck);
      return (v) => options.some((option) => option(v));
    }
    case 'object': {
      if (def.checks?.length) return byZod(schema);
      const catchall = def.catchall ? (def.catchall as unknown as { _zod: { def: Def } })._zod.def.type : null;
      // A strip object (no catchall) and a loose one (unknown) take any other key; a strict one (never) none.
      if (catchall !== null && catchall !== 'unknown' && catchall !== 'never') return byZod(schema);
      const keys = Object.keys(def.shape!);
      return objectCheck(
        keys,
        keys.map((key) => compileCheck(def.shape![key])),
        catchall === 'never',
        false,
      );
    }
    default:
      return byZod(schema);
  }
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
  const again = (inner: z.ZodType) => compileUnchanged(inner, { dataOnly });
  const def = (schema as unknown as { _zod: { def: Def; values?: Set<unknown> } })._zod.def;
  if ('check' in def) return null;
  switch (def.type) {
    case 'string':
    case 'number':
      if (def.coerce || !checksOf(def, def.type as 'string' | 'number')) return null;
      return compileCheck(schema);
    case 'boolean':
    case 'null':
    case 'unknown':
    case 'any':
    case 'literal':
    case 'enum':
      if (def.coerce || def.checks?.length) return null;
      return compileCheck(schema);
    case 'nullable': {
      const inner = again(def.innerType!);
      return inner && ((v) => v === null || inner(v));
    }
    case 'optional': {
      const inner = again(def.innerType!);
      return inner && ((v) => v === undefined || inner(v));
    }
    case 'array': {
      const checks = checksOf(def, 'array');
      const element = again(def.element!);
      if (!checks || !element) return null;
      const rest = all(checks);
      return (v) => {
        if (!Array.isArray(v) || (dataOnly && !isDataArray(v)) || !rest(v)) return false;
        for (let i = 0; i < v.length; i++) if (!element(v[i])) return false;
        return true;
      };
    }
    case 'union': {
      // zod answers with the first option that accepts the value: that one must leave it as it is.
      if (def.checks?.length) return null;
      const options = def.options!.map((o) => ({ accepts: compileCheck(o), unchanged: again(o) }));
      if (options.some((o) => !o.unchanged)) return null;
      return (v) => {
        for (const o of options) if (o.accepts(v)) return o.unchanged!(v);
        return false;
      };
    }
    case 'object': {
      if (def.checks?.length) return null;
      const catchall = def.catchall ? (def.catchall as unknown as { _zod: { def: Def } })._zod.def.type : null;
      // A strip object (no catchall) keeps only its keys: a value with others would come back without them.
      if (catchall !== null && catchall !== 'unknown' && catchall !== 'never') return null;
      const keys = Object.keys(def.shape!);
      const checks = keys.map((key) => again(def.shape![key]));
      if (checks.some((c) => !c)) return null;
      // zod's copy is a plain object: anything else (a null prototype, a class, an own
      // "__proto__" key as JSON.parse makes it) goes to zod, which normalises it.
      const check = objectCheck(keys, checks as Check[], catchall !== 'unknown', true);
      // Plain data first, so no getter or proxy trap runs before it is refused.
      return dataOnly ? (v) => isObject(v) && isDataObject(v) && check(v) : check;
    }
    default:
      return null;
  }
}

