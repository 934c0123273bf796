import { mkdirSync } from 'node:fs';
import { createApp } from './app.js';
import { ConfigError, loadConfig } from './config.js';
import { createLogger } from './log.js';
import { sandboxBanner } from './sandbox/banner.js';
import { sandboxStateDir, startSandbox } from './sandbox/start-sandbox.js';

async function main(): Promise<void> {
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      for (const p of err.problems) process.stderr.write(`config error: ${p.message}\n`);
      process.exit(2);
    }
    throw err;
  }
  // The sandbox is run by a person at a terminal: short readable lines. Production logs JSON.
  const logger = createLogger({ level: config.logLevel, pretty: config.sandbox });
  mkdirSync(config.dataDir, { recursive: true });

  let stop: () => Promise<void>;
  if (config.sandbox) {
    const sandbox = await startSandbox({ config, logger, chatPage: true, stateDir: sandboxStateDir(config) });
    stop = sandbox.close; // closes the chat page's event streams, the app, the fake Feishu and the simulator
    process.stdout.write(sandboxBanner(sandbox));
  } else {
    const app = await createApp({ config, logger });
    const url = await app.listen(config.port, '0.0.0.0');
    stop = app.close;
    logger.info({ url, transport: config.lark.transport }, 'bot listening');
  }

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down: no new events, flushing state');
    const force = setTimeout(() => process.exit(1), 15_000);
    force.unref();
    try {
      await stop();
    } finally {
      process.exit(0);
    }
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('unhandledRejection', (err) => logger.error({ err }, 'unhandled rejection'));
}

main().catch((err) => {
  process.stderr.write(`fatal: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
