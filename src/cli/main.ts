#!/usr/bin/env node
import { Command } from 'commander';
import { ConfigError } from '../config/load.ts';
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
import { cliContext } from './context.ts';

// Evidence, working copies of originals, secrets and logs are for the service account (and its group to
// read, e.g. a backup agent), never for every local user: whatever this process creates starts 0640/0750.
process.umask(0o027);

const program = new Command('evidock')
  .description('Evidence ingestion for law-enforcement recorders')
  .option('-c, --config <file>', 'config file (default config/evidock.json)');

// One module per command; each registers itself on the program.
const context = cliContext(program);
for (const register of [registerStart, registerStatus, registerQuery, registerDevices, registerDevicesApprove, registerPeople, registerImport, registerTag, registerCase, registerTokens, registerPasswords, registerJobs, registerVerify, registerReindex, registerTrail, registerRetention]) register(context);

program.parseAsync().catch((error: Error) => {
  process.stderr.write(`evidock: ${error.message}\n`);
  // 78 (EX_CONFIG) tells a supervisor not to restart a daemon whose configuration is wrong.
  process.exit(error instanceof ConfigError ? 78 : 1);
});
