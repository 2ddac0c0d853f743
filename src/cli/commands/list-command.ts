import { resolve } from 'node:path';
import { listExperiments } from '../../audit/experiment-index.js';
import { loadProjectConfig } from '../../config/project-config.js';
import { reportFailure } from '../common.js';
import { EXIT, type ExitCode } from '../exit.js';

export async function listCommand(opts: { projectDir?: string; reportsDir?: string; json?: boolean }): Promise<ExitCode> {
  try {
    const reportsDir = opts.reportsDir ? resolve(opts.reportsDir) : loadProjectConfig(resolve(opts.projectDir ?? '.')).paths.reports;
    const experiments = listExperiments(reportsDir);
    if (opts.json) process.stdout.write(`${JSON.stringify({ ok: true, exitCode: EXIT.ok, reportsDir, experiments }, null, 2)}\n`);
    else {
      for (const e of experiments) {
        const l = e.latest;
        const checks = l?.failedChecks.length ? l.failedChecks.map((c) => `${c.reasonCode} (${c.severity})`).join(', ') : 'checks pass';
        const rec = l ? `${l.recommendation.toUpperCase()}${l.variant ? ` ${l.variant}` : ''}` : 'n/a';
        const dec = e.decision ? `${e.decision.decision.toUpperCase()}${e.decision.variant ? ` ${e.decision.variant}` : ''} by ${e.decision.by}` : 'no decision';
        process.stdout.write(`${e.id}: ${e.runs} run(s), latest ${l?.runId ?? 'n/a'}; ${checks}; recommends ${rec}; ${dec}\n`);
      }
    }
    return EXIT.ok;
  } catch (e) {
    return reportFailure(e, opts.json);
  }
}
