import { MemoryCatalog } from '../../src/adapters/memory/catalog.ts';
import { CatalogTables } from '../../src/adapters/memory/catalog-tables.ts';
import { MemoryDocks } from '../../src/adapters/memory/docks.ts';
import { catalogConformance } from '../support/catalog-conformance.ts';

catalogConformance('memory', async () => {
  const tables = new CatalogTables();
  return { catalog: new MemoryCatalog(tables), docks: new MemoryDocks(tables) };
});
