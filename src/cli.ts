#!/usr/bin/env node
/**
 * `jimeng`: command-line client for the Volcengine Jimeng (即梦) video API (the commands live in src/cli/).
 * Exit codes: 0 ok, 1 failed task (or service/network failure), 2 usage or configuration error.
 */
import { realpath } from 'node:fs/promises';
import { pathToFileURL } from 'node:url';
import { runCli } from './cli/run-cli.js';

export { type CliIo, type CliStream, EXIT_FAILED, EXIT_OK, EXIT_USAGE } from './cli/io.js';
export { runCli } from './cli/run-cli.js';

async function isMain(): Promise<boolean> {
  const entry = process.argv[1];
  if (!entry) return false;
  try {
    return import.meta.url === pathToFileURL(await realpath(entry)).href;
  } catch {
    return false;
  }
}

if (await isMain()) {
  // `jimeng models | head`: a closed pipe is not an error.
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(0);
    throw e;
  });
  process.exitCode = await runCli(process.argv.slice(2), {
    env: process.env,
    stdout: process.stdout,
    stderr: process.stderr,
  });
}
