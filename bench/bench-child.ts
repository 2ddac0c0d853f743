/**
 * One timed repetition in a fresh process, so that every repetition starts from the same state and
 * its memory figures are its own. Reads a job file, prints one JSON line on stdout.
 *   node dist/bench/bench-child.js <job.json>
 */
import { readFileSync } from 'node:fs';
import { DuckDBInstance } from '@duckdb/node-api';
import { getTarget, loadProjectConfig } from '../src/config/project-config.js';
import { runProject } from '../src/run/run-project.js';
import type { DuckdbSettings } from './bench-data.js';
import type { BenchMetric } from './bench-metrics.js';
import { lowerBoundSql } from './lower-bound-sql.js';
import { MemorySampler, type DuckdbSessionSettings, type MemoryPeaks } from './memory-sampler.js';

export interface ChildJob {
  mode: 'pipeline' | 'lower-bound';
  projectDir: string;
  reportsDir: string;
  dbPath: string;
  settings: DuckdbSettings;
  metrics: BenchMetric[];
  /** CUPED lookback the spec asks for (null: CUPED off or not in this build). */
  cupedLookbackDays: number | null;
  asOf: string;
  specId: string;
}

export interface ChildResult {
  mode: ChildJob['mode'];
  ms: number;
  /** CPU time (user + system, all threads, DuckDB's included) of the timed part: steadier than wall time on a busy machine. */
  cpuMs: number;
  rowsTransferred: number;
  steps: { step: string; rows: number; ms: number }[];
  memory: MemoryPeaks;
  duckdbSettings: DuckdbSessionSettings | undefined;
  /** Units per variant (variant null: seen in several), to check both sides count the same units. */
  unitsByVariant: Record<string, number>;
  recommendation?: string;
  failedChecks?: string[];
}

function cpuSince(start: NodeJS.CpuUsage): number {
  const d = process.cpuUsage(start);
  return (d.user + d.system) / 1000;
}

async function pipeline(job: ChildJob, sampler: MemorySampler): Promise<Omit<ChildResult, 'memory' | 'duckdbSettings'>> {
  const config = loadProjectConfig(job.projectDir);
  const target = getTarget(config, undefined);
  const steps: ChildResult['steps'] = [];
  const unitsByVariant: Record<string, number> = {};
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  const summary = await runProject({
    config,
    target,
    selectors: [job.specId],
    asOf: job.asOf,
    reportsDir: job.reportsDir,
    onProgress: (e) => {
      sampler.sample();
      if (e.kind === 'step-done') steps.push({ step: e.step, rows: e.rows, ms: e.ms });
    },
  });
  const ms = performance.now() - t0;
  const cpuMs = cpuSince(cpu0);
  const [exp] = summary.experiments;
  const results = JSON.parse(readFileSync(`${exp.packageDir}/results.json`, 'utf8')) as { data?: { exposures?: { variant: string | null; units: number }[] } };
  for (const r of results.data?.exposures ?? []) unitsByVariant[String(r.variant)] = Number(r.units);
  return {
    mode: 'pipeline',
    ms,
    cpuMs,
    rowsTransferred: exp.rowsTransferred,
    steps,
    unitsByVariant,
    recommendation: `${exp.recommendation}${exp.variant ? ` ${exp.variant}` : ''}`,
    failedChecks: exp.failedChecks.map((c) => `${c.reasonCode} (${c.severity})`),
  };
}

async function lowerBound(job: ChildJob, sampler: MemorySampler): Promise<Omit<ChildResult, 'memory' | 'duckdbSettings'>> {
  const sql = lowerBoundSql(job.metrics, job.asOf, job.cupedLookbackDays);
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  // The same settings the adapter passes for the bench target (see src/warehouse/duckdb/adapter.ts).
  const instance = await DuckDBInstance.create(job.dbPath, {
    access_mode: 'READ_ONLY',
    threads: String(job.settings.threads),
    memory_limit: job.settings.memoryLimit,
    temp_directory: job.settings.tempDirectory,
  });
  const c = await instance.connect();
  await c.run("SET TimeZone = 'UTC'");
  const rows = (await c.runAndReadAll(sql)).getRowObjectsJS();
  await sampler.detach();
  c.closeSync();
  instance.closeSync();
  const ms = performance.now() - t0;
  const cpuMs = cpuSince(cpu0);
  const unitsByVariant: Record<string, number> = {};
  for (const r of rows) if (Number(r.country_grouping) === 1 && Number(r.platform_grouping) === 1) unitsByVariant[String(r.variant)] = Number(r.units);
  return { mode: 'lower-bound', ms, cpuMs, rowsTransferred: rows.length, steps: [{ step: 'lower_bound', rows: rows.length, ms }], unitsByVariant };
}

const job = JSON.parse(readFileSync(process.argv[2], 'utf8')) as ChildJob;
const sampler = new MemorySampler();
sampler.start();
const result = job.mode === 'pipeline' ? await pipeline(job, sampler) : await lowerBound(job, sampler);
const memory = await sampler.stop();
process.stdout.write(`${JSON.stringify({ ...result, memory, duckdbSettings: sampler.settings } satisfies ChildResult)}\n`);
