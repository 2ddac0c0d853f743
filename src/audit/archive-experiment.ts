import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { TOOL_VERSION } from '../package-info.js';
import { writeDirectoryAtomically } from '../util/atomic-write.js';
import { CHAIN_LOG, DECISIONS_FILE, listPackages } from './chain.js';
import { checkDecisions } from './decisions.js';
import { ARCHIVE_FILE, verifyExperiment } from './verify-experiment.js';

export class ArchiveError extends Error {}

function walk(root: string, dir: string, out: Map<string, Buffer>): void {
  for (const n of readdirSync(dir).sort()) {
    const p = join(dir, n);
    if (statSync(p).isDirectory()) walk(root, p, out);
    else out.set(relative(root, p).split(sep).join('/'), readFileSync(p));
  }
}

/**
 * Copies a concluded experiment (its latest decision is ship or stop) into one folder: every package,
 * decisions.jsonl, chain.log and ARCHIVE.json listing them. `exptrack verify DIR` checks it with
 * nothing else: no project, specs or warehouse. Refuses an experiment that does not verify.
 */
export function archiveExperiment(reportsDir: string, experiment: string, to: string): { dir: string; packages: number; decisions: number } {
  const src = join(reportsDir, experiment);
  if (!existsSync(src)) throw new ArchiveError(`no packages for experiment '${experiment}' in ${reportsDir}`);
  if (existsSync(to) && readdirSync(to).length) throw new ArchiveError(`${to} exists and is not empty`);
  const check = verifyExperiment(src);
  if (!check.ok) throw new ArchiveError(`${src} does not verify (run \`exptrack verify ${src}\`); nothing archived`);
  const packages = listPackages(src);
  const decisions = checkDecisions(src, new Set(packages.map((p) => p.digest!)));
  const last = decisions.records[decisions.records.length - 1];
  if (!last || (last.decision !== 'ship' && last.decision !== 'stop')) {
    throw new ArchiveError(`${experiment} is not concluded: its latest decision is ${last ? last.decision : 'none'} (record ship or stop with \`exptrack decide\` first)`);
  }
  const files = new Map<string, Buffer>();
  for (const p of packages) walk(src, p.dir, files);
  for (const f of [DECISIONS_FILE, CHAIN_LOG]) if (existsSync(join(src, f))) files.set(f, readFileSync(join(src, f)));
  const archive = {
    schemaVersion: 1,
    experiment,
    archivedAt: new Date().toISOString(),
    tool: { name: 'exptrack', version: TOOL_VERSION },
    packages: packages.map((p) => ({ runId: p.name, digest: p.digest, sequence: p.manifest?.chain?.sequence ?? null })),
    decisions: decisions.hashes,
  };
  files.set(ARCHIVE_FILE, Buffer.from(`${JSON.stringify(archive, null, 2)}\n`));
  writeDirectoryAtomically(to, files, { replace: existsSync(to) });
  return { dir: to, packages: packages.length, decisions: decisions.records.length };
}
