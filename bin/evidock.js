#!/usr/bin/env node
// The installed `evidock` command: runs the compiled JavaScript in dist/ (`npm run build`), so a production
// install needs no TypeScript tooling. From a checkout without a build, `npm run evidock -- <args>` runs the
// sources through tsx instead.
import { existsSync } from 'node:fs';

const main = new URL('../dist/cli/main.js', import.meta.url);
if (!existsSync(main)) {
  process.stderr.write('evidock: dist/ is missing; run `npm run build` first (or `npm run evidock -- <args>` from a checkout)\n');
  process.exit(78);
}
await import(main.href);
