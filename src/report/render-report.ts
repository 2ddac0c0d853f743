import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Handlebars from 'handlebars';
import type { Results } from '../run/results.js';
import { count, fmt, pct, pval, signedPct } from '../util/format.js';

// Markdown table cells: a pipe or a line break would end the cell; `<x` would open an HTML tag.
const md = (s: unknown) => String(s ?? '').replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/[\r\n]+/g, ' ').replace(/<(?=[A-Za-z/!?])/g, '&lt;');

/** Renders report.md from the results object alone: formatting only, no arithmetic on results. */
export function createReportRenderer(templatesDir: string): (results: Results) => string {
  const hb = Handlebars.create();
  hb.registerHelper({
    count,
    fmt,
    pct,
    signedPct,
    pval,
    md,
    upper: (s: string) => String(s).toUpperCase(),
    confidence: (alpha: number) => `${Number(((1 - alpha) * 100).toFixed(2))}%`,
    fixed: (x: number | null, digits: number) => (x === null ? 'n/a' : x.toFixed(digits)),
    eq: (a: unknown, b: unknown) => a === b,
    arm: (arms: { variant: string }[], variant: string) => arms.find((a) => a.variant === variant),
    // Half-infinite (one-sided) intervals carry null for the infinite end.
    interval: (ci: [number | null, number | null], style: string) => {
      const f = style === 'pct' ? signedPct : fmt;
      return `${ci[0] === null ? '−∞' : f(ci[0])} to ${ci[1] === null ? '+∞' : f(ci[1])}`;
    },
    correctionName: (c: string) => (c === 'holm' ? 'Holm–Bonferroni' : c === 'benjamini_hochberg' ? 'Benjamini–Hochberg' : c),
    duration: (seconds: number) => (seconds % 86_400 === 0 ? `${seconds / 86_400} days` : `${seconds / 3600} hours`),
  });
  const dir = join(templatesDir, 'report');
  // changelog and reproducibility: the audit sections (src/audit), rendered from results.audit.
  for (const name of ['arm_words', 'arm_short', 'method_tags', 'methodology', 'changelog', 'reproducibility', 'bandit', 'factorial', 'holdout', 'mann_whitney']) hb.registerPartial(name, readFileSync(join(dir, `${name}.md.hbs`), 'utf8').trimEnd());
  const template = hb.compile(readFileSync(join(dir, 'report.md.hbs'), 'utf8'), { noEscape: true, strict: false });

  return (results) => {
    // The view only regroups results (no new numbers): arms carry their metric's kind for the partials.
    const metrics = results.metrics.map((m) => ({
      ...m,
      arms: m.arms.map((a) => ({ ...a, kind: m.kind })),
      dimensions: m.dimensions.map((d) => ({ ...d, arms: d.arms.map((a) => ({ ...a, kind: m.kind })) })),
    }));
    const view = {
      ...results,
      metrics,
      primary: metrics.find((m) => m.role === 'primary'),
      guardrails: metrics.filter((m) => m.role === 'guardrail'),
      anyNotEstimable: metrics.some((m) => m.comparisons.some((c) => !c.relative.ok)),
      pairedMetrics: metrics.filter((m) => m.paired !== null),
      rankTested: metrics.filter((m) => m.mannWhitney !== undefined),
      usesCuped: metrics.some((m) => m.comparisons.some((c) => c.cuped !== null)),
      usesCapping: metrics.some((m) => m.method.capping !== null),
    };
    return template(view).replace(/\n{3,}/g, '\n\n');
  };
}
