import { describe, expect, it } from 'vitest';
import { TEMPLATES_DIR } from '../../src/package-info.js';
import { createReportRenderer } from '../../src/report/render-report.js';
import { decide } from '../../src/run/decide.js';
import type { MetricResult, Results } from '../../src/run/results.js';
import type { ResolvedExperiment } from '../../src/spec/types.js';
import { compareTreatment } from '../../src/stats/index.js';

// The report read by a product manager: a handoff rate that falls (lower is better) is a win, a repeat-contact
// rate that rises past its guardrail is a breach, and every word and percentage says so.
const arm = (n: number, x: number) => ({ kind: 'proportion' as const, n, y: { sum: x, sumSquares: x } });

function metric(name: string, label: string, role: MetricResult['role'], c: [number, number], t: [number, number], harm: number | null): MetricResult {
  const r = compareTreatment(arm(...c), arm(...t), { higherIsBetter: false });
  const summary = (v: string, [n, x]: [number, number]) => ({ variant: v, n, sum: x, sumSquares: x, mean: x / n, variance: (x / n) * (1 - x / n), stats: arm(n, x) });
  return {
    name, label, description: '', kind: 'proportion', role, higherIsBetter: false, maxRelativeHarm: harm,
    method: { test: 'welch-t', sides: 'two-sided', sequential: null, cuped: null, capping: null, prior: null, correction: 'none' },
    caps: {}, paired: null, dimensions: [],
    arms: [summary('control', c), summary('bot', t)],
    comparisons: [{ variant: 'bot', absolute: r.absolute, relative: r.relative, cuped: null, unadjusted: null, bayesian: r.bayesian.relative }],
  };
}

function results(metrics: MetricResult[]): Results {
  const experiment = {
    id: 'support_bot', name: 'Support bot', owner: 'ops', hypothesis: 'The bot resolves more chats itself.', unit: 'user', experimentKey: 'support_bot',
    start: '2026-10-01T00:00:00.000Z', end: null, control: 'control', alpha: 0.05, dimensions: [], specFile: 'specs/support_bot.yaml',
    variants: [{ key: 'control', weight: 0.5, isControl: true }, { key: 'bot', weight: 0.5, isControl: false }],
    analysis: { test: 'two_sided', correction: 'none', sequential: false, dimensionValues: 10, prior: null, cupedLookbackSeconds: null },
    decisionPolicy: { minRelativeLift: 0.02, whenInconclusive: 'iterate' as const },
  };
  const exp = { alpha: 0.05, decision: experiment.decisionPolicy } as unknown as ResolvedExperiment;
  return {
    schemaVersion: 1, tool: { name: 'exptrack', version: 'test' }, experiment,
    run: { runId: 'r1', asOf: '2026-10-29T00:00:00.000Z', target: { name: 'local', type: 'duckdb' }, startedAt: '2026-10-29T08:00:05.123Z', finishedAt: '2026-10-29T08:00:09.456Z' },
    bounds: { start: '2026-10-01T00:00:00.000Z', exposureEnd: '2026-10-29T00:00:00.000Z', asOf: '2026-10-29T00:00:00.000Z' },
    exposures: { variants: [], multipleVariantUnits: 0, unknownVariants: [], analysedUnits: 8000 },
    sources: [], checks: [], metrics, decision: decide(exp, [], metrics), data: {}, dataDigest: 'x',
  } as unknown as Results;
}

const render = createReportRenderer(TEMPLATES_DIR);
const firstScreen = (md: string) => md.slice(0, md.indexOf('## Details'));

describe('report direction', () => {
  it('a lower-is-better primary that improves reads as better, with a high chance to win', () => {
    const r = results([metric('handoff', 'Handed off to a human', 'primary', [4000, 788], [4000, 684], null)]);
    const md = render(r);
    expect(r.decision.recommendation).toBe('ship');
    expect(firstScreen(md)).toContain('**Handed off to a human:** 17.1% in `bot` vs 19.7% in `control`, −2.6 percentage points, −13.2% relative');
    expect(firstScreen(md)).toMatch(/\): better \(lower is better\)\./);
    expect(md).toMatch(/\| Handed off to a human \| `bot` \| 99\.\d% \| [^|]+ \| 13\.2% \| 0\.0% \|/);
  });

  it('a lower-is-better guardrail that worsens beyond its threshold is breached, in words', () => {
    const r = results([
      metric('handoff', 'Handed off to a human', 'primary', [4000, 788], [4000, 684], null),
      metric('repeat', 'Contacted again within 7 days', 'guardrail', [4000, 400], [4000, 500], 0.05),
    ]);
    const md = render(r);
    expect(r.decision.recommendation).toBe('stop');
    expect(firstScreen(md)).toContain('Guardrail **Contacted again within 7 days** **BREACHED**: +25.0%');
    expect(firstScreen(md)).toContain('breached when it rises significantly by more than 5.0%.');
    expect(md).toMatch(/\| Contacted again within 7 days \| `bot` \| 0\.\d% \| [^|]+ \| 0\.0% \| 25\.0% \|/);
  });

  it('formats to the minute in UTC and never in exponent form for ordinary values', () => {
    const md = render(results([metric('handoff', 'Handed off to a human', 'primary', [4000, 788], [4000, 684], null)]));
    expect(md).toContain('2026-10-29 08:00 UTC');
    expect(md).not.toMatch(/\d\.\d+e[-+]\d/);
    // Exact instants stay only where a command or an id needs them: code spans and the reproduce block.
    const prose = md.replace(/```[\s\S]*?```/g, '').replace(/`[^`]*`/g, '');
    expect(prose).not.toMatch(/T\d\d:\d\d:\d\d/);
  });
});
