import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, symlinkSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';

export const repoRoot = join(import.meta.dirname, '../..');

/** `npm run build` into `folder` (scripts/build.mjs with an output folder): the same compile and asset copy. */
export async function buildDistInto(folder: string): Promise<void> {
  await promisify(execFile)(process.execPath, [join(repoRoot, 'scripts/build.mjs'), folder], { cwd: repoRoot, maxBuffer: 16 << 20 });
}

/**
 * Top-level packages a production install (`npm ci --omit=dev`) would put in node_modules: every package of
 * the lockfile not marked `dev` (dependencies and what they need), that is present on this machine
 * (optional platform packages of other systems are not).
 */
export function productionPackages(): string[] {
  const lock = JSON.parse(readFileSync(join(repoRoot, 'package-lock.json'), 'utf8')) as { packages: Record<string, { dev?: boolean }> };
  return Object.entries(lock.packages)
    .filter(([path, entry]) => /^node_modules\/(@[^/]+\/)?[^/]+$/.test(path) && entry.dev !== true)
    .map(([path]) => path.slice('node_modules/'.length))
    .filter((name) => existsSync(join(repoRoot, 'node_modules', name)));
}

/**
 * A node_modules in `folder` holding links to the production packages only. Node resolves a bare import
 * from the folder's own files through this node_modules, so an import of a devDependency (tsx, typescript,
 * vitest, ...) fails with ERR_MODULE_NOT_FOUND there as it would after `npm ci --omit=dev`. (Packages reached
 * through a link resolve their own imports from the shared install, by real path; npm's `dev` flag already
 * covers what they need.)
 */
export function linkProductionModules(folder: string): void {
  for (const name of productionPackages()) {
    const link = join(folder, 'node_modules', name);
    mkdirSync(dirname(link), { recursive: true });
    symlinkSync(join(repoRoot, 'node_modules', name), link, 'dir');
  }
}

/** Runs node in `cwd` with a clean module environment; never throws on a non-zero exit. */
export async function runNode(args: string[], cwd: string, env: NodeJS.ProcessEnv = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('EVIDOCK_') && k !== 'NODE_PATH' && k !== 'NODE_OPTIONS'));
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, args, { cwd, env: { ...clean, ...env }, maxBuffer: 16 << 20 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === 'number' ? e.code : 1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}
