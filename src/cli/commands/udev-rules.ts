import { udevRules } from '../../domain/udev-rules.ts';
import type { CliContext } from '../context.ts';

export function registerUdevRules({ program, config }: CliContext): void {
  program
    .command('udev-rules')
    .description('print udev rules for the configured recorder models (read-only mounts for models that are never wiped)')
    .option('--user <name>', 'owner of the mounted files (the daemon user)', 'evidock')
    .option('--group <name>', 'group of the USB devices and the mounted files', 'evidock')
    .option('--mount-root <dir>', 'where each recorder is mounted (must be one of devices.mountRoots)', '/media/evidock')
    .action((opts: { user: string; group: string; mountRoot: string }) => {
      process.stdout.write(udevRules(config().devices.models, opts));
    });
}
