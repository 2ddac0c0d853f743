/**
 * The Hodges-Lehmann shift estimate of a two-sample location shift: the median of all n_c n_t pairwise
 * differences treatment - control (Hodges and Lehmann 1963; Lehmann, Nonparametrics, 1975, ch. 2.5).
 *
 * Exactly it needs every pair of units. From warehouse aggregates it is bounded instead: the units of
 * each arm fall into bins of the pooled ranks, and each bin returns its count, minimum and maximum.
 * Every difference between a treatment unit of bin i and a control unit of bin j lies in
 * [min_i - max_j, max_i - min_j]; the median is monotone in every element, so the exact estimate lies
 * between the median of the lower ends and the median of the upper ends (weighted by count_i count_j).
 * Ties stay in one bin (binned by the tied group's low rank), so a mass of equal values is exact.
 */

/** One rank bin of one arm: units and the smallest and largest value in it. */
export interface ValueBin {
  units: number;
  min: number;
  max: number;
}

export interface HodgesLehmannBounds {
  /** Midpoint of the bounds; at most halfWidth from the exact estimate. */
  estimate: number;
  lower: number;
  upper: number;
  halfWidth: number;
}

/** Median of a multiset of n_c n_t values: the middle order statistic, or the mean of the two middle ones. */
function weightedMedian(items: { value: number; weight: number }[]): number {
  const total = items.reduce((a, x) => a + x.weight, 0);
  const sorted = [...items].sort((a, b) => a.value - b.value);
  // 1-based ranks of the middle order statistics.
  const r1 = Math.floor((total + 1) / 2);
  const r2 = Math.floor(total / 2) + 1;
  const at = (rank: number) => {
    let seen = 0;
    for (const x of sorted) {
      seen += x.weight;
      if (seen >= rank) return x.value;
    }
    return sorted[sorted.length - 1].value;
  };
  return (at(r1) + at(r2)) / 2;
}

/** Bounds on the exact Hodges-Lehmann estimate from per-arm rank bins; null when an arm has no units. */
export function hodgesLehmannBounds(control: ValueBin[], treatment: ValueBin[]): HodgesLehmannBounds | null {
  const c = control.filter((b) => b.units > 0);
  const t = treatment.filter((b) => b.units > 0);
  if (c.length === 0 || t.length === 0) return null;
  const lowerEnds: { value: number; weight: number }[] = [];
  const upperEnds: { value: number; weight: number }[] = [];
  for (const bt of t) {
    for (const bc of c) {
      const weight = bt.units * bc.units;
      lowerEnds.push({ value: bt.min - bc.max, weight });
      upperEnds.push({ value: bt.max - bc.min, weight });
    }
  }
  const lower = weightedMedian(lowerEnds);
  const upper = weightedMedian(upperEnds);
  return { estimate: (lower + upper) / 2, lower, upper, halfWidth: (upper - lower) / 2 };
}

/** The exact estimate from the units themselves (tests, calibration and small samples only: O(n_c n_t)). */
export function hodgesLehmannExact(control: number[], treatment: number[]): number {
  if (control.length === 0 || treatment.length === 0) throw new RangeError('both arms need at least one value');
  const d: number[] = [];
  for (const y of treatment) for (const x of control) d.push(y - x);
  d.sort((a, b) => a - b);
  const m = d.length;
  return m % 2 === 1 ? d[(m - 1) / 2] : (d[m / 2 - 1] + d[m / 2]) / 2;
}

/**
 * Rank bins as the warehouse forms them (for tests and calibration): pooled ranks with ties at their low
 * rank, bin = floor((low rank - 1) * bins / N).
 */
export function rankBins(control: number[], treatment: number[], bins: number): { control: ValueBin[]; treatment: ValueBin[] } {
  const pooled = [...control.map((v) => ({ v, arm: 0 })), ...treatment.map((v) => ({ v, arm: 1 }))].sort((a, b) => a.v - b.v);
  const n = pooled.length;
  const out = [new Map<number, ValueBin>(), new Map<number, ValueBin>()];
  let lowRank = 1;
  pooled.forEach((x, i) => {
    if (i > 0 && x.v !== pooled[i - 1].v) lowRank = i + 1;
    const bin = Math.floor(((lowRank - 1) * bins) / n);
    const m = out[x.arm];
    const b = m.get(bin);
    if (b) {
      b.units += 1;
      b.min = Math.min(b.min, x.v);
      b.max = Math.max(b.max, x.v);
    } else m.set(bin, { units: 1, min: x.v, max: x.v });
  });
  return { control: [...out[0].values()], treatment: [...out[1].values()] };
}
