import type { FakeUser } from '../fakes/fake-feishu';
import { startHarness, type Harness } from '../support/lawdesk';
import { startPostgres } from '../support/postgres';

/** The usual harness on a throwaway PostgreSQL server of its own (DATABASE_URL), stopped with it. */
export async function startDoorHarness(
  users: FakeUser[] = [],
  extraEnv: Record<string, string> = {},
): Promise<Harness> {
  const pg = await startPostgres();
  try {
    const h = await startHarness(users, { DATABASE_URL: pg.url, ...extraEnv });
    const stop = h.stop.bind(h);
    h.stop = async () => {
      await stop();
      await pg.stop();
    };
    return h;
  } catch (error) {
    await pg.stop();
    throw error;
  }
}
