import { afterAll, beforeAll } from 'vitest';
import { PgStore } from '../../src/store/postgres/pg-store.js';
import { type PgCluster, startPgCluster } from '../helpers/pg-cluster.js';
import { storeContract } from './store-contract.js';

// A real PostgreSQL (Debian's `postgresql` package): one throwaway cluster for this file, a fresh
// database for each test. Missing binaries fail here, saying how to install them.
let cluster: PgCluster;
beforeAll(async () => {
  cluster = await startPgCluster();
});
afterAll(() => cluster?.stop());

storeContract('PgStore', async (now) => {
  const url = await cluster.createDatabase();
  let store = await PgStore.open({ url, now });
  return {
    store,
    reopen: async () => {
      await store.close();
      store = await PgStore.open({ url, now });
      return store;
    },
  };
});
