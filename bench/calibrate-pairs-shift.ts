// Calibration of matched pairs keyed by a pair id and of the Hodges-Lehmann bounds (issue #12, round
// two), by seeded simulation through src/stats. Run with `npm run calibrate` (or calibrate:pairs-shift).
import { hodgesLehmannBounds, hodgesLehmannExact, pairedTTest, rankBins } from '../src/stats/index.js';
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

// 1. Pairs keyed by request id, as the pairs step forms them: per request a skewed live latency
// (log-normal, ms), the shadow's = live + effect + N(0, 3); 10% of requests have no shadow row and 5% no
// live row, so they form no pair. Only pairs enter n, sum d and sum d^2.
function requestPairs(requests: number, effect: number): { n: number; sum: number; sq: number }[] {
  const byLook: { n: number; sum: number; sq: number }[] = [];
  let n = 0;
  let sum = 0;
  let sq = 0;
  const look = Math.floor(requests / 10);
  for (let r = 1; r <= requests; r++) {
    const live = 40 * Math.exp(0.5 * z());
    const shadow = live + effect + 3 * z();
    const hasShadow = u() >= 0.1;
    const hasLive = u() >= 0.05;
    if (hasShadow && hasLive) {
      const d = shadow - live;
      n++;
      sum += d;
      sq += d * d;
    }
    if (r % look === 0) byLook.push({ n, sum, sq });
  }
  return byLook;
}
{
  const RUNS = 4000;
  let fp = 0;
  let cov = 0;
  let fpSeqPeek = 0;
  let covSeq = 0;
  for (let e = 0; e < RUNS; e++) {
    const aa = requestPairs(1000, 0);
    const last = aa[aa.length - 1];
    if (pairedTTest({ n: last.n, sumDiff: last.sum, sumDiffSquares: last.sq }).pValue < 0.05) fp++;
    // Scheduled spec: the always-valid test read at 10 looks; a false positive is any look below 0.05.
    if (aa.some((s) => pairedTTest({ n: s.n, sumDiff: s.sum, sumDiffSquares: s.sq }, { sequential: true }).pValue < 0.05)) fpSeqPeek++;
    const planted = requestPairs(1000, 0.5);
    const p = planted[planted.length - 1];
    if (covers(pairedTTest({ n: p.n, sumDiff: p.sum, sumDiffSquares: p.sq }).ci, 0.5)) cov++;
    if (covers(pairedTTest({ n: p.n, sumDiff: p.sum, sumDiffSquares: p.sq }, { sequential: true }).ci, 0.5)) covSeq++;
  }
  report(`pairs by pair id: A/A false-positive rate (${RUNS} experiments, 1000 requests, ~855 pairs)`, fp / RUNS, '[0.04, 0.06]', within(fp / RUNS, 0.04, 0.06));
  report('pairs by pair id: coverage of 95% CI, planted +0.5 ms', cov / RUNS, '[0.94, 0.96]', within(cov / RUNS, 0.94, 0.96));
  report('pairs by pair id, scheduled (always valid): A/A, any of 10 looks below 0.05', fpSeqPeek / RUNS, '<= 0.05 (always valid: conservative)', fpSeqPeek / RUNS <= 0.05);
  report('pairs by pair id, scheduled: coverage of the always-valid 95% CI at the end', covSeq / RUNS, '>= 0.95 (conservative)', covSeq / RUNS >= 0.95);
}

// 2. Hodges-Lehmann bounds from 400 pooled-rank bins (as 08_shift_bins.sql forms them) against the exact
// median of all pairwise differences: revenue-like values, 60% zeros else log-normal in cents, treatment
// amounts x1.15; and a continuous log-normal with a +2 shift. 600 units per arm.
{
  const HR = 300;
  for (const [label, draw] of [
    ['zero-heavy revenue (60% zeros), amounts x1.15', (treat: boolean) => (u() < 0.6 ? 0 : Math.round(100 * (treat ? 1.15 : 1) * Math.exp(3 + 0.8 * z())) / 100)],
    ['log-normal value, shift +2', (treat: boolean) => Math.exp(2 + 0.7 * z()) + (treat ? 2 : 0)],
  ] as const) {
    let contained = 0;
    const halfWidths: number[] = [];
    let errors = 0;
    for (let e = 0; e < HR; e++) {
      const c = Array.from({ length: 600 }, () => draw(false));
      const t = Array.from({ length: 600 }, () => draw(true));
      const exact = hodgesLehmannExact(c, t);
      const b = rankBins(c, t, 400);
      const hl = hodgesLehmannBounds(b.control, b.treatment)!;
      if (hl.lower <= exact + 1e-9 && exact <= hl.upper + 1e-9) contained++;
      halfWidths.push(hl.halfWidth);
      errors = Math.max(errors, Math.abs(hl.estimate - exact));
    }
    halfWidths.sort((a, b) => a - b);
    report(`Hodges-Lehmann bounds contain the exact estimate, ${label} (${HR} runs)`, contained / HR, '1 (guaranteed)', contained === HR);
    report(`  same: median half-width of the bounds (the midpoint's largest error seen ${errors.toFixed(4)})`, halfWidths[Math.floor(HR / 2)], 'reported', true);
  }
}

const widths = [0, 1, 2, 3].map((i) => Math.max(...rows.map((r) => r[i].length)));
process.stdout.write(`\nCalibration of pairs by pair id and the Hodges-Lehmann bounds (seed ${SEED})\n\n`);
for (const r of rows) process.stdout.write(`${r.map((c, i) => c.padEnd(widths[i])).join('  ')}\n`);
process.stdout.write(`\n${rows.every((r) => r[3] === 'ok') ? 'all figures within target' : 'SOME FIGURES OUT OF TARGET'}; ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
