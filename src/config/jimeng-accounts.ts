/**
 * The Jimeng accounts from configuration: `jimeng.accounts` in a config file, or the shorthand
 * VOLC_ACCESSKEY / VOLC_SECRETKEY as comma-separated lists of the same length (the i-th key with the i-th
 * secret; `jimeng.qps` and `jimeng.maxConcurrent` apply to each). One key pair is the plain case. Every
 * problem is one line naming the setting; a secret never appears in one, an access key only masked.
 */
import { maskAccessKey } from '../jimeng/check.js';
import { MODEL_DEFINITIONS } from '../jimeng/model-definitions.js';
import type { ConfigProblem } from './config-error.js';

export interface JimengAccountConfig {
  /** Shown in logs, /usage and /metrics, and persisted with each job: a task belongs to its account. */
  name: string;
  accessKeyId: string;
  secretAccessKey: string;
  /** HTTP calls per second for this account (submit + get-result). */
  qps: number;
  /** Tasks at Jimeng at once for this account. */
  maxConcurrent: number;
  /** req_keys this account may run (tiers expanded); undefined = every model. */
  models?: string[];
}

/** What the merged configuration holds before the accounts are resolved. */
export interface RawJimengAccounts {
  accessKeyId?: unknown;
  secretAccessKey?: unknown;
  qps?: unknown;
  maxConcurrent?: unknown;
  accounts?: unknown;
}

const NAME_RE = /^[\p{L}\p{N}][\p{L}\p{N}._-]{0,39}$/u;
const FIELDS = '{ name, accessKeyId, secretAccessKey, qps?, maxConcurrent?, models? }';

const splitList = (v: unknown): string[] =>
  typeof v === 'string' && v.trim() !== '' ? v.split(',').map((s) => s.trim()) : [];

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
const validQps = (n: unknown): n is number => typeof n === 'number' && n > 0 && n <= 1000;
const validSlots = (n: unknown): n is number => typeof n === 'number' && Number.isInteger(n) && n >= 1;

/** A tier (720p, 1080p, pro) or a req_key → the req_keys it means; undefined when unknown. */
function expandModel(m: string): string[] | undefined {
  const byTier = MODEL_DEFINITIONS.filter((d) => d.tier === m).map((d) => d.reqKey);
  if (byTier.length) return byTier;
  return MODEL_DEFINITIONS.some((d) => d.reqKey === m) ? [m] : undefined;
}

/**
 * Names for keys given without one: the masked key (`AKLT…abcd`, as `jimeng check` shows it), with more of
 * the key's tail where two would look alike. Derived from the key, not its place in the list, so reordering
 * the list never points a persisted task at another account's keys.
 */
export function derivedNames(keys: readonly string[]): string[] {
  const masked = (k: string, tail: number) =>
    tail <= 4 ? maskAccessKey(k) : `${k.slice(0, 4)}…${k.slice(-Math.min(tail, k.length - 4))}`;
  const names = keys.map((k) => masked(k, 4));
  // Only names that collide grow (a longer tail), so adding a key leaves the others' names alone.
  for (let tail = 6; tail <= 12; tail += 2) {
    const groups = new Map<string, Set<string>>();
    keys.forEach((k, i) => {
      groups.set(names[i]!, (groups.get(names[i]!) ?? new Set()).add(k));
    });
    keys.forEach((k, i) => {
      if (groups.get(names[i]!)!.size > 1) names[i] = masked(k, tail);
    });
  }
  // The same key twice (a configuration problem of its own) or tails alike for 12 characters.
  return names.map((n, i) => (names.indexOf(n) === i ? n : `${n}-${i + 1}`));
}

/** The accounts to use (empty when none is configured); problems are appended to `problems`. */
export function resolveJimengAccounts(
  j: RawJimengAccounts,
  problems: ConfigProblem[],
): JimengAccountConfig[] {
  const add = (setting: string, message: string) =>
    problems.push({ setting, message: `${setting}: ${message}` });
  const qps = validQps(j.qps) ? j.qps : 1;
  const maxConcurrent = validSlots(j.maxConcurrent) ? j.maxConcurrent : 2;
  const keys = splitList(j.accessKeyId);
  const secrets = splitList(j.secretAccessKey);
  const listed = j.accounts ?? [];
  if (!Array.isArray(listed)) {
    add('jimeng.accounts', `must be a list of ${FIELDS}`);
    return [];
  }
  if (listed.length && (keys.length || secrets.length)) {
    add(
      'VOLC_ACCESSKEY',
      'jimeng.accounts is set in the config file too; configure the accounts in one place (the list, or VOLC_ACCESSKEY / VOLC_SECRETKEY)',
    );
    return [];
  }
  const out = listed.length
    ? fromList(listed, qps, maxConcurrent, add)
    : fromShorthand(keys, secrets, qps, maxConcurrent, add);
  const seenKeys = new Map<string, string>();
  const seenNames = new Set<string>();
  for (const a of out) {
    const other = seenKeys.get(a.accessKeyId);
    if (other !== undefined)
      add(
        listed.length ? 'jimeng.accounts' : 'VOLC_ACCESSKEY',
        `access key ${maskAccessKey(a.accessKeyId)} is given twice (accounts "${other}" and "${a.name}"); each account needs its own key`,
      );
    else seenKeys.set(a.accessKeyId, a.name);
    if (seenNames.has(a.name))
      add(
        'jimeng.accounts',
        `two accounts are named "${a.name}"; names must be unique (they are persisted with each job)`,
      );
    seenNames.add(a.name);
  }
  return out;
}

function fromShorthand(
  keys: string[],
  secrets: string[],
  qps: number,
  maxConcurrent: number,
  add: (setting: string, message: string) => void,
): JimengAccountConfig[] {
  if (!keys.length || !secrets.length) return []; // "is required" is the checks' to say (sandbox: fine)
  let ok = true;
  if (keys.length !== secrets.length) {
    add(
      'VOLC_SECRETKEY',
      `${plural(keys.length, 'access key')} in VOLC_ACCESSKEY but ${plural(secrets.length, 'secret')}; give one secret per key, comma-separated, in the same order`,
    );
    ok = false;
  }
  keys.forEach((k, i) => {
    if (!k) {
      add('VOLC_ACCESSKEY', `item ${i + 1} of the comma-separated list is empty`);
      ok = false;
    }
  });
  secrets.forEach((s, i) => {
    if (!s) {
      add('VOLC_SECRETKEY', `item ${i + 1} of the comma-separated list is empty`);
      ok = false;
    }
  });
  if (!ok) return [];
  const names = derivedNames(keys);
  return keys.map((accessKeyId, i) => ({
    name: names[i]!,
    accessKeyId,
    secretAccessKey: secrets[i]!,
    qps,
    maxConcurrent,
  }));
}

function fromList(
  listed: unknown[],
  qps: number,
  maxConcurrent: number,
  add: (setting: string, message: string) => void,
): JimengAccountConfig[] {
  const out: JimengAccountConfig[] = [];
  const keysGiven = listed.map((e) =>
    e && typeof e === 'object' && typeof (e as { accessKeyId?: unknown }).accessKeyId === 'string'
      ? ((e as { accessKeyId: string }).accessKeyId.trim() ?? '')
      : '',
  );
  const derived = derivedNames(keysGiven.map((k, i) => k || `account-${i + 1}`));
  listed.forEach((entry, i) => {
    const at = `jimeng.accounts[${i}]`;
    if (!entry || typeof entry !== 'object' || Array.isArray(entry)) {
      add(at, `must be an object ${FIELDS}`);
      return;
    }
    const e = entry as Record<string, unknown>;
    let ok = true;
    const bad = (message: string) => {
      add(at, message);
      ok = false;
    };
    const name = e.name === undefined ? derived[i]! : e.name;
    if (typeof name !== 'string' || !NAME_RE.test(name))
      bad(
        `name ${JSON.stringify(name)} must be 1-40 letters, digits, ".", "_" or "-", starting with a letter or digit`,
      );
    const label = typeof name === 'string' && NAME_RE.test(name) ? ` ("${name}")` : '';
    const ak = typeof e.accessKeyId === 'string' ? e.accessKeyId.trim() : '';
    const sk = typeof e.secretAccessKey === 'string' ? e.secretAccessKey.trim() : '';
    if (!ak) bad(`accessKeyId${label} is required: a Volcengine access key id`);
    if (!sk) bad(`secretAccessKey${label} is required: the secret of that access key`);
    const q = e.qps ?? qps;
    if (!validQps(q)) bad(`qps${label} must be a number > 0 (requests per second), got ${JSON.stringify(q)}`);
    const slots = e.maxConcurrent ?? maxConcurrent;
    if (!validSlots(slots)) bad(`maxConcurrent${label} must be an integer ≥ 1, got ${JSON.stringify(slots)}`);
    let models: string[] | undefined;
    if (e.models !== undefined) {
      if (!Array.isArray(e.models) || !e.models.length || !e.models.every((m) => typeof m === 'string'))
        bad(
          `models${label} must be a non-empty list of tiers (720p, 1080p, pro) or req_keys; leave it out for every model`,
        );
      else {
        const expanded = new Set<string>();
        for (const m of e.models as string[]) {
          const keys = expandModel(m.trim());
          if (keys) for (const k of keys) expanded.add(k);
          else
            bad(
              `models${label}: unknown model ${JSON.stringify(m)}; use 720p, 1080p, pro or a req_key (see \`jimeng models\`)`,
            );
        }
        models = [...expanded];
      }
    }
    if (!ok) return;
    out.push({
      name: name as string,
      accessKeyId: ak,
      secretAccessKey: sk,
      qps: q as number,
      maxConcurrent: slots as number,
      ...(models ? { models } : {}),
    });
  });
  return out;
}
