/**
 * What `npm start` prints when the sandbox is up: the chat page, where its state lives, the Jimeng
 * simulator's endpoint and the exact `jimeng check` line to try the CLI against it. Only the sandbox's
 * own simulator keys appear here, never keys from the environment.
 */
import { relative } from 'node:path';
import { SAMPLE_CLIP } from './jimeng-sim/video.js';
import type { Sandbox } from './start-sandbox.js';

/** The command line that checks the simulator's keys with the `jimeng` CLI. */
export function jimengCheckLine(sb: Pick<Sandbox, 'config'>): string {
  const j = sb.config.jimeng;
  return `VOLC_ACCESSKEY=${j.accessKeyId} VOLC_SECRETKEY=${j.secretAccessKey} JIMENG_ENDPOINT=${j.endpoint} npx jimeng check`;
}

export function sandboxBanner(
  sb: Pick<Sandbox, 'config' | 'pageUrl' | 'stateDir'>,
  cwd = process.cwd(),
): string {
  const rel = sb.stateDir ? relative(cwd, sb.stateDir) : '';
  const state = sb.stateDir
    ? `${rel && !rel.startsWith('..') ? rel : sb.stateDir}  (kept across restarts; delete the folder to start over)`
    : 'in memory (gone when the process stops)';
  const { seconds, width, height } = SAMPLE_CLIP;
  return [
    '',
    '  Sandbox ready (no Feishu app configured): the real bot with a fake Feishu and a Jimeng simulator.',
    '',
    `  Chat page         ${sb.pageUrl}`,
    `  State             ${state}`,
    `  Jimeng simulator  ${sb.config.jimeng.endpoint}  (every video is the same ${seconds} s ${width}×${height} test clip)`,
    '',
    '  Try the jimeng CLI against the simulator (sandbox keys, not real ones; `npm start` has built it):',
    `    ${jimengCheckLine(sb)}`,
    '',
    '',
  ].join('\n');
}
