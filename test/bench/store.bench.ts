/**
 * Store throughput: single-event appends/s from 1 and 50 concurrent writers, with group
 * commit on and off, for SQLite and PostgreSQL, next to the raw driver doing the same
 * durable inserts (one transaction each) in the same run.
 *
 *   npm run bench:store [-- --events 3000 --repeat 2]
 */
import Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Pool } from 'pg';
import { SqliteEventStore, type EventStore, type NewEvent } from '@lib/event-store';
import { PostgresEventStore } from '@lib/event-store/postgres/postgres-event-store';
import { createTestDatabase } from '../support/postgres-database';
import { machineLine, printTable, progress, saveRaw, type Row } from './bench-report';

const { values: args } = parseArgs({
  options: {
    events: { type: 'string', default: '3000' },
    repeat: { type: 'string', default: '2' },
  },
});
const EVENTS = Number(args.events);
const REPEAT = Number(args.repeat);
const PAYLOAD = new Uint8Array(120).fill(7); // about one keystroke's Yjs update

function newEvent(): NewEvent {
  return {
    id: randomUUID(),
    type: 'PlanUpdated',
    data: PAYLOAD,
    metadata: { actor: 'bench', at: new Date().toISOString() },
  };
}

/** Runs `writers` loops that each await one append at a time until `EVENTS` are written. */
async function drive(
  writers: number,
  appendOne: (writer: number) => Promise<void>,
): Promise<number> {
  let issued = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: writers }, async (_, w) => {
      while (issued < EVENTS) {
        issued++;
        await appendOne(w);
      }
    }),
  );
  return EVENTS / ((performance.now() - started) / 1000);
}

async function storeRate(store: EventStore, writers: number): Promise<number> {
  const run = randomUUID().slice(0, 8);
  return drive(writers, async (w) => {
    await store.appendToStream(`plan-${run}-${w}`, [newEvent()]);
  });
}

async function sqliteRates(writers: number): Promise<Row> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-store-'));
  try {
    const grouped = new SqliteEventStore({ file: join(dir, 'grouped.sqlite') });
    const groupedRate = await storeRate(grouped, writers);
    await grouped.close();
    const single = new SqliteEventStore({
      file: join(dir, 'single.sqlite'),
      groupCommit: { enabled: false },
    });
    const singleRate = await storeRate(single, writers);
    await single.close();

    const raw = new Database(join(dir, 'raw.sqlite'));
    raw.pragma('journal_mode = WAL');
    raw.pragma('synchronous = FULL');
    raw.exec(
      'CREATE TABLE events (position INTEGER PRIMARY KEY, id TEXT UNIQUE, stream_id TEXT, data BLOB)',
    );
    const insert = raw.prepare('INSERT INTO events (id, stream_id, data) VALUES (?, ?, ?)');
    const rawRate = await drive(writers, async (w) => {
      insert.run(randomUUID(), `s-${w}`, PAYLOAD);
      await Promise.resolve();
    });
    raw.close();
    return row('sqlite', writers, groupedRate, singleRate, rawRate);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function postgresRates(writers: number): Promise<Row> {
  const db = await createTestDatabase();
  try {
    const grouped = await PostgresEventStore.open({ connectionString: db.url });
    const groupedRate = await storeRate(grouped, writers);
    await grouped.close();
    const single = await PostgresEventStore.open({
      connectionString: db.url,
      groupCommit: { enabled: false },
    });
    const singleRate = await storeRate(single, writers);
    await single.close();

    const pool = new Pool({ connectionString: db.url, max: Math.min(writers, 20) });
    await pool.query(
      'CREATE TABLE raw_events (position bigserial PRIMARY KEY, id uuid UNIQUE, stream_id text, data bytea)',
    );
    const rawRate = await drive(writers, async (w) => {
      await pool.query('INSERT INTO raw_events (id, stream_id, data) VALUES ($1, $2, $3)', [
        randomUUID(),
        `s-${w}`,
        Buffer.from(PAYLOAD),
      ]);
    });
    await pool.end();
    return row('postgres', writers, groupedRate, singleRate, rawRate);
  } finally {
    await db.drop();
  }
}

function row(store: string, writers: number, grouped: number, single: number, raw: number): Row {
  return {
    store,
    writers,
    'group commit (appends/s)': Math.round(grouped),
    'one tx per append (appends/s)': Math.round(single),
    'raw driver, one tx per insert (appends/s)': Math.round(raw),
    'group / one-tx': (grouped / single).toFixed(1),
    'group / raw': (grouped / raw).toFixed(2),
  };
}

async function main(): Promise<void> {
  const rows: Row[] = [];
  for (let r = 1; r <= REPEAT; r++) {
    for (const writers of [1, 50]) {
      progress(
        `run ${r}/${REPEAT}: sqlite, ${writers} writers, ${EVENTS} appends per configuration`,
      );
      rows.push({ run: r, ...(await sqliteRates(writers)) });
      progress(
        `run ${r}/${REPEAT}: postgres, ${writers} writers, ${EVENTS} appends per configuration`,
      );
      rows.push({ run: r, ...(await postgresRates(writers)) });
    }
  }
  printTable(`Store throughput (${EVENTS} single-event appends per cell; ${machineLine()})`, rows);
  process.stderr.write(`raw results: ${saveRaw('store', rows)}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
