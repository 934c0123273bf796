import type { ModelMode } from '../jimeng/model-definitions.js';
import type { ModelCatalog } from '../jimeng/models.js';
import type { AccountView } from '../jobs/pool-access.js';
import type { StorePort } from '../store/port.js';
import { cancelJob } from './cancel-job.js';
import type { BotServices } from './commands/command.js';
import type { ModelRow, Tier } from './texts/texts.js';
import type { VideoRequests } from './video-requests.js';

export interface ServicesOptions {
  store: StorePort;
  catalog: ModelCatalog;
  videos: VideoRequests;
  defaults: BotServices['defaults'];
  now(): number;
  onJobsChanged(): void;
  chatName?(chatId: string): Promise<string>;
  /** The Jimeng accounts for admins (/usage). */
  jimengAccounts?(): Promise<AccountView[]>;
}

const MODES: readonly ModelMode[] = ['text', 'first_frame', 'first_last_frame', 'camera'];

/** What the commands get from the rest of the bot. */
export function botServices(o: ServicesOptions): BotServices {
  const listed = o.catalog.list().filter((m) => m.documented);
  return {
    defaults: o.defaults,
    pricesByTier() {
      const out = {} as Record<Tier, number>;
      for (const m of listed) out[m.tier] ??= m.pricePerSecond;
      return out;
    },
    // One row per mode and tier, modes in the order a user meets them (text first, camera last).
    modelRows: (): ModelRow[] =>
      MODES.flatMap((mode) =>
        listed
          .filter((m) => m.modes.includes(mode))
          .map((m) => ({
            mode,
            tier: m.tier,
            reqKey: m.reqKey,
            resolution: m.resolution,
            price5: o.catalog.priceOf(m, 5),
            price10: o.catalog.priceOf(m, 10),
          })),
      ),
    videos: o.videos,
    async cancelJob(jobId, by, isAdmin) {
      const r = await cancelJob(o.store, jobId, by, isAdmin, o.now());
      if (r.ok) o.onJobsChanged();
      return r;
    },
    chatName: o.chatName ?? (async (chatId) => chatId),
    jimengAccounts: o.jimengAccounts ?? (async () => []),
  };
}
