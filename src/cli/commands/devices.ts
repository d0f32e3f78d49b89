import { assignDevice, checkSerial, registerDevice } from '../../app/access/register.ts';
import { assignmentJson, deviceJson } from '../../app/access/contracts.ts';
import { actingIn, byOption } from '../actor.ts';
import { type CliContext, isoDate, printJson } from '../context.ts';

/** The device register (regulation B6): model, type, custodian, and assignment to officers over time. */
export function registerDevices({ program, withCore }: CliContext): void {
  const devices = program.command('devices').description('the device register: devices, custodians, assignments');

  devices
    .command('list')
    .description('registered and docked devices, with the officer assigned now')
    .option('--json', 'print JSON (contract: docs/cli-json.md)')
    .action(async (opts: { json?: boolean }) => {
      const rows = (await withCore((core) => core.registry.devices())).map(deviceJson);
      if (opts.json) printJson(rows);
      else for (const d of rows) process.stdout.write(`${d.serial}  ${d.model ?? '-'}  ${d.type ?? '-'}  custodian ${d.custodianId ?? '-'}  officer ${d.officerId ?? '-'}\n`);
    });

  devices
    .command('register <serial>')
    .description('register a device (or change its model, type or custodian)')
    .option('--model <model>', 'device model; chooses the file-name parser (tagging.parsers)')
    .option('--type <type>', 'e.g. body-camera, camera, audio-recorder')
    .option('--custodian <badge>', 'the designated person responsible for it')
    .option('--reason <text>')
    .option(...byOption)
    .action(async (serial: string, opts: { model?: string; type?: string; custodian?: string; reason?: string; by?: string }) => {
      const outcome = await withCore(async (core, config) => {
        const { actor } = await actingIn(core, config, opts, 'devices:write');
        return registerDevice(core, { serial, model: opts.model ?? null, deviceType: opts.type ?? null, custodian: opts.custodian ?? null }, { actor, at: new Date(), reason: opts.reason ?? null });
      });
      process.stdout.write(`device ${serial} ${outcome}\n`);
    });

  devices
    .command('assign <serial> <badge>')
    .description('assign a device to an officer from a time on (history is kept; recordings already stored are re-tagged)')
    .option('--from <iso>', 'assigned from (default now)', isoDate)
    .option('--reason <text>')
    .option(...byOption)
    .action(async (serial: string, badge: string, opts: { from?: Date; reason?: string; by?: string }) => {
      const from = opts.from ?? new Date();
      const { retagged } = await withCore(async (core, config) => {
        const act = { actor: (await actingIn(core, config, opts, 'devices:write')).actor, at: new Date(), reason: opts.reason ?? null };
        // Recordings already stored from that time on now have another officer, and maybe another case: assigning rematches them.
        return assignDevice(core, serial, badge, from, act);
      });
      const changed = retagged.filter((o) => o.changed).length;
      process.stdout.write(`device ${serial} assigned to ${badge} from ${from.toISOString()}; ${retagged.length} recordings matched again, ${changed} changed\n`);
    });

  devices
    .command('history <serial>')
    .description("a device's assignments over time")
    .option('--json', 'print JSON (contract: docs/cli-json.md)')
    .action(async (serial: string, opts: { json?: boolean }) => {
      const rows = (await withCore((core) => core.registry.assignments(checkSerial(serial)))).map(assignmentJson);
      if (opts.json) printJson(rows);
      else for (const a of rows) process.stdout.write(`${a.from} → ${a.to ?? 'now'}  ${a.officerId ?? '(nobody)'}  by ${a.assignedBy}${a.reason ? `: ${a.reason}` : ''}\n`);
    });
}
