// Calibration of the methods added by issue #12, by seeded simulation through src/stats and checks/:
// paired differences, quantile lifts, sequential one-sided tests with Benjamini-Hochberg, the SRM
// check in `analyze`, the pre-period balance check, the drift check and conditional power.
// Run with `npm run calibrate` (after calibrate-stats).
import { CHECKS } from '../checks/index.js';
import {
  compareTreatment,
  conditionalPower,
  correctFamily,
  factorialEffects,
  mannWhitney,
  intervalAtLevel,
  pairedTTest,
  quantileArmStats,
  quantileOrderRanks,
  sampleRatioMismatch,
  thompsonAllocation,
  type ArmSufficientStats,
} from '../src/stats/index.js';
import { mulberry32 } from './mulberry32.js';

const SEED = 20261203;
const u = mulberry32(SEED);
const z = () => Math.sqrt(-2 * Math.log(1 - u())) * Math.cos(2 * Math.PI * u());

const covers = (ci: [number | null, number | null], v: number) => (ci[0] === null || ci[0] <= v) && (ci[1] === null || v <= ci[1]);
const rows: string[][] = [];
const within = (x: number, lo: number, hi: number) => x >= lo && x <= hi;
function report(what: string, value: number, target: string, ok: boolean): void {
  rows.push([what, value.toFixed(4), target, ok ? 'ok' : 'OUT OF TARGET']);
}
const started = Date.now();
const RUNS = 4000;

// 1. Paired differences: live outcome y ~ N(20, 5), shadow = y + effect + N(0, 2) on the same unit.
{
  let fp = 0;
  let cov = 0;
  for (let e = 0; e < RUNS; e++) {
    const s = [0, 0.3].map((effect) => {
      let n = 0; let sum = 0; let sq = 0;
      for (let i = 0; i < 500; i++) {
        const live = 20 + 5 * z();
        const d = live + effect + 2 * z() - live;
        n++; sum += d; sq += d * d;
      }
      return pairedTTest({ n, sumDiff: sum, sumDiffSquares: sq });
    });
    if (s[0].pValue < 0.05) fp++;
    if (covers(s[1].ci, 0.3)) cov++;
  }
  report(`paired difference: A/A false-positive rate (${RUNS} experiments, 500 pairs, alpha 0.05)`, fp / RUNS, '[0.04, 0.06]', within(fp / RUNS, 0.04, 0.06));
  report('paired difference: coverage of 95% CI, planted +0.3 per unit', cov / RUNS, '[0.94, 0.96]', within(cov / RUNS, 0.94, 0.96));
}

// 2. Quantile p90 of a log-normal value (exact order statistics per arm), 2000 units per arm.
{
  const N = 2000;
  const Q = 0.9;
  const ranks = quantileOrderRanks(N, Q);
  const arm = (scale: number): ArmSufficientStats => {
    const v = Float64Array.from({ length: N }, () => scale * Math.exp(1 + 0.8 * z())).sort();
    return quantileArmStats({ n: N, estimate: v[ranks.estimate - 1], lower: v[ranks.lower - 1], upper: v[ranks.upper - 1] });
  };
  let fp = 0;
  let cov = 0;
  const QRUNS = 2000;
  for (let e = 0; e < QRUNS; e++) {
    if (compareTreatment(arm(1), arm(1)).relative.pValue < 0.05) fp++;
    // Scaling every value by 1.05 scales every quantile by 1.05: the planted relative lift is exactly 5%.
    if (covers(compareTreatment(arm(1), arm(1.05)).relative.ci, 0.05)) cov++;
  }
  report(`quantile p90: A/A false-positive rate (${QRUNS} experiments, 2000 units per arm)`, fp / QRUNS, '[0.04, 0.06]', within(fp / QRUNS, 0.04, 0.06));
  report('quantile p90: coverage of 95% CI of the relative difference, planted +5%', cov / QRUNS, '[0.94, 0.96]', within(cov / QRUNS, 0.94, 0.96));
}

// 3. One-sided sequential tests, four metrics, Benjamini-Hochberg: A/A family error and the adjusted
// intervals' coverage when every metric has a planted lift (adjusted intervals are simultaneous-ish, so >= 0.95).
{
  const seq = { sides: 'greater' as const, sequential: { tuning: 5000 } };
  let anyFalse = 0;
  let covAll = 0;
  const FRUNS = 2000;
  for (let e = 0; e < FRUNS; e++) {
    for (const lift of [0, 0.05]) {
      const family = [0, 1, 2, 3].map(() => {
        const mk = (m: number) => {
          let sum = 0; let sq = 0;
          for (let i = 0; i < 1000; i++) { const v = m + 3 * z(); sum += v; sq += v * v; }
          return { kind: 'mean' as const, n: 1000, y: { sum, sumSquares: sq } };
        };
        return compareTreatment(mk(10), mk(10 * (1 + lift)), seq).relative;
      });
      const adj = correctFamily(family, 'bh', 0.05, 'greater', (i, level) => intervalAtLevel(family[i], 2000, level, seq));
      if (lift === 0 && adj.some((a) => a.pValueAdjusted < 0.05)) anyFalse++;
      if (lift > 0 && adj.every((a) => covers(a.ciAdjusted, lift))) covAll++;
    }
  }
  report(`sequential one-sided + BH, 4 metrics: A/A families with any adjusted p < 0.05 (${FRUNS})`, anyFalse / FRUNS, '<= 0.05 (always-valid: conservative)', anyFalse / FRUNS <= 0.05);
  report('sequential one-sided + BH: all 4 adjusted intervals cover the planted +5%', covAll / FRUNS, '>= 0.95 (conservative)', covAll / FRUNS >= 0.95);
}

// 4. SRM in `analyze` (chi-square at the conventional 0.05, to measure its size; the alert uses 0.001).
{
  let fp = 0;
  let fp001 = 0;
  const SRUNS = 20000;
  for (let e = 0; e < SRUNS; e++) {
    const counts = [0, 0, 0];
    for (let i = 0; i < 3000; i++) { const r = u(); counts[r < 0.5 ? 0 : r < 0.75 ? 1 : 2]++; }
    const p = sampleRatioMismatch(counts, [0.5, 0.25, 0.25]).pValue;
    if (p < 0.05) fp++;
    if (p < 0.001) fp001++;
  }
  report(`SRM chi-square, 3 arms 50/25/25: false-alarm rate at p < 0.05 (${SRUNS} runs)`, fp / SRUNS, '[0.04, 0.06]', within(fp / SRUNS, 0.04, 0.06));
  report('SRM chi-square: false-alarm rate at the alert threshold p < 0.001', fp001 / SRUNS, '[0.0005, 0.0015]', within(fp001 / SRUNS, 0.0005, 0.0015));
}

// 5. Pre-period balance and drift checks: how often they fire when nothing is wrong, at a 0.05 threshold.
{
  const balance = CHECKS.find((c) => c.id === 'pre_period_imbalance')!;
  const drift = CHECKS.find((c) => c.id === 'experiment_drift')!;
  const base = { asOf: '', variants: [], multipleVariantUnits: 0, unknownVariantUnits: 0, sources: [] };
  let fb = 0;
  let fd = 0;
  for (let e = 0; e < RUNS; e++) {
    const arm = (): ArmSufficientStats => {
      let sum = 0; let sq = 0;
      for (let i = 0; i < 1000; i++) { const v = 10 + 3 * z(); sum += v; sq += v * v; }
      return { kind: 'mean', n: 1000, y: { sum, sumSquares: sq } };
    };
    if (!balance.evaluate({ ...base, prePeriod: [{ metric: 'm', arms: [{ variant: 'a', stats: arm() }, { variant: 'b', stats: arm() }] }] }, { p_value: 0.05 }).passed) fb++;
    // Drift exactly at the tolerated 1.0 per unit: the one-sided test must fire at its alpha.
    let sum = 0; let sq = 0;
    for (let i = 0; i < 500; i++) { const d = -1 + 4 * z(); sum += d; sq += d * d; }
    const difference = pairedTTest({ n: 500, sumDiff: sum, sumDiffSquares: sq });
    if (!drift.evaluate({ ...base, alpha: 0.05, paired: [{ metric: 'm', variant: 'b', higherIsBetter: true, n: 500, difference }] }, { max_drift: 1 }).passed) fd++;
  }
  report(`pre-period balance check, balanced arms, threshold 0.05 (${RUNS} runs)`, fb / RUNS, '[0.04, 0.06]', within(fb / RUNS, 0.04, 0.06));
  report('drift check at exactly the tolerated drift, alpha 0.05 (one-sided)', fd / RUNS, '[0.04, 0.06]', within(fd / RUNS, 0.04, 0.06));
}

// 6. Conditional power: predicted at 40% of the units vs how often the continued experiment rejects.
{
  const CRUNS = 4000;
  let predicted = 0;
  let rejected = 0;
  const perArmFinal = 2500;
  const t = 0.4;
  const trueLift = 0.015;
  for (let e = 0; e < CRUNS; e++) {
    const acc = () => ({ n: 0, sum: 0, sq: 0 });
    const a = acc(); const b = acc();
    const add = (s: ReturnType<typeof acc>, m: number, k: number) => { for (let i = 0; i < k; i++) { const v = m + 3 * z(); s.n++; s.sum += v; s.sq += v * v; } };
    const stats = (s: ReturnType<typeof acc>): ArmSufficientStats => ({ kind: 'mean', n: s.n, y: { sum: s.sum, sumSquares: s.sq } });
    add(a, 10, perArmFinal * t); add(b, 10 * (1 + trueLift), perArmFinal * t);
    const now = compareTreatment(stats(a), stats(b)).relative;
    predicted += conditionalPower({ lift: now.lift, se: now.se, fraction: t, finalUnits: 2 * perArmFinal }, trueLift);
    add(a, 10, perArmFinal * (1 - t)); add(b, 10 * (1 + trueLift), perArmFinal * (1 - t));
    if (compareTreatment(stats(a), stats(b)).relative.pValue < 0.05) rejected++;
  }
  const diff = predicted / CRUNS - rejected / CRUNS;
  report(`conditional power at 40%: mean predicted minus observed rejection rate (${CRUNS} runs; predicted ${(predicted / CRUNS).toFixed(4)})`, diff, '|diff| <= 0.02', Math.abs(diff) <= 0.02);
}

// 7. Thompson-sampling advice: with two arms P(b best) = Phi(z) under the posterior, so in A/A it is uniform and
// "P(best) beyond 97.5% either way" is a 5% two-sided test; and the integral against posterior draws.
{
  let extreme = 0;
  for (let e = 0; e < RUNS; e++) {
    const arm = (variant: string) => {
      let sum = 0; let sq = 0;
      for (let i = 0; i < 1000; i++) { const v = u() < 0.12 ? 1 : 0; sum += v; sq += v; }
      const mean = sum / 1000;
      return { variant, mean, sd: Math.sqrt((mean * (1 - mean)) / 1000) };
    };
    const p = thompsonAllocation([arm('a'), arm('b')], { minShare: 0 }).probabilityBest.b;
    if (p > 0.975 || p < 0.025) extreme++;
  }
  report(`Thompson P(best) beyond 97.5% either way, A/A proportions (${RUNS} runs)`, extreme / RUNS, '[0.04, 0.06]', within(extreme / RUNS, 0.04, 0.06));
  const arms = [{ variant: 'a', mean: 0.12, sd: 0.005 }, { variant: 'b', mean: 0.13, sd: 0.006 }, { variant: 'c', mean: 0.125, sd: 0.004 }];
  const exact = thompsonAllocation(arms, { minShare: 0 }).probabilityBest;
  const wins = [0, 0, 0];
  const DRAWS = 400_000;
  for (let i = 0; i < DRAWS; i++) {
    const x = arms.map((a) => a.mean + a.sd * z());
    wins[x.indexOf(Math.max(...x))]++;
  }
  const err = Math.max(...arms.map((a, i) => Math.abs(exact[a.variant] - wins[i] / DRAWS)));
  report(`Thompson P(best) by integration vs ${DRAWS} posterior draws, 3 arms: largest difference`, err, '<= 0.003', err <= 0.003);
}

// 8. Factorial 2x2 (mean 10, sd 3, 1000 units per cell): size of the main-effect and interaction tests with no
// effects, coverage with a planted main effect of layout 0.3 and interaction 0.2.
{
  const factors = [{ name: 'layout', levels: ['classic', 'new'] }, { name: 'color', levels: ['grey', 'blue'] }];
  const cellOf = (layout: string, color: string, mean: number) => {
    let sum = 0; let sq = 0;
    for (let i = 0; i < 1000; i++) { const v = mean + 3 * z(); sum += v; sq += v * v; }
    const m = sum / 1000;
    return { variant: `${layout}_${color}`, levels: { layout, color }, n: 1000, mean: m, variance: (sq - 1000 * m * m) / 999 };
  };
  let fpMain = 0; let fpInt = 0; let covMain = 0; let covInt = 0;
  const FR = 3000;
  for (let e = 0; e < FR; e++) {
    const nullCells = [cellOf('classic', 'grey', 10), cellOf('classic', 'blue', 10), cellOf('new', 'grey', 10), cellOf('new', 'blue', 10)];
    const n = factorialEffects(factors, nullCells);
    if (n.find((x) => x.kind === 'main' && x.terms[0].factor === 'layout')!.effect.pValue < 0.05) fpMain++;
    if (n.find((x) => x.kind === 'interaction')!.effect.pValue < 0.05) fpInt++;
    // layout effect 0.2 at grey, 0.4 at blue: main effect 0.3, interaction 0.2.
    const planted = [cellOf('classic', 'grey', 10), cellOf('classic', 'blue', 10), cellOf('new', 'grey', 10.2), cellOf('new', 'blue', 10.4)];
    const p = factorialEffects(factors, planted);
    if (covers(p.find((x) => x.kind === 'main' && x.terms[0].factor === 'layout')!.effect.ci, 0.3)) covMain++;
    if (covers(p.find((x) => x.kind === 'interaction')!.effect.ci, 0.2)) covInt++;
  }
  report(`factorial 2x2: A/A false-positive rate, main effect (${FR} experiments)`, fpMain / FR, '[0.04, 0.06]', within(fpMain / FR, 0.04, 0.06));
  report('factorial 2x2: A/A false-positive rate, interaction', fpInt / FR, '[0.04, 0.06]', within(fpInt / FR, 0.04, 0.06));
  report('factorial 2x2: coverage of 95% CI, planted main effect 0.3', covMain / FR, '[0.94, 0.96]', within(covMain / FR, 0.94, 0.96));
  report('factorial 2x2: coverage of 95% CI, planted interaction 0.2', covInt / FR, '[0.94, 0.96]', within(covInt / FR, 0.94, 0.96));
}

// 9. Mann-Whitney: A/A size of the normal approximation on a skewed, tied metric (revenue: 88% zeros, else
// log-normal, 1000 units per arm) and of the exact test (no ties, 12 and 15 units).
{
  const ranks = (c: number[], t: number[]) => {
    const all = [...c.map((v) => ({ v, t: false })), ...t.map((v) => ({ v, t: true }))].sort((a, b) => a.v - b.v);
    let rankSumTreatment = 0; let tieTerm = 0;
    for (let i = 0; i < all.length; ) {
      let j = i;
      while (j < all.length && all[j].v === all[i].v) j++;
      tieTerm += (j - i) ** 3 - (j - i);
      for (let k = i; k < j; k++) if (all[k].t) rankSumTreatment += (i + 1 + j) / 2;
      i = j;
    }
    return { nControl: c.length, nTreatment: t.length, rankSumTreatment, tieTerm };
  };
  const revenue = () => (u() < 0.12 ? Math.round(60 * Math.exp(0.6 * z())) : 0);
  let fpNormal = 0; let fpExact = 0; let exactUsed = 0;
  const MR = 3000;
  for (let e = 0; e < MR; e++) {
    const c = Array.from({ length: 1000 }, revenue); const t = Array.from({ length: 1000 }, revenue);
    if (mannWhitney(ranks(c, t)).pValue < 0.05) fpNormal++;
    const ce = Array.from({ length: 12 }, () => Math.exp(z())); const te = Array.from({ length: 15 }, () => Math.exp(z()));
    const r = mannWhitney(ranks(ce, te));
    if (r.method === 'exact') exactUsed++;
    if (r.pValue < 0.05) fpExact++;
  }
  report(`Mann-Whitney A/A, normal approx., tie-corrected, zero-heavy revenue (${MR} experiments)`, fpNormal / MR, '[0.04, 0.06]', within(fpNormal / MR, 0.04, 0.06));
  // The exact test is discrete: its size is the largest attainable level <= 0.05, slightly below 0.05.
  report(`Mann-Whitney A/A, exact test, 12 vs 15 units (${exactUsed} of ${MR} exact)`, fpExact / MR, '[0.04, 0.06]', within(fpExact / MR, 0.04, 0.06));
}

const widths = [0, 1, 2, 3].map((i) => Math.max(...rows.map((r) => r[i].length)));
process.stdout.write(`\nCalibration of issue #12's methods (seed ${SEED})\n\n`);
for (const r of rows) process.stdout.write(`${r.map((c, i) => c.padEnd(widths[i])).join('  ')}\n`);
process.stdout.write(`\n${rows.every((r) => r[3] === 'ok') ? 'all figures within target' : 'SOME FIGURES OUT OF TARGET'}; ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
