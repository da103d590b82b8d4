/**
 * @peculiar/x509 pulls in tsyringe, which refuses to load without the Reflect metadata
 * API. The usual fix is the reflect-metadata package; it is not installed, so the
 * simulator carries this minimal stand-in (only what tsyringe calls). Import it before
 * @peculiar/x509.
 */
type Key = unknown;
const store = new WeakMap<object, Map<string | symbol | undefined, Map<Key, unknown>>>();

function table(target: object, property: string | symbol | undefined, create: boolean) {
  let byProp = store.get(target);
  if (!byProp) {
    if (!create) return undefined;
    byProp = new Map();
    store.set(target, byProp);
  }
  let entries = byProp.get(property);
  if (!entries && create) {
    entries = new Map();
    byProp.set(property, entries);
  }
  return entries;
}

const R = Reflect as unknown as Record<string, unknown>;
if (typeof R.getMetadata !== 'function') {
  const getOwn = (key: Key, target: object, property?: string | symbol) => table(target, property, false)?.get(key);
  const get = (key: Key, target: object, property?: string | symbol): unknown => {
    for (let t: object | null = target; t; t = Object.getPrototypeOf(t)) {
      const value = getOwn(key, t, property);
      if (value !== undefined) return value;
    }
    return undefined;
  };
  const define = (key: Key, value: unknown, target: object, property?: string | symbol) => {
    table(target, property, true)!.set(key, value);
  };
  Object.assign(R, {
    getOwnMetadata: getOwn,
    getMetadata: get,
    hasMetadata: (key: Key, target: object, property?: string | symbol) => get(key, target, property) !== undefined,
    hasOwnMetadata: (key: Key, target: object, property?: string | symbol) => getOwn(key, target, property) !== undefined,
    defineMetadata: define,
    metadata: (key: Key, value: unknown) => (target: object, property?: string | symbol) => define(key, value, target, property),
  });
}

export {};
