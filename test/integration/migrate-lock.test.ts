import { readdirSync } from 'node:fs';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate, MIGRATIONS_DIR } from '../../src/platform/db/migrate';
import { startPostgres, type TestPostgres } from '../support/postgres';

// Two processes starting at once on a fresh database (`npm start` and a CLI, or two replicas of the bot) both
// run the migrator: the second must wait for the first and find everything applied, not fail half-way.
describe('migrations applied by two processes at once', () => {
  let postgres: TestPostgres;
  beforeAll(async () => {
    postgres = await startPostgres({ database: 'lawdesk_migrate_lock' });
  });
  afterAll(async () => {
    await postgres?.stop();
  });

  it('both succeed and every migration is recorded once', async () => {
    const names = readdirSync(MIGRATIONS_DIR, { withFileTypes: true })
      .filter((d) => d.isDirectory())
      .map((d) => d.name)
      .sort();
    const results = await Promise.all([migrate(postgres.url), migrate(postgres.url)]);
    expect(results.map((r) => r.applied.length + r.alreadyApplied.length)).toEqual([names.length, names.length]);
    expect(results.map((r) => r.applied.length).sort((a, b) => a - b)).toEqual([0, names.length]);
    const client = new pg.Client({ connectionString: postgres.url });
    await client.connect();
    try {
      const rows = (
        await client.query<{ migration_name: string }>(
          'SELECT migration_name FROM "_prisma_migrations" ORDER BY migration_name',
        )
      ).rows;
      expect(rows.map((r) => r.migration_name)).toEqual(names);
    } finally {
      await client.end();
    }
  });
});
