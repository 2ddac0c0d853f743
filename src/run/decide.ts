import type { ResolvedExperiment } from '../spec/types.js';
import { pct, pval, pvalOf, signedPct } from '../util/format.js';
import { decidePaired } from './decide-paired.js';
import type { CheckResult, Decision, MetricResult } from './results.js';

/** An absolute change in the metric's units: percentage points for proportions. */
function absoluteText(m: MetricResult, v: number): string {
  return m.kind === 'proportion' ? `${Number((Math.abs(v) * 100).toPrecision(3))} percentage points` : `${Number(Math.abs(v).toPrecision(4))}`;
}

/**
 * The spec's decision policy, in order of precedence: a failed error-severity check forces rerun;
 * a breached guardrail forces stop; then the primary metric decides ship, stop or inconclusive.
 */
export function decide(exp: ResolvedExperiment, checks: CheckResult[], metrics: MetricResult[]): Decision {
  // A drifting variant is a finding about the variant, not about the data: stop rather than rerun.
  const drift = checks.filter((c) => c.status === 'fail' && c.severity === 'error' && c.reasonCode === 'EXPERIMENT_DRIFT');
  const failed = checks.filter((c) => c.status === 'fail' && c.severity === 'error' && c.reasonCode !== 'EXPERIMENT_DRIFT');
  if (failed.length === 0 && drift.length) return { recommendation: 'stop', variant: null, reasons: drift.map((c) => ({ code: c.reasonCode, message: `${c.title}: ${c.message}` })) };
  if (failed.length) {
    return {
      recommendation: 'rerun',
      variant: null,
      reasons: failed.map((c) => ({ code: c.reasonCode, message: `${c.title} failed: ${c.message} Fix the cause and run again; no comparison is trustworthy meanwhile.` })),
    };
  }

  const breaches: Decision['reasons'] = [];
  for (const m of metrics.filter((x) => x.role === 'guardrail')) {
    for (const c of m.comparisons) {
      const harm = m.higherIsBetter ? -c.relative.lift : c.relative.lift;
      if (m.maxRelativeHarm !== null && c.relative.ok && c.relative.pValue < exp.alpha && harm > m.maxRelativeHarm) {
        breaches.push({
          code: 'GUARDRAIL_BREACHED',
          message: `Guardrail ${m.name} got worse in ${c.variant}: ${signedPct(c.relative.lift)} (${pval(c.relative.pValue)}), beyond the tolerated ${pct(m.maxRelativeHarm)}.`,
        });
      }
      const absHarm = m.higherIsBetter ? -c.absolute.lift : c.absolute.lift;
      if (m.maxAbsoluteHarm != null && c.absolute.ok && c.absolute.pValue < exp.alpha && absHarm > m.maxAbsoluteHarm) {
        breaches.push({ code: 'GUARDRAIL_BREACHED', message: `Guardrail ${m.name} got worse in ${c.variant} by ${absoluteText(m, c.absolute.lift)} (${pval(c.absolute.pValue)}), beyond the tolerated ${absoluteText(m, m.maxAbsoluteHarm)}.` });
      }
    }
  }
  if (breaches.length) return { recommendation: 'stop', variant: null, reasons: breaches };

  const primary = metrics.find((m) => m.role === 'primary');
  if (!primary) return { recommendation: 'iterate', variant: null, reasons: [{ code: 'NO_PRIMARY', message: 'No primary metric result.' }] };
  if (primary.kind === 'paired') return decidePaired(exp, primary);
  const better = (lift: number) => (primary.higherIsBetter ? lift > 0 : lift < 0);
  const significant = primary.comparisons.filter((c) => c.relative.ok && c.relative.pValue < exp.alpha);
  const winners = significant
    .filter((c) => better(c.relative.lift) && Math.abs(c.relative.lift) >= exp.decision.minRelativeLift)
    .sort((a, b) => Math.abs(b.relative.lift) - Math.abs(a.relative.lift));
  // A guardrail whose lift cannot be estimated (control rate 0, no data) was not shown to hold:
  // shipping on it would be shipping blind, so the policy's fallback applies instead.
  const unmeasured = metrics
    .filter((x) => x.role === 'guardrail')
    .flatMap((m) => m.comparisons.filter((c) => !c.relative.ok).map((c) => `${m.name} in ${c.variant} (${c.relative.message})`));
  if (winners.length && unmeasured.length) {
    return {
      recommendation: exp.decision.whenInconclusive,
      variant: null,
      reasons: [{ code: 'GUARDRAIL_UNMEASURED', message: `${winners[0].variant} improves ${primary.name} by ${signedPct(winners[0].relative.lift)}, but a guardrail could not be measured: ${unmeasured.join('; ')}. Not shipped on an unmeasured guardrail.` }],
    };
  }
  if (winners.length) {
    const w = winners[0];
    return {
      recommendation: 'ship',
      variant: w.variant,
      reasons: [{ code: 'PRIMARY_WIN', message: `${w.variant} improves ${primary.name} by ${signedPct(w.relative.lift)} (${pval(w.relative.pValue)}), at least the required ${pct(exp.decision.minRelativeLift)}, and no guardrail was breached.` }],
    };
  }
  const losers = significant.filter((c) => !better(c.relative.lift));
  if (losers.length === primary.comparisons.length && losers.length > 0) {
    return {
      recommendation: 'stop',
      variant: null,
      reasons: losers.map((c) => ({ code: 'PRIMARY_LOSS', message: `${c.variant} makes ${primary.name} worse: ${signedPct(c.relative.lift)} (${pval(c.relative.pValue)}).` })),
    };
  }
  const notOk = primary.comparisons.filter((c) => !c.relative.ok);
  return {
    recommendation: exp.decision.whenInconclusive,
    variant: null,
    reasons: [
      {
        code: 'INCONCLUSIVE',
        message:
          notOk.length > 0
            ? `The lift on ${primary.name} cannot be estimated yet: ${notOk.map((c) => c.relative.message).join('; ')}.`
            : `No variant changes ${primary.name} significantly (${primary.comparisons.map((c) => `${c.variant} ${signedPct(c.relative.lift)}, ${pvalOf(c.relative)}`).join('; ')})` +
              (exp.decision.minRelativeLift > 0 ? `, or by the required ${pct(exp.decision.minRelativeLift)}.` : '.'),
      },
    ],
  };
}
