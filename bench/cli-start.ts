import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { median } from './bench-stats.js';

/** The cloud SDKs that a DuckDB-only command should never load. */
export const CLOUD_SDKS = ['@google-cloud/bigquery', 'snowflake-sdk', 'knex', 'pg'] as const;

export interface CliStartResult {
  helpMs: number;
  compileMs: number;
  /** CPU time of the same processes (user + system), medians. */
  helpCpuMs: number;
  compileCpuMs: number;
  reps: number;
  /** Per command, per SDK: was any file of the package loaded? */
  sdkLoaded: Record<string, Record<string, boolean>>;
}

/** CPU time of waited-for children so far (Linux /proc, clock ticks of 10 ms); NaN elsewhere. */
function childrenCpuMs(): number {
  if (!existsSync('/proc/self/stat')) return Number.NaN;
  // Fields after the parenthesised command name; cutime and cstime are fields 16 and 17.
  const fields = readFileSync('/proc/self/stat', 'utf8').split(') ')[1].split(' ');
  return (Number(fields[13]) + Number(fields[14])) * 10;
}

function timeProcess(args: string[], cwd: string, env: NodeJS.ProcessEnv = process.env): { ms: number; cpuMs: number } {
  const c0 = childrenCpuMs();
  const t0 = performance.now();
  const r = spawnSync(process.execPath, args, { cwd, env, encoding: 'utf8' });
  const ms = performance.now() - t0;
  if (r.status !== 0 && r.status !== 1) throw new Error(`node ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  return { ms, cpuMs: childrenCpuMs() - c0 };
}

/** Which SDKs a command loaded, from the module log the probe writes. */
function sdksLoadedBy(args: string[], cwd: string, probe: string, logFile: string): Record<string, boolean> {
  rmSync(logFile, { force: true });
  timeProcess(['--import', probe, ...args], cwd, { ...process.env, EXPTRACK_BENCH_MODULE_LOG: logFile });
  const loaded = existsSync(logFile) ? readFileSync(logFile, 'utf8') : '';
  if (!loaded.includes('/dist/src/cli/')) throw new Error(`the module-load probe recorded nothing for ${args.join(' ')}`);
  return Object.fromEntries(CLOUD_SDKS.map((sdk) => [sdk, loaded.includes(`/node_modules/${sdk}/`)]));
}

/**
 * Whole-process timings of `exptrack --help` and `exptrack compile <spec>` (median of reps), and
 * which cloud SDKs `--help`, a DuckDB compile and a DuckDB run load.
 */
export function measureCliStart(opts: { repoRoot: string; projectDir: string; specId: string; reps: number; workDir: string }): CliStartResult {
  const cli = join(opts.repoRoot, 'bin', 'exptrack.js');
  const help = [cli, '--help'];
  const compile = [cli, 'compile', opts.specId, '--project-dir', opts.projectDir];
  rmSync(join(opts.workDir, 'cli-reports'), { recursive: true, force: true });
  const run = [cli, 'run', opts.specId, '--project-dir', opts.projectDir, '--quiet', '--reports-dir', join(opts.workDir, 'cli-reports')];
  const helpRuns: { ms: number; cpuMs: number }[] = [];
  const compileRuns: { ms: number; cpuMs: number }[] = [];
  for (let i = 0; i < opts.reps; i++) {
    helpRuns.push(timeProcess(help, opts.repoRoot));
    compileRuns.push(timeProcess(compile, opts.repoRoot));
  }
  const probe = join(opts.repoRoot, 'dist', 'bench', 'sdk-load-probe.js');
  const logFile = join(opts.workDir, 'module-load.log');
  // Positive control: a process that does load every SDK must be reported as loading it, or a "no"
  // below would mean nothing. (ESM import for two, CommonJS require for the others.)
  const control = `await import('@google-cloud/bigquery'); await import('knex');
    const { createRequire } = await import('node:module'); const require = createRequire(process.cwd() + '/');
    require('snowflake-sdk'); require('pg'); await import('./dist/src/cli/common.js');`;
  const seen = sdksLoadedBy(['--input-type=module', '-e', control], opts.repoRoot, probe, logFile);
  const missed = CLOUD_SDKS.filter((s) => !seen[s]);
  if (missed.length) throw new Error(`the module-load probe did not see ${missed.join(', ')} in a process that loads them`);
  const sdkLoaded = {
    '--help': sdksLoadedBy(help, opts.repoRoot, probe, logFile),
    'compile (duckdb)': sdksLoadedBy(compile, opts.repoRoot, probe, logFile),
    'run (duckdb)': sdksLoadedBy(run, opts.repoRoot, probe, logFile),
  };
  return {
    helpMs: median(helpRuns.map((r) => r.ms)),
    compileMs: median(compileRuns.map((r) => r.ms)),
    helpCpuMs: median(helpRuns.map((r) => r.cpuMs)),
    compileCpuMs: median(compileRuns.map((r) => r.cpuMs)),
    reps: opts.reps,
    sdkLoaded,
  };
}
