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

/**
 * EXPLAIN ANALYZE of every pipeline step and of the lower bound, with the bench's DuckDB settings.
 * Profiles go to <workDir>/explain/<name>.txt, for finding where the pipeline spends its time.
 */
export async function explainQueries(opts: { projectDir: string; dbPath: string; settings: DuckdbSettings; metrics: BenchMetric[]; workDir: string }): Promise<Record<string, string>> {
  const config = loadProjectConfig(opts.projectDir);
  const compiled = compileProject(config, getTarget(config, undefined), [BENCH_SPEC_ID], BENCH_AS_OF);
  const queries: [string, string][] = [
    ...compiled.compiled[0].steps.map((s): [string, string] => [s.name, s.sql]),
    ['lower_bound', lowerBoundSql(opts.metrics, BENCH_AS_OF)],
  ];
  const dir = join(opts.workDir, 'explain');
  mkdirSync(dir, { recursive: true });
  const instance = await DuckDBInstance.create(opts.dbPath, {
    access_mode: 'READ_ONLY',
    threads: String(opts.settings.threads),
    memory_limit: opts.settings.memoryLimit,
    temp_directory: opts.settings.tempDirectory,
  });
  const written: Record<string, string> = {};
  try {
    const c = await instance.connect();
    await c.run("SET TimeZone = 'UTC'");
    for (const [name, sql] of queries) {
      const rows = (await c.runAndReadAll(`EXPLAIN ANALYZE ${sql}`)).getRowObjectsJS();
      const file = join(dir, `${name}.txt`);
      writeFileSync(file, `${sql}\n\n${rows.map((r) => String(r.explain_value)).join('\n')}\n`);
      written[name] = file;
    }
    c.closeSync();
  } finally {
    instance.closeSync();
  }
  return written;
}
