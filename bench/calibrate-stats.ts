// Calibration of the statistics by simulation (not a unit test): seeded per-unit data is aggregated
// to the same sufficient statistics the warehouse returns and run through src/stats.
// Run with `npm run calibrate`. Prints false-positive rates, interval coverage, the sequential
// procedure under daily peeking, CUPED coverage and variance reduction, and planned vs simulated power.
import { compareTreatment, powerForLift, type ArmSufficientStats, type Sides } from '../src/stats/index.js';
import { mulberry32 } from './mulberry32.js';

function normals(u: () => number): () => number {
  let spare: number | null = null;
  return () => {
    if (spare !== null) {
      const s = spare;
      spare = null;
      return s;
    }
    const r = Math.sqrt(-2 * Math.log(1 - u()));
    const th = 2 * Math.PI * u();
    spare = r * Math.sin(th);
    return r * Math.cos(th);
  };
}

const SEED = 20261122;
const u = mulberry32(SEED);
const z = normals(u);

/** Accumulates per-unit values into ArmSufficientStats. */
class Acc {
  n = 0; sy = 0; syy = 0; sx = 0; sxx = 0; sxy = 0; sd = 0; sdd = 0; syd = 0;
  add(y: number, x = 0, d = 0): void {
    this.n++; this.sy += y; this.syy += y * y; this.sx += x; this.sxx += x * x; this.sxy += x * y; this.sd += d; this.sdd += d * d; this.syd += y * d;
  }
  stats(kind: ArmSufficientStats['kind'], covariate = false): ArmSufficientStats {
    const s: ArmSufficientStats = { kind, n: this.n, y: { sum: this.sy, sumSquares: this.syy } };
    if (kind === 'ratio') { s.d = { sum: this.sd, sumSquares: this.sdd }; s.cross = { yd: this.syd }; }
    if (covariate) { s.x = { sum: this.sx, sumSquares: this.sxx }; s.cross = { ...s.cross, yx: this.sxy }; }
    return s;
  }
}

const covers = (ci: [number | null, number | null], v: number) => (ci[0] === null || ci[0] <= v) && (ci[1] === null || v <= ci[1]);
const pct = (x: number) => x.toFixed(4);
const rows: string[][] = [];
function report(what: string, value: number, target: string, ok: boolean): void {
  rows.push([what, pct(value), target, ok ? 'ok' : 'OUT OF TARGET']);
}

const started = Date.now();
const N_AA = 4000;
const N_COV = 4000;
const UNITS = 1000;

// 1. A/A, fixed horizon: normal metric (mean 10, sd 3) and binomial (p = 0.1), 1000 units per arm.
for (const kind of ['mean', 'proportion'] as const) {
  let fp = 0;
  for (let e = 0; e < N_AA; e++) {
    const a = new Acc(); const b = new Acc();
    for (let i = 0; i < UNITS; i++) {
      a.add(kind === 'mean' ? 10 + 3 * z() : u() < 0.1 ? 1 : 0);
      b.add(kind === 'mean' ? 10 + 3 * z() : u() < 0.1 ? 1 : 0);
    }
    if (compareTreatment(a.stats(kind), b.stats(kind)).relative.pValue < 0.05) fp++;
  }
  report(`A/A false-positive rate, fixed horizon, ${kind} (${N_AA} experiments, alpha 0.05)`, fp / N_AA, '[0.04, 0.06]', fp / N_AA >= 0.04 && fp / N_AA <= 0.06);
}

// 2. Coverage of the 95% interval for a planted relative lift of +5%: normal, binomial, ratio.
{
  const lift = 0.05;
  const cov = { mean: 0, proportion: 0, ratio: 0 };
  for (let e = 0; e < N_COV; e++) {
    const am = new Acc(); const bm = new Acc(); const ap = new Acc(); const bp = new Acc(); const ar = new Acc(); const br = new Acc();
    for (let i = 0; i < UNITS; i++) {
      am.add(10 + 3 * z()); bm.add(10 * (1 + lift) + 3 * z());
      ap.add(u() < 0.1 ? 1 : 0); bp.add(u() < 0.1 * (1 + lift) ? 1 : 0);
      // Ratio: orders per unit 1..4, revenue per order around 5 (treatment 5.25).
      const da = 1 + Math.floor(4 * u()); const db = 1 + Math.floor(4 * u());
      ar.add(da * (5 + z()), 0, da); br.add(db * (5 * (1 + lift) + z()), 0, db);
    }
    if (covers(compareTreatment(am.stats('mean'), bm.stats('mean')).relative.ci, lift)) cov.mean++;
    if (covers(compareTreatment(ap.stats('proportion'), bp.stats('proportion')).relative.ci, lift)) cov.proportion++;
    if (covers(compareTreatment(ar.stats('ratio'), br.stats('ratio')).relative.ci, lift)) cov.ratio++;
  }
  for (const k of ['mean', 'proportion', 'ratio'] as const) {
    const c = cov[k] / N_COV;
    report(`coverage of 95% CI, planted lift +5%, ${k} (${N_COV} experiments)`, c, '[0.94, 0.96]', c >= 0.94 && c <= 0.96);
  }
}

// 3. Daily peeking over 30 looks (A/A, 200 new units per arm per day): naive fixed-horizon vs sequential.
{
  const N_PEEK = 2000;
  const DAYS = 30;
  const DAILY = 200;
  let naive = 0; let seq = 0; let naiveLast = 0;
  for (let e = 0; e < N_PEEK; e++) {
    const a = new Acc(); const b = new Acc();
    let naiveHit = false; let seqHit = false;
    for (let day = 1; day <= DAYS; day++) {
      for (let i = 0; i < DAILY; i++) { a.add(10 + 3 * z()); b.add(10 + 3 * z()); }
      const fixed = compareTreatment(a.stats('mean'), b.stats('mean')).relative;
      const always = compareTreatment(a.stats('mean'), b.stats('mean'), { sequential: true }).relative;
      if (fixed.pValue < 0.05) naiveHit = true;
      if (always.pValue < 0.05) seqHit = true;
      if (day === DAYS && fixed.pValue < 0.05) naiveLast++;
    }
    if (naiveHit) naive++;
    if (seqHit) seq++;
  }
  report(`A/A with 30 daily peeks: sequential, stop at first p < 0.05 (${N_PEEK} experiments)`, seq / N_PEEK, '<= 0.05', seq / N_PEEK <= 0.05);
  report('A/A with 30 daily peeks: naive fixed-horizon, stop at first p < 0.05', naive / N_PEEK, 'inflated (> 0.05)', naive / N_PEEK > 0.05);
  report('A/A, same runs, fixed-horizon test only at day 30', naiveLast / N_PEEK, '[0.04, 0.06]', naiveLast / N_PEEK >= 0.04 && naiveLast / N_PEEK <= 0.06);
}

// 4. CUPED: pre-period x ~ N(10, 3), post y = 2 + 0.8 x + N(0, 1.8) (corr(x, y) = 0.8), planted absolute lift 0.4.
{
  const N_CUPED = 4000;
  let covAdj = 0; let covRaw = 0; let reduction = 0; let ratioSe = 0;
  for (let e = 0; e < N_CUPED; e++) {
    const a = new Acc(); const b = new Acc();
    for (let i = 0; i < UNITS; i++) {
      const xa = 10 + 3 * z(); a.add(2 + 0.8 * xa + 1.8 * z(), xa);
      const xb = 10 + 3 * z(); b.add(2.4 + 0.8 * xb + 1.8 * z(), xb);
    }
    const adj = compareTreatment(a.stats('mean', true), b.stats('mean', true));
    const raw = compareTreatment(a.stats('mean', true), b.stats('mean', true), { cuped: false });
    if (covers(adj.absolute.ci, 0.4)) covAdj++;
    if (covers(raw.absolute.ci, 0.4)) covRaw++;
    reduction += adj.cuped!.varianceReduction;
    ratioSe += adj.absolute.se / raw.absolute.se;
  }
  report(`CUPED coverage of 95% CI, planted absolute lift 0.4 (${N_CUPED} experiments)`, covAdj / N_CUPED, '[0.94, 0.96]', covAdj / N_CUPED >= 0.94 && covAdj / N_CUPED <= 0.96);
  report('same data without CUPED: coverage', covRaw / N_CUPED, '[0.94, 0.96]', covRaw / N_CUPED >= 0.94 && covRaw / N_CUPED <= 0.96);
  const r = reduction / N_CUPED;
  report('CUPED mean variance reduction (theory: corr^2 = 0.64)', r, '0.64 +/- 0.02', Math.abs(r - 0.64) <= 0.02);
  report('CUPED mean CI width relative to unadjusted (theory: sqrt(1 - 0.64) = 0.6)', ratioSe / N_CUPED, '0.60 +/- 0.02', Math.abs(ratioSe / N_CUPED - 0.6) <= 0.02);
}

// 5. Planned power vs simulated power: mean 10, variance 9, +2% relative lift, 14 days at 300 units/day.
// The sequential plan is the power of the always-valid interval at the planned end, simulated the same way.
for (const [sides, sequential] of [['two-sided', false], ['greater', false], ['two-sided', true]] as Array<[Sides, boolean]>) {
  const plan = { baselineMean: 10, baselineVariance: 9, dailyUnits: 300, sides, sequential };
  const days = 14;
  const predicted = powerForLift(plan, 0.02, days);
  const N_POW = 3000;
  let hits = 0;
  for (let e = 0; e < N_POW; e++) {
    const a = new Acc(); const b = new Acc();
    for (let i = 0; i < (300 * days) / 2; i++) { a.add(10 + 3 * z()); b.add(10.2 + 3 * z()); }
    const r = compareTreatment(a.stats('mean'), b.stats('mean'), { sides, sequential }).relative;
    if (sides === 'two-sided' ? !covers(r.ci, 0) : r.pValue < 0.05) hits++;
  }
  const sim = hits / N_POW;
  const label = `${sequential ? 'sequential' : 'fixed'}, ${sides}`;
  report(`power for +2% after 14 days, ${label}: simulated (planned ${pct(predicted)}, ${N_POW} experiments)`, sim, 'planned +/- 0.03', Math.abs(sim - predicted) <= 0.03);
}

const widths = [0, 1, 2, 3].map((i) => Math.max(...rows.map((r) => r[i].length)));
process.stdout.write(`Statistical calibration (seed ${SEED})\n\n`);
for (const r of rows) process.stdout.write(`${r.map((c, i) => c.padEnd(widths[i])).join('  ')}\n`);
process.stdout.write(`\n${rows.every((r) => r[3] === 'ok') ? 'all figures within target' : 'SOME FIGURES OUT OF TARGET'}; ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
