import { describe, expect, it } from 'vitest';
import { armMoments } from '../../src/stats/index.js';
import { expectClose } from './tolerance.js';

describe('armMoments', () => {
  it('gives the n - 1 sample variance for means', () => {
    // Units 1, 2, 3, 4: mean 2.5, squared deviations sum to 5, so 5 / 3.
    const m = armMoments('mean', { n: 4, sum: 10, sumSquares: 30 });
    expect(m.n).toBe(4);
    expectClose(m.mean, 2.5);
    expectClose(m.variance, 5 / 3);
  });

  it('gives the binomial p (1 - p) for proportions, without n - 1 correction', () => {
    const m = armMoments('proportion', { n: 10, sum: 3, sumSquares: 3 });
    expectClose(m.mean, 0.3);
    expectClose(m.variance, 0.21);
  });

  it('gives variance 0 for n <= 1 and mean 0 for n = 0', () => {
    expect(armMoments('mean', { n: 1, sum: 7, sumSquares: 49 })).toEqual({ n: 1, mean: 7, variance: 0 });
    expect(armMoments('mean', { n: 0, sum: 0, sumSquares: 0 })).toEqual({ n: 0, mean: 0, variance: 0 });
    expect(armMoments('proportion', { n: 0, sum: 0, sumSquares: 0 })).toEqual({ n: 0, mean: 0, variance: 0 });
  });

  it('keeps a negative variance from inconsistent sums so callers can reject it', () => {
    expect(armMoments('mean', { n: 2, sum: 10, sumSquares: 1 }).variance).toBeLessThan(0);
  });

  it('throws on garbage input', () => {
    expect(() => armMoments('mean', { n: -1, sum: 0, sumSquares: 0 })).toThrow(RangeError);
    expect(() => armMoments('mean', { n: 5, sum: NaN, sumSquares: 0 })).toThrow(RangeError);
  });
});
