import { standardNormalCdf } from './distributions.js';
import type { Sides } from './effect-test.js';

/** What the warehouse returns for one control-treatment pair: units, the treatment's rank sum, ties. */
export interface RankSums {
  nControl: number;
  nTreatment: number;
  /** Sum of the treatment units' ranks in the pooled sample, ties at their average rank. */
  rankSumTreatment: number;
  /** Sum over groups of tied values of (t^3 - t). */
  tieTerm: number;
}

export interface MannWhitneyResult {
  ok: boolean;
  message?: string;
  /** U of the treatment: pairs (treatment, control) with the treatment value larger, ties counting 1/2. */
  u: number;
  /** U / (n_c n_t): the chance a random treatment unit beats a random control unit (ties half). */
  probabilityOfSuperiority: number;
  /** Normal statistic (0 for the exact test). */
  z: number;
  pValue: number;
  method: 'exact' | 'normal';
}

/** Both arms at most this large and no ties: the exact distribution of U is enumerated. */
export const EXACT_MAX_ARM = 50;

/**
 * Mann-Whitney U from warehouse rank sums (Mann and Whitney 1947; Lehmann, Nonparametrics, 1975, ch. 1).
 * U_t = R_t - n_t (n_t + 1) / 2. Without ties and with both arms <= 50 units the p-value comes from the
 * exact null distribution of U, enumerated by the recursion c(i, j, u) = c(i - 1, j, u - j) + c(i, j - 1, u)
 * (the largest of the i + j values is a treatment value, above all j control values, or a control value).
 * Otherwise the normal approximation with tie-corrected variance
 * n_c n_t / 12 * ((N + 1) - sum(t^3 - t) / (N (N - 1))) and a continuity correction of 1/2.
 * 'greater' means treatment values tend to be larger.
 */
export function mannWhitney(r: RankSums, sides: Sides = 'two-sided'): MannWhitneyResult {
  const { nControl: nc, nTreatment: nt, rankSumTreatment, tieTerm } = r;
  const bad = (message: string): MannWhitneyResult => ({ ok: false, message, u: 0, probabilityOfSuperiority: 0.5, z: 0, pValue: 1, method: 'normal' });
  if (!(nc >= 1 && nt >= 1)) return bad(`Mann-Whitney needs units in both arms (control ${nc}, treatment ${nt}).`);
  const n = nc + nt;
  const u = rankSumTreatment - (nt * (nt + 1)) / 2;
  if (u < -1e-9 || u > nc * nt + 1e-9) throw new RangeError(`rank sum ${rankSumTreatment} is impossible for ${nt} of ${n} units`);
  const ps = u / (nc * nt);
  if (tieTerm === 0 && nc <= EXACT_MAX_ARM && nt <= EXACT_MAX_ARM) {
    const counts = exactUDistribution(nt, nc);
    const total = counts.reduce((a, c) => a + c, 0);
    const k = Math.round(u);
    const lower = counts.slice(0, k + 1).reduce((a, c) => a + c, 0) / total;
    const upper = counts.slice(k).reduce((a, c) => a + c, 0) / total;
    const pValue = sides === 'greater' ? upper : sides === 'less' ? lower : Math.min(1, 2 * Math.min(lower, upper));
    return { ok: true, u, probabilityOfSuperiority: ps, z: 0, pValue, method: 'exact' };
  }
  const variance = ((nc * nt) / 12) * (n + 1 - tieTerm / (n * (n - 1)));
  if (!(variance > 0)) return bad('Every unit has the same value: the rank test is undefined.');
  const d = u - (nc * nt) / 2;
  const sd = Math.sqrt(variance);
  const zOf = (x: number) => x / sd;
  // Continuity correction: half a step of U toward the null mean.
  const zUp = zOf(d - 0.5);
  const zDown = zOf(d + 0.5);
  const z = d > 0 ? zUp : d < 0 ? zDown : 0;
  const pGreater = 1 - standardNormalCdf(zUp);
  const pLess = standardNormalCdf(zDown);
  const pValue = sides === 'greater' ? pGreater : sides === 'less' ? pLess : Math.min(1, 2 * Math.min(pGreater, pLess));
  return { ok: true, u, probabilityOfSuperiority: ps, z, pValue, method: 'normal' };
}

/** Number of arrangements giving each U = 0..nt nc for nt treatment and nc control values (no ties). */
export function exactUDistribution(nt: number, nc: number): number[] {
  // row[j] = counts for (i, j); built up over i.
  let prev: number[][] = Array.from({ length: nc + 1 }, () => [1]);
  for (let i = 1; i <= nt; i++) {
    const cur: number[][] = [[1]];
    for (let j = 1; j <= nc; j++) {
      const a = prev[j];
      const b = cur[j - 1];
      const out = new Array<number>(i * j + 1).fill(0);
      for (let k = 0; k < a.length; k++) out[k + j] += a[k];
      for (let k = 0; k < b.length; k++) out[k] += b[k];
      cur.push(out);
    }
    prev = cur;
  }
  return prev[nc];
}
