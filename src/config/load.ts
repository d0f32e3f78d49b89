import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { z } from 'zod';
import { type Config, configSchema } from './schema.ts';

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** `minio.accessKey` → `EVIDOCK_MINIO_ACCESS_KEY`. */
export function envName(path: readonly string[]): string {
  return ['EVIDOCK', ...path.map((p) => p.replace(/([a-z0-9])([A-Z])/g, '$1_$2'))].join('_').toUpperCase();
}

type Leaf = { path: string[]; isArray: boolean };

function unwrap(schema: z.ZodType): z.ZodType {
  let current = schema as z.ZodType & { _zod: { def: { innerType?: z.ZodType } } };
  while (current._zod.def.innerType) current = current._zod.def.innerType as typeof current;
  return current;
}

/** Every settable key of the schema, for env overrides and for checking docker-compose. */
export function configLeaves(schema: z.ZodType = configSchema, prefix: string[] = []): Leaf[] {
  const inner = unwrap(schema);
  if (inner instanceof z.ZodObject) {
    return Object.entries(inner.shape as Record<string, z.ZodType>).flatMap(([key, child]) =>
      configLeaves(child, [...prefix, key]),
    );
  }
  return [{ path: prefix, isArray: inner instanceof z.ZodArray }];
}

function parseEnvValue(raw: string, isArray: boolean): unknown {
  const trimmed = raw.trim();
  if (isArray && !trimmed.startsWith('[')) return trimmed === '' ? [] : trimmed.split(',').map((s) => s.trim());
  try {
    return JSON.parse(trimmed);
  } catch {
    return raw;
  }
}

function setPath(target: Record<string, unknown>, path: string[], value: unknown): void {
  let node = target;
  for (const key of path.slice(0, -1)) {
    const next = node[key];
    if (typeof next !== 'object' || next === null || Array.isArray(next)) node[key] = {};
    node = node[key] as Record<string, unknown>;
  }
  node[path[path.length - 1]!] = value;
}

function describeIssues(error: z.ZodError, source: string): string {
  return error.issues
    .map((issue) => {
      const key = issue.path.join('.') || '(root)';
      const unknown = issue.code === 'unrecognized_keys' ? `: unknown key(s) ${issue.keys.join(', ')}` : `: ${issue.message}`;
      return `config key "${key}" (env ${envName(issue.path.map(String))})${unknown}`;
    })
    .map((line) => `  - ${line}`)
    .join('\n')
    .replace(/^/, `invalid configuration from ${source}:\n`);
}

export interface LoadOptions {
  /** Config file; default `$EVIDOCK_CONFIG` or `config/evidock.json` when it exists. */
  file?: string;
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** Values that win over file and environment (tests, CLI flags). */
  overrides?: Record<string, unknown>;
}

/** Reads file + environment, validates against the schema, resolves relative paths. Throws ConfigError naming each bad key. */
export function loadConfig(options: LoadOptions = {}): Config {
  const env = options.env ?? process.env;
  const cwd = options.cwd ?? process.cwd();
  const file = options.file ?? env.EVIDOCK_CONFIG ?? (existsSync(join(cwd, 'config/evidock.json')) ? 'config/evidock.json' : undefined);
  let raw: Record<string, unknown> = {};
  if (file) {
    const path = resolve(cwd, file);
    try {
      raw = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
    } catch (error) {
      throw new ConfigError(`cannot read config file ${path}: ${(error as Error).message}`);
    }
  }
  for (const leaf of configLeaves()) {
    const value = env[envName(leaf.path)];
    if (value !== undefined) setPath(raw, leaf.path, parseEnvValue(value, leaf.isArray));
  }
  for (const [dotted, value] of Object.entries(options.overrides ?? {})) setPath(raw, dotted.split('.'), value);
  const parsed = configSchema.safeParse(raw);
  if (!parsed.success) throw new ConfigError(describeIssues(parsed.error, file ? `${file} and environment` : 'environment'));
  const config = parsed.data;
  config.dataDir = resolve(cwd, config.dataDir);
  config.dock.paths = config.dock.paths.length === 0 ? [join(config.dataDir, 'dock')] : config.dock.paths.map((p) => resolve(cwd, p));
  if (config.minio.url && (!config.minio.accessKey || !config.minio.secretKey)) {
    throw new ConfigError('config key "minio.accessKey"/"minio.secretKey" (env EVIDOCK_MINIO_ACCESS_KEY, EVIDOCK_MINIO_SECRET_KEY): required when minio.url is set');
  }
  return config;
}
