#!/usr/bin/env node
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Command, CommanderError } from 'commander';
import { registerReindex } from './commands/reindex.ts';
import { registerRetention } from './commands/retention.ts';
import { registerTrail } from './commands/trail.ts';
import { registerVerify } from './commands/verify.ts';
import { registerCase } from './commands/case.ts';
import { registerDevices } from './commands/devices.ts';
import { registerDevicesApprove } from './commands/devices-approve.ts';
import { registerImport } from './commands/import.ts';
import { registerJobs } from './commands/jobs.ts';
import { registerPeople } from './commands/people.ts';
import { registerTag } from './commands/tag.ts';
import { registerPasswords } from './commands/passwords.ts';
import { registerTokens } from './commands/tokens.ts';
import { registerQuery } from './commands/query.ts';
import { registerStart } from './commands/start.ts';
import { registerStatus } from './commands/status.ts';
import { registerUdevRules } from './commands/udev-rules.ts';
import { cliContext } from './context.ts';
import { failureOf } from './exit-codes.ts';
import { agencyZoneHelp, useAgencyZone } from './times.ts';

// `evidock devices list | head`: the reader went away; that is the end of the output, not an error.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});

let commanderPrinted = false;

// Same relative place from src/cli and dist/cli.
const { version } = JSON.parse(readFileSync(join(import.meta.dirname, '../../package.json'), 'utf8')) as { version: string };

// Evidence, working copies of originals, secrets and logs are for the service account (and its group to
// read, e.g. a backup agent), never for every local user: whatever this process creates starts 0640/0750.
process.umask(0o027);

const program = new Command('evidock')
  .description('Evidence ingestion for law-enforcement recorders')
  .version(version, '-V, --version', 'print the version')
  .option('-c, --config <file>', 'config file (default config/evidock.json)')
  // Usage errors become exceptions (exit 2, and a JSON error under --json) instead of commander's exit 1;
  // set before the commands are added, which inherit it.
  .exitOverride()
  // Remember whether commander printed a usage error itself, so it is not printed twice.
  .configureOutput({ writeErr: (text) => { commanderPrinted = true; process.stderr.write(text); } });

// One module per command; each registers itself on the program.
const context = cliContext(program);
useAgencyZone(() => context.config().timeZone);
program.addHelpText('after', () => agencyZoneHelp(context));
for (const register of [registerStart, registerStatus, registerQuery, registerDevices, registerDevicesApprove, registerPeople, registerImport, registerTag, registerCase, registerTokens, registerPasswords, registerJobs, registerVerify, registerReindex, registerTrail, registerRetention, registerUdevRules]) register(context);

program.parseAsync().catch((error: unknown) => {
  // --help and --version end through the override too, with commander's own code 0.
  if (error instanceof CommanderError && error.exitCode === 0) process.exit(0);
  const failure = failureOf(error);
  if (!commanderPrinted) process.stderr.write(`evidock: ${failure.message}\n`);
  if (process.argv.includes('--json')) process.stdout.write(`${JSON.stringify({ error: { code: failure.code, message: failure.message } })}\n`);
  process.exit(failure.exitCode);
});
