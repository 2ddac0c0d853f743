import { describe, expect, it } from 'vitest';
import { conditionalPower, standardNormalCdf, standardNormalQuantile } from '../../src/stats/index.js';

/** mulberry32 + Box-Muller: a seeded normal stream, so the simulation is the same at every run. */
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

describe('conditional power', () => {
  it('at the start of the experiment (t -> 0) is the ordinary power of the final test', () => {
    const seFinal = 0.02;
    const t = 1e-9;
    const cp = conditionalPower({ lift: 0, se: seFinal / Math.sqrt(t), fraction: t, finalUnits: 10_000 }, 0.05);
    const z = standardNormalQuantile(0.975);
    expect(cp).toBeCloseTo(1 - standardNormalCdf(z - 0.05 / seFinal) + standardNormalCdf(-z - 0.05 / seFinal), 6);
  });

  it('matches the rejection rate of simulated continuations of the same interim data', () => {
    // Interim: 40% of the units, lift 0.01 with se 0.03; the truth is a lift of 0.04.
    const look = { lift: 0.01, se: 0.03, fraction: 0.4, finalUnits: 20_000 };
    const predicted = conditionalPower(look, 0.04);
    const z = normals(12);
    const seFinal = look.se * Math.sqrt(look.fraction);
    let rejected = 0;
    const runs = 40_000;
    for (let i = 0; i < runs; i++) {
      // The rest of the data estimates the truth with se seFinal / sqrt(1 - t); the final estimate pools both by information.
      const rest = 0.04 + (seFinal / Math.sqrt(1 - look.fraction)) * z();
      const final = look.fraction * look.lift + (1 - look.fraction) * rest;
      if (Math.abs(final / seFinal) > standardNormalQuantile(0.975)) rejected++;
    }
    expect(Math.abs(rejected / runs - predicted)).toBeLessThan(0.01);
  });

  it('is lower for the always-valid test than for the fixed-horizon one', () => {
    const look = { lift: 0.02, se: 0.02, fraction: 0.5, finalUnits: 20_000 };
    expect(conditionalPower({ ...look, sequentialTuning: 5000 }, 0.04)).toBeLessThan(conditionalPower(look, 0.04));
  });
});
