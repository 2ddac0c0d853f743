import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Handlebars from 'handlebars';
import type { Results } from '../run/results.js';
import { count, fmt, pct, pval, pvalOf, signedPct } from '../util/format.js';
import { reportView } from './report-view.js';
import { minute, percent, plain, points, signedPercent, signedPlain, span } from './report-format.js';

// Markdown table cells: a pipe or a line break would end the cell; `<x` would open an HTML tag.
const md = (s: unknown) => String(s ?? '').replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/[\r\n]+/g, ' ').replace(/<(?=[A-Za-z/!?])/g, '&lt;');

type Ci = [number | null, number | null];

// Compiling the report's templates took some 70 ms of every run: a renderer is kept per templates
// folder and reused while the template files read the same (they are read again each time).
const renderers = new Map<string, { texts: string; render: (results: Results) => string }>();

/** Renders report.md from the results object alone: formatting only, no arithmetic on results. */
export function createReportRenderer(templatesDir: string): (results: Results) => string {
  const dir = join(templatesDir, 'report');
  const files = readdirSync(dir).filter((f) => f.endsWith('.md.hbs')).sort();
  const texts = files.map((f) => readFileSync(join(dir, f), 'utf8'));
  const key = JSON.stringify([files, texts]);
  const kept = renderers.get(dir);
  if (kept?.texts === key) return kept.render;
  const render = compileReportRenderer(dir, new Map(files.map((f, i) => [f, texts[i]])));
  renderers.set(dir, { texts: key, render });
  return render;
}

function compileReportRenderer(dir: string, texts: Map<string, string>): (results: Results) => string {
  const hb = Handlebars.create();
  hb.registerHelper({
    count,
    fmt,
    pct,
    signedPct,
    pval,
    pvalOf: (e: Parameters<typeof pvalOf>[0]) => pvalOf(e),
    md,
    // Handlebars passes its options object as the last argument: wrap helpers that have optional ones.
    plain: (x: number) => plain(x),
    signedPlain: (x: number) => signedPlain(x),
    percent: (x: number) => percent(x),
    signedPercent: (x: number) => signedPercent(x),
    points: (x: number, unit: unknown) => points(x, typeof unit === 'string' ? unit : 'pp'),
    minute: (iso: string | null) => minute(iso),
    ciPct: (ci: Ci) => span(ci, signedPercent),
    ciPoints: (ci: Ci) => span(ci, (x) => points(x)),
    ciPlain: (ci: Ci) => span(ci, signedPlain),
    bounded: (ci: Ci) => ci[0] !== null && ci[1] !== null && Number.isFinite(ci[0]) && Number.isFinite(ci[1]),
    upper: (s: string) => String(s).toUpperCase(),
    // A fraction as percentage points (formatting only).
    pp: (x: number) => Number((x * 100).toPrecision(6)),
    confidence: (alpha: number) => `${Number(((1 - alpha) * 100).toFixed(2))}%`,
    fixed: (x: number | null, digits: number) => (x === null ? 'n/a' : x.toFixed(digits)),
    eq: (a: unknown, b: unknown) => a === b,
    arm: (arms: { variant: string }[], variant: string) => arms.find((a) => a.variant === variant),
    // Half-infinite (one-sided) intervals carry null for the infinite end.
    interval: (ci: Ci, style: string) => {
      const f = style === 'pct' ? signedPct : fmt;
      return `${ci[0] === null ? '−∞' : f(ci[0])} to ${ci[1] === null ? '+∞' : f(ci[1])}`;
    },
    correctionName: (c: string) => (c === 'holm' ? 'Holm–Bonferroni' : c === 'benjamini_hochberg' ? 'Benjamini–Hochberg' : c),
    duration: (seconds: number) => (seconds % 86_400 === 0 ? `${seconds / 86_400} days` : `${seconds / 3600} hours`),
  });
  // Every other *.md.hbs beside report.md.hbs is a partial named after its file: a new section is a new file.
  // A one-line partial is inline (a table cell, a number); a longer one is a section and ends its last line.
  for (const [file, raw] of texts) {
    if (file === 'report.md.hbs') continue;
    const text = raw.trimEnd();
    hb.registerPartial(file.slice(0, -'.md.hbs'.length), text.includes('\n') ? `${text}\n` : text);
  }
  const template = hb.compile(texts.get('report.md.hbs') ?? readFileSync(join(dir, 'report.md.hbs'), 'utf8'), { noEscape: true, strict: false });
  return (results) => template(reportView(results)).replace(/\n{3,}/g, '\n\n');
}
