import { approveDevice } from '../../app/dock/approval.ts';
import { actingIn, byOption } from '../actor.ts';
import type { CliContext } from '../context.ts';

/** `evidock devices approve <serial>`: a subcommand of `devices` (registered by devices.ts, before this). */
export function registerDevicesApprove({ program, withCore }: CliContext): void {
  const devices = program.commands.find((c) => c.name() === 'devices');
  if (!devices) throw new Error('registerDevicesApprove needs the devices command registered first');
  devices
    .command('approve <serial>')
    .description('approve a pending device: it is ingested now (if docked and held) and whenever it docks')
    .option('--reason <text>')
    .option(...byOption)
    .action(async (serial: string, opts: { reason?: string; by?: string }) => {
      const result = await withCore(async (core, config) => approveDevice(core, serial, { actor: (await actingIn(core, config, opts, 'devices:write')).actor, at: new Date(), reason: opts.reason ?? null }));
      const held = result.released > 0 ? `; ${result.released} held session(s) start shortly` : '';
      process.stdout.write(`device ${serial} ${result.outcome === 'approved' ? 'approved' : 'was already approved'}${held}\n`);
    });
}
