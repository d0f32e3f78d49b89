import { custodyEvent } from '../../domain/custody.ts';
import type { Catalog } from '../../ports/catalog.ts';
import type { Docks } from '../../ports/docks.ts';

/**
 * An admin approves a device: it is ingested whenever it docks from now on, and sessions held for it
 * move to `waiting` (their dock host starts them at its next tick). Appended with who, when and why.
 */
export async function approveDevice(core: { docks: Docks; catalog: Catalog }, serial: string, act: { actor: string; at: Date; reason: string | null }) {
  const result = await core.docks.approve(serial, act);
  if (result.outcome === 'unknown') {
    throw new Error(`no device with serial "${serial}" has docked or been registered; "evidock devices list" shows the serials evidock knows`);
  }
  if (result.outcome === 'approved') {
    await core.catalog.addCustodyEvents([
      custodyEvent('device-approved', act.at, act.actor, { deviceSerial: serial }, { reason: act.reason, releasedSessions: result.released }),
    ]);
  }
  return result;
}
