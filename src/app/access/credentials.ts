import { createHash, randomBytes, scrypt, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';
import { ulid } from 'ulid';
import { checkBadge, type Person } from '../../domain/people.ts';
import type { AuditLog } from '../../ports/audit-log.ts';
import type { Credentials, TokenInfo, TokenScope } from '../../ports/credentials.ts';
import type { Registry } from '../../ports/registry.ts';
import { knownPerson } from './register.ts';

/**
 * Personal API tokens (created by an admin with the CLI), login passwords and web sessions. Tokens and
 * session ids are 256-bit random strings, stored only as their SHA-256: a stolen database gives no login.
 */
export interface CredentialDeps {
  credentials: Credentials;
  registry: Registry;
  audit: AuditLog;
}

/** Who acts, from where (CLI: `cli@<host>`; API: the client's address). */
export interface Actor {
  actor: string;
  from: string;
}

export const sha256Hex = (secret: string): string => createHash('sha256').update(secret).digest('hex');

/** A random secret with a recognisable prefix (so a leaked one is easy to find in logs and repositories). */
export function newSecret(prefix: string): string {
  return `${prefix}_${randomBytes(32).toString('base64url')}`;
}

export async function createToken(
  deps: CredentialDeps,
  badge: string,
  opts: { expiresInMs: number; label: string | null; now: Date; scope?: TokenScope },
  by: Actor,
): Promise<{ token: string; info: TokenInfo }> {
  const person = await knownPerson(deps.registry, badge, 'token holder');
  const token = newSecret('evd');
  const info: TokenInfo = {
    id: ulid(), personId: person.id, label: opts.label, scope: opts.scope ?? 'full', createdAt: opts.now, createdBy: by.actor,
    expiresAt: new Date(opts.now.getTime() + opts.expiresInMs), revokedAt: null, revokedBy: null,
  };
  await deps.credentials.addToken({ ...info, tokenSha256: sha256Hex(token) });
  await deps.audit.append({
    actor: by.actor, action: 'token-created', target: `person:${person.id}`, reason: opts.label, result: 'ok', from: by.from,
    details: { tokenId: info.id, expiresAt: info.expiresAt.toISOString(), scope: info.scope },
  }, opts.now);
  return { token, info };
}

export async function revokeToken(deps: CredentialDeps, id: string, now: Date, by: Actor): Promise<void> {
  const revoked = await deps.credentials.revokeToken(id, now, by.actor);
  if (!revoked) {
    const known = (await deps.credentials.tokens()).some((t) => t.id === id);
    throw new Error(known ? `token ${id} was revoked already` : `no token with id ${id}; "evidock tokens list" shows them`);
  }
  await deps.audit.append({ actor: by.actor, action: 'token-revoked', target: `token:${id}`, reason: null, result: 'ok', from: by.from }, now);
}

const scryptAsync = promisify(scrypt) as (password: string, salt: Buffer, keylen: number, options: { N: number; r: number; p: number; maxmem: number }) => Promise<Buffer>;
const SCRYPT = { N: 16384, r: 8, p: 1, maxmem: 64 * 1024 * 1024 };
export const MIN_PASSWORD_LENGTH = 12;

/** `scrypt$N$r$p$salt$hash` (base64url): the parameters travel with the hash so they can be raised later. */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const hash = await scryptAsync(password, salt, 64, SCRYPT);
  return ['scrypt', SCRYPT.N, SCRYPT.r, SCRYPT.p, salt.toString('base64url'), hash.toString('base64url')].join('$');
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, hash] = stored.split('$');
  if (scheme !== 'scrypt' || !salt || !hash) throw new Error('stored password hash is not in the scrypt$N$r$p$salt$hash form');
  const expected = Buffer.from(hash, 'base64url');
  const actual = await scryptAsync(password, Buffer.from(salt, 'base64url'), expected.length, { N: Number(n), r: Number(r), p: Number(p), maxmem: SCRYPT.maxmem });
  return timingSafeEqual(actual, expected);
}

export async function setPassword(deps: CredentialDeps, badge: string, password: string, now: Date, by: Actor): Promise<void> {
  const person = await knownPerson(deps.registry, badge, 'password holder');
  if (password.length < MIN_PASSWORD_LENGTH) throw new Error(`a password needs at least ${MIN_PASSWORD_LENGTH} characters`);
  await deps.credentials.setPassword(person.id, await hashPassword(password), now, by.actor);
  // A new password ends the sessions opened with the old one (whoever knew it is logged out).
  const sessionsEnded = await deps.credentials.endSessionsOf(person.id, now, null);
  await deps.audit.append({ actor: by.actor, action: 'password-set', target: `person:${person.id}`, reason: null, result: 'ok', from: by.from, details: { sessionsEnded } }, now);
}

/** A hash no password matches, checked when a badge is unknown: an unknown badge costs the same scrypt as a known one. */
let dummyHash: Promise<string> | null = null;
const noMatch = (): Promise<string> => (dummyHash ??= hashPassword(randomBytes(32).toString('base64url')));

const minuteOf = (at: Date): Date => new Date(Math.floor(at.getTime() / 60_000) * 60_000);

/**
 * Checks a badge and password; on success opens a session and returns its secret (the cookie value).
 * A failure says nothing about which of the two was wrong, and takes as long either way. Successes are
 * chained one by one; failures are counted per badge and minute, and chained once per badge and minute
 * (the count is in `failed_logins`): an anonymous flood cannot fill the chain.
 */
export async function login(
  deps: CredentialDeps,
  badgeRaw: string,
  password: string,
  opts: { now: Date; ttlMs: number; from: string },
): Promise<{ person: Person; secret: string; expiresAt: Date } | null> {
  let badge: string;
  try {
    badge = checkBadge(badgeRaw);
  } catch {
    badge = '';
  }
  const person = badge ? await deps.credentials.activePerson(badge) : null;
  const stored = person ? await deps.credentials.passwordHash(person.id) : null;
  const matches = await verifyPassword(password, stored ?? (await noMatch()));
  if (!matches || !stored || !person) {
    await recordFailedLogin(deps, badge || '(invalid badge)', person, opts);
    return null;
  }
  await deps.audit.append({ actor: person.id, action: 'login', target: `person:${badge}`, reason: null, result: 'ok', from: opts.from }, opts.now);
  const secret = newSecret('evs');
  const expiresAt = new Date(opts.now.getTime() + opts.ttlMs);
  await deps.credentials.addSession({ idSha256: sha256Hex(secret), personId: person.id, createdAt: opts.now, expiresAt, from: opts.from });
  return { person, secret, expiresAt };
}

/** Counts a failed (or throttled) login; the first of its badge and minute goes into the chain. */
export async function recordFailedLogin(deps: CredentialDeps, badge: string, person: Person | null, opts: { now: Date; from: string }, why = 'wrong badge or password'): Promise<void> {
  const minute = minuteOf(opts.now);
  const attempts = await deps.credentials.countFailedLogin(badge, minute, opts.from);
  if (attempts > 1) return;
  await deps.audit.append({
    actor: person?.id ?? 'anonymous', action: 'login', target: `person:${badge}`, reason: null, result: 'refused', from: opts.from,
    details: { why, minute: minute.toISOString(), countedIn: 'failed_logins (further failures of this badge in this minute)' },
  }, opts.now);
}
