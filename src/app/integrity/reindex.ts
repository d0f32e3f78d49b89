import type { SerialSource } from '../../domain/identity.ts';
import { custodyEvent } from '../../domain/custody.ts';
import { itemFromManifest } from '../../domain/manifest-restore.ts';
import type { AuditLog, LogReader } from '../../ports/audit-log.ts';
import type { Catalog } from '../../ports/catalog.ts';
import type { Docks } from '../../ports/docks.ts';
import type { Clock } from '../../ports/clock.ts';
import type { ObjectListing } from '../../ports/object-lock.ts';
import type { ObjectStore } from '../../ports/object-store.ts';
import { readSeals } from './seals.ts';

export interface ReindexDeps {
  catalog: Catalog;
  docks: Pick<Docks, 'upsertDevice' | 'openSession'>;
  store: ObjectStore;
  objects: ObjectListing;
  audit: AuditLog;
  logReader: LogReader;
  clock: Clock;
}

export interface ReindexReport {
  manifests: number;
  restored: number;
  alreadyPresent: number;
  invalid: Array<{ key: string; problem: string }>;
}

const MANIFEST = /^items\/[^/]+\/manifest\.json$/;

/**
 * Rebuilds the evidence catalog (items, their devices, sessions and device files, first tags) from the
 * manifests in the bucket. Items already in the catalog are left as they are, so a run that stopped
 * halfway can simply be run again. The rebuild is an audit event naming the chains whose seals are in
 * the bucket but whose log is not in this database, so verify knows they were replaced knowingly.
 */
export async function reindexCatalog(
  deps: ReindexDeps,
  who: { actor: string; from: string },
  onProgress?: (report: ReindexReport) => void,
): Promise<ReindexReport> {
  const { catalog, store, objects, clock } = deps;
  const report: ReindexReport = { manifests: 0, restored: 0, alreadyPresent: 0, invalid: [] };
  for await (const key of objects.keys('items/')) {
    if (!MANIFEST.test(key)) continue;
    report.manifests += 1;
    let restored;
    try {
      const chunks: Buffer[] = [];
      for await (const chunk of await store.read(key)) chunks.push(chunk as Buffer);
      restored = itemFromManifest(JSON.parse(Buffer.concat(chunks).toString('utf8')), key);
    } catch (error) {
      report.invalid.push({ key, problem: (error as Error).message });
      continue;
    }
    const { item, mediaMtime, securedBy } = restored;
    const version = (await store.stat(key))?.versionId ?? null;
    // The manifest does not say how the serial was found: the register keeps what a later dock tells.
    await deps.docks.upsertDevice({ serial: item.deviceSerial, serialSource: 'reindexed' as SerialSource, label: null, seenAt: item.securedAt });
    await deps.docks.openSession({
      id: item.sessionId, deviceSerial: item.deviceSerial, dockHost: securedBy, mountPath: '(rebuilt by reindex)', startedAt: item.securedAt,
      state: 'secured', reason: 'rebuilt from the manifests by reindex',
    });
    const outcome = await catalog.recordSecured({
      item,
      mtimeMs: mediaMtime.getTime(),
      events: [custodyEvent('reindexed', clock.now(), who.actor, { itemId: item.id, sessionId: item.sessionId, deviceSerial: item.deviceSerial, filePath: item.originalPath }, { manifestKey: key, manifestVersion: version })],
    });
    if (outcome === 'inserted') report.restored += 1;
    else report.alreadyPresent += 1;
    onProgress?.(report);
  }
  const chainId = await deps.logReader.chainId();
  const previousChains = [...(await readSeals(deps)).keys()].filter((c) => c !== chainId);
  await deps.audit.append({
    actor: who.actor, action: 'reindex', target: 'catalog', reason: null, result: report.invalid.length === 0 ? 'ok' : 'failed', from: who.from,
    details: { manifests: report.manifests, restored: report.restored, alreadyPresent: report.alreadyPresent, invalid: report.invalid.length, previousChains },
  }, clock.now());
  return report;
}
