import { accessSync, constants, cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CopyLine, runtimeCopies, runtimeWorkdir } from '../support/dockerfile.ts';
import { buildDistInto, linkProductionModules, repoRoot, runNode } from '../support/production-tree.ts';

/**
 * The production package: compiled JavaScript and production dependencies only. No `npm ci --omit=dev` can
 * run here (no registry, and the shared node_modules must not change), so the tests build dist/ with the
 * real build script into a temporary folder, give it a node_modules holding links to the lockfile's
 * non-dev packages only, and run node there: an import of tsx, typescript or any other devDependency then
 * fails exactly as after a production install (checked below, so the isolation itself is tested).
 */
const work = mkdtempSync(join(tmpdir(), 'evidock-build-'));
/** The build stage's /app: the checkout's files the build needs, the built dist/, production node_modules. */
const buildStage = join(work, 'build');

beforeAll(async () => {
  await buildDistInto(join(buildStage, 'dist'));
  linkProductionModules(buildStage);
}, 180_000);
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** Files under `folder`, relative, sorted. */
function filesUnder(folder: string, prefix = ''): string[] {
  return readdirSync(folder).flatMap((name) => {
    const path = join(folder, name);
    return statSync(path).isDirectory() ? filesUnder(path, `${prefix}${name}/`) : [`${prefix}${name}`];
  }).sort();
}

/** Loads what the daemon reads from disk at run time, from the compiled modules' own paths. */
const probe = `
import { accessSync, constants, existsSync } from 'node:fs';
const root = process.cwd() + '/';
const { loadChecklist } = await import(root + 'dist/config/checklist-file.js');
const { migrationNames } = await import(root + 'dist/adapters/postgres/migrate.js');
accessSync(root + 'dist/adapters/ffmpeg/ffmpeg-child.sh', constants.X_OK);
if (!existsSync(root + 'web/index.html')) throw new Error('web/index.html is missing');
console.log(JSON.stringify({ checklist: Object.keys(loadChecklist(null)).length, migrations: migrationNames() }));
`;

describe('npm run build', () => {
  it('compiles every source module and copies the files they load (migrations, the ffmpeg wrapper)', () => {
    const dist = join(buildStage, 'dist');
    const sources = filesUnder(join(repoRoot, 'src'));
    const built = new Set(filesUnder(dist));
    const expected = sources.map((file) => file.replace(/\.ts$/, '.js'));
    expect(expected.filter((file) => !built.has(file))).toEqual([]);
    accessSync(join(dist, 'adapters/ffmpeg/ffmpeg-child.sh'), constants.X_OK);
    // Relative imports point at .js files that exist (rewriteRelativeImportExtensions), never at .ts.
    const main = readFileSync(join(dist, 'cli/main.js'), 'utf8');
    expect(main).toMatch(/from ["']\.\/commands\/start\.js["']/);
    expect(main).not.toMatch(/from ["'][^"']+\.ts["']/);
  });
});

describe('the package without TypeScript tooling (production dependencies only)', () => {
  let pkg: string;
  beforeAll(() => {
    pkg = join(work, 'package');
    for (const name of ['package.json', 'package-lock.json', 'bin', 'config', 'web']) cpSync(join(repoRoot, name), join(pkg, name), { recursive: true });
    cpSync(join(buildStage, 'dist'), join(pkg, 'dist'), { recursive: true });
    linkProductionModules(pkg);
  });

  it('hides the devDependencies, as `npm ci --omit=dev` would (or the checks below prove nothing)', async () => {
    // (typescript itself stays: npm marks it devOptional, an optional peer of a production package, and
    // --omit=dev keeps those. Nothing in dist/ imports it.)
    for (const devOnly of ['tsx', 'vitest', '@types/node']) {
      const run = await runNode(['--input-type=module', '-e', `await import('${devOnly}')`], pkg);
      expect(run.code, devOnly).not.toBe(0);
      expect(run.stderr, devOnly).toContain('ERR_MODULE_NOT_FOUND');
    }
    const pino = await runNode(['--input-type=module', '-e', `await import('pino')`], pkg);
    expect(pino.stderr).toBe('');
  }, 60_000);

  it('node dist/cli/main.js --help and the installed bin/evidock.js both work', async () => {
    for (const entry of ['dist/cli/main.js', 'bin/evidock.js']) {
      const run = await runNode([entry, '--help'], pkg);
      expect(run.stderr, entry).toBe('');
      expect(run.code, entry).toBe(0);
      expect(run.stdout, entry).toContain('Usage: evidock');
    }
  }, 60_000);

  it('every compiled module loads: the whole import graph reaches only production dependencies', async () => {
    // cli/main.js runs the CLI when imported; the test above runs it.
    const modules = filesUnder(join(pkg, 'dist')).filter((file) => file.endsWith('.js') && file !== 'cli/main.js');
    const script = `for (const m of ${JSON.stringify(modules)}) await import(process.cwd() + '/dist/' + m);`;
    const run = await runNode(['--input-type=module', '-e', script], pkg);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
  }, 60_000);
});

describe("the Dockerfile's runtime stage (no Docker engine here: assembled from its COPY lines)", () => {
  const dockerfile = readFileSync(join(repoRoot, 'Dockerfile'), 'utf8');
  const workdir = runtimeWorkdir(dockerfile);

  /** A folder holding exactly what `copies` put into the runtime stage's WORKDIR. */
  function assemble(name: string, copies: CopyLine[]): string {
    const image = join(work, name);
    for (const copy of copies) {
      const context = copy.from === null ? repoRoot : buildStage;
      for (const source of copy.sources) {
        // --from=build paths are absolute in the build stage, whose WORKDIR is the same /app.
        const relativeSource = copy.from === null ? source : source.replace(new RegExp(`^${workdir}/?`), '');
        const target = copy.destination.endsWith('/') || copy.sources.length > 1
          ? join(image, copy.destination, relativeSource.split('/').at(-1)!)
          : join(image, copy.destination);
        cpSync(join(context, relativeSource), target, { recursive: true, verbatimSymlinks: true });
      }
    }
    writeFileSync(join(work, `${name}-probe.mjs`), probe);
    return image;
  }

  it('copies everything the CLI and the daemon load: --help runs, the checklist, migrations, web page and ffmpeg wrapper are there', async () => {
    const copies = runtimeCopies(dockerfile);
    expect(copies.map((c) => c.destination)).toContain('./dist');
    const image = assemble('image', copies);
    const help = await runNode(['dist/cli/main.js', '--help'], image);
    expect(help.stderr).toBe('');
    expect(help.code).toBe(0);
    const loaded = await runNode([join(work, 'image-probe.mjs')], image);
    expect(loaded.stderr).toBe('');
    const result = JSON.parse(loaded.stdout) as { checklist: number; migrations: string[] };
    expect(result.checklist).toBeGreaterThan(0);
    expect(result.migrations).toEqual(readdirSync(join(repoRoot, 'src/adapters/postgres/migrations')).filter((f) => f.endsWith('.sql')).sort());
  }, 60_000);

  it('would fail if the stage forgot config/ (the check can catch a missing COPY)', async () => {
    const copies = runtimeCopies(dockerfile).filter((copy) => !copy.sources.includes('config'));
    const image = assemble('image-without-config', copies);
    const loaded = await runNode([join(work, 'image-without-config-probe.mjs')], image);
    expect(loaded.code).not.toBe(0);
    expect(loaded.stderr).toMatch(/recording checklist .*config\/checklist\.json is not usable/);
  }, 60_000);
});
