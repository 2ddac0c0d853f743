import { describe, expect, it } from 'vitest';
import { chiSquareUpperTail, studentTQuantile, studentTTwoSidedP } from '../../src/stats/index.js';
import { expectClose } from './tolerance.js';

const Z_975 = 1.959963984540054;

describe('studentTQuantile', () => {
  it('approaches the normal quantile for huge dof', () => {
    // The t - z gap shrinks like (z^3 + z) / (4 dof): about 1e-12 at dof 1e12.
    expectClose(studentTQuantile(0.975, 1e12), Z_975);
    // stdlib alone returns 0 / NaN here; the module falls back to the normal.
    expectClose(studentTQuantile(0.975, 1e20), Z_975);
    expectClose(studentTQuantile(0.975, Infinity), Z_975);
  });

  it('matches the Cauchy closed form at dof 1: tan(pi (p - 1/2))', () => {
    for (const p of [0.6, 0.9, 0.975, 0.995]) {
      expectClose(studentTQuantile(p, 1), Math.tan(Math.PI * (p - 0.5)));
    }
  });

  it('matches the closed form at dof 2: (2p - 1) / sqrt(2 p (1 - p))', () => {
    for (const p of [0.1, 0.7, 0.975]) {
      expectClose(studentTQuantile(p, 2), (2 * p - 1) / Math.sqrt(2 * p * (1 - p)));
    }
  });

  it('is NaN for invalid arguments', () => {
    expect(studentTQuantile(1.5, 10)).toBeNaN();
    expect(studentTQuantile(0.5, 0)).toBeNaN();
  });
});

describe('studentTTwoSidedP', () => {
  it('is 1 at t = 0 and symmetric in t', () => {
    expect(studentTTwoSidedP(0, 7)).toBe(1);
    expect(studentTTwoSidedP(-2.3, 7)).toBe(studentTTwoSidedP(2.3, 7));
  });

  it('matches the Cauchy closed form at dof 1: 1 - 2 atan(|t|) / pi', () => {
    for (const t of [0.5, 1, 3, 12.7]) {
      expectClose(studentTTwoSidedP(t, 1), 1 - (2 * Math.atan(t)) / Math.PI);
    }
  });

  it('inverts the quantile: p(t_{1-a/2}) = a', () => {
    for (const [a, dof] of [[0.05, 55.7], [0.01, 3], [0.2, 1000]]) {
      expectClose(studentTTwoSidedP(studentTQuantile(1 - a / 2, dof), dof), a);
    }
  });

  it('uses the normal for infinite dof (stdlib alone gives 1 there)', () => {
    expectClose(studentTTwoSidedP(Z_975, Infinity), 0.05);
  });

  it('keeps precision far in the tail', () => {
    // 2 (1 - cdf) would cancel to exactly 0 here.
    const p = studentTTwoSidedP(30, 1e6);
    expect(p).toBeGreaterThan(0);
    expect(p).toBeLessThan(1e-190);
  });
});

describe('chiSquareUpperTail', () => {
  it('matches exp(-x/2) at dof 2', () => {
    for (const x of [0.5, 3, 10]) expectClose(chiSquareUpperTail(x, 2), Math.exp(-x / 2));
  });

  it('is 1 at x = 0', () => {
    expect(chiSquareUpperTail(0, 3)).toBe(1);
  });
});
