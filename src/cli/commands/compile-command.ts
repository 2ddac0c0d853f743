import { compileProject, writeCompiled } from '../../compile/compile-project.js';
import { loadContext, reportFailure, type CommonOptions } from '../common.js';
import { EXIT, type ExitCode } from '../exit.js';

export async function compileCommand(selectors: string[], opts: CommonOptions): Promise<ExitCode> {
  try {
    const { config, target, asOf } = loadContext(opts);
    const result = compileProject(config, target, selectors, asOf);
    const written = writeCompiled(config, result);
    if (opts.json) {
      process.stdout.write(`${JSON.stringify({ ok: true, exitCode: EXIT.ok, target: result.manifest.target, asOf: result.manifest.asOf, files: written, manifest: result.manifest }, null, 2)}\n`);
    } else {
      process.stderr.write(`compiled ${result.compiled.length} experiment(s) for ${target.name} (${target.type}) as of ${result.manifest.asOf}\n`);
      for (const f of written) process.stdout.write(`${f}\n`);
    }
    return EXIT.ok;
  } catch (e) {
    return reportFailure(e, opts.json);
  }
}
