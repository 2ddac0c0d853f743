/**
 * npm run bench -- [--scale 1] [--reps 5] [--only pipeline,compile,cli,explain]
 * Seeded and repeatable; see bench/README.md for what is measured and how.
 */
import { execSync } from 'node:child_process';
import { cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { ensureBenchData, type DuckdbSettings } from './bench-data.js';
import { CUPED_LOOKBACK_DAYS, cupedAnalysis, supportedMetrics } from './bench-metrics.js';
import { parseOptions } from './bench-options.js';
import { BENCH_SPEC_ID, writeBenchProject } from './bench-project.js';
import { formatSummary, heapGrowth, writeResults, type BenchResults, type Machine } from './bench-report.js';
import { measureCliStart } from './cli-start.js';
import { measureCompileThroughput } from './compile-throughput.js';
import { explainQueries } from './explain-queries.js';
import { benchIncremental } from './incremental-refresh.js';
import { comparePipelineWithLowerBound } from './pipeline-vs-lower-bound.js';
import { round } from './bench-stats.js';
import type { DuckdbSessionSettings } from './memory-sampler.js';

const log = (line: string) => process.stderr.write(`${line}\n`);

async function machine(): Promise<Machine> {
  const instance = await DuckDBInstance.create(':memory:');
  const c = await instance.connect();
  const [v] = (await c.runAndReadAll('SELECT version() AS v')).getRowObjectsJS();
  c.closeSync();
  instance.closeSync();
  return {
    cores: cpus().length,
    cpu: cpus()[0]?.model ?? 'unknown',
    ramGb: Math.round(totalmem() / 1024 ** 3),
    node: process.version,
    duckdb: String(v.v),
    platform: `${process.platform} ${process.arch}`,
    loadAverage: { start: round(loadavg()[0], 2), end: Number.NaN },
  };
}

const UNITS: Record<string, number> = { KB: 1e3, MB: 1e6, GB: 1e9, TB: 1e12, KIB: 2 ** 10, MIB: 2 ** 20, GIB: 2 ** 30, TIB: 2 ** 40 };
const bytes = (text: string) => {
  const m = /^([\d.]+)\s*([A-Za-z]+)$/.exec(text.trim());
  return m ? Number(m[1]) * (UNITS[m[2].toUpperCase()] ?? Number.NaN) : Number.NaN;
};

/** Did both sides' DuckDB sessions actually run with the requested settings (read back from duckdb_settings())? */
function checkSettings(wanted: DuckdbSettings, seen: (DuckdbSessionSettings | undefined)[]): { ok: boolean; problems: string[] } {
  const problems: string[] = [];
  for (const s of seen) {
    if (!s) {
      problems.push('no settings read back');
      continue;
    }
    if (s.threads !== String(wanted.threads)) problems.push(`threads ${s.threads}, wanted ${wanted.threads}`);
    // DuckDB reports its limit rounded, in binary units (8GB shows as 7.4 GiB).
    if (Math.abs(bytes(s.memory_limit) / bytes(wanted.memoryLimit) - 1) > 0.02) problems.push(`memory_limit ${s.memory_limit}, wanted ${wanted.memoryLimit}`);
    if (s.temp_directory !== wanted.tempDirectory) problems.push(`temp_directory ${s.temp_directory}, wanted ${wanted.tempDirectory}`);
  }
  return { ok: problems.length === 0, problems };
}

async function main(): Promise<void> {
  const opts = parseOptions(process.argv.slice(2));
  const results: BenchResults = {
    schemaVersion: 1,
    date: execSync('date -u +%F', { encoding: 'utf8' }).trim(),
    scale: opts.scale,
    seed: opts.seed,
    machine: await machine(),
    settings: opts.settings,
  };
  const dbPath = join(opts.workDir, 'bench.duckdb');
  const projectDir = join(opts.workDir, 'project');
  const needsData = opts.only.some((s) => s !== 'compile');
  const { metrics, skipped } = supportedMetrics();
  const cupedLookbackDays = cupedAnalysis() ? CUPED_LOOKBACK_DAYS : null;
  if (needsData) {
    log(`data: scale ${opts.scale}, seed ${opts.seed} ...`);
    results.data = await ensureBenchData(dbPath, opts.scale, opts.seed, opts.settings);
    log(`data: ${results.data.reused ? 'reused' : `built in ${results.data.buildSeconds.toFixed(1)} s`}: ${JSON.stringify(results.data.rows)}`);
    writeBenchProject(projectDir, dbPath, opts.settings, metrics);
    results.metrics = { included: metrics.map((m) => m.name), skipped, cupedLookbackDays };
    if (cupedLookbackDays === null) log('CUPED: not in this build (no analysis.cuped in the spec language); the spec runs without it');
    for (const s of skipped) log(`metric ${s.name} left out: this build does not accept it yet (${s.reason})`);
  }
  if (opts.only.includes('pipeline')) {
    log(`pipeline vs lower bound, ${opts.reps} repetitions ...`);
    const p = comparePipelineWithLowerBound({ repoRoot: opts.repoRoot, workDir: opts.workDir, projectDir, dbPath, settings: opts.settings, metrics, cupedLookbackDays, reps: opts.reps, log });
    results.pipeline = p;
    results.settingsApplied = checkSettings(opts.settings, [p.duckdbSettings.pipeline, p.duckdbSettings.lowerBound]);
    const sorted = (o: Record<string, number>) => JSON.stringify(Object.entries(o).sort());
    if (sorted(p.unitsByVariant.pipeline) !== sorted(p.unitsByVariant.lowerBound)) {
      log(`warning: units per variant differ: pipeline ${JSON.stringify(p.unitsByVariant.pipeline)}, lower bound ${JSON.stringify(p.unitsByVariant.lowerBound)}`);
    }
  }
  if (opts.only.includes('explain')) {
    log('EXPLAIN ANALYZE ...');
    results.explain = await explainQueries({ projectDir, dbPath, settings: opts.settings, metrics, cupedLookbackDays, workDir: opts.workDir });
  }
  if (opts.only.includes('incremental')) {
    log(`incremental: ${opts.days - opts.firstDay + 1} daily refreshes (days ${opts.firstDay} to ${opts.days}), each against a full refresh ...`);
    results.incremental = await benchIncremental({ workDir: opts.workDir, benchDb: dbPath, settings: opts.settings, metrics, days: opts.days, firstDay: opts.firstDay, reps: Math.min(opts.reps, 3), log });
  }
  if (opts.only.includes('compile')) {
    log(`compile throughput: ${opts.specs} specs ...`);
    results.compile = measureCompileThroughput(join(opts.workDir, 'compile-corpus'), opts.specs, 5, opts.seed);
  }
  if (opts.only.includes('cli')) {
    log(`CLI start, ${opts.cliReps} repetitions, and SDK loading ...`);
    results.cli = measureCliStart({ repoRoot: opts.repoRoot, projectDir, specId: BENCH_SPEC_ID, reps: opts.cliReps, workDir: opts.workDir });
  }
  if (results.machine.loadAverage) results.machine.loadAverage.end = round(loadavg()[0], 2);
  results.heapGrowth = heapGrowth(opts.repoRoot, results);
  const file = writeResults(opts.repoRoot, results);
  process.stdout.write(`${formatSummary(results)}\n\nresults: ${file}\n`);
}

main().catch((e: unknown) => {
  process.stderr.write(`bench: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(2);
});
