import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError, envName, loadConfig } from '../../src/config/load.ts';

/** Each test gets an empty folder as cwd and an explicit env, so the developer's own config never leaks in. */
const dirs: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'evidock-config-'));
  dirs.push(dir);
  return dir;
}
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function failure(load: () => unknown): ConfigError {
  try {
    load();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return error as ConfigError;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  it('names the key and its environment variable for a bad env value', () => {
    const error = failure(() => loadConfig({ cwd: tempDir(), env: { EVIDOCK_REDIS_PORT: 'abc' } }));
    expect(error.message).toContain('"redis.port"');
    expect(error.message).toContain('EVIDOCK_REDIS_PORT');
  });

  it('names an unknown key in the config file', () => {
    const cwd = tempDir();
    writeFileSync(join(cwd, 'evidock.json'), JSON.stringify({ redis: { prot: 6379 } }));
    const error = failure(() => loadConfig({ cwd, file: 'evidock.json', env: {} }));
    expect(error.message).toContain('prot');
    expect(error.message).toContain('"redis"');
    expect(error.message).toContain('evidock.json');
  });

  it('reports every bad key at once', () => {
    const error = failure(() =>
      loadConfig({ cwd: tempDir(), env: { EVIDOCK_POSTGRES_PORT: '70000', EVIDOCK_MINIO_BUCKET: 'Not_A_Bucket' } }),
    );
    expect(error.message).toContain('EVIDOCK_POSTGRES_PORT');
    expect(error.message).toContain('EVIDOCK_MINIO_BUCKET');
  });

  it('rejects an unreadable config file with its path', () => {
    const cwd = tempDir();
    writeFileSync(join(cwd, 'broken.json'), '{ not json');
    expect(failure(() => loadConfig({ cwd, file: 'broken.json', env: {} })).message).toContain(join(cwd, 'broken.json'));
  });

  it('requires keys when minio.url is set', () => {
    const error = failure(() => loadConfig({ cwd: tempDir(), env: { EVIDOCK_MINIO_URL: 'http://minio.example:9000' } }));
    expect(error.message).toContain('EVIDOCK_MINIO_ACCESS_KEY');
  });

  it('resolves defaults: embedded services, dataDir against cwd, dock under <dataDir>/dock', () => {
    const cwd = tempDir();
    const config = loadConfig({ cwd, env: {} });
    expect(config.dataDir).toBe(join(cwd, 'var'));
    expect(config.dock.paths).toEqual([join(cwd, 'var', 'dock')]);
    expect(config.redis).toEqual({ url: null, port: 16379 });
    expect(config.postgres.url).toBeNull();
    expect(config.minio.url).toBeNull();
    expect(config.roles).toEqual(['dock', 'worker', 'api']);
  });

  it('follows a configured dataDir and parses env values (numbers, lists)', () => {
    const cwd = tempDir();
    const config = loadConfig({
      cwd,
      env: { EVIDOCK_DATA_DIR: 'data', EVIDOCK_REDIS_PORT: '6390', EVIDOCK_ROLES: 'worker', EVIDOCK_DOCK_PATHS: 'a,b' },
    });
    expect(config.dataDir).toBe(join(cwd, 'data'));
    expect(config.redis.port).toBe(6390);
    expect(config.roles).toEqual(['worker']);
    expect(config.dock.paths).toEqual([join(cwd, 'a'), join(cwd, 'b')]);
  });

  it('lets overrides win over file and environment', () => {
    const cwd = tempDir();
    writeFileSync(join(cwd, 'c.json'), JSON.stringify({ redis: { port: 1111 } }));
    const config = loadConfig({ cwd, file: 'c.json', env: { EVIDOCK_REDIS_PORT: '2222' }, overrides: { 'redis.port': 3333 } });
    expect(config.redis.port).toBe(3333);
  });

  it('derives env names from key paths', () => {
    expect(envName(['minio', 'accessKey'])).toBe('EVIDOCK_MINIO_ACCESS_KEY');
    expect(envName(['dataDir'])).toBe('EVIDOCK_DATA_DIR');
  });
});
