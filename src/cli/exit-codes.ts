import { CommanderError, InvalidArgumentError } from 'commander';
import { ConfigError } from '../config/load.ts';

/**
 * What `evidock` exits with, for scripts and supervisors (docs/cli-json.md, "Exit codes"). 69 and 78 are
 * sysexits.h's EX_UNAVAILABLE and EX_CONFIG: systemd does not restart a daemon for 78.
 */
export const exitCodes = {
  ok: 0,
  /** A check found a problem (verify mismatches, import rows refused, ...), or any other failure. */
  failed: 1,
  /** The command line was wrong: unknown option, bad value, ambiguous --sha256 prefix. */
  usage: 2,
  /** The daemon that runs the embedded services is not running (no service URLs configured). */
  daemonNotRunning: 3,
  /** A configured Redis, PostgreSQL or MinIO did not answer. */
  serviceUnavailable: 69,
  config: 78,
} as const;

/** A wrong command line found after parsing (e.g. a --sha256 prefix that matches several hashes). */
export class UsageError extends Error {
  override name = 'UsageError';
}

export class DaemonNotRunningError extends Error {
  override name = 'DaemonNotRunningError';
}

export class ServiceUnavailableError extends Error {
  override name = 'ServiceUnavailableError';
}

export interface CliFailure {
  exitCode: number;
  /** Stable, for `--json` readers: usage, daemon-not-running, service-unavailable, config, failed. */
  code: string;
  message: string;
}

export function failureOf(error: unknown): CliFailure {
  const message = error instanceof Error ? error.message : String(error);
  if (error instanceof CommanderError || error instanceof InvalidArgumentError || error instanceof UsageError) {
    return { exitCode: exitCodes.usage, code: 'usage', message: message.replace(/^error: /, '') };
  }
  if (error instanceof ConfigError) return { exitCode: exitCodes.config, code: 'config', message };
  if (error instanceof DaemonNotRunningError) return { exitCode: exitCodes.daemonNotRunning, code: 'daemon-not-running', message };
  if (error instanceof ServiceUnavailableError) return { exitCode: exitCodes.serviceUnavailable, code: 'service-unavailable', message };
  return { exitCode: exitCodes.failed, code: 'failed', message };
}
