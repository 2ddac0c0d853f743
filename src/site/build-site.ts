import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import Handlebars from 'handlebars';
import MarkdownIt from 'markdown-it';
import { writeDirectoryAtomically } from '../util/atomic-write.js';
import { minute, signedPercent, span } from '../report/report-format.js';
import { readSite, type SiteExperiment, type SitePackage } from './site-data.js';

/** Marks a folder as an exptrack site, so `--out` may replace it; any other non-empty folder is refused. */
export const SITE_MARKER = '.exptrack-site';

export class SiteError extends Error {}

// Raw HTML in report.md (spec text is untrusted) is shown as text, never passed through.
const markdown = new MarkdownIt({ html: false, linkify: false, typographer: false });

function templates(templatesDir: string) {
  const hb = Handlebars.create();
  hb.registerHelper('upper', (s: unknown) => String(s ?? '').toUpperCase());
  hb.registerHelper('minute', (s: unknown) => (typeof s === 'string' && /^\d{4}-\d\d-\d\dT/.test(s) ? minute(s) : String(s ?? '—')));
  const load = (name: string) => hb.compile(readFileSync(join(templatesDir, 'site', `${name}.html.hbs`), 'utf8'), { strict: false });
  return { hb, layout: load('layout'), index: load('index'), experiment: load('experiment'), package: load('package') };
}

function primaryLine(p: SitePackage): string {
  const m = p.results?.metrics.find((x) => x.role === 'primary');
  if (!m) return '—';
  return m.comparisons.map((c) => `${m.label ?? m.name} ${c.variant} ${signedPercent(c.relative.lift)} (${span(c.relative.ci, signedPercent)})`).join('; ');
}

/**
 * Builds a static HTML site from report packages alone: an index of experiments, a page per
 * experiment and a page per package with its charts. Every asset is written beside the pages and
 * referenced relatively, so the site opens from file:// with no server and loads nothing remote.
 */
export function buildSite(opts: { reportsDir: string; outDir: string; templatesDir: string }): { pages: number; experiments: number; packages: number } {
  const out = resolve(opts.outDir);
  if (existsSync(out) && readdirSync(out).length > 0 && !existsSync(join(out, SITE_MARKER))) {
    throw new SiteError(`--out ${opts.outDir} exists and is not an exptrack site (no ${SITE_MARKER}); choose an empty or new folder`);
  }
  if (!existsSync(opts.reportsDir)) throw new SiteError(`reports folder ${opts.reportsDir} does not exist`);
  const t = templates(opts.templatesDir);
  const site = readSite(opts.reportsDir);
  const files = new Map<string, string | Buffer>();
  const page = (path: string, root: string, title: string, crumbs: { href: string; text: string }[], body: string) =>
    files.set(path, t.layout({ title, root, crumbs, body }));

  files.set(SITE_MARKER, 'Written by exptrack site; the whole folder is replaced on the next build.\n');
  files.set('assets/site.css', readFileSync(join(opts.templatesDir, 'site', 'site.css')));
  page('index.html', '', 'Experiments', [], t.index({ experiments: site.map(indexRow) }));

  let packages = 0;
  for (const e of site) {
    const id = e.listing.id;
    const name = e.listing.name ?? id;
    const newest = [...e.packages].reverse().find((p) => p.results)?.results;
    const runs = e.packages.map((p) => ({
      runId: p.runId,
      asOf: p.results?.run.asOf ?? '—',
      recommendation: p.results?.decision.recommendation ?? 'unreadable',
      variant: p.results?.decision.variant ?? null,
      primary: primaryLine(p),
      failedChecks: (p.results?.checks ?? []).filter((c) => c.status === 'fail').map((c) => `${c.reasonCode} (${c.severity})`).join(', '),
      verified: p.verified,
      changelog: p.changelog ? markdown.render(p.changelog) : null,
    }));
    const body = t.experiment({ id, name, hypothesis: newest?.experiment.hypothesis, owner: newest?.experiment.owner, chainOk: e.chainOk, chainProblems: e.chainProblems, runs, decisions: e.decisions });
    page(`${id}/index.html`, '../', name, [{ href: 'index.html', text: name }], body);
    for (const p of e.packages) {
      packages++;
      for (const c of p.charts) files.set(`${id}/${p.runId}/${c}`, readFileSync(join(p.dir, c)));
      const report = p.report === null ? '<p>This package has no report.md.</p>' : markdown.render(p.report);
      page(`${id}/${p.runId}/index.html`, '../../', `${name} · ${p.runId}`, [{ href: '../index.html', text: name }, { href: 'index.html', text: p.runId }], t.package({ report, verified: p.verified, problems: p.problems }));
    }
  }
  writeDirectoryAtomically(out, files, { replace: true });
  return { pages: [...files.keys()].filter((f) => f.endsWith('.html')).length, experiments: site.length, packages };
}

function indexRow(e: SiteExperiment) {
  // Concluded once someone decided to ship or stop; until then the experiment is still running.
  const concluded = e.listing.decision?.decision === 'ship' || e.listing.decision?.decision === 'stop';
  return { ...e.listing, status: concluded ? 'concluded' : 'running', chainOk: e.chainOk, chainProblems: e.chainProblems.length };
}
