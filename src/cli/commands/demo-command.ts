import { existsSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { getTarget, loadProjectConfig } from '../../config/project-config.js';
import { buildDemoData, demoDataCurrent } from '../../demo/build-demo-data.js';
import { databasePath } from '../../warehouse/duckdb/adapter.js';
import { duckdbConfigSchema } from '../../warehouse/duckdb/config.js';
import { reportFailure, resolveAsOf } from '../common.js';
import { EXIT, type ExitCode } from '../exit.js';
import { runCommand } from './run-command.js';

/**
 * `npm start`: builds the demo warehouse when absent, then runs every spec. Two demo specs fail
 * their checks on purpose (sample ratio mismatch, stale source), so unlike `run` this exits 0
 * whenever everything ran; scheduled jobs should call `exptrack run`.
 */
export async function demoCommand(opts: { projectDir?: string; rebuild?: boolean; dataOnly?: boolean; quiet?: boolean }): Promise<ExitCode> {
  try {
    const config = loadProjectConfig(resolve(opts.projectDir ?? '.'));
    const target = getTarget(config, undefined);
    if (target.type !== 'duckdb') throw new Error(`the demo runs on a duckdb target; the default target '${target.name}' is ${target.type}`);
    const path = databasePath(duckdbConfigSchema.parse(target.settings), config.root);
    // A warehouse built by an older release lacks the newer demo experiments' rows: rebuilt, and said so.
    const stale = existsSync(path) && !demoDataCurrent(path);
    if (opts.rebuild || !existsSync(path) || stale) {
      const t0 = performance.now();
      if (!opts.quiet) process.stderr.write(`${stale && !opts.rebuild ? 'the demo warehouse was built by another version of the demo generator; re' : ''}building demo warehouse ${relative(process.cwd(), path)} ...`);
      const counts = await buildDemoData(path);
      if (!opts.quiet) process.stderr.write(` ${Object.entries(counts).map(([t, n]) => `${t} ${n.toLocaleString('en-US')} rows`).join(', ')} in ${((performance.now() - t0) / 1000).toFixed(1)} s\n`);
    } else if (!opts.quiet) {
      process.stderr.write(`using demo warehouse ${relative(process.cwd(), path)} (exptrack demo --rebuild to rebuild)\n`);
    }
    if (opts.dataOnly) return EXIT.ok;
    const code = await runCommand([], { projectDir: config.root, asOf: resolveAsOf(undefined, config), quiet: opts.quiet });
    if (code === EXIT.checkFailed && !opts.quiet) {
      process.stderr.write('Some demo experiments fail their checks on purpose (a planted sample ratio mismatch, a stale source and 2% mismatched assignments); see their reports.\n');
    }
    return code === EXIT.couldNotRun ? code : EXIT.ok;
  } catch (e) {
    return reportFailure(e, false);
  }
}
