/** Assembles the simulator: state, HTTP server on a port, and the control methods tests use. */
import { createServer } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { silentLogger } from '../../log.js';
import { createAccounts } from './accounts.js';
import { planFrom } from './fault-plan.js';
import { createResponder } from './responder.js';
import { handleRequest } from './server.js';
import type { SimState } from './sim-state.js';
import { createTaskBook } from './tasks.js';
import type { JimengSimulator, JimengSimulatorOptions, SimCall, SimStats } from './types.js';
import { loadVideo } from './video.js';

const zeroStats = (): SimStats => ({
  submits: 0,
  polls: 0,
  qpsLimited: 0,
  concurrencyLimited: 0,
  authFailures: 0,
  invalid: 0,
  videoDownloads: 0,
});

export async function startJimengSimulator(opts: JimengSimulatorOptions): Promise<JimengSimulator> {
  const logger = opts.logger ?? silentLogger;
  const host = opts.host ?? '127.0.0.1';
  const video = await loadVideo(opts.videoPath);
  const calls: SimCall[] = [];
  const stats = zeroStats();
  const faults = planFrom(opts.faults);
  const book = createTaskBook({ taskExpiryMs: opts.taskExpiryMs ?? 12 * 3600_000 });
  const accounts = createAccounts(opts);
  const respond = createResponder({ calls, stats, logger });
  let baseUrl = '';
  const state: SimState = {
    faults,
    book,
    accounts,
    respond,
    logger,
    generationMs: opts.generationMs ?? 3000,
    createdCount: 0,
    videoBase: () => opts.publicUrl?.replace(/\/+$/, '') ?? baseUrl,
    videoTtlMs: opts.videoTtlMs ?? 3600_000,
    submitRules: { requireCameraStrength: opts.requireCameraStrength ?? false },
  };
  const deps = { state, stats, video, maxSkewMs: opts.maxClockSkewMs ?? 15 * 60_000 };

  const sockets = new Set<Socket>();
  const server = createServer((req, res) => {
    handleRequest(deps, req, res).catch((err: unknown) => {
      logger.error({ err }, 'jimeng-sim handler failed');
      try {
        if (!res.headersSent && !res.destroyed) res.writeHead(500).end();
        else res.destroy();
      } catch {
        res.destroy();
      }
    });
  });
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  baseUrl = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  logger.info({ url: baseUrl }, 'jimeng simulator listening');

  return {
    url: baseUrl,
    port,
    faults,
    tasks: book.tasks,
    calls,
    stats,
    inject(...kinds) {
      faults.next.push(...kinds);
    },
    failNextTaskAfter(afterMs, failure = {}) {
      faults.earlyFailures.push({ code: 50500, ...failure, afterMs });
    },
    setGenerationMs(ms) {
      state.generationMs = ms;
      book.setGenerationMs(ms);
    },
    setLimits(limits, accessKeyId) {
      accounts.setLimits(limits, accessKeyId);
    },
    statusOf(taskId) {
      const t = book.find(taskId);
      return t ? book.statusOf(t) : 'not_found';
    },
    reset() {
      book.tasks.clear();
      calls.length = 0;
      Object.assign(stats, zeroStats());
      accounts.reset();
      state.createdCount = 0;
      Object.assign(faults, planFrom(opts.faults));
      state.generationMs = opts.generationMs ?? 3000;
    },
    close() {
      respond.cancelPending();
      return new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const s of sockets) s.destroy();
        sockets.clear();
      });
    },
  };
}
