// Calibration of quantile metrics (issue #12, item 3) by seeded simulation through src/stats, with the
// order statistics taken at exactly the ranks the quantiles step computes in the warehouse
// (quantileOrderRanks; test/matrix/quantile-metrics.test.ts checks the warehouse picks the same values).
// Per level: the A/A false-positive rate of the relative difference, the coverage of its interval under a
// planted +5% (every value scaled by 1.05 scales every quantile by 1.05), and the coverage of each arm's
// order-statistic interval for the true quantile. Run with `npm run calibrate` or `npm run calibrate:quantile`.
import { compareTreatment, eventQuantileRanks, quantileArmStats, quantileOrderRanks, standardNormalQuantile, type ArmSufficientStats, type EventQuantileSums } from '../src/stats/index.js';
import { mulberry32 } from './mulberry32.js';

const SEED = 20261203;
const u = mulberry32(SEED);
const z = () => Math.sqrt(-2 * Math.log(1 - u())) * Math.cos(2 * Math.PI * u());
const covers = (ci: [number | null, number | null], v: number) => (ci[0] === null || ci[0] <= v) && (ci[1] === null || v <= ci[1]);
const within = (x: number, lo: number, hi: number) => x >= lo && x <= hi;
const rows: string[][] = [];
function report(what: string, value: number, target: string, ok: boolean): void {
  rows.push([what, value.toFixed(4), target, ok ? 'ok' : 'OUT OF TARGET']);
}
const started = Date.now();
const RUNS = 2000;

// Log-normal exp(1 + 0.8 N): skewed like order values or latencies; its q-th quantile is exp(1 + 0.8 z_q).
const LEVELS = [
  { q: 0.5, n: 2000 },
  { q: 0.9, n: 2000 },
  { q: 0.99, n: 5000 },
];
for (const { q, n } of LEVELS) {
  const ranks = quantileOrderRanks(n, q);
  const truth = Math.exp(1 + 0.8 * standardNormalQuantile(q));
  let armCovered = 0;
  const arm = (scale: number): ArmSufficientStats => {
    const v = Float64Array.from({ length: n }, () => scale * Math.exp(1 + 0.8 * z())).sort();
    const lower = v[ranks.lower - 1];
    const upper = v[ranks.upper - 1];
    if (scale === 1 && lower <= truth && truth <= upper) armCovered++;
    return quantileArmStats({ n, estimate: v[ranks.estimate - 1], lower, upper });
  };
  let fp = 0;
  let cov = 0;
  let fpAbs = 0;
  for (let e = 0; e < RUNS; e++) {
    const aa = compareTreatment(arm(1), arm(1));
    if (aa.relative.pValue < 0.05) fp++;
    if (aa.absolute.pValue < 0.05) fpAbs++;
    if (covers(compareTreatment(arm(1), arm(1.05)).relative.ci, 0.05)) cov++;
  }
  const p = `p${Math.round(q * 100)}`;
  report(`quantile ${p}: A/A false-positive rate, relative (${RUNS} experiments, ${n} units per arm)`, fp / RUNS, '[0.04, 0.06]', within(fp / RUNS, 0.04, 0.06));
  report(`quantile ${p}: A/A false-positive rate, absolute`, fpAbs / RUNS, '[0.04, 0.06]', within(fpAbs / RUNS, 0.04, 0.06));
  report(`quantile ${p}: coverage of the relative difference's 95% CI, planted +5%`, cov / RUNS, '[0.94, 0.96]', within(cov / RUNS, 0.94, 0.96));
  // The order-statistic interval is discrete (whole ranks, lower rounded down, upper up): slightly above 95%.
  report(`quantile ${p}: coverage of one arm's order-statistic interval for the true ${p} (${3 * RUNS} arms)`, armCovered / (3 * RUNS), '[0.94, 0.96]', within(armCovered / (3 * RUNS), 0.94, 0.96));
}

// Event-level quantiles: units with 1 + Poisson(2) events whose values share a unit effect,
// exp(1 + 0.6 U_i + 0.5 E_ij), so events of one unit are correlated. The clustered interval (ranks from the
// delta-method variance of the share below the quantile) against the one that treats events as independent.
{
  const UNITS = 1500;
  const poisson = (lambda: number) => { let k = 0; let p = Math.exp(-lambda); let c = p; const r = u(); while (r > c) { k++; p *= lambda / k; c += p; } return k; };
  for (const q of [0.5, 0.9]) {
    let fp = 0;
    let cov = 0;
    let naiveFp = 0;
    const arm = (scale: number) => {
      const perUnit: Float64Array[] = [];
      for (let i = 0; i < UNITS; i++) {
        const a = 0.6 * z();
        perUnit.push(Float64Array.from({ length: 1 + poisson(2) }, () => scale * Math.exp(1 + a + 0.5 * z())));
      }
      const all = Float64Array.from(perUnit.flatMap((x) => [...x])).sort();
      const big = all.length;
      const estimate = all[Math.min(big, Math.max(1, Math.ceil(big * q))) - 1];
      const sums: EventQuantileSums = { units: UNITS, events: big, below: { sum: 0, sumSquares: 0 }, eventCount: { sum: 0, sumSquares: 0 }, belowTimesEvents: 0 };
      for (const x of perUnit) {
        let m = 0;
        for (const v of x) if (v <= estimate) m++;
        sums.below.sum += m; sums.below.sumSquares += m * m;
        sums.eventCount.sum += x.length; sums.eventCount.sumSquares += x.length * x.length;
        sums.belowTimesEvents += m * x.length;
      }
      const r = eventQuantileRanks(sums, q);
      const naive = quantileOrderRanks(big, q);
      return {
        clustered: quantileArmStats({ n: UNITS, estimate, lower: all[r.lower - 1], upper: all[r.upper - 1] }),
        naive: quantileArmStats({ n: UNITS, estimate, lower: all[naive.lower - 1], upper: all[naive.upper - 1] }),
      };
    };
    for (let e = 0; e < RUNS; e++) {
      const a = arm(1);
      const b = arm(1);
      if (compareTreatment(a.clustered, b.clustered).relative.pValue < 0.05) fp++;
      if (compareTreatment(a.naive, b.naive).relative.pValue < 0.05) naiveFp++;
      if (covers(compareTreatment(arm(1).clustered, arm(1.05).clustered).relative.ci, 0.05)) cov++;
    }
    const p = `p${Math.round(q * 100)}`;
    report(`event-level ${p}, clustered: A/A false-positive rate (${RUNS} experiments, ${UNITS} units per arm, about 3 events each)`, fp / RUNS, '[0.04, 0.06]', within(fp / RUNS, 0.04, 0.06));
    report(`event-level ${p}, clustered: coverage of the relative difference's 95% CI, planted +5%`, cov / RUNS, '[0.94, 0.96]', within(cov / RUNS, 0.94, 0.96));
    report(`event-level ${p}, events treated as independent (what the correction fixes): A/A false-positive rate`, naiveFp / RUNS, '> 0.06 (too many)', naiveFp / RUNS > 0.06);
  }
}

const widths = [0, 1, 2, 3].map((i) => Math.max(...rows.map((r) => r[i].length)));
process.stdout.write(`\nCalibration of quantile metrics (seed ${SEED})\n\n`);
for (const r of rows) process.stdout.write(`${r.map((c, i) => c.padEnd(widths[i])).join('  ')}\n`);
process.stdout.write(`\n${rows.every((r) => r[3] === 'ok') ? 'all figures within target' : 'SOME FIGURES OUT OF TARGET'}; ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
