import { afterAll, beforeAll } from 'vitest';
import { catalogConformance } from '../support/catalog-conformance.ts';
import { createHarness, type Harness } from '../support/harness.ts';

// The same suite the memory adapters pass (test/unit/catalog-memory.test.ts), on PostgreSQL.
let h: Harness;
beforeAll(async () => {
  h = await createHarness();
});
afterAll(async () => h?.close());

catalogConformance('PostgreSQL', async () => ({ catalog: h.deps.catalog, docks: h.deps.docks }));
