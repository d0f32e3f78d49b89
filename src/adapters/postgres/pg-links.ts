import type pg from 'pg';
import type { Link, Links } from '../../ports/links.ts';

export class PgLinks implements Links {
  constructor(private readonly pool: pg.Pool) {}

  async addLink(tokenSha256: string, l: Link): Promise<void> {
    await this.pool.query(
      `INSERT INTO links (token_sha256, purpose, subject, created_at, created_by, expires_at) VALUES ($1, $2, $3, $4, $5, $6)`,
      [tokenSha256, l.purpose, l.subject, l.createdAt, l.createdBy, l.expiresAt],
    );
  }

  async link(tokenSha256: string, now: Date): Promise<Link | null> {
    const { rows } = await this.pool.query(`SELECT * FROM links WHERE token_sha256 = $1 AND expires_at > $2`, [tokenSha256, now]);
    const r = rows[0];
    return r ? { purpose: r.purpose, subject: r.subject, createdAt: r.created_at, createdBy: r.created_by, expiresAt: r.expires_at } : null;
  }
}
