import { MemoryStore } from '../../src/store/memory/memory-store.js';
import { storeContract } from './store-contract.js';

// Not durable: the reopen case does not apply to it.
storeContract('MemoryStore', async (now) => ({ store: new MemoryStore({ now }) }), false);
