import { mkdtempSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FileStore } from '../../src/store/file/file-store.js';
import { storeContract } from './store-contract.js';

storeContract('FileStore', async (now) => {
  const dir = mkdtempSync(join(tmpdir(), 'store-contract-'));
  let store = await FileStore.open({ dir, now });
  return {
    store,
    reopen: async () => {
      await store.close();
      store = await FileStore.open({ dir, now });
      return store;
    },
    cleanup: () => rm(dir, { recursive: true, force: true }),
  };
});
