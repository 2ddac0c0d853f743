import { existsSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { CONFIG_FILE, loadProjectConfig } from '../../config/project-config.js';
import { parseKeyFingerprint } from '../../audit/signing-policy.js';
import { listPackages } from '../../audit/chain.js';
import { rerunPackage, type RerunResult } from '../../audit/rerun-package.js';
import { classifyPath, verifyExperiment, type ExperimentVerifyResult, type VerifyOptions } from '../../audit/verify-experiment.js';
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
  // "signed by" only counts signatures that hold, and says how many packages carry one.
  const signed = r.keys.length ? `, signed by ${r.keys.join(', ')} (${r.signedPackages} of ${r.packages.length} package(s))` : ', unsigned';
  const empty = r.packages.length === 0 && r.decisions === 0 ? ' (no packages)' : '';
  out(`${r.ok ? 'OK' : 'FAILED'} experiment ${r.dir}: ${r.packages.length} package(s), ${r.decisions} decision(s)${signed}${empty}${r.head ? `; head ${r.head.digest}` : ''}`);
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
/** Trusted keys from --key and exptrack.yaml (when the project has one), and kept heads by experiment. */
function verifyOptions(opts: { key?: string[]; expectHead?: string[]; projectDir?: string }): { trustedKeys: string[]; heads: Map<string | null, string> } {
  const root = resolve(opts.projectDir ?? '.');
  const configured = existsSync(join(root, CONFIG_FILE)) ? loadProjectConfig(root).trustedKeys : [];
  const trustedKeys = [...new Set([...configured, ...(opts.key ?? []).map(parseKeyFingerprint)])];
  const heads = new Map<string | null, string>();
  for (const h of opts.expectHead ?? []) {
    const m = /^(?:([^=]+)=)?([0-9a-fA-F]{64})$/.exec(h.trim());
    if (!m) throw new Error(`--expect-head '${h}' is not [experiment=]<64 hex digits> (the head digest \`exptrack list --json\` prints)`);
    heads.set(m[1] ?? null, m[2].toLowerCase());
  }
  return { trustedKeys, heads };
}

export async function verifyCommand(paths: string[], opts: { json?: boolean; rerun?: boolean; target?: string; projectDir?: string; key?: string[]; expectHead?: string[] }): Promise<ExitCode> {
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
    const { trustedKeys, heads } = verifyOptions(opts);
    const forExperiment = (dir: string): VerifyOptions => ({ trustedKeys, expectHead: heads.get(basename(resolve(dir))) ?? heads.get(null) });
    for (const p of paths) {
      const kind = classifyPath(p);
      if (kind === 'experiment') experiments.push(verifyExperiment(p, forExperiment(p)));
      else if (kind === 'reports') {
        for (const e of listPackages(p)) if (classifyPath(join(p, e.name)) === 'experiment') experiments.push(verifyExperiment(e.dir, forExperiment(e.dir)));
      } else {
        const r = verifyPackage(p);
        if (trustedKeys.length && !(r.signedBy && trustedKeys.includes(r.signedBy))) {
          r.problems.push({ file: 'signature.json', kind: r.signedBy ? 'changed' : 'missing', message: r.signedBy ? `signed by ${r.signedBy}, which is not a trusted key` : 'not signed by a trusted key' });
          r.ok = false;
        }
        packages.push(r);
      }
    }
    if (heads.get(null) && experiments.length !== 1) throw new Error('--expect-head without an experiment name needs exactly one experiment folder; write --expect-head <experiment>=<digest>');
    for (const id of heads.keys()) if (id !== null && !experiments.some((e) => basename(resolve(e.dir)) === id)) throw new Error(`--expect-head names experiment '${id}', which is not among the verified folders`);
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
