// `npm run build`: compiles src/ to dist/ (tsconfig.build.json rewrites the `.ts` import extensions to
// `.js`), then copies the files the compiled code loads next to itself (SQL migrations, the ffmpeg wrapper
// script), keeping their mode so the wrapper stays executable. dist/ is emptied first so a deleted source
// leaves no stale module behind. `node scripts/build.mjs <folder>` builds into another folder (tests).
import { execFileSync } from 'node:child_process';
import { cpSync, readdirSync, rmSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const src = join(root, 'src');
const dist = process.argv[2] ? resolve(process.argv[2]) : join(root, 'dist');

rmSync(dist, { recursive: true, force: true });
execFileSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', join(root, 'tsconfig.build.json'), '--outDir', dist], { stdio: 'inherit' });

/** Every file under `folder` that tsc does not handle (anything but .ts). */
function runtimeAssets(folder) {
  return readdirSync(folder).flatMap((name) => {
    const path = join(folder, name);
    if (statSync(path).isDirectory()) return runtimeAssets(path);
    return name.endsWith('.ts') ? [] : [path];
  });
}

for (const asset of runtimeAssets(src)) cpSync(asset, join(dist, relative(src, asset)), { preserveTimestamps: true });
