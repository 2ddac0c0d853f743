import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { getTarget, loadProjectConfig } from '../../src/config/project-config.js';
import type { Results } from '../../src/run/results.js';
import { runProject } from '../../src/run/run-project.js';
import { demoProject } from '../helpers/demo-project.js';

// Issue #12's two defects, reproduced on the demo warehouse: a paired primary metric (the shadow
// case) and a one-sided sequential spec corrected with Benjamini-Hochberg.
let project: string;
const results = new Map<string, Results>();
const reports = new Map<string, string>();

const PAIRED_METRIC = `
  amount_vs_replay:
    description: Order amount against the replayed live amount of the same user.
    type: paired
    source: web_events
    filter: "event_name = 'order_completed'"
    value: amount
    baseline: amount * 0.9
    window: { duration: 7d }
  amount_vs_richer_replay:
    description: Order amount against a live amount 10% higher (the variant drifts below live).
    type: paired
    source: web_events
    filter: "event_name = 'order_completed'"
    value: amount
    baseline: amount * 1.1
    window: { duration: 7d }
`;

const spec = (id: string, body: string) => `id: ${id}
name: ${id}
owner: a@example.com
hypothesis: Something changes.
unit: user
exposure: { source: exposures, experiment_key: checkout_redesign }
variants:
  - { key: control, weight: 0.5 }
  - { key: one_page, weight: 0.5 }
start: 2026-10-04
${body}`;

beforeAll(async () => {
  project = await demoProject();
  appendFileSync(join(project, 'models', 'metrics.yaml'), PAIRED_METRIC);
  writeFileSync(join(project, 'specs', 'paired_check.yaml'), spec('paired_check', 'metrics:\n  primary: amount_vs_replay\n'));
  writeFileSync(join(project, 'specs', 'paired_drift.yaml'), spec('paired_drift', 'metrics:\n  primary: amount_vs_richer_replay\nanalysis: { schedule: daily }\nchecks:\n  experiment_drift: { max_drift: 0.5, severity: error }\n'));
  writeFileSync(
    join(project, 'specs', 'seq_one_sided_bh.yaml'),
    spec('seq_one_sided_bh', 'metrics:\n  primary: order_completed\n  secondary: [revenue_per_user, page_views, orders]\nanalysis: { test: one_sided, sequential: true, correction: benjamini_hochberg }\n'),
  );
  const config = loadProjectConfig(project);
  const summary = await runProject({ config, target: getTarget(config, undefined), selectors: ['paired_check', 'paired_drift', 'seq_one_sided_bh'], asOf: config.asOf! });
  for (const s of summary.experiments) {
    results.set(s.id, JSON.parse(readFileSync(join(s.packageDir, 'results.json'), 'utf8')));
    reports.set(s.id, readFileSync(join(s.packageDir, 'report.md'), 'utf8'));
  }
});

/** The data rows of the Markdown table whose header row starts with `header`. */
function tableRows(report: string, header: string): string[] {
  const lines = report.split('\n');
  const at = lines.findIndex((l) => l.startsWith(header));
  expect(at, header).toBeGreaterThanOrEqual(0);
  const rows: string[] = [];
  for (let i = at + 2; i < lines.length && lines[i].startsWith('|'); i++) rows.push(lines[i]);
  return rows;
}

describe('paired metrics (defect 1)', () => {
  it('fills the Metrics table with the comparison between arms', () => {
    const rows = tableRows(reports.get('paired_check')!, '| Metric | Id | Role | Variant |');
    expect(rows.some((r) => r.includes('amount_vs_replay') && r.includes('`one_page`'))).toBe(true);
    const m = results.get('paired_check')!.metrics[0];
    expect(m.comparisons.map((c) => c.variant)).toEqual(['one_page']);
    expect(m.comparisons[0].absolute.ok).toBe(true);
  });

  it('decides on the paired difference of the variant, not on an empty comparison list', () => {
    const r = results.get('paired_check')!;
    // amount - 0.9 amount is positive for every order: the variant is clearly better than its replay baseline.
    const d = r.metrics[0].paired!.find((p) => p.variant === 'one_page')!.difference;
    expect(d.ok && d.lift > 0 && d.pValue < 0.05).toBe(true);
    expect(r.decision.recommendation).toBe('ship');
    expect(r.decision.variant).toBe('one_page');
    expect(r.decision.reasons[0].message).not.toContain('()');
  });

  it('keeps the Paired metrics table, one row per arm', () => {
    const rows = tableRows(reports.get('paired_check')!, '| Metric | Variant | Units | Mean difference');
    expect(rows.length).toBeGreaterThan(0);
  });
});

describe('matched pairs: sequential when scheduled, and the drift signal', () => {
  it('stops with EXPERIMENT_DRIFT when the variant is worse than live beyond max_drift at error severity', () => {
    const r = results.get('paired_drift')!;
    expect(r.metrics[0].method.sequential).not.toBeNull();
    const drift = r.checks.find((c) => c.reasonCode === 'EXPERIMENT_DRIFT')!;
    expect(drift.status).toBe('fail');
    expect(r.decision.recommendation).toBe('stop');
    expect(r.decision.reasons.map((x) => x.code)).toEqual(['EXPERIMENT_DRIFT']);
  });

  it('uses the always-valid interval for the paired difference of a scheduled spec', () => {
    const r = results.get('paired_drift')!;
    const d = r.metrics[0].paired!.find((p) => p.variant === 'one_page')!.difference;
    const fixed = results.get('paired_check')!.metrics[0].paired!.find((p) => p.variant === 'one_page')!.difference;
    // Same units and standard error scale; the always-valid interval is wider than the fixed-horizon one.
    expect(d.ci[1]! - d.ci[0]!).toBeGreaterThan((fixed.ci[1]! - fixed.ci[0]!) * 1.2);
  });
});

describe('one-sided sequential tests with Benjamini-Hochberg (defect 2)', () => {
  it('keeps adjusted intervals finite on their bounded side and no wider than the test at alpha / m', () => {
    const r = results.get('seq_one_sided_bh')!;
    const secondary = r.metrics.filter((m) => m.role === 'secondary');
    for (const m of secondary) {
      const c = m.comparisons[0].relative;
      expect(c.ciAdjusted, m.name).toBeDefined();
      const lower = c.ciAdjusted![0]!;
      expect(lower, m.name).toBeLessThanOrEqual(c.ci[0]!);
      // Bonferroni at alpha / m is the widest a BH-adjusted interval may be; 3 secondary metrics.
      expect(c.lift - lower, m.name).toBeLessThan(3 * (c.lift - c.ci[0]!));
    }
  });

  it('adjusts the exact one-sided sequential p-value, not the 0.4999 cap of the reference engine', () => {
    const pv = results.get('seq_one_sided_bh')!.metrics.find((m) => m.name === 'page_views')!.comparisons[0].relative;
    // The raw p-value stays gbstats' (its bisection stops at 0.4999); the family is adjusted on the exact root.
    expect(pv.pValue).toBeCloseTo(0.4999, 6);
    expect(pv.pValueAdjusted).toBeGreaterThan(0.5);
  });
});

describe('one-sided sequential p-value at the cap (issue 12, round two item 4)', () => {
  it('shows "p ≥ 0.5", and why when the effect lies on the excluded side, never "p = 0.500"', () => {
    const r = results.get('seq_one_sided_bh')!;
    const pv = r.metrics.find((m) => m.name === 'page_views')!.comparisons[0].relative;
    expect(pv.pValueExact).toBeDefined();
    // test: one_sided on metrics where higher is better: the alternative is 'greater'.
    expect(pv.wrongDirection === true).toBe(pv.lift <= 0);
    const report = reports.get('seq_one_sided_bh')!;
    expect(report).not.toContain('p = 0.500');
    const row = tableRows(report, '| Metric | Id | Role | Variant |').find((x) => x.includes('`page_views`'))!;
    expect(row).toContain(pv.wrongDirection ? 'p ≥ 0.5 (effect in the wrong direction)' : 'p ≥ 0.5');
  });
});
