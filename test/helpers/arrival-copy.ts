// A warehouse that fills day by day: a copy of the demo warehouse holding only the rows that have
// "arrived" by an as-of. A row arrives at its loaded_at, except one in LATE_ONE_IN, which arrives
// LATE_HOURS later (late, but inside a one-day lookback).
import { rmSync } from 'node:fs';
import { DuckDBInstance } from '@duckdb/node-api';

export const LATE_ONE_IN = 10;
export const LATE_HOURS = 20;
const TABLES: Record<string, string> = { exposures: 'exposed_at', web_events: 'event_at', app_events: 'event_at' };

const arrival = (ts: string) => `loaded_at + CASE WHEN hash(${ts}, loaded_at) % ${LATE_ONE_IN} = 0 THEN INTERVAL ${LATE_HOURS} HOUR ELSE INTERVAL 0 HOUR END`;
const literal = (iso: string) => `TIMESTAMP '${iso.slice(0, 19).replace('T', ' ')}'`;

/** Writes `out` with the demo's tables cut to what arrived by `asOf`; returns how many late rows arrived in (since, asOf]. */
export async function arrivedCopy(demoPath: string, out: string, asOf: string, since: string | null, extraSql: string[] = []): Promise<{ rows: number; lateRows: number }> {
  rmSync(out, { force: true });
  rmSync(`${out}.wal`, { force: true });
  const instance = await DuckDBInstance.create(out);
  const c = await instance.connect();
  let rows = 0;
  let lateRows = 0;
  try {
    await c.run(`ATTACH '${demoPath}' AS demo (READ_ONLY)`);
    for (const [table, ts] of Object.entries(TABLES)) {
      await c.run(`CREATE TABLE main.${table} AS SELECT * FROM demo.main.${table} WHERE ${arrival(ts)} <= ${literal(asOf)} ORDER BY ${ts}`);
      const [r] = (await c.runAndReadAll(`SELECT COUNT(*) AS n FROM main.${table}`)).getRowObjectsJS();
      rows += Number(r.n);
      if (since) {
        const [l] = (
          await c.runAndReadAll(`SELECT COUNT(*) AS n FROM main.${table} WHERE hash(${ts}, loaded_at) % ${LATE_ONE_IN} = 0 AND ${arrival(ts)} > ${literal(since)} AND ${ts} < ${literal(since)}`)
        ).getRowObjectsJS();
        lateRows += Number(l.n);
      }
    }
    // Tables without event time (attribute tables) the caller builds from the attached demo.
    for (const sql of extraSql) await c.run(sql);
    await c.run('CHECKPOINT');
  } finally {
    c.closeSync();
    instance.closeSync();
  }
  return { rows, lateRows };
}
