import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { chainHead, listPackages } from '../../audit/chain.js';
import { readDecisionLines, type DecisionRecord } from '../../audit/decisions.js';
import { getTarget, loadProjectConfig } from '../../config/project-config.js';
import { verifyPackage } from '../../report/verify-package.js';
import { getWarehouse } from '../../warehouse/registry.js';
import { writeBackLocation } from '../../warehouse-results/warehouse-write.js';
import { readPackageForWrite, writeDecisionsBack, writeResultsBack, type WriteBackOutcome } from '../../warehouse-results/write-results.js';
import { reportFailure, UsageError } from '../common.js';
import { EXIT, type ExitCode } from '../exit.js';

interface Written {
  experiment: string;
  runId: string | null;
  results: WriteBackOutcome;
  decisions: WriteBackOutcome;
}

/**
 * Writes (again) the newest package's results, or --package's, and every decision of each experiment
 * to the target's tables: the catch-up after a run whose write-back failed. Idempotent (MERGE on the
 * run id and on the decision's sequence). Only packages that verify are written.
 */
export async function writeResultsCommand(experiments: string[], opts: { projectDir?: string; target?: string; reportsDir?: string; package?: string; json?: boolean }): Promise<ExitCode> {
  try {
    const config = loadProjectConfig(resolve(opts.projectDir ?? '.'));
    const target = getTarget(config, opts.target);
    const warehouse = getWarehouse(target.type);
    const loc = writeBackLocation(target, warehouse);
    if (!loc) throw new UsageError(`target '${target.name}' has no write_schema: there is nowhere to write results`);
    if (opts.package && experiments.length !== 1) throw new UsageError('--package goes with exactly one experiment');
    const reportsDir = opts.reportsDir ? resolve(opts.reportsDir) : config.paths.reports;
    const adapter = await warehouse.createAdapter(target.settings, { projectRoot: config.root, targetName: target.name, writeSchema: target.state!.writeSchema! });
    const out: Written[] = [];
    try {
      for (const id of experiments) {
        const dir = join(reportsDir, id);
        if (!existsSync(dir)) throw new UsageError(`no packages for experiment '${id}' in ${reportsDir}`);
        const pkg = opts.package ? listPackages(dir).find((p) => p.name === opts.package) : chainHead(dir);
        if (!pkg) throw new UsageError(opts.package ? `no package ${opts.package} in ${dir}` : `no package in ${dir}`);
        const check = verifyPackage(pkg.dir);
        if (!check.ok) throw new UsageError(`${pkg.dir} does not verify (run \`exptrack verify ${pkg.dir}\`); nothing written`);
        const { results, digest } = readPackageForWrite(pkg.dir);
        const records = readDecisionLines(dir).map((line) => ({ record: JSON.parse(line) as DecisionRecord, line }));
        out.push({
          experiment: id,
          runId: results.run.runId,
          results: await writeResultsBack({ adapter, warehouse, loc, results, packageDigest: digest }),
          decisions: await writeDecisionsBack({ adapter, warehouse, loc, experiment: id, records }),
        });
      }
    } finally {
      await adapter.close();
    }
    const failed = out.some((w) => !w.results.written || !w.decisions.written);
    const exitCode = failed ? EXIT.couldNotRun : EXIT.ok;
    if (opts.json) process.stdout.write(`${JSON.stringify({ ok: !failed, exitCode, written: out }, null, 2)}\n`);
    else {
      const say = (o: WriteBackOutcome) => (o.written ? `${o.rows} rows to ${o.table}` : `NOT written to ${o.table}: ${o.error}`);
      for (const w of out) process.stdout.write(`${w.experiment}: results of ${w.runId}: ${say(w.results)}; decisions: ${say(w.decisions)}\n`);
    }
    return exitCode;
  } catch (e) {
    return reportFailure(e, opts.json);
  }
}
