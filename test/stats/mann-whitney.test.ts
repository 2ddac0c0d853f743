import { describe, expect, it } from 'vitest';
import { exactUDistribution, mannWhitney, standardNormalCdf } from '../../src/stats/index.js';

/** Rank sums as the warehouse computes them (ties at their average rank), from raw values. */
function rankSums(control: number[], treatment: number[]) {
  const all = [...control.map((v) => ({ v, t: false })), ...treatment.map((v) => ({ v, t: true }))].sort((a, b) => a.v - b.v);
  let rankSumTreatment = 0;
  let tieTerm = 0;
  for (let i = 0; i < all.length; ) {
    let j = i;
    while (j < all.length && all[j].v === all[i].v) j++;
    const t = j - i;
    tieTerm += t ** 3 - t;
    for (let k = i; k < j; k++) if (all[k].t) rankSumTreatment += (i + 1 + j) / 2;
    i = j;
  }
  return { nControl: control.length, nTreatment: treatment.length, rankSumTreatment, tieTerm };
}

/** U by comparing every pair (ties half): the definition, independent of ranks. */
const pairU = (c: number[], t: number[]) => t.reduce((a, x) => a + c.reduce((b, y) => b + (x > y ? 1 : x === y ? 0.5 : 0), 0), 0);

/** Every way to split the pooled values into arms of the same sizes: the exact permutation distribution of U. */
function permutationUs(values: number[], nt: number): number[] {
  const out: number[] = [];
  const pick = (start: number, chosen: number[]) => {
    if (chosen.length === nt) {
      const t = chosen.map((i) => values[i]);
      const c = values.filter((_, i) => !chosen.includes(i));
      out.push(pairU(c, t));
      return;
    }
    for (let i = start; i < values.length; i++) pick(i + 1, [...chosen, i]);
  };
  pick(0, []);
  return out;
}

describe('Mann-Whitney U', () => {
  it('gets U from the rank sum, as the pairwise definition gives it, with ties', () => {
    const c = [1, 3, 3, 7, 9, 12];
    const t = [3, 5, 8, 9, 14];
    expect(mannWhitney(rankSums(c, t)).u).toBeCloseTo(pairU(c, t), 12);
  });

  it('exact test: the enumerated distribution equals every split of the pooled values', () => {
    const values = [2.1, 3.4, 0.5, 7.7, 4.2, 9.9, 1.3, 6.6, 5.5];
    const us = permutationUs(values, 4);
    const counts = exactUDistribution(4, 5);
    for (let u = 0; u <= 20; u++) expect(counts[u], `U = ${u}`).toBe(us.filter((x) => x === u).length);
    const c = [2.1, 3.4, 0.5, 1.3, 5.5];
    const t = [7.7, 4.2, 9.9, 6.6];
    const r = mannWhitney(rankSums(c, t), 'greater');
    expect(r.method).toBe('exact');
    const observed = pairU(c, t);
    expect(r.pValue).toBeCloseTo(us.filter((x) => x >= observed).length / us.length, 12);
    const two = mannWhitney(rankSums(c, t));
    expect(two.pValue).toBeCloseTo(Math.min(1, 2 * (us.filter((x) => x >= observed).length / us.length)), 12);
  });

  it('normal approximation with tie-corrected variance and continuity correction for large or tied samples', () => {
    const c = Array.from({ length: 80 }, (_, i) => i % 7);
    const t = Array.from({ length: 90 }, (_, i) => (i % 8) + 0.0);
    const s = rankSums(c, t);
    const r = mannWhitney(s);
    expect(r.method).toBe('normal');
    const n = 170;
    const variance = ((80 * 90) / 12) * (n + 1 - s.tieTerm / (n * (n - 1)));
    const d = pairU(c, t) - (80 * 90) / 2;
    const z = (Math.abs(d) - 0.5) / Math.sqrt(variance);
    expect(r.pValue).toBeCloseTo(2 * (1 - standardNormalCdf(z)), 12);
    expect(r.probabilityOfSuperiority).toBeCloseTo(pairU(c, t) / (80 * 90), 12);
  });

  it('says when the test is undefined', () => {
    expect(mannWhitney({ nControl: 0, nTreatment: 5, rankSumTreatment: 15, tieTerm: 0 }).ok).toBe(false);
    expect(mannWhitney({ nControl: 60, nTreatment: 60, rankSumTreatment: 60 * 60.5, tieTerm: 120 ** 3 - 120 }).ok).toBe(false);
  });
});
