import { describe, expect, it } from 'vitest';
import { hodgesLehmannBounds, hodgesLehmannExact, rankBins } from '../../src/stats/index.js';

/** Deterministic draws (32-bit LCG). */
function draws(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

describe('Hodges-Lehmann shift', () => {
  it('exact: the median of all pairwise differences (a hand-checked case)', () => {
    // differences of [3, 5] - [1, 2]: 2, 1, 4, 3 -> median (2 + 3) / 2
    expect(hodgesLehmannExact([1, 2], [3, 5])).toBe(2.5);
    expect(hodgesLehmannExact([0], [1, 2, 10])).toBe(2);
  });

  it('bounds from rank bins always contain the brute-force estimate, on skewed data with ties', () => {
    const u = draws(7);
    for (let rep = 0; rep < 40; rep++) {
      const nc = 20 + Math.floor(u() * 200);
      const nt = 20 + Math.floor(u() * 200);
      // Zero-inflated log-normal values rounded to cents (many ties at 0), the treatment shifted by 15%.
      const value = (factor: number) => (u() < 0.6 ? 0 : Math.round(100 * factor * Math.exp(3 + 0.8 * (u() + u() + u() - 1.5))) / 100);
      const c = Array.from({ length: nc }, () => value(1));
      const t = Array.from({ length: nt }, () => value(1.15));
      const exact = hodgesLehmannExact(c, t);
      for (const bins of [5, 50, 200]) {
        const b = rankBins(c, t, bins);
        const hl = hodgesLehmannBounds(b.control, b.treatment)!;
        expect(hl.lower, `rep ${rep} bins ${bins}`).toBeLessThanOrEqual(exact + 1e-9);
        expect(hl.upper, `rep ${rep} bins ${bins}`).toBeGreaterThanOrEqual(exact - 1e-9);
        expect(Math.abs(hl.estimate - exact)).toBeLessThanOrEqual(hl.halfWidth + 1e-9);
      }
    }
  });

  it('is exact when every unit has a bin of its own, and tighter with more bins', () => {
    const u = draws(11);
    const c = Array.from({ length: 60 }, () => Math.exp(u() * 3));
    const t = Array.from({ length: 70 }, () => Math.exp(u() * 3) + 0.5);
    const exact = hodgesLehmannExact(c, t);
    const own = rankBins(c, t, 130);
    const hl = hodgesLehmannBounds(own.control, own.treatment)!;
    expect(hl.lower).toBeCloseTo(exact, 12);
    expect(hl.upper).toBeCloseTo(exact, 12);
    const coarse = rankBins(c, t, 10);
    const fine = rankBins(c, t, 40);
    expect(hodgesLehmannBounds(fine.control, fine.treatment)!.halfWidth).toBeLessThan(hodgesLehmannBounds(coarse.control, coarse.treatment)!.halfWidth);
  });

  it('has no estimate without units in an arm', () => {
    expect(hodgesLehmannBounds([], [{ units: 1, min: 0, max: 1 }])).toBeNull();
  });
});
