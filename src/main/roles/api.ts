import { buildApiServer } from '../../api/server.ts';
import type { System } from '../compose.ts';
import type { RunningRole } from './role.ts';

/** The HTTP API and web page on `api.host:api.port`. */
export async function startApiRole(system: System): Promise<RunningRole & { address: string }> {
  const api = await buildApiServer(system);
  const address = await api.listen({ host: system.config.api.host, port: system.config.api.port });
  // Closed in phase 1: no new requests while jobs finish.
  return { name: 'api', address, workers: [], stopIntake: () => api.close() };
}
