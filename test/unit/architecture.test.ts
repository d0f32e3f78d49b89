import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * The shape the code promises (docs/decisions.md, "One composition root"): only src/adapters/ talks to
 * infrastructure, only src/main/ builds adapters, and the layers import each other one way.
 */
const SRC = resolve(import.meta.dirname, '../../src');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return path.endsWith('.ts') ? [path] : [];
  });
}

const files = sourceFiles(SRC).map((path) => ({ rel: relative(SRC, path), text: readFileSync(path, 'utf8') }));

/** Packages that reach a server, a device, a child process or native code: adapters only. */
const INFRASTRUCTURE = ['pg', 'minio', 'bullmq', 'ioredis', 'sharp', 'usb', 'chokidar', 'fluent-ffmpeg', 'prom-client', '@bull-board/api', '@bull-board/fastify', 'node:child_process'];
/** The HTTP framework: the API's own business (and the adapters that plug into it). */
const WEB = ['fastify', '@fastify/cookie', '@fastify/static', '@fastify/swagger', '@fastify/swagger-ui'];

/** Every class exported by an adapter module. */
export function adapterClasses(sources: Array<{ rel: string; text: string }>): Set<string> {
  const names = sources.filter((f) => f.rel.startsWith('adapters/')).flatMap((f) => [...f.text.matchAll(/^export class (\w+)/gm)].map((m) => m[1]!));
  return new Set(names);
}

interface Import {
  specifier: string;
  typeOnly: boolean;
}

function importsOf(text: string): Import[] {
  const statics = [...text.matchAll(/^import\s+(type\s+)?[^;]*?from\s+'([^']+)'/gms)].map((m) => ({ specifier: m[2]!, typeOnly: Boolean(m[1]) }));
  const bare = [...text.matchAll(/^import\s+'([^']+)'/gm)].map((m) => ({ specifier: m[1]!, typeOnly: false }));
  const dynamic = [...text.matchAll(/import\(\s*'([^']+)'\s*\)/g)].map((m) => ({ specifier: m[1]!, typeOnly: false }));
  return [...statics, ...bare, ...dynamic];
}

const packageOf = (specifier: string) => (specifier.startsWith('@') ? specifier.split('/').slice(0, 2).join('/') : specifier.split('/')[0]!);

/** What a file outside the composition root and the adapters must not do; empty when it keeps to its place. */
export function constructionViolations(rel: string, text: string, classes: Set<string>): string[] {
  if (rel.startsWith('adapters/') || rel.startsWith('main/')) return [];
  const found: string[] = [];
  for (const m of text.matchAll(/\bnew\s+(\w+)/g)) if (classes.has(m[1]!)) found.push(`${rel}: constructs the adapter ${m[1]}`);
  for (const { specifier, typeOnly } of importsOf(text)) {
    const pkg = packageOf(specifier);
    if (INFRASTRUCTURE.includes(pkg) || INFRASTRUCTURE.includes(specifier)) found.push(`${rel}: imports ${specifier}`);
    else if (WEB.includes(pkg) && !rel.startsWith('api/')) found.push(`${rel}: imports ${specifier} outside src/api`);
    else if (!typeOnly && /(^|\/)adapters\//.test(specifier)) found.push(`${rel}: takes ${specifier} (only src/main builds from adapters)`);
  }
  return found;
}

/** Import cycles among `sources` (relative imports), each as a path of files. */
export function importCycles(sources: Array<{ rel: string; text: string }>): string[] {
  const known = new Set(sources.map((f) => f.rel));
  const graph = new Map(sources.map((f) => [f.rel, importsOf(f.text).filter((i) => i.specifier.startsWith('.')).map((i) => relative(SRC, resolve(SRC, dirname(f.rel), i.specifier))).filter((r) => known.has(r))]));
  const state = new Map<string, 'open' | 'done'>();
  const cycles: string[] = [];
  const visit = (file: string, path: string[]) => {
    state.set(file, 'open');
    path.push(file);
    for (const next of graph.get(file) ?? []) {
      if (state.get(next) === 'open') cycles.push([...path.slice(path.indexOf(next)), next].join(' → '));
      else if (!state.has(next)) visit(next, path);
    }
    path.pop();
    state.set(file, 'done');
  };
  for (const file of graph.keys()) if (!state.has(file)) visit(file, []);
  return cycles;
}

describe('one composition root', () => {
  const classes = adapterClasses(files);

  it('finds the adapter classes it guards (the check below is not vacuous)', () => {
    for (const name of ['PgCatalog', 'PgAuditLog', 'MinioObjectStore', 'BullJobQueues', 'FfmpegTools', 'FolderDeviceSource', 'NodeUsbWatcher']) expect(classes).toContain(name);
  });

  it('no file outside src/adapters/ and src/main/ constructs an adapter or imports an infrastructure package', () => {
    expect(files.flatMap((f) => constructionViolations(f.rel, f.text, classes))).toEqual([]);
  });

  it('the check names each kind of breach, and lets the composition root, the adapters and the API do their part', () => {
    const breach = [
      "import pg from 'pg';",
      "import { Queue } from 'bullmq';",
      "import { FolderDeviceSource } from '../../adapters/folder-device-source.ts';",
      "import type { FastifyInstance } from 'fastify';",
      'const source = new FolderDeviceSource(paths, 500);',
      "const { execFile } = await import('node:child_process');",
    ].join('\n');
    expect(constructionViolations('app/dock/docking.ts', breach, classes)).toEqual([
      'app/dock/docking.ts: constructs the adapter FolderDeviceSource',
      'app/dock/docking.ts: imports pg',
      'app/dock/docking.ts: imports bullmq',
      'app/dock/docking.ts: takes ../../adapters/folder-device-source.ts (only src/main builds from adapters)',
      'app/dock/docking.ts: imports fastify outside src/api',
      'app/dock/docking.ts: imports node:child_process',
    ]);
    expect(constructionViolations('main/compose.ts', breach, classes)).toEqual([]);
    expect(constructionViolations('adapters/bullmq-jobs.ts', breach, classes)).toEqual([]);
    expect(constructionViolations('api/server.ts', "import Fastify from 'fastify';\nimport cookie from '@fastify/cookie';\nimport type { DeviceSource } from '../ports/device-source.ts';", classes)).toEqual([]);
    // A port type from an adapter module names no construction; a value does.
    expect(constructionViolations('app/x.ts', "import type { PgPool } from '../adapters/postgres/transaction.ts';", classes)).toEqual([]);
  });
});

describe('layers import one way', () => {
  it('src has no import cycle', () => {
    expect(importCycles(files)).toEqual([]);
  });

  it('the cycle check finds a circle through a route table', () => {
    const circle = [
      { rel: 'api/server.ts', text: "import { itemRoutes } from './routes/items.ts';" },
      { rel: 'api/routes/items.ts', text: "import { ApiError } from '../server.ts';" },
      { rel: 'api/errors.ts', text: '' },
    ];
    expect(importCycles(circle)).toEqual(['api/server.ts → api/routes/items.ts → api/server.ts']);
  });

  it('use cases and the API never import the composition root, the CLI or each other the wrong way', () => {
    const wrong = files.flatMap((f) =>
      importsOf(f.text)
        .filter((i) => i.specifier.startsWith('.'))
        .map((i) => relative(SRC, resolve(SRC, dirname(f.rel), i.specifier)))
        .filter((target) => {
          // The domain works on plain data: its own and the configuration's shapes.
          if (f.rel.startsWith('domain/')) return !target.startsWith('domain/') && !target.startsWith('config/');
          if (f.rel.startsWith('app/')) return ['api/', 'main/', 'cli/', 'adapters/'].some((layer) => target.startsWith(layer));
          if (f.rel.startsWith('api/')) return ['main/', 'cli/', 'adapters/'].some((layer) => target.startsWith(layer));
          return false;
        })
        .map((target) => `${f.rel} → ${target}`),
    );
    expect(wrong).toEqual([]);
  });
});
