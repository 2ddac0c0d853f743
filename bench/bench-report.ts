import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CliStartResult } from './cli-start.js';
import type { QueryProfile } from './explain-queries.js';
import type { CompileThroughput } from './compile-throughput.js';
import type { BenchDataInfo } from './bench-data.js';
import type { PipelineComparison } from './pipeline-vs-lower-bound.js';
import { round } from './bench-stats.js';
import type { IncrementalBench } from './incremental-refresh.js';

export interface Machine {
  cores: number;
  cpu: string;
  ramGb: number;
  node: string;
  duckdb: string;
  platform: string;
  /** 1-minute load average when the run started and ended: the machine may be shared. */
  loadAverage?: { start: number; end: number };
}

export interface BenchResults {
  schemaVersion: 1;
  date: string;
  scale: number;
  seed: number;
  machine: Machine;
  settings: { threads: number; memoryLimit: string; tempDirectory: string };
  settingsApplied?: { ok: boolean; problems: string[] };
  data?: BenchDataInfo;
  metrics?: { included: string[]; skipped: { name: string; reason: string }[]; cupedLookbackDays: number | null };
  pipeline?: PipelineComparison;
  compile?: CompileThroughput;
  cli?: CliStartResult;
  explain?: Record<string, QueryProfile>;
  /** 28 daily incremental refreshes against full ones (bench/incremental-refresh.ts). */
  incremental?: IncrementalBench;
  /** Peak heapUsed of the pipeline here minus that of the latest result at a smaller scale. */
  heapGrowth?: { fromScale: number; fromFile: string; mb: number };
}

/** The latest earlier result file at the largest scale below this one that has pipeline figures. */
export function heapGrowth(repoRoot: string, r: BenchResults): BenchResults['heapGrowth'] {
  if (!r.pipeline) return undefined;
  const dir = join(repoRoot, 'bench', 'results');
  if (!existsSync(dir)) return undefined;
  const earlier = readdirSync(dir)
    .map((f) => ({ f, m: /^(\d{4}-\d{2}-\d{2})-scale([\d.]+)\.json$/.exec(f) }))
    .filter((x) => x.m && Number(x.m[2]) < r.scale)
    .map((x) => ({ file: x.f, date: x.m![1], scale: Number(x.m![2]), data: JSON.parse(readFileSync(join(dir, x.f), 'utf8')) as BenchResults }))
    .filter((x) => x.data.pipeline)
    .sort((a, b) => b.scale - a.scale || b.date.localeCompare(a.date));
  const base = earlier[0];
  if (!base) return undefined;
  return { fromScale: base.scale, fromFile: base.file, mb: r.pipeline.pipeline.memory.heapUsedPeakMb - base.data.pipeline!.pipeline.memory.heapUsedPeakMb };
}

/**
 * bench/results/<date>-scale<scale>.json. Sections this run skipped (--only) keep their figures from an
 * earlier run of the same day and scale, so the file always holds the latest of each.
 */
export function writeResults(repoRoot: string, results: BenchResults): string {
  const dir = join(repoRoot, 'bench', 'results');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${results.date}-scale${results.scale}.json`);
  const earlier = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Partial<BenchResults>) : {};
  const defined = Object.fromEntries(Object.entries(results).filter(([, v]) => v !== undefined));
  writeFileSync(file, `${JSON.stringify({ ...earlier, ...defined }, null, 2)}\n`);
  return file;
}

const ms = (x: number) => `${Math.round(x)} ms`;
const mb = (x: number | undefined) => (x === undefined ? '-' : `${round(x)} MB`);
const yesNo = (b: boolean) => (b ? 'yes' : 'no');

/** The human summary: a Markdown table, the same shape as the one in bench/README.md. */
export function formatSummary(r: BenchResults): string {
  const lines = [
    `exptrack bench, scale ${r.scale} (seed ${r.seed}), ${r.date}`,
    `machine: ${r.machine.cores} cores (${r.machine.cpu}), ${r.machine.ramGb} GB RAM, node ${r.machine.node}, duckdb ${r.machine.duckdb}` +
      (r.machine.loadAverage ? `, load average ${r.machine.loadAverage.start} at start, ${r.machine.loadAverage.end} at end` : ''),
    `duckdb: threads ${r.settings.threads}, memory_limit ${r.settings.memoryLimit}, temp_directory ${r.settings.tempDirectory}` +
      (r.settingsApplied ? ` (applied: ${r.settingsApplied.ok ? 'yes' : `NO: ${r.settingsApplied.problems.join('; ')}`})` : ''),
  ];
  if (r.data) lines.push(`data: ${r.data.units} units, ${r.data.rows.exposures} exposure rows, ${r.data.rows.events} events (${r.data.reused ? 'reused' : `built in ${round(r.data.buildSeconds)} s`})`);
  if (r.metrics) {
    const skipped = r.metrics.skipped.length ? `; not yet expressible: ${r.metrics.skipped.map((s) => s.name).join(', ')}` : '';
    lines.push(`metrics: ${r.metrics.included.join(', ')}${skipped}; CUPED ${r.metrics.cupedLookbackDays === null ? 'not in this build' : `${r.metrics.cupedLookbackDays}-day lookback`}`);
  }
  lines.push('', '| measure | value |', '|---|---|');
  const p = r.pipeline;
  if (p) {
    lines.push(
      `| (a) pipeline, median of ${p.reps}: wall (cpu) | ${ms(p.pipeline.medianMs)} (${ms(p.pipeline.medianCpuMs)}); steps ${Object.entries(p.pipeline.steps).map(([k, v]) => `${k} ${ms(v.medianMs)}`).join(', ')} |`,
      `| (b) lower bound, median of ${p.reps}: wall (cpu) | ${ms(p.lowerBound.medianMs)} (${ms(p.lowerBound.medianCpuMs)}) |`,
      `| ratio a/b, wall (cpu) (target <= 1.3 at scale 10) | ${round(p.ratio, 2)} (${round(p.cpuRatio, 2)}) |`,
      `| rows transferred to Node (a / b) | ${p.pipeline.rowsTransferred} / ${p.lowerBound.rowsTransferred} |`,
      `| Node heap used, peak (baseline) | ${mb(p.pipeline.memory.heapUsedPeakMb)} (${mb(p.pipeline.memory.heapUsedBaselineMb)}) |`,
      `| V8 heap + external, peak (a / b) | ${mb(p.pipeline.memory.v8AndExternalPeakMb)} / ${mb(p.lowerBound.memory.v8AndExternalPeakMb)} |`,
      `| RSS before DuckDB opens (a / b) | ${mb(p.pipeline.memory.rssBeforeDuckdbMb)} / ${mb(p.lowerBound.memory.rssBeforeDuckdbMb)} |`,
      `| RSS minus duckdb_memory(), peak (a / b) | ${mb(p.pipeline.memory.rssApartFromDuckdbPeakMb)} / ${mb(p.lowerBound.memory.rssApartFromDuckdbPeakMb)} |`,
      `| process max RSS minus DuckDB peak (a / b) | ${mb(p.pipeline.memory.maxRssMb - p.pipeline.memory.duckdbPeakMb)} / ${mb(p.lowerBound.memory.maxRssMb - p.lowerBound.memory.duckdbPeakMb)} |`,
      `| DuckDB memory peak, spilled (a) | ${mb(p.pipeline.memory.duckdbPeakMb)}, ${mb(p.pipeline.memory.duckdbTempPeakMb)} |`,
      `| process max RSS incl. DuckDB (a / b) | ${mb(p.pipeline.memory.maxRssMb)} / ${mb(p.lowerBound.memory.maxRssMb)} |`,
      `| result | ${p.recommendation}${p.failedChecks?.length ? `; failed checks: ${p.failedChecks.join(', ')}` : ''} |`,
    );
  }
  if (r.incremental) {
    const i = r.incremental;
    lines.push(
      `| incremental: ${i.days - i.firstDay + 1} daily refreshes (days ${i.firstDay} to ${i.days}) vs full, identical | ${i.identical}${i.identical ? '' : ` (first difference: ${i.series.find((d) => !d.identical)?.difference})`} |`,
      `| incremental: last day, source rows scanned ratio (EXPLAIN ANALYZE) | ${i.ratioRowsScanned} (${i.lastDay.rowsScanned.incremental} / ${i.lastDay.rowsScanned.full}) |`,
      `| incremental: last day, wall ratio (median of ${i.lastDay.reps}) | ${i.ratioWall} |`,
    );
  }
  if (p && r.heapGrowth) lines.push(`| Node heap peak growth from scale ${r.heapGrowth.fromScale} (${r.heapGrowth.fromFile}) | ${mb(r.heapGrowth.mb)} |`);
  if (r.compile) lines.push(`| validate + compile ${r.compile.specs} specs, median of ${r.compile.reps}: wall (cpu) (target < 2 s) | ${ms(r.compile.medianMs)} (${ms(r.compile.medianCpuMs)}) |`);
  if (r.cli) {
    lines.push(
      `| \`exptrack --help\`, whole process, median of ${r.cli.reps}: wall (cpu) | ${ms(r.cli.helpMs)} (${ms(r.cli.helpCpuMs)}) |`,
      `| \`exptrack compile <spec>\`, whole process: wall (cpu) | ${ms(r.cli.compileMs)} (${ms(r.cli.compileCpuMs)}) |`,
    );
    for (const [cmd, sdks] of Object.entries(r.cli.sdkLoaded)) {
      lines.push(`| cloud SDKs loaded by ${cmd} | ${Object.entries(sdks).map(([s, b]) => `${s} ${yesNo(b)}`).join(', ')} |`);
    }
  }
  if (r.explain) {
    lines.push('', 'EXPLAIN ANALYZE (operator seconds are summed over threads):');
    for (const [name, q] of Object.entries(r.explain)) {
      lines.push(`  ${name}: ${round(q.latencySeconds, 2)} s, operators ${round(q.operatorSeconds, 2)} s (${q.file})`);
      for (const o of q.top) lines.push(`    ${round(o.seconds, 2)} s  ${o.operator}  ${o.rows} rows  ${o.detail}`);
    }
  }
  return lines.join('\n');
}
