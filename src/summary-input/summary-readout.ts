import type { AnalyzeResult, CorrectedEstimate } from './summary-analysis.js';

const num = (v: number, digits = 4) => (Number.isInteger(v) ? String(v) : v.toPrecision(digits));
const pct = (v: number) => `${v >= 0 ? '+' : ''}${(v * 100).toFixed(2)}%`;
const share = (v: number) => `${(v * 100).toFixed(2)}%`;
const signed = (v: number) => `${v >= 0 ? '+' : ''}${num(v)}`;
const bound = (v: number | null, side: 'lo' | 'hi', f: (x: number) => string) => (v === null ? (side === 'lo' ? '-inf' : '+inf') : f(v));
const pValue = (p: number) => (p < 1e-4 ? p.toExponential(2) : p.toFixed(4));

function line(label: string, e: CorrectedEstimate, f: (x: number) => string, r: AnalyzeResult): string {
  if (!e.ok) return `    ${label}: not estimable: ${e.message}`;
  const conf = `${Math.round((1 - r.options.alpha) * 1000) / 10}%`;
  let s = `    ${label} ${f(e.lift)}  ${conf} CI [${bound(e.ci[0], 'lo', f)}, ${bound(e.ci[1], 'hi', f)}]  p = ${pValue(e.pValue)}`;
  if (r.options.correction !== 'none') {
    s += `  (${r.options.correction} p = ${pValue(e.pValueAdjusted)}, CI [${bound(e.ciAdjusted[0], 'lo', f)}, ${bound(e.ciAdjusted[1], 'hi', f)}])`;
  }
  return s;
}

/** Plain-text readout of an analyze result, one block per metric. */
export function formatReadout(r: AnalyzeResult): string {
  const o = r.options;
  const test = `${o.sequential ? `sequential (always-valid, tuning ${o.sequential.tuning})` : 'fixed-horizon Welch t'}, ${o.sides}, alpha ${o.alpha}`;
  const out = [`${r.file}: ${test}; correction ${o.correction} over ${r.familySize} comparison(s)${o.higherIsBetter === false ? '; lower is better' : ''}`];
  for (const m of r.metrics) {
    const kind = m.quantile ? `quantile p${Math.round(m.quantile.level * 1000) / 10}` : m.kind;
    out.push('', `metric ${m.name} (${kind}${m.higherIsBetter ? '' : ', lower is better'}), control ${m.control}`);
    for (const a of m.arms) out.push(`  ${a.variant}: ${a.units} units, ${m.quantile ? 'quantile' : 'mean'} ${num(a.mean, 6)}`);
    if (m.quantile) out.push(`  order statistics expected at ranks ${m.quantile.ranks.map((q) => `${q.variant} ${q.lower}..${q.upper}`).join(', ')} (95% interval of each arm's quantile)`);
    if (m.srm) out.push(`  SRM: chi-square ${m.srm.chiSquare.toFixed(2)}, p = ${pValue(m.srm.pValue)} against weights ${Object.entries(m.srm.weights).map(([v, w]) => `${v} ${w}`).join(', ')}${m.srm.alert ? '  ALERT: units do not match the planned weights (p < 0.001); do not trust the comparisons' : ''}`);
    for (const c of m.comparisons) {
      out.push(`  ${c.variant} vs ${m.control}:`);
      out.push(line('relative lift', c.relative, pct, r));
      out.push(line('absolute lift', c.absolute, signed, r));
      if (c.cuped) out.push(`    CUPED: theta ${num(c.cuped.theta)}, variance reduction ${(c.cuped.varianceReduction * 100).toFixed(1)}%`);
      const b = c.bayesian.relative;
      if (b.ok) {
        out.push(`    Bayesian (${o.prior.proper ? `prior N(${o.prior.mean}, ${num(o.prior.variance)})` : 'flat prior'}): chance to beat control${m.higherIsBetter ? '' : ' (lower)'} ${(b.chanceToWin * 100).toFixed(1)}%, ` +
          `risk ${share(b.risk[0])} choosing control / ${share(b.risk[1])} choosing ${c.variant}, credible interval [${pct(b.ci[0]!)}, ${pct(b.ci[1]!)}]`);
      }
    }
  }
  return `${out.join('\n')}\n`;
}
