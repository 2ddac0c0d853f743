import { resolve } from 'node:path';
import { archiveExperiment } from '../../audit/archive-experiment.js';
import { loadProjectConfig } from '../../config/project-config.js';
import { reportFailure } from '../common.js';
import { EXIT, type ExitCode } from '../exit.js';

export async function archiveCommand(experiment: string, opts: { to: string; projectDir?: string; reportsDir?: string; json?: boolean }): Promise<ExitCode> {
  try {
    const reportsDir = opts.reportsDir ? resolve(opts.reportsDir) : loadProjectConfig(resolve(opts.projectDir ?? '.')).paths.reports;
    const r = archiveExperiment(reportsDir, experiment, resolve(opts.to));
    if (opts.json) process.stdout.write(`${JSON.stringify({ ok: true, exitCode: EXIT.ok, ...r }, null, 2)}\n`);
    else process.stdout.write(`${experiment}: archived ${r.packages} package(s) and ${r.decisions} decision(s) to ${r.dir}\n`);
    return EXIT.ok;
  } catch (e) {
    return reportFailure(e, opts.json);
  }
}
