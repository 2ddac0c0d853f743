import { relative } from 'node:path';
import { formatBytes } from '../../compile/estimate-bytes.js';
import { partialRunOf, resolveConcurrency, runProject, type ExperimentRunSummary, type ProgressEvent } from '../../run/run-project.js';
import { WarehouseError } from '../../warehouse/types.js';
import { loadContext, reportFailure, type CommonOptions } from '../common.js';
import { EXIT, type ExitCode } from '../exit.js';

export async function runCommand(selectors: string[], opts: CommonOptions & { reportsDir?: string; quiet?: boolean; incremental?: boolean; fullRefresh?: boolean; concurrency?: number }): Promise<ExitCode> {
  try {
    const { config, target, asOf, asOfFromClock } = loadContext(opts);
    // Several experiments at once: whole lines only, so one experiment's line never splits another's.
    const concurrent = resolveConcurrency(target, opts.concurrency) > 1;
    const started = new Map<string, string>();
    const show = (e: ProgressEvent) => {
      if (opts.quiet) return;
      if (concurrent && e.kind === 'step') {
        started.set(e.experiment, `${e.experiment}: [${e.index}/${e.total}] ${e.step} ...`);
        return;
      }
      if (concurrent && e.kind === 'step-done') process.stderr.write(started.get(e.experiment) ?? `${e.experiment}: ${e.step} ...`);
      if (e.kind === 'step') process.stderr.write(`${e.experiment}: [${e.index}/${e.total}] ${e.step} ...`);
      if (e.kind === 'step-done') process.stderr.write(` ${e.rows} rows, ${Math.round(e.ms)} ms${e.bytesEstimated !== undefined ? `, ${formatBytes(e.bytesEstimated)} scanned (dry-run estimate)` : ''}\n`);
      if (e.kind === 'refresh') process.stderr.write(`${e.experiment}: ${e.refresh.mode} refresh${e.refresh.watermark ? ` from ${e.refresh.watermark}` : ''}${e.refresh.reason ? ` (${e.refresh.reason})` : ''}${e.refresh.fullSteps ? `; steps without state, scanned whole: ${e.refresh.fullSteps.join(', ')}` : ''}\n`);
      if (e.kind === 'connecting') process.stderr.write(`connecting to ${e.target} (${e.address})${e.timeoutSeconds ? `, giving up after ${e.timeoutSeconds} s` : ''} ...\n`);
      if (e.kind === 'package') process.stderr.write(`${e.experiment}: report package ${relative(process.cwd(), e.dir) || e.dir}\n`);
    };
    // Ctrl-C cancels the running warehouse query (not just this process); a second Ctrl-C exits at once.
    const interrupt = new AbortController();
    const onSigint = () => {
      if (interrupt.signal.aborted) process.exit(130);
      process.stderr.write('\ninterrupted: cancelling the running query (Ctrl-C again to exit now)\n');
      interrupt.abort();
    };
    process.on('SIGINT', onSigint);
    let summary;
    try {
      summary = await runProject({ config, target, selectors, asOf, asOfFromClock, reportsDir: opts.reportsDir, onProgress: show, signal: interrupt.signal, incremental: opts.incremental, fullRefresh: opts.fullRefresh, concurrency: opts.concurrency });
    } finally {
      process.off('SIGINT', onSigint);
    }
    if (opts.json) {
      process.stdout.write(`${JSON.stringify({ ok: summary.exitCode !== 2, ...summary }, null, 2)}\n`);
    } else {
      printSummaries(summary.experiments);
    }
    return summary.exitCode === 2 ? EXIT.couldNotRun : summary.exitCode === 1 ? EXIT.checkFailed : EXIT.ok;
  } catch (e) {
    // Some experiments failed: the others' packages were written, and are listed before the failure.
    const partial = partialRunOf(e);
    if (partial && opts.json) {
      const message = e instanceof Error ? e.message : String(e);
      process.stderr.write(`exptrack: ${message}\n`);
      const warehouse = e instanceof WarehouseError ? { kind: e.kind, target: e.ctx.target, experiment: e.ctx.experiment, step: e.ctx.step } : undefined;
      process.stdout.write(`${JSON.stringify({ ok: false, ...partial.summary, exitCode: EXIT.couldNotRun, error: message.split('\n')[0], failed: partial.failed, ...(warehouse ? { warehouse } : {}) }, null, 2)}\n`);
      return EXIT.couldNotRun;
    }
    if (partial) {
      printSummaries(partial.summary.experiments);
      for (const f of partial.failed.slice(1)) process.stderr.write(`exptrack: ${f.id}: ${f.error}\n`);
    }
    return reportFailure(e, opts.json);
  }
}

function printSummaries(experiments: ExperimentRunSummary[]): void {
  for (const s of experiments) {
    const failed = s.failedChecks.map((c) => `${c.reasonCode} (${c.severity})`).join(', ');
    const bytes = s.bytesEstimated !== undefined ? `; ${formatBytes(s.bytesEstimated)} scanned (estimate)` : '';
    const wh = s.warehouseResults?.written === false ? `; results NOT written to ${s.warehouseResults.table}: ${s.warehouseResults.error}` : '';
    process.stdout.write(`${s.id}: ${s.recommendation.toUpperCase()}${s.variant ? ` ${s.variant}` : ''}${failed ? `; failed checks: ${failed}` : ''}${bytes}${wh}\n`);
  }
}
