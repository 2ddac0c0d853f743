import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { parse, stringify } from 'yaml';
import { compileProject } from '../src/compile/compile-project.js';
import { getTarget, loadProjectConfig, type ProjectConfig } from '../src/config/project-config.js';
import type { Results } from '../src/run/results.js';
import { runProject } from '../src/run/run-project.js';
import { firstDifference } from '../src/state/refresh-identity.js';
import { createStateRunner, stepsOutsideState } from '../src/state/state-runner.js';
import { getWarehouse } from '../src/warehouse/registry.js';
import type { Adapter, Row } from '../src/warehouse/types.js';
import { BENCH_START } from './bench-data-sql.js';
import type { DuckdbSettings } from './bench-data.js';
import type { BenchMetric } from './bench-metrics.js';
import { BENCH_SPEC_ID, writeBenchProject } from './bench-project.js';
import { median, round } from './bench-stats.js';

/** One in LATE_ONE_IN rows arrives LATE_HOURS after it was loaded: late, but inside the 24 h lookback. */
const LATE_ONE_IN = 100;
const LATE_HOURS = 20;
const DAY_MS = 86_400_000;
const SOURCE_TABLES = ['exposures', 'events'];

export interface IncrementalDay {
  day: number;
  asOf: string;
  mode: string;
  identical: boolean;
  difference: string | null;
  rowsArrived: number;
  lateRowsArrived: number;
  /** Null on days without EXPLAIN ANALYZE (every day but the last unless asked). */
  rowsScanned: { incremental: number; full: number } | null;
  wallSeconds: { incremental: number; full: number };
}

export interface IncrementalBench {
  days: number;
  /** The first refreshed day: every row that arrived before it was delivered at once (see --first-day). */
  firstDay: number;
  lateRowShare: number;
  lateHours: number;
  identical: boolean;
  ratioRowsScanned: number;
  ratioWall: number;
  lastDay: { reps: number; wallSeconds: { incremental: number[]; full: number[] }; rowsScanned: { incremental: number; full: number } };
  series: IncrementalDay[];
}

interface PlanNode {
  operator_cardinality?: number;
  extra_info?: Record<string, unknown>;
  children?: PlanNode[];
}

/** Rows the plan's scans of the source tables returned (after the pushed-down time filters). */
function sourceRowsScanned(explainRows: Row[]): number {
  const json = JSON.parse(String(explainRows[0]?.explain_value)) as PlanNode | PlanNode[];
  let rows = 0;
  const walk = (n: PlanNode) => {
    const table = String(n.extra_info?.Table ?? '');
    if (SOURCE_TABLES.some((t) => table.endsWith(`.main.${t}`) || table === t)) rows += n.operator_cardinality ?? 0;
    (n.children ?? []).forEach(walk);
  };
  (Array.isArray(json) ? json : [json]).forEach(walk);
  return rows;
}

const arrivalAt = (table: string) =>
  `loaded_at + CASE WHEN hash(user_id, ${table === 'events' ? 'event_at' : 'exposed_at'}, 'late') % ${LATE_ONE_IN} = 0 THEN INTERVAL ${LATE_HOURS} HOUR ELSE INTERVAL 0 HOUR END`;

/** Appends the rows that arrived in (from, to] from the full bench warehouse to the arrival warehouse. */
async function deliver(benchDb: string, arrivalDb: string, from: string | null, to: string): Promise<{ rows: number; late: number }> {
  const instance = await DuckDBInstance.create(arrivalDb);
  const c = await instance.connect();
  let rows = 0;
  let late = 0;
  try {
    await c.run(`ATTACH '${benchDb.replaceAll("'", "''")}' AS src (READ_ONLY)`);
    for (const t of SOURCE_TABLES) {
      if (from === null) await c.run(`CREATE TABLE IF NOT EXISTS main.${t} AS SELECT * FROM src.main.${t} WHERE false`);
      const range = `${arrivalAt(t)} <= TIMESTAMP '${to.slice(0, 19).replace('T', ' ')}'${from ? ` AND ${arrivalAt(t)} > TIMESTAMP '${from.slice(0, 19).replace('T', ' ')}'` : ''}`;
      // Ordered by event time within a delivery, as a loader appending a day's files would write them.
      const ts = t === 'events' ? 'event_at' : 'exposed_at';
      const [r] = (await c.runAndReadAll(`SELECT COUNT(*) AS n, COUNT(*) FILTER (WHERE hash(user_id, ${ts}, 'late') % ${LATE_ONE_IN} = 0) AS late FROM src.main.${t} WHERE ${range}`)).getRowObjectsJS();
      await c.run(`INSERT INTO main.${t} SELECT * FROM src.main.${t} WHERE ${range} ORDER BY ${ts}`);
      rows += Number(r.n);
      late += Number(r.late);
    }
    await c.run('CHECKPOINT');
  } finally {
    c.closeSync();
    instance.closeSync();
  }
  return { rows, late };
}

export async function explainFull(config: ProjectConfig, arrivalDb: string, asOf: string, settings: DuckdbSettings): Promise<number> {
  const compiled = compileProject(config, getTarget(config, undefined), [BENCH_SPEC_ID], asOf);
  const instance = await DuckDBInstance.create(arrivalDb, { access_mode: 'READ_ONLY', threads: String(settings.threads), memory_limit: settings.memoryLimit });
  const c = await instance.connect();
  let rows = 0;
  try {
    await c.run("SET TimeZone = 'UTC'");
    for (const s of compiled.compiled[0].steps) rows += sourceRowsScanned((await c.runAndReadAll(`EXPLAIN (ANALYZE, FORMAT json) ${s.sql}`)).getRowObjectsJS() as Row[]);
  } finally {
    c.closeSync();
    instance.closeSync();
  }
  return rows;
}

/** The incremental refresh once more with every staging statement under EXPLAIN ANALYZE (it still writes the state). */
export async function explainIncremental(config: ProjectConfig, asOf: string): Promise<number> {
  const target = getTarget(config, undefined);
  const warehouse = getWarehouse(target.type);
  const adapter = await warehouse.createAdapter(target.settings, { projectRoot: config.root, targetName: target.name, writeSchema: target.state!.writeSchema! });
  let rows = 0;
  const profiled: Adapter = {
    ...adapter,
    transaction: (ctx, fn) =>
      adapter.transaction!(ctx, (run) =>
        fn(async (sql, step) => {
          if (!/^CREATE TEMPORARY TABLE/m.test(sql)) return run(sql, step);
          rows += sourceRowsScanned(await run(`EXPLAIN (ANALYZE, FORMAT json) ${sql}`, step));
          return [];
        }),
      ),
  };
  try {
    const compiled = compileProject(config, target, [BENCH_SPEC_ID], asOf);
    const exp = compiled.experiments[0];
    const outcome = await createStateRunner({ target, warehouse, adapter: profiled, fullRefresh: false }).refresh(exp, asOf, `explain-${asOf}`, { experiment: exp.id, step: 'state' });
    // Steps the state does not answer run whole in an incremental run too: their scans count.
    const outside = 'fallback' in outcome ? compiled.compiled[0].steps : stepsOutsideState(compiled.compiled[0].steps, outcome.data, outcome.refresh);
    for (const s of outside) rows += sourceRowsScanned(await adapter.query(`EXPLAIN (ANALYZE, FORMAT json) ${s.sql}`, { experiment: exp.id, step: s.name }));
  } finally {
    await adapter.close();
  }
  return rows;
}

async function timedRun(config: ProjectConfig, asOf: string, reportsDir: string, incremental: boolean): Promise<{ seconds: number; results: Results; mode: string }> {
  const t0 = performance.now();
  const summary = await runProject({ config, target: getTarget(config, undefined), selectors: [BENCH_SPEC_ID], asOf, reportsDir, incremental });
  const seconds = (performance.now() - t0) / 1000;
  const results = JSON.parse(readFileSync(join(summary.experiments[0].packageDir, 'results.json'), 'utf8')) as Results;
  return { seconds, results, mode: results.refresh?.mode ?? 'full' };
}

/**
 * 28 daily refreshes of the bench experiment on a warehouse that fills day by day (1 row in 100
 * arriving 20 h late), each compared with a full refresh of the same data. See bench/README.md.
 * With firstDay > 1 the rows of the days before it arrive in one delivery and the first refresh (a
 * rebuild of the state) runs on firstDay: the last day's figures at a large scale without a full
 * refresh per day.
 */
export async function benchIncremental(opts: { workDir: string; benchDb: string; settings: DuckdbSettings; metrics: BenchMetric[]; days: number; firstDay: number; reps: number; log: (s: string) => void }): Promise<IncrementalBench> {
  const dir = join(opts.workDir, 'incremental');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const arrivalDb = join(dir, 'arrival.duckdb');
  const projectDir = join(dir, 'project');
  writeBenchProject(projectDir, arrivalDb, opts.settings, opts.metrics);
  const configFile = join(projectDir, 'exptrack.yaml');
  const yaml = parse(readFileSync(configFile, 'utf8')) as { targets: { bench: Record<string, unknown> } };
  yaml.targets.bench.write_schema = 'state.duckdb';
  writeFileSync(configFile, `# Generated by npm run bench (incremental).\n${stringify(yaml)}`);
  const statePath = join(projectDir, 'state.duckdb');
  const saveState = () => existsSync(statePath) && copyFileSync(statePath, `${statePath}.before`);
  // A write-ahead log left beside the state file would be replayed onto the restored copy: never keep one.
  const restoreState = () => {
    rmSync(`${statePath}.wal`, { force: true });
    if (existsSync(`${statePath}.before`)) copyFileSync(`${statePath}.before`, statePath);
  };

  const series: IncrementalDay[] = [];
  let last: IncrementalBench['lastDay'] | null = null;
  let previous: string | null = null;
  for (let day = opts.firstDay; day <= opts.days; day++) {
    const asOf = new Date(Date.parse(BENCH_START) + day * DAY_MS).toISOString();
    const arrived = await deliver(opts.benchDb, arrivalDb, previous, asOf);
    previous = asOf;
    const config = loadProjectConfig(projectDir);
    const isLast = day === opts.days;
    const reps = isLast ? opts.reps : 1;
    const wall = { incremental: [] as number[], full: [] as number[] };
    let inc: Awaited<ReturnType<typeof timedRun>> | null = null;
    let full: Awaited<ReturnType<typeof timedRun>> | null = null;
    saveState();
    for (let r = 0; r < reps; r++) {
      // Each repetition starts from the same stored state; full and incremental alternate.
      restoreState();
      inc = await timedRun(config, asOf, join(dir, 'reports-incremental'), true);
      wall.incremental.push(inc.seconds);
      full = await timedRun(config, asOf, join(dir, 'reports-full'), false);
      wall.full.push(full.seconds);
    }
    // EXPLAIN ANALYZE runs both refreshes once more: on the last day only (the ratio's day), unless
    // EXPTRACK_BENCH_EXPLAIN_EVERY_DAY is set, which doubles the bench's time for the per-day row series.
    // The explained incremental refresh starts from the day's stored state again and writes the state
    // the next day starts from; without it, the last repetition's state is that state already.
    const explain = isLast || process.env.EXPTRACK_BENCH_EXPLAIN_EVERY_DAY === '1';
    if (explain) restoreState();
    const rowsIncremental = explain ? await explainIncremental(config, asOf) : null;
    const rowsFull = explain ? await explainFull(config, arrivalDb, asOf, opts.settings) : null;
    const difference = firstDifference(inc!.results, full!.results);
    const entry: IncrementalDay = {
      day,
      asOf,
      mode: inc!.mode,
      identical: difference === null,
      difference,
      rowsArrived: arrived.rows,
      lateRowsArrived: arrived.late,
      rowsScanned: rowsIncremental === null || rowsFull === null ? null : { incremental: rowsIncremental, full: rowsFull },
      wallSeconds: { incremental: round(median(wall.incremental), 3), full: round(median(wall.full), 3) },
    };
    series.push(entry);
    opts.log(`  day ${day} (${asOf.slice(0, 10)}): ${entry.mode}, ${entry.identical ? 'identical' : `DIFFERS at ${difference}`}, ${entry.rowsScanned ? `rows ${rowsIncremental} vs ${rowsFull}, ` : ''}wall ${entry.wallSeconds.incremental} s vs ${entry.wallSeconds.full} s`);
    if (isLast) last = { reps, wallSeconds: { incremental: wall.incremental.map((x) => round(x, 3)), full: wall.full.map((x) => round(x, 3)) }, rowsScanned: entry.rowsScanned! };
  }
  const lastDay = series[series.length - 1];
  return {
    days: opts.days,
    firstDay: opts.firstDay,
    lateRowShare: 1 / LATE_ONE_IN,
    lateHours: LATE_HOURS,
    identical: series.every((d) => d.identical),
    ratioRowsScanned: round(lastDay.rowsScanned!.incremental / lastDay.rowsScanned!.full, 4),
    ratioWall: round(median(last!.wallSeconds.incremental) / median(last!.wallSeconds.full), 4),
    lastDay: last!,
    series,
  };
}
