import type { AuditLog, LogReader } from '../ports/audit-log.ts';
import type { Credentials } from '../ports/credentials.ts';
import type { Registry } from '../ports/registry.ts';

/** The ports the HTTP API works with besides AppDeps (built by src/app/api-wiring.ts). */
export interface ApiServices {
  credentials: Credentials;
  registry: Registry;
  audit: AuditLog & LogReader;
}
