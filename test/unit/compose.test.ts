import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { configLeaves, envName } from '../../src/config/load.ts';
import { runtimeStage } from '../support/dockerfile.ts';

/**
 * docker-compose.yml is what users run: it must start the three servers the way evidock needs them,
 * configure the daemon only with names evidock really reads, and carry no secret.
 */
const composeText = readFileSync(new URL('../../docker-compose.yml', import.meta.url), 'utf8');
const dockerfile = readFileSync(new URL('../../Dockerfile', import.meta.url), 'utf8');

interface Service {
  image?: string;
  build?: unknown;
  command?: string | string[];
  environment?: Record<string, string | number | boolean | null> | string[];
  healthcheck?: { test?: string | string[]; disable?: boolean };
  depends_on?: string[] | Record<string, { condition?: string }>;
  volumes?: Array<string | { type?: string; source?: string; target?: string }>;
}
const compose = parse(composeText) as { services: Record<string, Service> };
const services = compose.services;

/** A service's environment as a map, whichever of the two compose forms it uses. */
function envOf(service: Service): Record<string, string> {
  const env = service.environment ?? {};
  if (Array.isArray(env)) {
    return Object.fromEntries(env.map((entry) => {
      const at = entry.indexOf('=');
      return at < 0 ? [entry, ''] : [entry.slice(0, at), entry.slice(at + 1)];
    }));
  }
  return Object.fromEntries(Object.entries(env).map(([k, v]) => [k, v === null ? '' : String(v)]));
}

const commandOf = (service: Service) => (Array.isArray(service.command) ? service.command.join(' ') : service.command ?? '');
const volumeTargets = (service: Service) =>
  (service.volumes ?? []).map((v) => (typeof v === 'string' ? v.split(':')[1] : v.target));

/** `${NAME}`, `${NAME?msg}` or `${NAME:?msg}`: a value that must come from the environment, with no default. */
const REQUIRED_INTERPOLATION = /^\$\{[A-Za-z_][A-Za-z0-9_]*(:?\?[^}]*)?\}$/;
/** Replaces each `${...}` with a placeholder so URLs holding interpolations can be parsed. */
const placeholders = (value: string) => value.replace(/\$\{[^}]*\}/g, 'INTERPOLATED');

const configEnvNames = new Set(configLeaves().map((leaf) => envName(leaf.path)));
const evidock = services.evidock!;
const evidockEnv = envOf(evidock);

describe('docker-compose.yml', () => {
  it('has redis, postgres, minio and evidock, each with a healthcheck', () => {
    for (const name of ['redis', 'postgres', 'minio', 'evidock']) {
      const service = services[name];
      expect(service, `service ${name}`).toBeDefined();
      expect(service!.healthcheck?.disable, `${name} healthcheck disabled`).not.toBe(true);
      const test = service!.healthcheck?.test;
      expect(Array.isArray(test) ? test.length : (test ?? '').length, `${name} healthcheck test`).toBeGreaterThan(0);
      if (Array.isArray(test)) expect(['CMD', 'CMD-SHELL']).toContain(test[0]);
    }
  });

  it('runs redis with an append-only file and without eviction', () => {
    const command = commandOf(services.redis!);
    expect(command).toMatch(/--appendonly\s+yes\b/);
    expect(command).toMatch(/--maxmemory-policy\s+noeviction\b/);
    expect(command).toMatch(/--requirepass\b/);
  });

  it('names only real config keys in the evidock environment', () => {
    const names = Object.keys(evidockEnv);
    expect(names.length).toBeGreaterThan(0);
    const unknown = names.filter((name) => !configEnvNames.has(name));
    expect(unknown, `not config keys (known: ${[...configEnvNames].join(', ')})`).toEqual([]);
  });

  it('points evidock at the redis, postgres and minio services with their keys', () => {
    for (const name of ['EVIDOCK_REDIS_URL', 'EVIDOCK_POSTGRES_URL', 'EVIDOCK_MINIO_URL', 'EVIDOCK_MINIO_ACCESS_KEY', 'EVIDOCK_MINIO_SECRET_KEY']) {
      expect(evidockEnv[name], name).toBeTruthy();
    }
    const redis = new URL(placeholders(evidockEnv.EVIDOCK_REDIS_URL!));
    expect(redis.protocol).toBe('redis:');
    expect(redis.hostname).toBe('redis');
    expect(redis.password).toBe('INTERPOLATED');
    const postgres = new URL(placeholders(evidockEnv.EVIDOCK_POSTGRES_URL!));
    expect(['postgres:', 'postgresql:']).toContain(postgres.protocol);
    expect(postgres.hostname).toBe('postgres');
    expect(postgres.password).toBe('INTERPOLATED');
    expect(new URL(placeholders(evidockEnv.EVIDOCK_MINIO_URL!)).hostname).toBe('minio');

    // The same credentials on both ends.
    const minioEnv = envOf(services.minio!);
    expect(evidockEnv.EVIDOCK_MINIO_ACCESS_KEY).toBe(minioEnv.MINIO_ROOT_USER);
    expect(evidockEnv.EVIDOCK_MINIO_SECRET_KEY).toBe(minioEnv.MINIO_ROOT_PASSWORD);
    const postgresEnv = envOf(services.postgres!);
    expect(postgres.username).toBe(postgresEnv.POSTGRES_USER);
    expect(postgres.pathname).toBe(`/${postgresEnv.POSTGRES_DB}`);
    expect(evidockEnv.EVIDOCK_POSTGRES_URL).toContain(`:${postgresEnv.POSTGRES_PASSWORD}@`);
    expect(evidockEnv.EVIDOCK_REDIS_URL).toContain(`:${envOf(services.redis!).REDIS_PASSWORD}@`);
  });

  it('starts evidock only once its three servers are healthy', () => {
    const dependsOn = evidock.depends_on;
    expect(dependsOn).toBeDefined();
    expect(Array.isArray(dependsOn)).toBe(false);
    for (const name of ['redis', 'postgres', 'minio']) {
      expect((dependsOn as Record<string, { condition?: string }>)[name]?.condition, name).toBe('service_healthy');
    }
  });

  it('mounts the dock folder and the data dir where the config says they are', () => {
    expect(evidockEnv.EVIDOCK_DOCK_PATHS).toBe('/dock');
    expect(volumeTargets(evidock)).toContain('/dock');
    expect(volumeTargets(evidock)).toContain(evidockEnv.EVIDOCK_DATA_DIR);
  });

  it('holds no literal secret: every password, secret or key value is a required ${...} interpolation', () => {
    const offenders: string[] = [];
    for (const [serviceName, service] of Object.entries(services)) {
      for (const [name, value] of Object.entries(envOf(service))) {
        if (/PASSWORD|SECRET|KEY/i.test(name) && !REQUIRED_INTERPOLATION.test(value)) offenders.push(`${serviceName}.${name}=${value}`);
        // Credentials inside URLs too.
        if (/^[a-z][a-z0-9+.-]*:\/\/[^/@]*@/i.test(value)) {
          const userinfo = value.slice(value.indexOf('://') + 3, value.indexOf('@'));
          const password = userinfo.includes(':') ? userinfo.slice(userinfo.indexOf(':') + 1) : '';
          if (password && !REQUIRED_INTERPOLATION.test(password)) offenders.push(`${serviceName}.${name}: URL password ${password}`);
        }
      }
    }
    // Nowhere in the file may a secret-looking variable fall back to a default (`${X_PASSWORD:-hunter2}`).
    for (const match of composeText.matchAll(/\$\{([A-Za-z0-9_]+):?-([^}]*)\}/g)) {
      if (/PASSWORD|SECRET|KEY/i.test(match[1]!)) offenders.push(`default for ${match[1]}: ${match[2]}`);
    }
    expect(offenders).toEqual([]);
  });
});

describe('Dockerfile', () => {
  it('builds on the Node LTS that CI tests (scripts/node-lts.sh) with ffmpeg, installs with npm ci and runs the daemon', () => {
    const lts = /NODE_LTS_VERSION:-(\d+)\./.exec(readFileSync(new URL('../../scripts/node-lts.sh', import.meta.url), 'utf8'))![1];
    expect(dockerfile).toMatch(new RegExp(`^FROM node:${lts}-[\\w.-]*`, 'm'));
    expect(dockerfile).toMatch(/apt-get install[^\n]*\bffmpeg\b/);
    expect(dockerfile).toMatch(/\bnpm ci\b/);
    // The compiled daemon, not the TypeScript sources through tsx (a devDependency).
    expect(dockerfile).toMatch(/CMD \["node", "dist\/cli\/main\.js", "start"\]/);
  });

  it('runs as an unprivileged user, exposes the API port and checks health over HTTP without TypeScript tooling', () => {
    const runtime = runtimeStage(dockerfile);
    const user = /^USER\s+(\S+)/m.exec(runtime)?.[1];
    expect(user, 'USER in the runtime stage').toBeDefined();
    expect(['root', '0']).not.toContain(user);
    const port = /EVIDOCK_API_PORT=(\d+)/.exec(runtime)?.[1];
    expect(port).toBeDefined();
    expect(runtime).toMatch(new RegExp(`^EXPOSE\\s+${port}\\b`, 'm'));
    expect(runtime).toMatch(/EVIDOCK_API_HOST=0\.0\.0\.0/);
    const healthcheck = runtime.slice(runtime.indexOf('HEALTHCHECK')).split(/\n\s*\n/)[0]!;
    expect(healthcheck).toContain(`127.0.0.1:${port}/readyz`);
    expect(healthcheck).not.toMatch(/tsx|npx|npm/);
  });
});

describe('docker-compose.yml for the image', () => {
  it('publishes the API port the daemon listens on, on the container interface, and checks /readyz without tsx', () => {
    expect(evidockEnv.EVIDOCK_API_HOST).toBe('0.0.0.0');
    const port = evidockEnv.EVIDOCK_API_PORT;
    expect(port).toMatch(/^\d+$/);
    const published = ((evidock as Service & { ports?: string[] }).ports ?? []).map(String);
    expect(published.some((entry) => entry.endsWith(`:${port}`)), `ports ${published.join(', ')}`).toBe(true);
    const test = evidock.healthcheck?.test;
    const testText = Array.isArray(test) ? test.join(' ') : test ?? '';
    expect(testText).toContain(`/readyz`);
    expect(testText).not.toMatch(/tsx|npx/);
  });

  it('pins every image to a version: MinIO to a RELEASE tag', () => {
    for (const [name, service] of Object.entries(services)) {
      if (service.image) expect(service.image, name).not.toMatch(/:latest$|^[^:]+$/);
    }
    expect(services.minio!.image).toMatch(/^minio\/minio:RELEASE\.\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}Z$/);
  });

  it('sets only real config keys', () => {
    const names = [...dockerfile.matchAll(/\b(EVIDOCK_[A-Z0-9_]+)=/g)].map((m) => m[1]!);
    expect(names.filter((name) => !configEnvNames.has(name))).toEqual([]);
  });
});
