import { spawnSync } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ChildJob, ChildResult } from './bench-child.js';
import { BENCH_AS_OF } from './bench-data-sql.js';
import type { DuckdbSettings } from './bench-data.js';
import type { BenchMetric } from './bench-metrics.js';
import { BENCH_SPEC_ID } from './bench-project.js';
import { median } from './bench-stats.js';

export interface SideSummary {
  medianMs: number;
  allMs: number[];
  medianCpuMs: number;
  rowsTransferred: number;
  steps: Record<string, { medianMs: number; rows: number }>;
  /** Medians over repetitions of each memory figure (MB). */
  memory: Record<string, number>;
}

export interface PipelineComparison {
  reps: number;
  pipeline: SideSummary;
  lowerBound: SideSummary;
  ratio: number;
  /** The same ratio in CPU time. */
  cpuRatio: number;
  duckdbSettings: { pipeline: ChildResult['duckdbSettings']; lowerBound: ChildResult['duckdbSettings'] };
  unitsByVariant: { pipeline: Record<string, number>; lowerBound: Record<string, number> };
  recommendation: string | undefined;
  failedChecks: string[] | undefined;
}

function runChild(repoRoot: string, workDir: string, job: ChildJob): ChildResult {
  const jobFile = join(workDir, `job-${job.mode}.json`);
  writeFileSync(jobFile, JSON.stringify(job));
  const r = spawnSync(process.execPath, [join(repoRoot, 'dist', 'bench', 'bench-child.js'), jobFile], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (r.status !== 0) throw new Error(`bench child (${job.mode}) exited ${r.status}:\n${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').pop()!) as ChildResult;
}

function summarize(results: ChildResult[]): SideSummary {
  const steps: SideSummary['steps'] = {};
  for (const name of new Set(results.flatMap((r) => r.steps.map((s) => s.step)))) {
    const of = results.map((r) => r.steps.find((s) => s.step === name)!).filter(Boolean);
    steps[name] = { medianMs: median(of.map((s) => s.ms)), rows: of[0].rows };
  }
  const memoryKeys = Object.keys(results[0].memory) as (keyof ChildResult['memory'])[];
  return {
    medianMs: median(results.map((r) => r.ms)),
    allMs: results.map((r) => r.ms),
    medianCpuMs: median(results.map((r) => r.cpuMs)),
    rowsTransferred: results[0].rowsTransferred,
    steps,
    memory: Object.fromEntries(memoryKeys.map((k) => [k, median(results.map((r) => r.memory[k]))])),
  };
}

/**
 * Runs the full pipeline (a) and the lower-bound query (b) alternately, a b a b ..., each in a fresh
 * process with the same DuckDB settings, and compares their medians.
 */
export function comparePipelineWithLowerBound(opts: {
  repoRoot: string;
  workDir: string;
  projectDir: string;
  dbPath: string;
  settings: DuckdbSettings;
  metrics: BenchMetric[];
  cupedLookbackDays: number | null;
  reps: number;
  log: (line: string) => void;
}): PipelineComparison {
  const reportsDir = join(opts.workDir, 'reports');
  rmSync(reportsDir, { recursive: true, force: true });
  const base = { projectDir: opts.projectDir, reportsDir, dbPath: opts.dbPath, settings: opts.settings, metrics: opts.metrics, cupedLookbackDays: opts.cupedLookbackDays, asOf: BENCH_AS_OF, specId: BENCH_SPEC_ID };
  const a: ChildResult[] = [];
  const b: ChildResult[] = [];
  for (let i = 0; i < opts.reps; i++) {
    a.push(runChild(opts.repoRoot, opts.workDir, { ...base, mode: 'pipeline' }));
    b.push(runChild(opts.repoRoot, opts.workDir, { ...base, mode: 'lower-bound' }));
    opts.log(`  rep ${i + 1}/${opts.reps}: pipeline ${Math.round(a[i].ms)} ms (cpu ${Math.round(a[i].cpuMs)} ms), lower bound ${Math.round(b[i].ms)} ms (cpu ${Math.round(b[i].cpuMs)} ms)`);
  }
  const pipeline = summarize(a);
  const lowerBound = summarize(b);
  return {
    reps: opts.reps,
    pipeline,
    lowerBound,
    ratio: pipeline.medianMs / lowerBound.medianMs,
    cpuRatio: pipeline.medianCpuMs / lowerBound.medianCpuMs,
    duckdbSettings: { pipeline: a[0].duckdbSettings, lowerBound: b[0].duckdbSettings },
    unitsByVariant: { pipeline: a[0].unitsByVariant, lowerBound: b[0].unitsByVariant },
    recommendation: a[0].recommendation,
    failedChecks: a[0].failedChecks,
  };
}
