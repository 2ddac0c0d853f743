import { relative } from 'node:path';
import { formatBytes } from '../../compile/estimate-bytes.js';
import { runProject, type ProgressEvent } from '../../run/run-project.js';
import { loadContext, reportFailure, type CommonOptions } from '../common.js';
import { EXIT, type ExitCode } from '../exit.js';

export async function runCommand(selectors: string[], opts: CommonOptions & { reportsDir?: string; quiet?: boolean; incremental?: boolean; fullRefresh?: boolean }): Promise<ExitCode> {
  try {
    const { config, target, asOf, asOfFromClock } = loadContext(opts);
    const show = (e: ProgressEvent) => {
      if (opts.quiet) return;
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
      summary = await runProject({ config, target, selectors, asOf, asOfFromClock, reportsDir: opts.reportsDir, onProgress: show, signal: interrupt.signal, incremental: opts.incremental, fullRefresh: opts.fullRefresh });
    } finally {
      process.off('SIGINT', onSigint);
    }
    if (opts.json) {
      process.stdout.write(`${JSON.stringify({ ok: true, ...summary }, null, 2)}\n`);
    } else {
      for (const s of summary.experiments) {
        const failed = s.failedChecks.map((c) => `${c.reasonCode} (${c.severity})`).join(', ');
        const bytes = s.bytesEstimated !== undefined ? `; ${formatBytes(s.bytesEstimated)} scanned (estimate)` : '';
        process.stdout.write(`${s.id}: ${s.recommendation.toUpperCase()}${s.variant ? ` ${s.variant}` : ''}${failed ? `; failed checks: ${failed}` : ''}${bytes}\n`);
      }
    }
    return summary.exitCode === 1 ? EXIT.checkFailed : EXIT.ok;
  } catch (e) {
    return reportFailure(e, opts.json);
  }
}
