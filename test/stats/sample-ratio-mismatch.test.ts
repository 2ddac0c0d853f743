import { describe, expect, it } from 'vitest';
import { sampleRatioMismatch } from '../../src/stats/index.js';
import normalCdf from '@stdlib/stats-base-dists-normal-cdf';
import { expectClose } from './tolerance.js';

describe('sampleRatioMismatch', () => {
  it('gives chi-square 0 and p 1 when counts match the weights exactly', () => {
    const s = sampleRatioMismatch([500, 500, 1000], [1, 1, 2]);
    expect(s.chiSquare).toBe(0);
    expect(s.pValue).toBe(1);
    expect(s.dof).toBe(2);
  });

  it('equals the squared z statistic of a one-proportion test with 2 arms', () => {
    // With 2 arms, sum (o - e)^2 / e = (o1 - N w)^2 / (N w (1 - w)) = z^2,
    // and the chi-square(1) upper tail equals the two-sided normal tail 2 Phi(-|z|).
    const s = sampleRatioMismatch([320, 680], [0.3, 0.7]);
    const z = (320 - 300) / Math.sqrt(1000 * 0.3 * 0.7);
    expectClose(s.chiSquare, z * z);
    expectClose(s.pValue, 2 * normalCdf(-Math.abs(z), 0, 1));
  });

  it('normalises the weights', () => {
    const a = sampleRatioMismatch([1000, 1200], [0.5, 0.5]);
    const b = sampleRatioMismatch([1000, 1200], [3, 3]);
    expect(b).toEqual(a);
    expect(a.expected).toEqual([1100, 1100]);
  });

  it('matches exp(-x/2) with 3 arms (chi-square with 2 dof)', () => {
    const s = sampleRatioMismatch([80, 100, 120], [1, 1, 1]);
    // Each outer arm is off by 20 from 100: 2 * 400 / 100 = 8.
    expectClose(s.chiSquare, 8);
    expectClose(s.pValue, Math.exp(-4));
  });

  it('reports p 1 when there are no units at all', () => {
    const s = sampleRatioMismatch([0, 0], [0.5, 0.5]);
    expect(s).toMatchObject({ chiSquare: 0, pValue: 1, dof: 1, expected: [0, 0] });
  });

  it('treats units in an arm planned to get none as a certain mismatch', () => {
    const s = sampleRatioMismatch([10, 5], [1, 0]);
    expect(s.chiSquare).toBe(Infinity);
    expect(s.pValue).toBe(0);
  });

  it('rejects mismatched lengths and invalid numbers', () => {
    expect(() => sampleRatioMismatch([1, 2], [1])).toThrow(RangeError);
    expect(() => sampleRatioMismatch([1, -2], [1, 1])).toThrow(RangeError);
    expect(() => sampleRatioMismatch([1, 2], [0, 0])).toThrow(RangeError);
  });
});
