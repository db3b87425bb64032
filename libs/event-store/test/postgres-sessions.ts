/** Looking at a PostgreSQL event store from the side, as an operator would with psql. */
import { Client } from 'pg';
import { APPEND_LISTENER_APPLICATION_NAME } from '@lib/event-store/postgres/append-listener';

/** one short-lived admin connection for `work` */
export async function withClient<T>(url: string, work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** backend pids of the stores' LISTEN sessions on the database, in pid order */
export function listenerPids(url: string): Promise<number[]> {
  return withClient(url, async (c) => {
    const { rows } = await c.query<{ pid: number }>(
      'SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND application_name = $1 ORDER BY pid',
      [APPEND_LISTENER_APPLICATION_NAME],
    );
    return rows.map((r) => r.pid);
  });
}
