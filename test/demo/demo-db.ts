import { DuckDBInstance } from '@duckdb/node-api';

export type DemoRow = Record<string, unknown>;

/** A read-only handle on a built demo warehouse, so the checks cannot change what they inspect. */
export interface DemoDb {
  all(sql: string): Promise<DemoRow[]>;
  /** First row's column as a number (DuckDB returns BIGINT/HUGEINT as bigint). */
  num(sql: string, column?: string): Promise<number>;
  close(): void;
}

export async function openDemoDb(path: string): Promise<DemoDb> {
  const instance = await DuckDBInstance.create(path, { access_mode: 'READ_ONLY' });
  const connection = await instance.connect();
  const all = async (sql: string) => (await connection.runAndReadAll(sql)).getRowObjectsJS() as DemoRow[];
  return {
    all,
    async num(sql, column = 'v') {
      const rows = await all(sql);
      return Number(rows[0][column]);
    },
    close() {
      connection.closeSync();
      instance.closeSync();
    },
  };
}

/**
 * Per-table content fingerprint: row count, an order-independent sum of row hashes, and a digest of the
 * row hashes in storage order (the builder inserts sorted, so even the physical order should repeat).
 */
export async function fingerprint(path: string, tables: readonly string[]): Promise<Record<string, string>> {
  const db = await openDemoDb(path);
  try {
    const out: Record<string, string> = {};
    for (const table of tables) {
      const [row] = await db.all(`SELECT count(*) AS n, CAST(sum(hash(t)) AS VARCHAR) AS content,
        md5(string_agg(CAST(hash(t) AS VARCHAR), ',' ORDER BY rowid)) AS ordered FROM main.${table} AS t`);
      out[table] = `${row.n}/${row.content}/${row.ordered}`;
    }
    return out;
  } finally {
    db.close();
  }
}

/**
 * Observed primary-metric rate per arm, computed the way the pipeline defines it: first exposure per user,
 * users seen in several variants excluded, a metric event in [first exposure, first exposure + window).
 */
export function armRatesSql(experiment: string, source: string, eventName: string, windowDays: number): string {
  return `WITH units AS (
    SELECT user_id, min(variant) AS variant, min(exposed_at) AS first_at
    FROM main.exposures WHERE experiment_key = '${experiment}'
    GROUP BY user_id HAVING count(DISTINCT variant) = 1
  ),
  hits AS (
    SELECT DISTINCT u.user_id
    FROM units AS u JOIN main.${source} AS s ON s.user_id = u.user_id
    WHERE s.event_name = '${eventName}' AND s.event_at >= u.first_at
      AND s.event_at < u.first_at + INTERVAL ${windowDays} DAY
  )
  SELECT u.variant, count(*) AS units, avg(CASE WHEN h.user_id IS NULL THEN 0 ELSE 1 END) AS rate
  FROM units AS u LEFT JOIN hits AS h ON h.user_id = u.user_id
  GROUP BY u.variant ORDER BY u.variant`;
}
