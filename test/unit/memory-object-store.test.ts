import { ManualClock } from '../../src/adapters/memory/manual-clock.ts';
import { MemoryObjectLock } from '../../src/adapters/memory/memory-object-lock.ts';
import { MemoryObjectStore } from '../../src/adapters/memory/memory-object-store.ts';
import { describeObjectStoreConformance } from '../support/conformance/object-store.ts';

describeObjectStoreConformance('memory', async () => {
  const clock = new ManualClock(new Date());
  const store = new MemoryObjectStore(clock);
  return {
    store,
    lock: new MemoryObjectLock(store.bucket),
    removeFromOutside: async (key, versionId, bypassGovernance) => store.bucket.remove(key, versionId, { bypassGovernance }),
    now: () => clock.now(),
    elapse: async (ms) => void clock.advance(ms),
  };
});
