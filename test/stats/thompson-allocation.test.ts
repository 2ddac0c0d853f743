import { describe, expect, it } from 'vitest';
import { thompsonAllocation } from '../../src/stats/index.js';

function normals(seed: number): () => number {
  let a = seed >>> 0;
  const u = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return () => Math.sqrt(-2 * Math.log(1 - u())) * Math.cos(2 * Math.PI * u());
}

const arms = [
  { variant: 'a', mean: 0.12, sd: 0.005 },
  { variant: 'b', mean: 0.13, sd: 0.006 },
  { variant: 'c', mean: 0.125, sd: 0.004 },
];

describe('Thompson-sampling allocation', () => {
  it('gives the chance of being best that posterior draws give', () => {
    const z = normals(7);
    const wins = { a: 0, b: 0, c: 0 } as Record<string, number>;
    const draws = 200_000;
    for (let i = 0; i < draws; i++) {
      const x = arms.map((a) => a.mean + a.sd * z());
      wins[arms[x.indexOf(Math.max(...x))].variant]++;
    }
    const t = thompsonAllocation(arms, { minShare: 0 });
    for (const a of arms) expect(Math.abs(t.probabilityBest[a.variant] - wins[a.variant] / draws), a.variant).toBeLessThan(0.004);
    expect(t.weights).toEqual(t.probabilityBest);
  });

  it('turns around when lower is better', () => {
    const up = thompsonAllocation(arms, { minShare: 0 });
    const down = thompsonAllocation(arms.map((a) => ({ ...a, mean: -a.mean })), { minShare: 0, higherIsBetter: false });
    for (const a of arms) expect(down.probabilityBest[a.variant]).toBeCloseTo(up.probabilityBest[a.variant], 9);
  });

  it('floors every arm at the minimum share and shares the rest in proportion', () => {
    const four = [...arms, { variant: 'd', mean: 0.128, sd: 0.006 }];
    const t = thompsonAllocation(four, { minShare: 0.1 });
    const w = Object.values(t.weights);
    expect(Math.min(...w)).toBeGreaterThanOrEqual(0.1 - 1e-12);
    expect(w.reduce((s, x) => s + x, 0)).toBeCloseTo(1, 12);
    const above = four.filter((a) => t.weights[a.variant] > 0.1 + 1e-9).map((a) => a.variant);
    expect(above.length).toBeGreaterThanOrEqual(2);
    expect(t.weights[above[0]] / t.weights[above[1]]).toBeCloseTo(t.probabilityBest[above[0]] / t.probabilityBest[above[1]], 9);
    expect(() => thompsonAllocation(arms, { minShare: 0.4 })).toThrow(/exceeds 1/);
  });

  it('is deterministic: the same inputs give the same numbers', () => {
    expect(JSON.stringify(thompsonAllocation(arms))).toBe(JSON.stringify(thompsonAllocation(arms)));
  });
});
