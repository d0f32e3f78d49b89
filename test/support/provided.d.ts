import type { ServiceEndpoints } from '../../src/adapters/embedded/services.ts';
import type { Config } from '../../src/config/schema.ts';

/** What test/support/global-setup.ts hands to integration tests through `inject(...)`. */
declare module 'vitest' {
  export interface ProvidedContext {
    /** Redis, PostgreSQL and MinIO of this test run (embedded or from EVIDOCK_TEST_* variables). */
    endpoints: ServiceEndpoints;
    /** The config the services were started with: its urls are null for the embedded ones. */
    servicesConfig: Config;
  }
}
