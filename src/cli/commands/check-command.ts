import { resolve } from 'node:path';
import { checkExperimentSources } from '../../catalogue/check-project.js';
import { getTarget, loadProjectConfig } from '../../config/project-config.js';
import { formatDiagnostic } from '../../spec/diagnostics.js';
import { loadExperiments } from '../../spec/load-project.js';
import { getWarehouse } from '../../warehouse/registry.js';
import { reportFailure, type CommonOptions } from '../common.js';
import { EXIT, type ExitCode } from '../exit.js';

/** `exptrack check`: the selected specs' sources against the warehouse's real catalogue. */
export async function checkCommand(selectors: string[], opts: CommonOptions): Promise<ExitCode> {
  try {
    const config = loadProjectConfig(resolve(opts.projectDir ?? '.'));
    const target = getTarget(config, opts.target);
    const experiments = loadExperiments({ root: config.root, specsDir: config.paths.specs, modelsDir: config.paths.models, selectors });
    const warehouse = getWarehouse(target.type);
    const adapter = await warehouse.createAdapter(target.settings, { projectRoot: config.root, targetName: target.name });
    let report;
    try {
      report = await checkExperimentSources(config, target, experiments, adapter);
    } finally {
      await adapter.close();
    }
    const ok = report.diagnostics.length === 0;
    const exitCode = ok ? EXIT.ok : EXIT.couldNotRun;
    if (opts.json) {
      process.stdout.write(`${JSON.stringify({ ok, exitCode, target: { name: target.name, type: target.type }, experiments: experiments.map((e) => e.id), sources: report.sources, diagnostics: report.diagnostics }, null, 2)}\n`);
    }
    if (ok) {
      process.stderr.write(`${report.sources.length} source(s) of ${experiments.length} experiment(s) match the catalogue of ${target.name} (${target.type})\n`);
    } else {
      process.stderr.write(`${report.diagnostics.map(formatDiagnostic).join('\n')}\n${report.diagnostics.length} problem${report.diagnostics.length === 1 ? '' : 's'} against the catalogue of ${target.name} (${target.type})\n`);
    }
    return exitCode;
  } catch (e) {
    return reportFailure(e, opts.json);
  }
}
