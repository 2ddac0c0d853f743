import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { compileProject } from '../src/compile/compile-project.js';
import { getTarget, loadProjectConfig } from '../src/config/project-config.js';
import { BENCH_AS_OF } from './bench-data-sql.js';
import type { DuckdbSettings } from './bench-data.js';
import type { BenchMetric } from './bench-metrics.js';
import { BENCH_SPEC_ID } from './bench-project.js';
import { lowerBoundSql } from './lower-bound-sql.js';

export interface QueryProfile {
  file: string;
  /** Wall seconds DuckDB reports for the query (profiling on, so somewhat above a plain run). */
  latencySeconds: number;
  /** Sum of operator times: thread-seconds spent inside the plan. */
  operatorSeconds: number;
  /** The heaviest operators: name, seconds, rows out, and what they do. */
  top: { operator: string; seconds: number; rows: number; detail: string }[];
}

interface PlanNode {
  operator_name?: string;
  operator_timing?: number;
  operator_cardinality?: number;
  extra_info?: Record<string, unknown>;
  latency?: number;
  children?: PlanNode[];
}

function flatten(node: PlanNode, out: PlanNode[] = []): PlanNode[] {
  if (node.operator_name) out.push(node);
  for (const c of node.children ?? []) flatten(c, out);
  return out;
}

const detail = (info: Record<string, unknown> | undefined) =>
  JSON.stringify(Object.fromEntries(Object.entries(info ?? {}).filter(([k]) => k !== 'Estimated Cardinality'))).slice(0, 200);

/**
 * EXPLAIN ANALYZE of every pipeline step and of the lower bound, with the bench's DuckDB settings.
 * The plan with timings goes to <workDir>/explain/<name>.txt; a summary of the heaviest operators is
 * returned, for finding where the pipeline spends its time.
 */
export async function explainQueries(opts: { projectDir: string; dbPath: string; settings: DuckdbSettings; metrics: BenchMetric[]; cupedLookbackDays: number | null; workDir: string }): Promise<Record<string, QueryProfile>> {
  const config = loadProjectConfig(opts.projectDir);
  const compiled = compileProject(config, getTarget(config, undefined), [BENCH_SPEC_ID], BENCH_AS_OF);
  const queries: [string, string][] = [
    ...compiled.compiled[0].steps.map((s): [string, string] => [s.name, s.sql]),
    ['lower_bound', lowerBoundSql(opts.metrics, BENCH_AS_OF, opts.cupedLookbackDays)],
  ];
  const dir = join(opts.workDir, 'explain');
  mkdirSync(dir, { recursive: true });
  const instance = await DuckDBInstance.create(opts.dbPath, {
    access_mode: 'READ_ONLY',
    threads: String(opts.settings.threads),
    memory_limit: opts.settings.memoryLimit,
    temp_directory: opts.settings.tempDirectory,
  });
  const written: Record<string, QueryProfile> = {};
  try {
    const c = await instance.connect();
    await c.run("SET TimeZone = 'UTC'");
    for (const [name, sql] of queries) {
      const rows = (await c.runAndReadAll(`EXPLAIN (ANALYZE, FORMAT json) ${sql}`)).getRowObjectsJS();
      const json = JSON.parse(String(rows[0].explain_value)) as PlanNode | PlanNode[];
      const root = Array.isArray(json) ? json[0] : json;
      const ops = flatten(root).sort((x, y) => (y.operator_timing ?? 0) - (x.operator_timing ?? 0));
      const file = join(dir, `${name}.json`);
      writeFileSync(file, `${JSON.stringify({ sql, plan: root }, null, 1)}\n`);
      written[name] = {
        file,
        latencySeconds: root.latency ?? Number.NaN,
        operatorSeconds: ops.reduce((a, o) => a + (o.operator_timing ?? 0), 0),
        top: ops.slice(0, 5).map((o) => ({ operator: o.operator_name!, seconds: o.operator_timing ?? 0, rows: o.operator_cardinality ?? 0, detail: detail(o.extra_info) })),
      };
    }
    c.closeSync();
  } finally {
    instance.closeSync();
  }
  return written;
}
