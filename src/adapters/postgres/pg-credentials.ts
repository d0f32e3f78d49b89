import type pg from 'pg';
import type { Person } from '../../domain/people.ts';
import type { Credentials, RoleGrant, TokenInfo, TokenScope } from '../../ports/credentials.ts';

const toPerson = (r: Record<string, any>): Person => ({ id: r.id, name: r.name, unit: r.unit, role: r.role });

function toGrant(r: Record<string, any>): RoleGrant {
  return {
    id: r.id, person: { id: r.person_id, name: r.name, unit: r.unit, role: r.role }, proposedAt: r.proposed_at, proposedBy: r.proposed_by,
    reason: r.reason, decidedAt: r.decided_at, decidedBy: r.decided_by, decision: r.decision,
  };
}

function toToken(r: Record<string, any>): TokenInfo {
  return {
    id: r.id, personId: r.person_id, label: r.label, scope: r.scope, createdAt: r.created_at, createdBy: r.created_by,
    expiresAt: r.expires_at, revokedAt: r.revoked_at, revokedBy: r.revoked_by,
  };
}

/** Tokens, passwords and sessions in PostgreSQL (migration 006), sharing the catalog's pool. */
export class PgCredentials implements Credentials {
  constructor(private readonly pool: pg.Pool) {}

  async addToken(t: TokenInfo & { tokenSha256: string }): Promise<void> {
    await this.pool.query(
      `INSERT INTO api_tokens (id, person_id, token_sha256, label, created_at, created_by, expires_at, scope) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [t.id, t.personId, t.tokenSha256, t.label, t.createdAt, t.createdBy, t.expiresAt, t.scope],
    );
  }

  async tokens(personId?: string): Promise<TokenInfo[]> {
    const { rows } = await this.pool.query(`SELECT * FROM api_tokens WHERE $1::text IS NULL OR person_id = $1 ORDER BY id`, [personId ?? null]);
    return rows.map(toToken);
  }

  async revokeToken(id: string, at: Date, by: string): Promise<boolean> {
    const { rowCount } = await this.pool.query(`UPDATE api_tokens SET revoked_at = $2, revoked_by = $3 WHERE id = $1 AND revoked_at IS NULL`, [id, at, by]);
    return rowCount === 1;
  }

  async personByToken(tokenSha256: string, now: Date): Promise<(Person & { scope: TokenScope }) | null> {
    const { rows } = await this.pool.query(
      `SELECT p.*, t.scope FROM api_tokens t JOIN people p ON p.id = t.person_id
        WHERE t.token_sha256 = $1 AND t.revoked_at IS NULL AND t.expires_at > $2 AND p.disabled_at IS NULL`,
      [tokenSha256, now],
    );
    return rows[0] ? { ...toPerson(rows[0]), scope: rows[0].scope } : null;
  }

  async setPassword(personId: string, hash: string, at: Date, by: string): Promise<void> {
    await this.pool.query(
      `INSERT INTO person_passwords (person_id, hash, set_at, set_by) VALUES ($1, $2, $3, $4)
       ON CONFLICT (person_id) DO UPDATE SET hash = excluded.hash, set_at = excluded.set_at, set_by = excluded.set_by`,
      [personId, hash, at, by],
    );
  }

  async passwordHash(personId: string): Promise<string | null> {
    const { rows } = await this.pool.query(`SELECT hash FROM person_passwords WHERE person_id = $1`, [personId]);
    return rows[0]?.hash ?? null;
  }

  async addSession(s: { idSha256: string; personId: string; createdAt: Date; expiresAt: Date; from: string }): Promise<void> {
    await this.pool.query(
      `INSERT INTO api_sessions (id_sha256, person_id, created_at, expires_at, from_addr) VALUES ($1, $2, $3, $4, $5)`,
      [s.idSha256, s.personId, s.createdAt, s.expiresAt, s.from],
    );
  }

  async personBySession(idSha256: string, now: Date): Promise<Person | null> {
    const { rows } = await this.pool.query(
      `SELECT p.* FROM api_sessions s JOIN people p ON p.id = s.person_id WHERE s.id_sha256 = $1 AND s.ended_at IS NULL AND s.expires_at > $2 AND p.disabled_at IS NULL`,
      [idSha256, now],
    );
    return rows[0] ? toPerson(rows[0]) : null;
  }

  async endSession(idSha256: string, at: Date): Promise<void> {
    await this.pool.query(`UPDATE api_sessions SET ended_at = $2 WHERE id_sha256 = $1 AND ended_at IS NULL`, [idSha256, at]);
  }

  async endSessionsOf(personId: string, at: Date, keepIdSha256: string | null): Promise<number> {
    const { rowCount } = await this.pool.query(
      `UPDATE api_sessions SET ended_at = $2 WHERE person_id = $1 AND ended_at IS NULL AND id_sha256 IS DISTINCT FROM $3`,
      [personId, at, keepIdSha256],
    );
    return rowCount ?? 0;
  }

  async activePerson(personId: string): Promise<Person | null> {
    const { rows } = await this.pool.query(`SELECT * FROM people WHERE id = $1 AND disabled_at IS NULL`, [personId]);
    return rows[0] ? toPerson(rows[0]) : null;
  }

  async setDisabled(personId: string, at: Date | null, by: string): Promise<boolean> {
    const { rowCount } = await this.pool.query(
      `UPDATE people SET disabled_at = $2, disabled_by = $3 WHERE id = $1 AND (disabled_at IS NULL) = ($2::timestamptz IS NOT NULL)`,
      [personId, at, at ? by : null],
    );
    return rowCount === 1;
  }

  async countFailedLogin(badge: string, minute: Date, from: string): Promise<number> {
    const { rows } = await this.pool.query(
      `INSERT INTO failed_logins (badge, minute, attempts, last_from) VALUES ($1, $2, 1, $3)
       ON CONFLICT (badge, minute) DO UPDATE SET attempts = failed_logins.attempts + 1, last_from = excluded.last_from
       RETURNING attempts`,
      [badge, minute, from],
    );
    return Number(rows[0].attempts);
  }

  async addRoleGrant(g: Omit<RoleGrant, 'decidedAt' | 'decidedBy' | 'decision'>): Promise<void> {
    await this.pool.query(
      `INSERT INTO role_grants (id, person_id, role, name, unit, proposed_at, proposed_by, reason) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [g.id, g.person.id, g.person.role, g.person.name, g.person.unit, g.proposedAt, g.proposedBy, g.reason],
    );
  }

  async roleGrant(id: string): Promise<RoleGrant | null> {
    const { rows } = await this.pool.query(`SELECT * FROM role_grants WHERE id = $1`, [id]);
    return rows[0] ? toGrant(rows[0]) : null;
  }

  async openRoleGrants(): Promise<RoleGrant[]> {
    const { rows } = await this.pool.query(`SELECT * FROM role_grants WHERE decided_at IS NULL ORDER BY id`);
    return rows.map(toGrant);
  }

  async decideRoleGrant(id: string, decision: 'confirmed' | 'withdrawn', at: Date, by: string): Promise<boolean> {
    const { rowCount } = await this.pool.query(
      `UPDATE role_grants SET decision = $2, decided_at = $3, decided_by = $4 WHERE id = $1 AND decided_at IS NULL`,
      [id, decision, at, by],
    );
    return rowCount === 1;
  }
}
