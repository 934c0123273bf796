import type { Server } from 'node:http';
import Router from '@koa/router';
import Koa from 'koa';
import { Bot } from './bot/bot.js';
import { chatNames } from './bot/chat-names.js';
import { presenterFor } from './bot/presenter.js';
import { botServices } from './bot/services.js';
import { textsFor } from './bot/texts/index.js';
import { storeThreadMemory } from './bot/thread-memory.js';
import { VideoRequests } from './bot/video-requests.js';
import type { Clock } from './clock.js';
import type { Config } from './config.js';
import { AccountPool } from './jimeng/account-pool.js';
import { JimengClient } from './jimeng/client.js';
import { createModelCatalog } from './jimeng/model-catalog.js';
import { accountViews, inFlightByAccount, poolAccess } from './jobs/pool-access.js';
import { JobRunner } from './jobs/runner.js';
import { Messenger } from './lark/messenger.js';
import { createReceiverRouter } from './lark/receiver.js';
import { createWsReceiver, type WsReceiverOptions } from './lark/ws-receiver.js';
import { type Logger, silentLogger } from './log.js';
import { Metrics } from './metrics.js';
import { openStore } from './store/open-store.js';
import type { StorePort } from './store/port.js';

export interface AppOptions {
  config: Config;
  logger?: Logger;
  /** Overrides for tests and the sandbox. */
  fetch?: typeof fetch;
  jimengRetryBaseMs?: number;
  minPollMs?: number;
  busyRetryMs?: number;
  deliveryRetryMs?: number;
  /** First backoff of the Feishu client's retries (default 500 ms). */
  larkRetryBaseMs?: number;
  clock?: Clock;
  /** Lets the sandbox add its own routes (chat page) to the same Koa app. */
  extraRoutes?: Router;
  /** Long-connection timings for tests (pong timeout, backoff after the SDK gives up). */
  wsReceiver?: Pick<WsReceiverOptions, 'pingTimeoutSeconds' | 'retryBaseMs' | 'retryMaxMs' | 'retryJitter'>;
}

export interface App {
  koa: Koa;
  /** The file store, or PostgreSQL when DATABASE_URL is set (store/open-store.ts). */
  store: StorePort;
  bot: Bot;
  runner: JobRunner;
  metrics: Metrics;
  messenger: Messenger;
  /** The first account's client (the only one in the plain case). */
  jimeng: JimengClient;
  /** Every configured Jimeng account, and what their answers said about them. */
  pool: AccountPool;
  /** Set once listening. */
  url: string;
  server: Server | undefined;
  listen(port?: number, host?: string): Promise<string>;
  close(): Promise<void>;
}

/**
 * Wires the pieces together: store → Jimeng client → messenger → job runner → bot → receiver.
 * `listen()` resumes persisted work before it accepts events and reports ready on /healthz.
 */
export async function createApp(opts: AppOptions): Promise<App> {
  const { config } = opts;
  const log = opts.logger ?? silentLogger;
  const opened = await openStore({
    databaseUrl: config.database.url,
    dataDir: config.dataDir,
    poolSize: config.database.poolSize,
    replicaTimeoutMs: config.database.replicaTimeoutSeconds * 1000,
    retention: config.retention,
    logger: log,
  });
  const { store } = opened;
  // With replicas: one Jimeng call budget for all of them, and a look for work the others left.
  const replicas = opened.kind === 'postgres' ? opened : undefined;
  const metrics = new Metrics(store);
  const catalog = createModelCatalog(config.jimeng.prices);
  const accounts = config.jimeng.accounts;
  if (!accounts.length) throw new Error('no Jimeng account configured (jimeng.accounts is empty)');
  const pooled = accounts.length > 1;
  // One client per account, each with its own rate budget (calls per second, tasks at once).
  const pool = new AccountPool({
    accounts: accounts.map((a) => ({
      name: a.name,
      maxConcurrent: a.maxConcurrent,
      ...(a.models ? { models: a.models } : {}),
      client: new JimengClient({
        catalog,
        accessKeyId: a.accessKeyId,
        secretAccessKey: a.secretAccessKey,
        accountLabel: a.name,
        endpoint: config.jimeng.endpoint,
        qps: a.qps,
        maxConcurrent: a.maxConcurrent,
        fetch: metrics.instrumentJimengFetch(opts.fetch ?? globalThis.fetch, a.name),
        logger: log.child({ component: 'jimeng', account: a.name }),
        // With other accounts to go to, a 50430 sends the job back to the queue rather than waiting here.
        ...(pooled ? { concurrencyRetries: 0 } : {}),
        ...(opts.jimengRetryBaseMs !== undefined ? { retryBaseMs: opts.jimengRetryBaseMs } : {}),
        // Replicas share one pacer row per account, so its QPS holds for the whole deployment.
        ...(replicas ? { pacer: replicas.store.callPacer(a.accessKeyId, a.qps) } : {}),
      }),
    })),
    logger: log.child({ component: 'jimeng-accounts' }),
    ...(opts.clock ? { now: () => opts.clock!.now() } : {}),
  });
  const jimeng = pool.jimengClient(accounts[0]!.name)!;
  metrics.trackJimengAccounts(
    () => pool.status(),
    () => inFlightByAccount(store, pool),
  );
  const messenger = new Messenger({
    appId: config.lark.appId,
    appSecret: config.lark.appSecret,
    domain: config.lark.domain,
    logger: log.child({ component: 'lark' }),
    threads: storeThreadMemory(store),
    ...(opts.larkRetryBaseMs !== undefined ? { baseDelayMs: opts.larkRetryBaseMs } : {}),
  });
  const texts = textsFor(config.locale);
  const presenter = presenterFor(texts, catalog);
  const runner = new JobRunner({
    store,
    jimeng: poolAccess(pool),
    messenger,
    presenter,
    metrics,
    logger: log.child({ component: 'jobs' }),
    expectedGenerationMs: config.jimeng.expectedGenerationSeconds * 1000,
    taskTimeoutMs: config.jimeng.taskTimeoutMinutes * 60_000,
    ...(opts.minPollMs !== undefined ? { minPollMs: opts.minPollMs } : {}),
    ...(opts.busyRetryMs !== undefined ? { busyRetryMs: opts.busyRetryMs } : {}),
    deliveryAttempts: config.delivery.maxAttempts,
    deliveryRetryMs: opts.deliveryRetryMs ?? config.delivery.retrySeconds * 1000,
    ...(opts.fetch ? { fetch: opts.fetch } : {}),
    ...(opts.clock ? { clock: opts.clock } : {}),
    ...(replicas ? { sweepMs: replicas.sweepMs, resumePollsSoon: false } : {}),
  });
  const defaults = {
    model: config.jimeng.defaultModel,
    duration: config.jimeng.defaultDuration,
    ratio: config.jimeng.defaultRatio,
  };
  const now = () => opts.clock?.now() ?? Date.now();
  const videos = new VideoRequests({ messenger, catalog, defaults, onQueued: () => runner.wake() });
  const bot = new Bot({
    store,
    presenter,
    catalog,
    messenger,
    services: botServices({
      store,
      catalog,
      videos,
      defaults,
      now,
      onJobsChanged: () => runner.wake(),
      chatName: chatNames({ lookup: (id) => messenger.chatName(id), log, now }),
      jimengAccounts: () => accountViews(store, pool),
    }),
    texts,
    policy: config.quota,
    timezone: config.quota.timezone,
    admins: config.admins,
    onJobsChanged: () => runner.wake(),
    metrics,
    maxEventAgeMs: config.lark.maxEventAgeHours * 3_600_000,
    logger: log.child({ component: 'bot' }),
    ...(opts.clock ? { clock: opts.clock } : {}),
    // On PostgreSQL a message waits on round trips, not on CPU: more at once share their commits.
    ...(replicas ? { drainMs: replicas.sweepMs, concurrency: 64 } : {}),
  });

  const ws =
    config.lark.transport === 'websocket'
      ? createWsReceiver({
          appId: config.lark.appId,
          appSecret: config.lark.appSecret,
          domain: config.lark.domain,
          ...(config.lark.encryptKey ? { encryptKey: config.lark.encryptKey } : {}),
          onEvent: bot.onEvent,
          logger: log.child({ component: 'ws' }),
          ...opts.wsReceiver,
        })
      : undefined;
  if (ws) metrics.trackLarkWsConnection(() => ws.status().connected);

  let ready = false;
  /** Ready once listening; with the long connection, only while it is up (the reason otherwise). */
  const health = () => (ready ? (ws?.health() ?? { ok: true }) : { ok: false, reason: 'starting' });
  const koa = new Koa();
  koa.proxy = true;
  const router = new Router();
  router.get('/healthz', (ctx) => {
    const h = health();
    ctx.status = h.ok ? 200 : 503;
    ctx.body = h;
  });
  router.get('/metrics', async (ctx) => {
    ctx.type = metrics.registry.contentType;
    ctx.body = await metrics.registry.metrics();
  });
  if (config.lark.transport === 'webhook') {
    const receiver = createReceiverRouter({
      verificationToken: config.lark.verificationToken,
      ...(config.lark.encryptKey ? { encryptKey: config.lark.encryptKey } : {}),
      onEvent: bot.onEvent,
      maxBodyBytes: config.lark.maxBodyBytes,
      maxAgeMs: config.lark.maxEventAgeHours * 3_600_000,
      logger: log.child({ component: 'receiver' }),
    });
    koa.use(receiver.routes()).use(receiver.allowedMethods());
  }
  // After the receiver: webhook deliveries are most of the traffic and match there first.
  koa.use(router.routes());
  if (opts.extraRoutes) koa.use(opts.extraRoutes.routes()).use(opts.extraRoutes.allowedMethods());

  const app: App = {
    koa,
    store,
    bot,
    runner,
    metrics,
    messenger,
    jimeng,
    pool,
    url: '',
    server: undefined,
    async listen(port = config.port, host?: string) {
      try {
        const info = await messenger.botInfo();
        bot.botOpenId = info.openId;
        log.info({ bot: info.name, openId: info.openId }, 'connected to Feishu');
      } catch (err) {
        log.warn(
          { err },
          'could not read the bot identity from Feishu (check LARK_APP_ID / LARK_APP_SECRET and that the bot capability is enabled); any leading @mention will count as @bot',
        );
      }
      await runner.start();
      await bot.start();
      const server = koa.listen(port, host);
      await new Promise<void>((resolve, reject) => {
        server.once('listening', resolve);
        server.once('error', reject);
      });
      app.server = server;
      const addr = server.address();
      const actualPort = typeof addr === 'object' && addr ? addr.port : port;
      app.url = `http://${host && host !== '0.0.0.0' ? host : '127.0.0.1'}:${actualPort}`;
      await ws?.start();
      ready = true;
      return app.url;
    },
    async close() {
      ready = false;
      ws?.stop();
      const server = app.server;
      if (server) {
        const closed = new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeIdleConnections?.();
        await closed;
      }
      await bot.stop();
      await runner.stop();
      await store.close();
    },
  };
  return app;
}
