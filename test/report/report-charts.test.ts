import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../helpers/demo-project.js';
import { reportCharts, renderReportCharts } from '../../src/report/charts/report-charts.js';
import { DIRECTION_COLORS } from '../../src/report/charts/chart-theme.js';
import type { MetricResult, Results } from '../../src/run/results.js';
import { compareTreatment } from '../../src/stats/index.js';

const arm = (n: number, x: number) => ({ kind: 'proportion' as const, n, y: { sum: x, sumSquares: x } });

function metric(name: string, label: string, role: MetricResult['role'], higherIsBetter: boolean, c: [number, number], t: [number, number], harm: number | null = null): MetricResult {
  const r = compareTreatment(arm(...c), arm(...t), { higherIsBetter });
  return {
    name, label, description: '', kind: 'proportion', role, higherIsBetter, maxRelativeHarm: harm,
    method: { test: 'welch-t', sides: 'two-sided', sequential: null, cuped: null, capping: null, prior: null, correction: 'none' },
    caps: {}, arms: [], paired: null, dimensions: [],
    comparisons: [{ variant: 'bot', absolute: r.absolute, relative: r.relative, cuped: null, unadjusted: null, bayesian: r.bayesian.relative }],
  };
}

// Handoff rate falls 19.7% -> 17.1% (lower is better: good); repeat contacts rise (lower is better: bad).
const results = {
  experiment: {
    id: 'x', name: 'X', control: 'control', alpha: 0.05, analysis: { sequential: false },
    variants: [{ key: 'control', weight: 0.5, isControl: true }, { key: 'bot', weight: 0.5, isControl: false }],
  },
  metrics: [
    metric('handoff', 'Handoff <script>alert(1)</script>', 'primary', false, [4000, 788], [4000, 684]),
    metric('repeat', 'Repeat contacts', 'guardrail', false, [4000, 400], [4000, 500], 0.05),
  ],
  timeline: {
    metric: 'handoff',
    days: [1, 2, 3].map((d) => ({
      day: `2026-10-0${d}`,
      variants: [{ variant: 'control', newUnits: 100 * d, units: 100 * d * (d + 1) / 2 }, { variant: 'bot', newUnits: 90 * d, units: 90 * d * (d + 1) / 2 }],
      comparisons: [{ variant: 'bot', ok: true, lift: -0.1 / d, ci: [-0.1 / d - 0.2 / d, -0.1 / d + 0.2 / d] as [number, number] }],
    })),
  },
} as unknown as Results;

describe('report charts', () => {
  it('draws each chart with a title and a description, escaped', async () => {
    const svgs = await renderReportCharts(results);
    expect([...svgs.keys()].sort()).toEqual(['charts/exposures-per-day.svg', 'charts/lift.svg', 'charts/over-time.svg']);
    for (const svg of svgs.values()) {
      expect(svg).toMatch(/^<svg [^>]*role="img"[^>]*><title>[^<]+<\/title><desc>[^<]+<\/desc>/);
      expect(svg).not.toContain('<script');
    }
    expect(svgs.get('charts/lift.svg')).toContain('Handoff &lt;script&gt;');
  });

  it('gives byte-identical SVG for the same results', async () => {
    const a = await renderReportCharts(results);
    const b = await renderReportCharts(structuredClone(results));
    expect([...b.entries()]).toEqual([...a.entries()]);
  });

  it('gives the same bytes in another process (no process-wide id counter or clock leaks in)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'exptrack-charts-'));
    writeFileSync(join(dir, 'results.json'), JSON.stringify(results));
    const module = pathToFileURL(join(REPO_ROOT, 'dist', 'src', 'report', 'charts', 'report-charts.js')).href;
    // A first, throwaway chart moves any module-level counter before the compared ones are drawn.
    const script = `const m = await import(${JSON.stringify(module)}); const r = JSON.parse(require('node:fs').readFileSync(${JSON.stringify(join(dir, 'results.json'))}, 'utf8'));
      await m.renderReportCharts({ ...r, timeline: null }); process.stdout.write(JSON.stringify([...(await m.renderReportCharts(r)).entries()]));`;
    const other = JSON.parse(execFileSync(process.execPath, ['--input-type=commonjs', '-e', `(async () => { ${script} })()`], { encoding: 'utf8' }));
    expect(other).toEqual([...(await renderReportCharts(results)).entries()]);
  });

  it('colours by each metric\'s direction: a fall in a lower-is-better metric is green, a rise red', async () => {
    const lift = reportCharts(results).find((c) => c.id === 'lift')!;
    expect(lift.description).toMatch(/Handoff [^;]*: -13\.2% [^;]*, better;/);
    expect(lift.description).toMatch(/Repeat contacts: \+25\.0% [^;]*, worse, guardrail threshold \+5\.0%/);
    const svg = (await renderReportCharts(results)).get('charts/lift.svg')!;
    expect(svg).toContain(`fill="${DIRECTION_COLORS.better}"`);
    expect(svg).toContain(`fill="${DIRECTION_COLORS.worse}"`);
  });

  it('leaves out what it has no data for', () => {
    const ids = reportCharts({ ...results, timeline: null }).map((c) => c.id);
    expect(ids).toEqual(['lift']);
  });
});
