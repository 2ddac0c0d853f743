import { resolve } from 'node:path';
import { loadProjectConfig } from '../../config/project-config.js';
import { buildSite } from '../../site/build-site.js';
import { TEMPLATES_DIR } from '../../package-info.js';
import { reportFailure } from '../common.js';
import { EXIT, type ExitCode } from '../exit.js';

/** `exptrack site --out DIR`: a static HTML site of every report package. */
export async function siteCommand(opts: { projectDir?: string; reportsDir?: string; out: string; json?: boolean }): Promise<ExitCode> {
  try {
    // Without --reports-dir the project's reports folder; with it, no project is needed (an archive works).
    const reportsDir = opts.reportsDir ? resolve(opts.reportsDir) : loadProjectConfig(resolve(opts.projectDir ?? '.')).paths.reports;
    const r = buildSite({ reportsDir, outDir: opts.out, templatesDir: TEMPLATES_DIR });
    if (opts.json) process.stdout.write(`${JSON.stringify({ ok: true, exitCode: EXIT.ok, out: resolve(opts.out), ...r }, null, 2)}\n`);
    else process.stdout.write(`site ${opts.out}: ${r.experiments} experiment(s), ${r.packages} package(s), ${r.pages} page(s); open ${resolve(opts.out, 'index.html')}\n`);
    return EXIT.ok;
  } catch (e) {
    return reportFailure(e, opts.json);
  }
}
