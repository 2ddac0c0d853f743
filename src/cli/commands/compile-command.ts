import { compileProject, writeCompiled } from '../../compile/compile-project.js';
import { estimateCompiled, formatBytes, type BytesEstimate } from '../../compile/estimate-bytes.js';
import { loadContext, reportFailure, type CommonOptions } from '../common.js';
import { EXIT, type ExitCode } from '../exit.js';

export async function compileCommand(selectors: string[], opts: CommonOptions & { estimate?: boolean }): Promise<ExitCode> {
  try {
    const { config, target, asOf, asOfFromClock } = loadContext(opts);
    const result = compileProject(config, target, selectors, asOf, { asOfFromClock });
    const written = writeCompiled(config, result);
    let estimate: BytesEstimate | null = null;
    if (opts.estimate) {
      estimate = await estimateCompiled(config.root, target, result);
      if (!estimate) process.stderr.write(`target '${target.name}' (${target.type}) gives no dry-run byte estimates\n`);
    }
    if (opts.json) {
      process.stdout.write(
        `${JSON.stringify({ ok: true, exitCode: EXIT.ok, target: result.manifest.target, asOf: result.manifest.asOf, files: written, manifest: result.manifest, ...(opts.estimate ? { estimate } : {}) }, null, 2)}\n`,
      );
    } else {
      process.stderr.write(`compiled ${result.compiled.length} experiment(s) for ${target.name} (${target.type}) as of ${result.manifest.asOf}\n`);
      for (const f of written) process.stdout.write(`${f}\n`);
      if (estimate) {
        for (const q of estimate.queries) process.stdout.write(`estimate ${q.experiment}/${q.file}: ${formatBytes(q.bytes)} (${q.bytes} bytes)\n`);
        process.stdout.write(`estimate total: ${formatBytes(estimate.totalBytes)} (${estimate.totalBytes} bytes) in ${estimate.queries.length} queries\n`);
      }
    }
    return EXIT.ok;
  } catch (e) {
    return reportFailure(e, opts.json);
  }
}
