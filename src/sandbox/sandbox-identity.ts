/**
 * Who the sandbox is: the fake Feishu app's id, secret, encrypt key and verification token, the bot's
 * open_id and the Jimeng simulator's access key. Made up at random; with a state folder they are kept in
 * `<dir>/sandbox.json` so that a restart finds the same app (the chat history names its messages by app
 * id), the same bot and the same simulator keys and port (the printed `jimeng check` line keeps working).
 * These are sandbox values only: real keys from the environment are never read or written here.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface SandboxIdentity {
  appId: string;
  appSecret: string;
  encryptKey: string;
  verificationToken: string;
  botOpenId: string;
  /** One simulator key pair per Jimeng account (the first is the simulator's main account). */
  jimengKeys: { accessKeyId: string; secretAccessKey: string }[];
  /** The simulator's last port (tried again at the next start; 0 = none yet). */
  simulatorPort: number;
}

const hex = (n: number) => randomBytes(n).toString('hex');
const FILE = 'sandbox.json';

const newKey = () => ({ accessKeyId: `AKSANDBOX${hex(4)}`, secretAccessKey: hex(20) });
const isKey = (k: unknown): k is SandboxIdentity['jimengKeys'][number] =>
  typeof k === 'object' &&
  k !== null &&
  typeof (k as { accessKeyId?: unknown }).accessKeyId === 'string' &&
  typeof (k as { secretAccessKey?: unknown }).secretAccessKey === 'string';

export function newIdentity(accounts = 1): SandboxIdentity {
  return {
    appId: `cli_sandbox${hex(6)}`,
    appSecret: hex(16),
    encryptKey: hex(16),
    verificationToken: hex(16),
    botOpenId: `ou_bot${hex(14)}`,
    jimengKeys: Array.from({ length: Math.max(1, accounts) }, newKey),
    simulatorPort: 0,
  };
}

/**
 * The identity kept in `dir`, or a new one (saved there), with at least `accounts` key pairs (kept ones
 * first, new ones added). A damaged file is replaced.
 */
export function loadIdentity(dir: string, accounts = 1): SandboxIdentity {
  const fresh = newIdentity(accounts);
  try {
    const saved = JSON.parse(readFileSync(join(dir, FILE), 'utf8')) as Partial<SandboxIdentity> & {
      accessKeyId?: unknown;
      secretAccessKey?: unknown;
    };
    const merged = { ...fresh };
    for (const k of Object.keys(fresh) as (keyof SandboxIdentity)[]) {
      const v = saved[k];
      if (k !== 'jimengKeys' && typeof v === typeof fresh[k] && v !== '')
        (merged as Record<string, unknown>)[k] = v;
    }
    // Kept keys first (a file from before several accounts has one pair at the top level).
    const kept = Array.isArray(saved.jimengKeys)
      ? saved.jimengKeys.filter(isKey)
      : isKey(saved)
        ? [{ accessKeyId: saved.accessKeyId as string, secretAccessKey: saved.secretAccessKey as string }]
        : [];
    merged.jimengKeys = [...kept, ...fresh.jimengKeys.slice(kept.length)];
    if (JSON.stringify(merged) !== JSON.stringify(saved)) saveIdentity(dir, merged);
    return merged;
  } catch {
    saveIdentity(dir, fresh);
    return fresh;
  }
}

export function saveIdentity(dir: string, id: SandboxIdentity): void {
  writeFileSync(join(dir, FILE), `${JSON.stringify(id, null, 2)}\n`, { mode: 0o600 });
}
