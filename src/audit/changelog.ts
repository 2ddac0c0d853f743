import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PACKAGE_FILES } from '../compile/artifacts.js';
import type { Results } from '../run/results.js';
import { compareFingerprints, type SourceFingerprint } from './fingerprints.js';
import type { GitProvenance } from './git-provenance.js';
import { diffModels, diffSpecs, type ChangeEntry } from './spec-diff.js';

export interface ChangelogSection {
  title: string;
  entries: ChangeEntry[];
}

export interface Changelog {
  /** The package this one is compared with: the previous package of the same experiment. */
  previous: { runId: string; digest: string; asOf: string | null } | null;
  sections: ChangelogSection[];
  /** Some change makes results before and after incomparable. */
  invalidates: boolean;
}

/** What the change log needs of the package being written. */
export interface CurrentRun {
  specText: string;
  /** Model texts by file name (as in the package's models/). */
  modelTexts: Record<string, string>;
  templates: Record<string, string>;
  toolVersion: string;
  target: { name: string; type: string };
  fingerprints: SourceFingerprint[];
  results: Results;
  git: GitProvenance | null;
}

interface PrevManifest {
  asOf?: string;
  tool?: { version?: string };
  target?: { name: string; type: string };
  inputs?: { templates?: Record<string, string> };
  fingerprints?: SourceFingerprint[];
  git?: GitProvenance | null;
}

const readDir = (dir: string): Record<string, string> =>
  existsSync(dir) ? Object.fromEntries(readdirSync(dir).sort().map((f) => [f, readFileSync(join(dir, f), 'utf8')])) : {};
const e = (text: string, invalidates = false): ChangeEntry => ({ text, invalidates });
const pct = (x: number) => `${x >= 0 ? '+' : ''}${(x * 100).toFixed(1)}%`;
const short = (c: string | null | undefined) => (c ? c.slice(0, 12) : 'none');

function resultChanges(prev: Results, cur: Results): ChangeEntry[] {
  const out: ChangeEntry[] = [];
  const rec = (r: Results) => `${r.decision.recommendation}${r.decision.variant ? ` ${r.decision.variant}` : ''}`;
  out.push(e(rec(prev) === rec(cur) ? `recommendation unchanged: ${rec(cur)}` : `recommendation changed ${rec(prev)} → ${rec(cur)}`));
  for (const m of cur.metrics) {
    const pm = prev.metrics.find((x) => x.name === m.name);
    if (!pm) continue;
    for (const c of m.comparisons) {
      const pc = pm.comparisons.find((x) => x.variant === c.variant);
      if (!pc?.relative || !c.relative) continue;
      const sig = (r: Results, p: number) => (p < r.experiment.alpha ? 'significant' : 'not significant');
      const a = sig(prev, pc.relative.pValue);
      const b = sig(cur, c.relative.pValue);
      if (pc.relative.lift === c.relative.lift && a === b) continue;
      out.push(e(`${m.name} \`${c.variant}\`: relative lift ${pct(pc.relative.lift)} → ${pct(c.relative.lift)}${a === b ? ` (${b})` : ` (${a} → ${b})`}`));
    }
  }
  for (const c of cur.checks) {
    const pc = prev.checks.find((x) => x.id === c.id);
    if (pc && pc.status !== c.status) out.push(e(`check ${c.reasonCode} ${pc.status} → ${c.status}`));
  }
  return out;
}

/** Compares the package being written with the previous package of the experiment (its directory). */
export function buildChangelog(previous: { dir: string; runId: string; digest: string } | null, cur: CurrentRun): Changelog {
  if (!previous || !existsSync(previous.dir)) {
    const sections = previous ? [{ title: 'Previous package', entries: [e(`the previous package ${previous.runId} is missing: nothing to compare with`)] }] : [];
    return { previous: previous ? { runId: previous.runId, digest: previous.digest, asOf: null } : null, sections, invalidates: false };
  }
  let manifest: PrevManifest = {};
  let results: Results | null = null;
  try {
    manifest = JSON.parse(readFileSync(join(previous.dir, PACKAGE_FILES.manifest), 'utf8'));
    results = JSON.parse(readFileSync(join(previous.dir, PACKAGE_FILES.results), 'utf8'));
  } catch {
    /* compared as far as possible */
  }
  const specs = Object.values(readDir(join(previous.dir, PACKAGE_FILES.specDir)));
  const sections: ChangelogSection[] = [];

  const spec = specs.length ? diffSpecs(specs[0], cur.specText) : [e('the previous package has no spec snapshot')];
  sections.push({ title: 'Spec', entries: spec.length ? spec : [e('no change')] });

  const inputs: ChangeEntry[] = diffModels(readDir(join(previous.dir, PACKAGE_FILES.modelsDir)), cur.modelTexts).map((x) =>
    x.invalidates ? { ...x, text: `${x.text}: comparisons across this change are invalid` } : x,
  );
  const ta = manifest.inputs?.templates ?? {};
  for (const f of [...new Set([...Object.keys(ta), ...Object.keys(cur.templates)])].sort()) {
    if (!(f in ta)) inputs.push(e(`template ${f} added`));
    else if (!(f in cur.templates)) inputs.push(e(`template ${f} removed`));
    else if (ta[f] !== cur.templates[f]) inputs.push(e(`template ${f} changed`));
  }
  if (manifest.tool?.version !== cur.toolVersion) inputs.push(e(`exptrack version ${manifest.tool?.version ?? 'unknown'} → ${cur.toolVersion}`));
  const tgt = (t?: { name: string; type: string }) => (t ? `${t.name} (${t.type})` : 'unknown');
  if (tgt(manifest.target) !== tgt(cur.target)) inputs.push(e(`target ${tgt(manifest.target)} → ${tgt(cur.target)}`));
  sections.push({ title: 'Models, templates and tool', entries: inputs.length ? inputs : [e('no change')] });

  const data: ChangeEntry[] = [];
  if (manifest.asOf !== cur.results.run.asOf) data.push(e(`as-of ${manifest.asOf ?? 'unknown'} → ${cur.results.run.asOf}`));
  const refresh = cur.results.refresh;
  if (refresh) data.push(e(`refresh: ${refresh.mode}${refresh.reason ? ` (${refresh.reason})` : ''}`));
  if (refresh && refresh.mode !== 'full') data.push(e('input fingerprints not taken: an incremental refresh reads only the rows since its watermark'));
  if (refresh?.fullSteps) data.push(e(`steps without state, computed on a full scan: ${refresh.fullSteps.join(', ')}`));
  for (const f of cur.fingerprints) {
    const p = manifest.fingerprints?.find((x) => x.source === f.source);
    if (!p) {
      data.push(e(`${f.source}: no fingerprint in the previous package`));
      continue;
    }
    const c = compareFingerprints(p, f);
    if (c.status === 'not_comparable') data.push(e(`${f.source}: not comparable (${c.note})`));
    else if (c.status === 'equal') data.push(e(`${f.source}: unchanged over ${c.scope === 'whole read' ? 'the same read' : c.note}`));
    else {
      const days = c.changedDays.length ? `; days that differ: ${c.changedDays.join(', ')}` : '';
      data.push(e(`${f.source}: rows changed over ${c.scope === 'whole read' ? `the same read (${c.note})` : c.note} (late, restated or deleted rows)${days}`));
    }
  }
  sections.push({ title: 'Data', entries: data });

  if (results) sections.push({ title: 'Results', entries: resultChanges(results, cur.results) });

  const prov: ChangeEntry[] = [];
  const pg = manifest.git ?? null;
  const g = cur.git;
  if (!g) prov.push(e('not in a git work tree: no commit recorded'));
  else {
    prov.push(e(`commit ${short(pg?.commit)} → ${short(g.commit)}${g.dirty ? ` (uncommitted changes: ${g.dirtyFiles.join(', ')})` : ''}`));
    prov.push(e(`last commit touching the spec: ${short(g.specCommit)}${pg && pg.specCommit !== g.specCommit ? ` (was ${short(pg.specCommit)})` : ''}`));
  }
  sections.push({ title: 'Provenance', entries: prov });

  return {
    previous: { runId: previous.runId, digest: previous.digest, asOf: manifest.asOf ?? null },
    sections,
    invalidates: sections.some((s) => s.entries.some((x) => x.invalidates)),
  };
}

export function changelogMarkdown(experiment: string, runId: string, log: Changelog): string {
  const lines = [`# Change log: ${experiment} ${runId}`, ''];
  if (!log.previous) lines.push('First package of this experiment: nothing to compare with.');
  else {
    lines.push(`Compared with the previous package ${log.previous.runId} (digest \`${log.previous.digest}\`).`);
    if (log.invalidates) lines.push('', '**Results before and after this change must not be compared or pooled.**');
    for (const s of log.sections) lines.push('', `## ${s.title}`, '', ...s.entries.map((x) => `- ${x.text}`));
  }
  return `${lines.join('\n')}\n`;
}
