import { resolve } from 'node:path';
import { writeIndex } from '../../audit/experiment-index.js';
import { recordDecision } from '../../audit/decisions.js';
import { loadSigner } from '../../audit/signing.js';
import { loadProjectConfig } from '../../config/project-config.js';
import { reportFailure } from '../common.js';
import { EXIT, type ExitCode } from '../exit.js';
import { syncDecisions } from '../../warehouse-results/write-decisions.js';

export async function decideCommand(
  experiment: string,
  opts: { decision: string; by: string; note: string; variant?: string; acknowledge?: string; package?: string; projectDir?: string; reportsDir?: string; json?: boolean; target?: string },
): Promise<ExitCode> {
  try {
    const config = loadProjectConfig(resolve(opts.projectDir ?? '.'));
    const reportsDir = opts.reportsDir ? resolve(opts.reportsDir) : config.paths.reports;
    const record = await recordDecision({
      reportsDir,
      experiment,
      decision: opts.decision,
      by: opts.by,
      note: opts.note,
      variant: opts.variant,
      acknowledge: opts.acknowledge,
      packageRunId: opts.package,
      signer: loadSigner(config.signing),
    });
    writeIndex(reportsDir);
    // The record in decisions.jsonl is the decision; the warehouse row is a copy for BI (write_schema only).
    const warehouseDecisions = await syncDecisions({ config, targetName: opts.target, reportsDir, experiment });
    const exitCode = warehouseDecisions?.written === false ? EXIT.couldNotRun : EXIT.ok;
    if (opts.json) process.stdout.write(`${JSON.stringify({ ok: exitCode === EXIT.ok, exitCode, record, ...(warehouseDecisions ? { warehouseDecisions } : {}) }, null, 2)}\n`);
    else process.stdout.write(`${experiment}: decision ${record.sequence} recorded: ${record.decision.toUpperCase()}${record.variant ? ` ${record.variant}` : ''} by ${record.by} on package ${record.package.runId}\n`);
    if (warehouseDecisions?.written === false) process.stderr.write(`exptrack: the decision is recorded in decisions.jsonl but was NOT written to ${warehouseDecisions.table}: ${warehouseDecisions.error}\n`);
    return exitCode;
  } catch (e) {
    return reportFailure(e, opts.json);
  }
}
