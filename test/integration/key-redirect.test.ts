/**
 * A stored key goes only where its user sent it — generated from the contract.
 *
 * The contract is walked for every channel whose request names a profile (ProfileId), a
 * key-service key (KeyHandle) or a connection setting that decides where a key goes or
 * under which trust (ConnectionFields: baseUrl, caPem, trustedFingerprint, proxyUrl,
 * verifyTls). For each, the test builds requests that try to move the stored keys to an
 * attacker on loopback (test/support/attacker.ts: an HTTPS server with its own CA, a
 * plain-HTTP server, a man-in-the-middle proxy): each such field alone, all combined,
 * with and without a key typed by the attacker. After each attempt, every channel of
 * the contract is called once more with hostile arguments, in case the attempt only
 * prepared the leak. The attacker must never see a victim key: not the profile's own,
 * nor any key of the victim's key service (listed or created here).
 *
 * A new channel that names a profile, a handle or a connection setting with the
 * contract's schemas is covered without a new test. The user is played as someone who
 * clicks "Change" in every native trust question (the key typed again must be what
 * protects the stored one, not the dialog).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { channels, ConnectionFields, KeyHandle, ProfileId, type Channel } from '../../preload/contract';
import { createCore, type Core } from '../../main/core/core';
import { startSimulator, type Simulator } from '../gaia-sim';
import { startAttacker, type Attacker } from '../support/attacker';
import { testPorts } from '../support/ports';
import { valid } from '../support/zod-arbitrary';

type Role = 'profile' | 'handle' | 'baseUrl' | 'caPem' | 'trustedFingerprint' | 'proxyUrl' | 'verifyTls' | 'apiKey';
const DESTINATION: Role[] = ['baseUrl', 'caPem', 'trustedFingerprint', 'proxyUrl', 'verifyTls'];
const ATTACKER_KEY = 'attacker-typed-key-0123456789';

interface Def {
  type: string;
  innerType?: z.ZodType;
  shape?: Record<string, z.ZodType>;
}
const defOf = (s: z.ZodType): Def => (s as unknown as { _zod: { def: Def } })._zod.def;

/** What a request field is, by the contract schema it uses (not by its name). */
function roleOf(key: string, schema: z.ZodType): Role | null {
  const targets: Array<[z.ZodType, Role]> = [
    [ProfileId, 'profile'],
    [KeyHandle, 'handle'],
    ...DESTINATION.map((r) => [ConnectionFields[r as keyof typeof ConnectionFields] as z.ZodType, r] as [z.ZodType, Role]),
  ];
  for (let s: z.ZodType | undefined = schema; s; s = ['optional', 'nullable', 'default'].includes(defOf(s).type) ? defOf(s).innerType : undefined) {
    const hit = targets.find(([t]) => t === s);
    if (hit) return hit[1];
  }
  // The key a request carries typed by the user: the one field found by name.
  return key === 'apiKey' ? 'apiKey' : null;
}

function rolesOf(channel: Channel): Record<string, { role: Role; optional: boolean }> {
  const shape = defOf(channels[channel].request).shape ?? {};
  const out: Record<string, { role: Role; optional: boolean }> = {};
  for (const [key, schema] of Object.entries(shape)) {
    const role = roleOf(key, schema);
    if (role) out[key] = { role, optional: schema.safeParse(undefined).success };
  }
  return out;
}

const CHANNELS = (Object.keys(channels) as Channel[]).sort();
const MOVERS = CHANNELS.filter((c) => Object.values(rolesOf(c)).some((f) => f.role !== 'apiKey'));

// ---------------------------------------------------------------------------
// The world: a victim's Gaia (the simulator), an attacker, a fresh core per attempt.

let attacker: Attacker;
const dirs: string[] = [];
/** Keys of the victims' simulators, live and stopped. */
const victims = new Set<Simulator>();
const stoppedKeys = new Set<string>();

interface World {
  /** The victim's own Gaia: a fresh simulator per world, since follow-ups rotate and delete its keys. */
  sim: Simulator;
  core: Core;
  victim: string;
  /** A second connection, set up by the page, that points at the attacker with the attacker's own key. */
  decoy: string;
  handles: string[];
}

async function world(): Promise<World> {
  const sim = await startSimulator();
  victims.add(sim);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'gaia-redirect-'));
  dirs.push(dir);
  const core = await createCore({
    dataDir: dir,
    keychainService: `gaia-desktop-test-redirect-${process.pid}`,
    appName: 'Gaia Desktop',
    version: '0.0.0-test',
    env: {},
    keychainTimeoutMs: 2000,
    ports: testPorts({ confirmTrustChange: async () => true }),
  });
  const ok = async <T>(channel: string, request: unknown): Promise<T> => {
    const r = (await core.dispatch(channel, request)) as { ok: boolean; value?: T; error?: { message: string } };
    if (!r.ok) throw new Error(`${channel}: ${r.error?.message}`);
    return r.value as T;
  };
  await ok('gaia:keychain.useSessionOnly', {});
  const victim = (await ok<{ profile: { id: string } }>('gaia:profiles.connect', { name: 'Victim', baseUrl: sim.baseUrl, apiKey: sim.demoKey, caPem: sim.caPem })).profile.id;
  const listed = (await ok<{ keys: Array<{ handle: string }> }>('gaia:keys.list', {})).keys.map((k) => k.handle);
  const created = (await ok<{ handle: string }>('gaia:keys.create', { permissions: 'read' })).handle;
  const decoy = (await ok<{ profile: { id: string } }>('gaia:profiles.connect', { name: 'Decoy', baseUrl: attacker.httpsBaseUrl, apiKey: ATTACKER_KEY, verifyTls: false })).profile.id;
  await ok('gaia:profiles.activate', { id: victim });
  const close = core.close.bind(core);
  core.close = async () => {
    await close();
    for (const k of sim.keys()) stoppedKeys.add(k.apiKey);
    victims.delete(sim);
    await sim.stop();
  };
  return { sim, core, victim, decoy, handles: [...listed, created] };
}

/** What a refused attempt must leave as it was: the profiles, their settings and key facts. */
async function snapshot(w: World): Promise<string> {
  return JSON.stringify(await w.core.dispatch('gaia:profiles.list', {}));
}

/** Every key of every victim's key service, including those created during the run. */
const victimKeys = () => [...stoppedKeys, ...[...victims].flatMap((v) => v.keys().map((k) => k.apiKey))];

function leaks(): string[] {
  const seen = attacker.seen();
  return victimKeys().filter((key) => seen.includes(key));
}

// ---------------------------------------------------------------------------
// Requests

type Values = Partial<Record<Role, unknown>>;

const destinationValue = (role: Role, variant = 0): unknown =>
  ({
    baseUrl: variant === 0 ? attacker.httpsBaseUrl : attacker.httpBaseUrl,
    caPem: attacker.caPem,
    trustedFingerprint: attacker.leafFingerprint,
    proxyUrl: attacker.proxyUrl,
    verifyTls: false,
  })[role as 'baseUrl'];

/** A valid request for the channel: the roles set from `values`, other optional fields left out. */
function requestFor(channel: Channel, values: Values, seed: number, w: World): unknown | null {
  const schema = channels[channel].request;
  const roles = rolesOf(channel);
  const [sampled] = fc.sample(valid(schema), { numRuns: 1, seed }) as Array<Record<string, unknown> | undefined>;
  const base: Record<string, unknown> = { ...(sampled ?? {}) };
  for (const [key, schemaOf] of Object.entries(defOf(schema).shape ?? {})) {
    const role = roles[key]?.role;
    if (role && values[role] !== undefined) base[key] = values[role];
    else if (role === 'baseUrl' && !roles[key].optional) base[key] = w.sim.baseUrl;
    else if (role === 'apiKey' && !roles[key].optional) base[key] = ATTACKER_KEY;
    else if (schemaOf.safeParse(undefined).success) delete base[key];
  }
  return schema.safeParse(base).success ? base : null;
}

function subsets<T>(items: T[]): T[][] {
  return items.reduce<T[][]>((acc, item) => [...acc, ...acc.map((s) => [...s, item])], [[]]);
}

interface Attempt {
  label: string;
  channel: Channel;
  values: (w: World) => Values;
}

/** Each destination field alone and all combined (with the key typed by the attacker, where the request holds one). */
function attemptsFor(channel: Channel): Attempt[] {
  const roles = Object.values(rolesOf(channel));
  const has = (r: Role) => roles.some((f) => f.role === r);
  const optionalKey = roles.some((f) => f.role === 'apiKey' && f.optional);
  const dests = DESTINATION.filter(has);
  const combos: Array<Array<[Role, number]>> = [];
  if (dests.length > 0) {
    // Every subset where a stored key could follow (the request names a profile); each
    // field alone and all together where it cannot (a new connection's key is typed).
    const all = subsets(dests).filter((subset) => subset.length > 0 && (has('profile') || subset.length === 1 || subset.length === dests.length));
    for (const subset of all) {
      const variants = subset.includes('baseUrl') ? [0, 1] : [0];
      for (const v of variants) combos.push(subset.map((r) => [r, r === 'baseUrl' ? v : 0]));
    }
  } else combos.push([]);
  const profiles: Array<'victim' | 'decoy' | null> = has('profile') ? ['victim', 'decoy'] : [null];
  const handleCount = has('handle') ? 2 : 1;
  const out: Attempt[] = [];
  for (const combo of combos) {
    const typedVariants = optionalKey && (combo.length <= 1 || combo.length === dests.length) ? [false, true] : [false];
    for (const profile of profiles) {
      // Moving the attacker's own connection is not an attack on the victim's key.
      if (profile === 'decoy' && combo.length > 0) continue;
      for (let h = 0; h < handleCount; h++) {
        for (const typed of typedVariants) {
          const label = [channel, profile, has('handle') ? `handle#${h}` : null, ...combo.map(([r, v]) => (r === 'baseUrl' ? `baseUrl(${v ? 'http' : 'https'})` : r)), typed ? 'key typed by attacker' : null]
            .filter(Boolean)
            .join(' · ');
          out.push({
            label,
            channel,
            values: (w) => ({
              ...(profile ? { profile: profile === 'victim' ? w.victim : w.decoy } : {}),
              ...(has('handle') ? { handle: h === 0 ? w.handles[0] : w.handles[w.handles.length - 1] } : {}),
              ...Object.fromEntries(combo.map(([r, v]) => [r, destinationValue(r, v)])),
              ...(typed ? { apiKey: ATTACKER_KEY } : {}),
            }),
          });
        }
      }
    }
  }
  return out;
}

/** Then every channel once, pointed at the victim and at the attacker; deleting last, so the rest runs first. */
async function followUps(w: World, seed: number) {
  const order = [...CHANNELS].sort((a, b) => Number(a.endsWith('.delete')) - Number(b.endsWith('.delete')));
  for (const channel of order) {
    const handles = rolesOf(channel) && Object.values(rolesOf(channel)).some((f) => f.role === 'handle') ? w.handles : [undefined];
    for (const handle of handles) {
      const values: Values = {
        profile: w.victim,
        ...(handle ? { handle } : {}),
        ...Object.fromEntries(DESTINATION.map((r) => [r, destinationValue(r)])),
        apiKey: ATTACKER_KEY,
      };
      const request = requestFor(channel, values, seed, w);
      if (request) await w.core.dispatch(channel, request);
    }
  }
  // Let answers streaming in the background finish talking to wherever they talk.
  await new Promise((r) => setTimeout(r, 50));
}

// ---------------------------------------------------------------------------

beforeAll(async () => {
  attacker = await startAttacker();
}, 60_000);

afterAll(async () => {
  await Promise.all([attacker?.stop(), ...[...victims].map((v) => v.stop())]);
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe('the walk of the contract', () => {
  it('finds the channels that name a profile, a key handle or a connection setting', () => {
    for (const c of ['gaia:profiles.update', 'gaia:profiles.connect', 'gaia:profiles.replaceKey', 'gaia:keys.useForProfile', 'gaia:keys.rotate', 'gaia:keys.update'] as Channel[]) {
      expect(MOVERS).toContain(c);
    }
    expect(Object.values(rolesOf('gaia:profiles.update')).map((f) => f.role).sort()).toEqual(['apiKey', 'baseUrl', 'caPem', 'profile', 'proxyUrl', 'trustedFingerprint', 'verifyTls']);
  });

  it('every request field that names a profile or a key uses the contract schema the walk looks for', () => {
    // A new channel that spells a profile id as a plain string would slip past the walk; this catches it.
    const misses: string[] = [];
    for (const channel of CHANNELS) {
      const area = channel.split(':')[1].split('.')[0];
      for (const key of Object.keys(defOf(channels[channel].request).shape ?? {})) {
        const namesProfile = key === 'profileId' || (key === 'id' && area === 'profiles');
        if (namesProfile && rolesOf(channel)[key]?.role !== 'profile') misses.push(`${channel}.${key}`);
        if (key === 'handle' && rolesOf(channel)[key]?.role !== 'handle') misses.push(`${channel}.${key}`);
      }
    }
    expect(misses).toEqual([]);
  });

  it('the attacker is reachable and records keys: a key typed for it does arrive (positive control)', async () => {
    const w = await world();
    try {
      expect(attacker.seen()).toContain(ATTACKER_KEY);
      // Through the proxy too: a connection that trusts the attacker's CA is read by it.
      const before = attacker.requests.length;
      await w.core.dispatch('gaia:profiles.connect', { name: 'Through', baseUrl: w.sim.baseUrl, apiKey: ATTACKER_KEY, caPem: attacker.caPem, proxyUrl: attacker.proxyUrl });
      expect(attacker.requests.slice(before).some((r) => r.door === 'proxy' && JSON.stringify(r.headers).includes(ATTACKER_KEY))).toBe(true);
    } finally {
      await w.core.close();
    }
    expect(leaks()).toEqual([]);
  });
});

describe('no stored key reaches the attacker, whatever a channel is asked', () => {
  for (const channel of MOVERS) {
    it(channel, async () => {
      const attempts = attemptsFor(channel);
      expect(attempts.length).toBeGreaterThan(0);
      const problems: string[] = [];
      let seed = 1;
      let w: World | null = null;
      for (const [n, attempt] of attempts.entries()) {
        w ??= await world();
        const before = await snapshot(w);
        const request = requestFor(channel, attempt.values(w), seed++, w);
        expect(request, `${attempt.label}: a valid request could be built`).not.toBeNull();
        const answer = (await w.core.dispatch(channel, request)) as { ok: boolean };
        if (leaks().length) {
          problems.push(`${attempt.label}: the attacker received a victim key`);
          break;
        }
        // A refused attempt that changed nothing leaves the same world: the follow-ups
        // would replay what they already did, so they run after every attempt that did
        // something, and after every eighth refused one (in case "nothing" is wrong).
        const changed = answer.ok || (await snapshot(w)) !== before;
        if (changed || n % 8 === 0) {
          await followUps(w, seed++);
          if (leaks().length) {
            problems.push(`${attempt.label}, then the follow-up calls: the attacker received a victim key`);
            break;
          }
        }
        if (changed || n % 8 === 0) {
          await w.core.close();
          w = null;
        }
      }
      await w?.core.close();
      expect(problems).toEqual([]);
    }, 240_000);
  }
});
