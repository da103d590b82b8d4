/**
 * fast-check arbitraries for fuzzing the IPC contract, derived from its zod schemas:
 *   - valid(schema): values the schema accepts (checked with safeParse, so never wrong);
 *   - nearValid(schema): a valid value with one thing broken — an extra key (prototype
 *     keys included, as own properties the way JSON.parse makes them), a wrong type, a
 *     missing key, a string one past its limit, a prototype-pollution payload;
 *   - hostile / hostileJsonText: anything at all — wrong types, huge strings, deep
 *     nesting, objects whose keys are __proto__ / constructor / prototype.
 * String values carry MARKER so a test can check that a refusal never echoes them.
 *
 * It knows the zod types the contract's requests use; a new one makes it throw, so the
 * fuzz test fails loudly instead of silently fuzzing less.
 */
import fc from 'fast-check';
import type { z } from 'zod';

export const MARKER = 'QZXJ';
export const PROTO_KEYS = ['__proto__', 'constructor', 'prototype'] as const;

interface Def {
  type: string;
  [key: string]: unknown;
}
interface CheckDef {
  check: string;
  minimum?: number;
  maximum?: number;
  length?: number;
  value?: number;
  inclusive?: boolean;
  format?: string;
  pattern?: RegExp;
}

const defOf = (schema: z.ZodType): Def => (schema as unknown as { _zod: { def: Def } })._zod.def;
const checksOf = (def: Def): CheckDef[] => ((def.checks as Array<{ _zod: { def: CheckDef } }> | undefined) ?? []).map((c) => c._zod.def);

/** Per-field replacements, by object key (e.g. keep URLs away from the network). */
export type Overrides = Record<string, fc.Arbitrary<unknown>>;

/** Own property, even for "__proto__": exactly what JSON.parse produces. */
export function setOwn(target: object, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

function expandClass(body: string): string[] | null {
  const chars: string[] = [];
  for (let i = 0; i < body.length; i++) {
    let c = body[i];
    if (c === '\\') c = body[++i];
    if (body[i + 1] === '-' && i + 2 < body.length) {
      const end = body[i + 2] === '\\' ? body[i + 3] : body[i + 2];
      for (let code = c.charCodeAt(0); code <= end.charCodeAt(0); code++) chars.push(String.fromCharCode(code));
      i += body[i + 2] === '\\' ? 3 : 2;
    } else chars.push(c);
  }
  return chars.length > 0 ? chars : null;
}

function stringArb(def: Def): fc.Arbitrary<string> {
  const checks = checksOf(def);
  let min = 0;
  let limit = Infinity;
  let pattern: RegExp | null = null;
  for (const c of checks) {
    if (c.check === 'min_length') min = Math.max(min, c.minimum ?? 0);
    else if (c.check === 'max_length') limit = Math.min(limit, c.maximum ?? Infinity);
    else if (c.check === 'length_equals') min = limit = c.length ?? 0;
    else if (c.check === 'string_format' && c.format === 'regex' && c.pattern) pattern = c.pattern;
    else if (c.check === 'string_format') throw new Error(`zod-arbitrary: string format "${c.format}" is not supported yet`);
    else throw new Error(`zod-arbitrary: string check "${c.check}" is not supported yet`);
  }
  const max = limit === Infinity ? 512 : limit;
  let unit: fc.Arbitrary<string>;
  let filler = 'a';
  if (pattern) {
    const m = /^\^\[([^\]]+)\]\+\$$/.exec(pattern.source);
    const chars = m && expandClass(m[1]);
    if (!chars) return fc.stringMatching(pattern).filter((s) => s.length >= min && s.length <= max);
    unit = fc.constantFrom(...chars);
    filler = chars.includes('a') ? 'a' : chars[0];
  } else {
    unit = fc.oneof(
      { weight: 4, arbitrary: fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 1 }) },
      { weight: 2, arbitrary: fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }) },
      { weight: 1, arbitrary: fc.constantFrom('\u0000', '\uD800', '\uDFFF', '\u202E', '\n', '"', '\\', '<', '&', '%00') },
    );
  }
  const small = fc.string({ unit, minLength: min, maxLength: Math.min(max, 48) });
  const marked = small.map((s) => (s.length + MARKER.length <= max ? MARKER + s : s));
  const arbs: Array<fc.WeightedArbitrary<string>> = [
    { weight: 6, arbitrary: small },
    { weight: 3, arbitrary: marked },
  ];
  // Right at the limit (a 1 MiB certificate, a 32 KiB question).
  if (max > 64) arbs.push({ weight: 1, arbitrary: fc.integer({ min: Math.max(min, max - 2), max }).map((n) => (MARKER + filler.repeat(n)).slice(0, n)) });
  return fc.oneof(...arbs);
}

function numberArb(def: Def): fc.Arbitrary<number> {
  let int = false;
  let min = -1e12;
  let max = 1e12;
  for (const c of checksOf(def)) {
    if (c.check === 'number_format' && (c.format === 'safeint' || c.format === 'int32')) int = true;
    else if (c.check === 'greater_than') min = c.inclusive ? (c.value ?? min) : (c.value ?? min) + (int ? 1 : 1e-9);
    else if (c.check === 'less_than') max = c.inclusive ? (c.value ?? max) : (c.value ?? max) - (int ? 1 : 1e-9);
    else throw new Error(`zod-arbitrary: number check "${c.check}" is not supported yet`);
  }
  return int ? fc.integer({ min: Math.ceil(min), max: Math.floor(max) }) : fc.double({ min, max, noNaN: true, noDefaultInfinity: true });
}

/** Values the schema accepts. */
export function valid(schema: z.ZodType, overrides: Overrides = {}): fc.Arbitrary<unknown> {
  return build(schema, overrides).filter((v) => schema.safeParse(v).success);
}

/** Wrappers that change nothing about the values a request may hold. */
const TRANSPARENT = ['readonly', 'catch', 'nonoptional'];

function unwrapOptional(schema: z.ZodType): { inner: z.ZodType; optional: boolean } {
  const def = defOf(schema);
  // A default makes the key optional for the caller, like optional() does.
  return ['optional', 'default', 'prefault'].includes(def.type) ? { inner: def.innerType as z.ZodType, optional: true } : { inner: schema, optional: false };
}

function build(schema: z.ZodType, overrides: Overrides): fc.Arbitrary<unknown> {
  const def = defOf(schema);
  switch (def.type) {
    case 'object': {
      const shape = def.shape as Record<string, z.ZodType>;
      const fields: Record<string, fc.Arbitrary<unknown>> = {};
      const required: string[] = [];
      for (const [key, fieldSchema] of Object.entries(shape)) {
        const { inner, optional } = unwrapOptional(fieldSchema);
        fields[key] = overrides[key] ?? build(inner, overrides);
        if (!optional) required.push(key);
      }
      return fc.record(fields, { requiredKeys: required });
    }
    case 'optional':
      return fc.option(build(def.innerType as z.ZodType, overrides), { nil: undefined });
    case 'nullable':
      return fc.option(build(def.innerType as z.ZodType, overrides), { nil: null, freq: 4 });
    case 'string':
      return stringArb(def);
    case 'number':
      return numberArb(def);
    case 'boolean':
      return fc.boolean();
    case 'enum':
      return fc.constantFrom(...Object.values(def.entries as Record<string, string>));
    case 'literal':
      return fc.constantFrom(...(def.values as unknown[]));
    case 'array': {
      let min = 0;
      let max = 8;
      for (const c of checksOf(def)) {
        if (c.check === 'min_length') min = c.minimum ?? 0;
        else if (c.check === 'max_length') max = c.maximum ?? max;
        else throw new Error(`zod-arbitrary: array check "${c.check}" is not supported yet`);
      }
      const element = build(def.element as z.ZodType, overrides);
      return fc.oneof(
        { weight: 9, arbitrary: fc.array(element, { minLength: min, maxLength: Math.max(min, Math.min(max, 4)) }) },
        { weight: 1, arbitrary: fc.array(element, { minLength: Math.min(max, 1000), maxLength: Math.min(max, 1000) }) },
      );
    }
    case 'default':
    case 'prefault':
      return fc.option(build(def.innerType as z.ZodType, overrides), { nil: undefined });
    case 'union':
      return fc.oneof(...(def.options as z.ZodType[]).map((o) => build(o, overrides)));
    case 'tuple':
      return fc.tuple(...(def.items as z.ZodType[]).map((i) => build(i, overrides)));
    case 'record':
      return fc.dictionary(build(def.keyType as z.ZodType, overrides) as fc.Arbitrary<string>, build(def.valueType as z.ZodType, overrides), { maxKeys: 4 });
    case 'pipe':
      return build(def.in as z.ZodType, overrides);
    case 'lazy':
      return build((def.getter as () => z.ZodType)(), overrides);
    case 'null':
      return fc.constant(null);
    case 'undefined':
      return fc.constant(undefined);
    case 'unknown':
    case 'any':
      return fc.jsonValue({ maxDepth: 2 });
    default:
      if (TRANSPARENT.includes(def.type)) return build(def.innerType as z.ZodType, overrides);
      throw new Error(`zod-arbitrary: zod type "${def.type}" is not supported yet — teach test/support/zod-arbitrary.ts`);
  }
}

/** Every object in the schema refuses unknown keys (the contract's promise for requests). */
export function nonStrictObjects(schema: z.ZodType, at = '(request)'): string[] {
  const def = defOf(schema);
  switch (def.type) {
    case 'object': {
      const own = defOf((def.catchall as z.ZodType | undefined) ?? ({ _zod: { def: { type: 'none' } } } as unknown as z.ZodType)).type === 'never' ? [] : [at];
      return [...own, ...Object.entries(def.shape as Record<string, z.ZodType>).flatMap(([k, s]) => nonStrictObjects(s, `${at}.${k}`))];
    }
    case 'optional':
    case 'nullable':
    case 'default':
    case 'prefault':
    case 'readonly':
    case 'catch':
    case 'nonoptional':
      return nonStrictObjects(def.innerType as z.ZodType, at);
    case 'array':
      return nonStrictObjects(def.element as z.ZodType, `${at}[]`);
    case 'union':
      return (def.options as z.ZodType[]).flatMap((o, i) => nonStrictObjects(o, `${at}|${i}`));
    case 'pipe':
      return nonStrictObjects(def.in as z.ZodType, at);
    default:
      return [];
  }
}

const WRAPPERS = ['optional', 'nullable', 'default', 'prefault', ...TRANSPARENT];

/** The schema of the value at a path, or null. */
function schemaAt(schema: z.ZodType, path: Array<string | number>): z.ZodType | null {
  let current: z.ZodType | null = schema;
  for (const step of path) {
    while (current && WRAPPERS.includes(defOf(current).type)) current = defOf(current).innerType as z.ZodType;
    if (!current) return null;
    const def = defOf(current);
    if (def.type === 'object') current = (def.shape as Record<string, z.ZodType>)[String(step)] ?? null;
    else if (def.type === 'array') current = def.element as z.ZodType;
    else return null;
  }
  while (current && WRAPPERS.includes(defOf(current).type)) current = defOf(current).innerType as z.ZodType;
  return current;
}

function maxLengthOf(schema: z.ZodType | null): number | null {
  if (!schema || defOf(schema).type !== 'string') return null;
  const max = checksOf(defOf(schema)).find((c) => c.check === 'max_length')?.maximum;
  return max ?? null;
}

type Path = Array<string | number>;
function pathsIn(value: unknown, path: Path = [], out: Path[] = []): Path[] {
  out.push(path);
  if (Array.isArray(value)) value.forEach((v, i) => pathsIn(v, [...path, i], out));
  else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) pathsIn(v, [...path, k], out);
  return out;
}

function getAt(root: unknown, path: Path): unknown {
  return path.reduce<unknown>((v, k) => (v as Record<string | number, unknown>)[k], root);
}

/** Replaces the value at path (the root when path is empty); answers the new root. */
function setAt(root: unknown, path: Path, value: unknown): unknown {
  if (path.length === 0) return value;
  const parent = getAt(root, path.slice(0, -1)) as Record<string | number, unknown>;
  setOwn(parent, String(path[path.length - 1]), value);
  return root;
}

const pollution = () => JSON.parse(`{"__proto__":{"polluted":"${MARKER}","isAdmin":true},"constructor":{"prototype":{"polluted":"${MARKER}"}}}`) as object;

const wrongValues: unknown[] = [
  null,
  0,
  -1,
  1.5,
  1e308,
  Number.NaN,
  Number.POSITIVE_INFINITY,
  -0,
  '',
  `${MARKER}-wrong`,
  '1',
  'true',
  true,
  false,
  [],
  {},
  [1, 2, 3],
  [`${MARKER}`],
  { length: 1 },
];

type Mutation =
  | { kind: 'extra-key'; at: number; key: string; value: unknown }
  | { kind: 'wrong-type'; at: number; value: unknown }
  | { kind: 'delete'; at: number }
  | { kind: 'too-long'; at: number }
  | { kind: 'pollute'; at: number }
  | { kind: 'wrap-in-array'; at: number };

export const keyArb = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...PROTO_KEYS, 'toString', 'valueOf', 'hasOwnProperty', '__defineGetter__', 'then', 'isAdmin', 'apiKey', 'id', 'channel') },
  { weight: 1, arbitrary: fc.string({ maxLength: 12 }) },
);

const mutationArb: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('extra-key' as const), at: fc.nat(), key: keyArb, value: fc.constantFrom(...wrongValues).map((v) => (v && typeof v === 'object' ? structuredClone(v) : v)) }),
  fc.record({ kind: fc.constant('wrong-type' as const), at: fc.nat(), value: fc.constantFrom(...wrongValues).map((v) => (v && typeof v === 'object' ? structuredClone(v) : v)) }),
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('too-long' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('pollute' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('wrap-in-array' as const), at: fc.nat() }),
);

/** A valid value with one thing broken (the schema decides whether it still passes). */
export function nearValid(schema: z.ZodType, overrides: Overrides = {}): fc.Arbitrary<unknown> {
  return fc.tuple(valid(schema, overrides), mutationArb).map(([base, m]) => {
    let root = structuredClone(base);
    const paths = pathsIn(root);
    const objects = paths.filter((p) => {
      const v = getAt(root, p);
      return v !== null && typeof v === 'object' && !Array.isArray(v);
    });
    switch (m.kind) {
      case 'extra-key': {
        const target = objects.length ? getAt(root, objects[m.at % objects.length]) : null;
        if (target) setOwn(target as object, m.key, m.value);
        else root = { [MARKER]: root };
        break;
      }
      case 'wrong-type':
        root = setAt(root, paths[m.at % paths.length], m.value);
        break;
      case 'delete': {
        const keyed = paths.filter((p) => p.length > 0 && typeof p[p.length - 1] === 'string');
        if (keyed.length) {
          const p = keyed[m.at % keyed.length];
          delete (getAt(root, p.slice(0, -1)) as Record<string, unknown>)[String(p[p.length - 1])];
        } else root = undefined;
        break;
      }
      case 'too-long': {
        const strings = paths.filter((p) => maxLengthOf(schemaAt(schema, p)) !== null);
        if (strings.length) {
          const p = strings[m.at % strings.length];
          root = setAt(root, p, MARKER + 'x'.repeat(maxLengthOf(schemaAt(schema, p))! + 1 - MARKER.length));
        } else root = MARKER + 'x'.repeat(70_000);
        break;
      }
      case 'pollute': {
        const target = objects.length ? getAt(root, objects[m.at % objects.length]) : null;
        if (target) for (const [k, v] of Object.entries(pollution())) setOwn(target as object, k, v);
        else root = pollution();
        break;
      }
      case 'wrap-in-array':
        root = setAt(root, paths[m.at % paths.length], [getAt(root, paths[m.at % paths.length])]);
        break;
    }
    return root;
  });
}

/** JSON text of anything: prototype keys, deep nesting, huge strings, numbers JSON can only just hold. */
export const hostileJsonText: fc.Arbitrary<string> = (() => {
  const { value } = fc.letrec<{ value: string; prim: string; arr: string; obj: string }>((tie) => ({
    value: fc.oneof({ depthSize: 'small', withCrossShrink: true }, tie('prim'), tie('arr'), tie('obj')),
    prim: fc.oneof(
      fc.constantFrom('null', 'true', 'false', '0', '-0', '1e999', '-1e999', '1e-999', '9007199254740993', '""'),
      fc.double({ noNaN: true, noDefaultInfinity: true }).map((n) => JSON.stringify(n)),
      fc.string({ maxLength: 24 }).map((s) => JSON.stringify(MARKER + s)),
      fc.string({ unit: 'binary', maxLength: 24 }).map((s) => JSON.stringify(MARKER + s)),
    ),
    arr: fc.array(tie('value'), { maxLength: 4 }).map((xs) => `[${xs.join(',')}]`),
    obj: fc.array(fc.tuple(keyArb, tie('value')), { maxLength: 5 }).map((es) => `{${es.map(([k, v]) => `${JSON.stringify(k)}:${v}`).join(',')}}`),
  }));
  return fc.oneof(
    { weight: 8, arbitrary: value },
    // Deep: thousands of levels of objects or arrays.
    { weight: 1, arbitrary: fc.integer({ min: 500, max: 5000 }).map((d) => `${'{"a":'.repeat(d)}1${'}'.repeat(d)}`) },
    { weight: 1, arbitrary: fc.integer({ min: 500, max: 5000 }).map((d) => `${'['.repeat(d)}${']'.repeat(d)}`) },
    // Huge: a string far past any limit, alone or as a field.
    { weight: 1, arbitrary: fc.integer({ min: 100_000, max: 1_200_000 }).map((n) => JSON.stringify(MARKER + 'A'.repeat(n))) },
    { weight: 1, arbitrary: fc.tuple(keyArb, fc.integer({ min: 100_000, max: 1_200_000 })).map(([k, n]) => `{${JSON.stringify(k)}:${JSON.stringify(MARKER + 'B'.repeat(n))}}`) },
    // Pollution payloads, as the request itself.
    { weight: 1, arbitrary: fc.constant(JSON.stringify(pollution())) },
  );
})();

/** Anything a JavaScript caller could pass in-process (structured-clone types included). */
export const hostile: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: hostileJsonText.map((t) => JSON.parse(t) as unknown) },
  {
    weight: 3,
    arbitrary: fc.anything({
      key: keyArb,
      maxDepth: 3,
      withNullPrototype: true,
      withBigInt: true,
      withDate: true,
      withMap: true,
      withSet: true,
      withTypedArray: true,
      withSparseArray: true,
      withBoxedValues: true,
      stringUnit: 'binary',
    }),
  },
  { weight: 1, arbitrary: fc.constantFrom<unknown>(undefined, null, 0, Number.NaN, '', 'gaia:app.info', [], {}, Object.create(null), new Date(0), new Map(), 10n) },
);
