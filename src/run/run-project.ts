import { compileProject } from '../compile/compile-project.js';
import type { ProjectConfig, Target } from '../config/project-config.js';
import { TEMPLATES_DIR, TOOL_VERSION } from '../package-info.js';
import { createReportRenderer } from '../report/render-report.js';
import { renderReportCharts } from '../report/charts/report-charts.js';
import { writeChainedPackage } from '../audit/chained-package.js';
import { gitProvenanceAsync } from '../audit/git-provenance.js';
import { writeIndex } from '../audit/experiment-index.js';
import { loadSigner } from '../audit/signing.js';
import { newRunId } from '../report/write-package.js';
import { checkReportsWritable } from '../report/reports-writable.js';
import { getWarehouse } from '../warehouse/registry.js';
import { WarehouseError, type Row } from '../warehouse/types.js';
import { lifecycleSignals, type LifecycleSignal } from '../lifecycle/lifecycle-signals.js';
import { analyze } from './analyze-run.js';
import { explainWarehouseError } from './explain-warehouse-error.js';
import { checkExperimentSources } from '../catalogue/check-project.js';
import { ValidationError } from '../spec/diagnostics.js';
import type { Recommendation } from './results.js';
import { createStateRunner, stepsOutsideState, wantsState } from '../state/state-runner.js';
import type { RefreshRecord } from '../state/refresh-state.js';
import { createTurns, runPool } from './run-pool.js';
import { writeBackLocation } from '../warehouse-results/warehouse-write.js';
import { writeResultsBack, type WriteBackOutcome } from '../warehouse-results/write-results.js';

export type ProgressEvent =
  | { kind: 'step'; experiment: string; step: string; index: number; total: number }
  | { kind: 'step-done'; experiment: string; step: string; rows: number; ms: number; bytesEstimated?: number }
  | { kind: 'package'; experiment: string; dir: string }
  | { kind: 'connecting'; target: string; address: string; timeoutSeconds: number | null }
  | { kind: 'refresh'; experiment: string; refresh: RefreshRecord };

export interface ExperimentRunSummary {
  id: string;
  /** This experiment's as-of (a concluded experiment's default may differ from the run's). */
  asOf: string;
  runId: string;
  packageDir: string;
  /** SHA-256 of the package's SHA256SUMS, and its place in the experiment's chain. */
  packageDigest: string;
  chainSequence: number;
  recommendation: Recommendation;
  variant: string | null;
  failedChecks: { reasonCode: string; severity: string }[];
  rowsTransferred: number;
  /** Sum of the dry-run estimates of its queries, when the warehouse gives them (BigQuery). */
  bytesEstimated?: number;
  /** Lifecycle signals for orchestrators (src/lifecycle): started, result, insufficient samples, large split, stalled. */
  lifecycle: LifecycleSignal[];
  /** With a write_schema: whether the results reached the warehouse's results table (the package is written either way). */
  warehouseResults?: WriteBackOutcome;
}

export interface RunSummary {
  asOf: string;
  target: { name: string; type: string };
  experiments: ExperimentRunSummary[];
  /** 0: ran and no error-severity check failed; 1: ran, and one did; 2: results could not be written to the warehouse. */
  exitCode: 0 | 1 | 2;
  /** Experiments run at once (--concurrency, the target's `concurrency`, or the warehouse's default). */
  concurrency: number;
}

/** --concurrency, else the target's `concurrency:`, else the warehouse's default (1 unless it says otherwise). */
export function resolveConcurrency(target: Target, flag?: number): number {
  return flag ?? target.state?.concurrency ?? getWarehouse(target.type).defaultConcurrency ?? 1;
}

const isCancel = (e: unknown) => e instanceof WarehouseError && e.kind === 'cancelled';

/** The summary of the experiments that did finish, when a run fails (README, Exit codes). */
const partialRuns = new WeakMap<object, { summary: RunSummary; failed: { id: string; error: string }[] }>();
export function partialRunOf(e: unknown): { summary: RunSummary; failed: { id: string; error: string }[] } | undefined {
  return e !== null && typeof e === 'object' ? partialRuns.get(e) : undefined;
}

/** Compile, execute each step on the warehouse, analyse, and write one package per experiment. */
export async function runProject(opts: {
  config: ProjectConfig;
  target: Target;
  selectors: string[];
  asOf: string;
  /** The as-of came from the clock: concluded experiments use their own default (end + longest window). */
  asOfFromClock?: boolean;
  reportsDir?: string;
  onProgress?: (e: ProgressEvent) => void;
  /** Aborted on Ctrl-C: the running query is cancelled on the warehouse and nothing more is written. */
  signal?: AbortSignal;
  /** Refresh from the state in the target's write_schema (src/state); fullRefresh rebuilds it. */
  incremental?: boolean;
  fullRefresh?: boolean;
  /** Experiments at once; packages and summary order are the same as one at a time. */
  concurrency?: number;
}): Promise<RunSummary> {
  const { config, target } = opts;
  const progress = opts.onProgress ?? (() => undefined);
  const compiled = compileProject(config, target, opts.selectors, opts.asOf, { asOfFromClock: opts.asOfFromClock });
  const render = createReportRenderer(TEMPLATES_DIR);
  const signer = loadSigner(config.signing);
  const reportsDir = opts.reportsDir ?? config.paths.reports;
  const warehouse = getWarehouse(target.type);
  const viaState = wantsState(target, opts);
  // Before any query is paid for: a package that cannot be written is known now.
  checkReportsWritable(reportsDir);
  const timeout = (target.settings as { connect_timeout_seconds?: number }).connect_timeout_seconds ?? null;
  progress({ kind: 'connecting', target: target.name, address: warehouse.address?.(target.settings) ?? target.type, timeoutSeconds: timeout });
  const writeBack = writeBackLocation(target, warehouse);
  const concurrency = resolveConcurrency(target, opts.concurrency);
  const adapter = await warehouse.createAdapter(target.settings, { projectRoot: config.root, targetName: target.name, ...(viaState || writeBack ? { writeSchema: target.state!.writeSchema! } : {}) });
  const stateRunner = viaState ? createStateRunner({ target, warehouse, adapter, fullRefresh: Boolean(opts.fullRefresh) }) : null;
  const summaries: ExperimentRunSummary[] = [];
  const failed: { id: string; error: unknown }[] = [];
  // State refreshes share the write schema's meta table (and on DuckDB one state file): one at a time.
  const stateTurn = createTurns();
  try {
    // First step: the sources against the warehouse's catalogue (catalogue reads only), so a wrong
    // table, column or type is named at its model line before any query runs.
    const check = await checkExperimentSources(config, target, compiled.experiments, adapter, opts.signal);
    if (check.diagnostics.length) throw new ValidationError(check.diagnostics);
    const outcomes = await runPool(compiled.experiments.length, concurrency, async (i) => {
      const exp = compiled.experiments[i];
      const plan = compiled.compiled[i];
      const started = new Date();
      // The package's git facts, read while the queries run (src/audit/git-provenance.ts).
      const git = gitProvenanceAsync(config.root, exp.specFile, [exp.specFile, ...exp.modelFiles, 'exptrack.yaml']);
      const data: Record<string, Row[]> = {};
      let bytesEstimated: number | undefined;
      const runId = newRunId(started);
      let refresh: RefreshRecord | undefined;
      if (stateRunner) {
        const outcome = await stateTurn(() => stateRunner.refresh(exp, plan.asOf, runId, { experiment: exp.id, step: 'state', signal: opts.signal }));
        if ('fallback' in outcome) refresh = outcome.fallback;
        else {
          refresh = outcome.refresh;
          Object.assign(data, outcome.data);
        }
      }
      // Steps the state did not answer run on the full path (named in the refresh record).
      const steps = refresh && refresh.mode !== 'full' ? stepsOutsideState(plan.steps, data, refresh) : plan.steps;
      if (refresh) progress({ kind: 'refresh', experiment: exp.id, refresh });
      for (const [k, step] of steps.entries()) {
        progress({ kind: 'step', experiment: exp.id, step: step.name, index: k + 1, total: steps.length });
        const t0 = performance.now();
        const ctx = { experiment: exp.id, step: step.name, signal: opts.signal };
        if (opts.signal?.aborted) throw new WarehouseError('cancelled before the query started', { target: target.name, experiment: exp.id, step: step.name }, 'cancelled');
        // A dry run first where the warehouse offers one, so the cost shows before it is spent.
        const bytes = adapter.estimate ? (await adapter.estimate(step.sql, ctx)).bytes : undefined;
        if (bytes !== undefined) bytesEstimated = (bytesEstimated ?? 0) + bytes;
        try {
          data[step.name] = await adapter.query(step.sql, ctx);
        } catch (e) {
          throw e instanceof WarehouseError && e.kind !== 'cancelled' ? explainWarehouseError(e, exp, plan) : e;
        }
        progress({ kind: 'step-done', experiment: exp.id, step: step.name, rows: data[step.name].length, ms: performance.now() - t0, ...(bytes !== undefined ? { bytesEstimated: bytes } : {}) });
      }
      const run = {
        runId,
        asOf: plan.asOf,
        target: { name: target.name, type: target.type },
        startedAt: started.toISOString(),
        finishedAt: new Date().toISOString(),
      };
      const results = analyze(exp, plan, data, run, TOOL_VERSION);
      if (refresh) results.refresh = refresh;
      // Ctrl-C after the last query still means: write nothing more.
      if (opts.signal?.aborted) throw new WarehouseError('cancelled before the package was written', { target: target.name, experiment: exp.id, step: 'package' }, 'cancelled');
      const charts = await renderReportCharts(results);
      const { dir, digest, sequence } = await writeChainedPackage({ reportsDir, projectRoot: config.root, experiment: exp, compiled: plan, compileManifest: compiled.manifest, results, render, signer, extraFiles: charts, git });
      progress({ kind: 'package', experiment: exp.id, dir });
      // After the package: it stays the source of truth, and a failed write leaves it untouched.
      const warehouseResults = writeBack ? await writeResultsBack({ adapter, warehouse, loc: writeBack, results, packageDigest: digest }) : undefined;
      return {
        id: exp.id,
        asOf: plan.asOf,
        runId: run.runId,
        packageDir: dir,
        packageDigest: digest,
        chainSequence: sequence,
        recommendation: results.decision.recommendation,
        variant: results.decision.variant,
        failedChecks: results.checks.filter((c) => c.status === 'fail').map((c) => ({ reasonCode: c.reasonCode, severity: c.severity })),
        rowsTransferred: Object.values(data).reduce((a, r) => a + r.length, 0),
        ...(bytesEstimated !== undefined ? { bytesEstimated } : {}),
        lifecycle: lifecycleSignals({ results, chainSequence: sequence, stallAfterSeconds: exp.lifecycle?.stallAfterSeconds ?? null }),
        ...(warehouseResults ? { warehouseResults } : {}),
      } satisfies ExperimentRunSummary;
    }, () => Boolean(opts.signal?.aborted));
    // One experiment failing does not take down the others' packages; the failures are reported after.
    outcomes.forEach((o, i) => {
      if (o?.ok) summaries.push(o.value);
      else if (o) failed.push({ id: compiled.experiments[i].id, error: o.error });
      else failed.push({ id: compiled.experiments[i].id, error: new WarehouseError('cancelled before the experiment started', { target: target.name, experiment: compiled.experiments[i].id, step: '-' }, 'cancelled') });
    });
    // Report a cancellation first, whichever experiment it reached first.
    failed.sort((a, b) => Number(isCancel(b.error)) - Number(isCancel(a.error)));
  } finally {
    await adapter.close();
    // Packages already written are in the index even when a later experiment fails.
    if (summaries.length) writeIndex(reportsDir);
  }
  const summary: RunSummary = {
    asOf: compiled.manifest.asOf,
    target: { name: target.name, type: target.type },
    experiments: summaries,
    exitCode: summaries.some((s) => s.warehouseResults?.written === false) ? 2 : summaries.some((s) => s.failedChecks.some((c) => c.severity === 'error')) ? 1 : 0,
    concurrency,
  };
  if (failed.length) {
    const first = failed[0].error;
    const error = first !== null && typeof first === 'object' ? first : new Error(String(first));
    partialRuns.set(error, { summary, failed: failed.map((f) => ({ id: f.id, error: (f.error instanceof Error ? f.error.message : String(f.error)).split('\n')[0] })) });
    throw error;
  }
  return summary;
}
