import { join } from 'node:path';
import { listPackages } from '../../audit/chain.js';
import { rerunPackage, type RerunResult } from '../../audit/rerun-package.js';
import { classifyPath, verifyExperiment, type ExperimentVerifyResult } from '../../audit/verify-experiment.js';
import { verifyPackage, type VerifyResult } from '../../report/verify-package.js';
import { loadContext, reportFailure } from '../common.js';
import { EXIT, type ExitCode } from '../exit.js';

const out = (s: string) => process.stdout.write(`${s}\n`);

function showPackage(r: VerifyResult, indent = ''): void {
  if (r.ok) out(`${indent}OK ${r.dir}: ${r.files} files intact${r.signedBy ? `, signed by ${r.signedBy}` : ''}`);
  else {
    out(`${indent}FAILED ${r.dir}`);
    for (const p of r.problems) out(`${indent}  ${p.kind.toUpperCase()} ${p.file}: ${p.message}`);
  }
}

function showExperiment(r: ExperimentVerifyResult): void {
  out(`${r.ok ? 'OK' : 'FAILED'} experiment ${r.dir}: ${r.packages.length} package(s), ${r.decisions} decision(s)${r.keys.length ? `, signed by ${r.keys.join(', ')}` : ''}`);
  for (const p of r.packages) showPackage(p, '  ');
  for (const c of r.chain) out(`  CHAIN ${c.kind.toUpperCase()} ${c.subject}: ${c.message}`);
}

function showRerun(r: RerunResult): void {
  out(`${r.dir}: ${r.verdict}`);
  if (!r.intact.ok) showPackage(r.intact, '  ');
  for (const s of r.inputs?.sources ?? []) {
    out(`  inputs ${s.source}: ${s.same ? 'same' : 'CHANGED'} (rows ${s.recorded.rows} -> ${s.now.rows}, hash ${s.recorded.hash} -> ${s.now.hash})${s.changedDays.length ? `; days: ${s.changedDays.join(', ')}` : ''}`);
  }
  for (const s of r.results?.steps ?? []) out(`  results ${s.step}: ${s.same ? 'same' : 'DIFFERENT'} (${s.recordedRows} -> ${s.rows} rows)`);
}

/**
 * verify <paths...>: each path is a package, an experiment folder (every package, the chain, the
 * decisions) or a reports folder (every experiment in it). With --rerun, packages' SQL runs again.
 */
export async function verifyCommand(paths: string[], opts: { json?: boolean; rerun?: boolean; target?: string; projectDir?: string }): Promise<ExitCode> {
  try {
    if (opts.rerun) {
      const { config, target } = loadContext({ projectDir: opts.projectDir, target: opts.target });
      const reruns: RerunResult[] = [];
      // Ctrl-C cancels the re-run query on the warehouse.
      const interrupt = new AbortController();
      const onSigint = () => interrupt.abort();
      process.once('SIGINT', onSigint);
      try {
        for (const p of paths) reruns.push(await rerunPackage(p, target, config.root, interrupt.signal));
      } finally {
        process.off('SIGINT', onSigint);
      }
      const ok = reruns.every((r) => r.intact.ok && r.inputs?.same && r.results?.same);
      if (opts.json) out(JSON.stringify({ ok, exitCode: ok ? EXIT.ok : EXIT.checkFailed, reruns }, null, 2));
      else reruns.forEach(showRerun);
      return ok ? EXIT.ok : EXIT.checkFailed;
    }
    const packages: VerifyResult[] = [];
    const experiments: ExperimentVerifyResult[] = [];
    for (const p of paths) {
      const kind = classifyPath(p);
      if (kind === 'experiment') experiments.push(verifyExperiment(p));
      else if (kind === 'reports') {
        for (const e of listPackages(p)) if (classifyPath(join(p, e.name)) === 'experiment') experiments.push(verifyExperiment(e.dir));
      } else packages.push(verifyPackage(p));
    }
    const ok = packages.every((r) => r.ok) && experiments.every((r) => r.ok);
    if (opts.json) out(JSON.stringify({ ok, exitCode: ok ? EXIT.ok : EXIT.checkFailed, packages, experiments }, null, 2));
    else {
      packages.forEach((r) => showPackage(r));
      experiments.forEach(showExperiment);
    }
    return ok ? EXIT.ok : EXIT.checkFailed;
  } catch (e) {
    return reportFailure(e, opts.json);
  }
}
