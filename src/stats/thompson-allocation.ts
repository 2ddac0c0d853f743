import { standardNormalCdf } from './distributions.js';

export interface ArmPosterior {
  variant: string;
  /** Posterior mean and standard deviation of the arm's metric mean (flat prior: mean and sqrt(variance / n)). */
  mean: number;
  sd: number;
}

export interface ThompsonAdvice {
  /** P(arm is best) under independent Gaussian posteriors, by numerical integration (no sampling). */
  probabilityBest: Record<string, number>;
  /** The advised traffic shares: probability best, floored at minShare, renormalised. */
  weights: Record<string, number>;
  minShare: number;
}

const STEPS = 4000;

/**
 * Thompson-sampling allocation computed exactly rather than sampled, so the same data always give the
 * same advice (byte-reproducible reports): P(arm k is best) = integral of pdf_k(x) prod_{j != k} P(X_j < x)
 * dx (higher is better; P(X_j > x) when lower is better), by composite Simpson's rule over mean_k +/- 10 sd_k.
 * Each share is then floored at `minShare` (arms keep enough traffic to go on learning), the rest shared
 * in proportion to the probabilities. References: Thompson (1933); Russo et al., "A Tutorial on Thompson
 * Sampling" (2018), section 3 (probability matching).
 */
export function thompsonAllocation(arms: ArmPosterior[], options: { minShare?: number; higherIsBetter?: boolean } = {}): ThompsonAdvice {
  const minShare = options.minShare ?? 0.1;
  const higher = options.higherIsBetter ?? true;
  if (arms.length < 2) throw new RangeError(`Thompson allocation needs at least 2 arms, got ${arms.length}`);
  if (!(minShare >= 0 && minShare * arms.length <= 1)) throw new RangeError(`minimum share ${minShare} times ${arms.length} arms exceeds 1`);
  for (const a of arms) if (!(Number.isFinite(a.mean) && a.sd >= 0 && Number.isFinite(a.sd))) throw new RangeError(`arm ${a.variant}: posterior mean and sd must be finite, sd >= 0`);
  const below = (j: ArmPosterior, x: number) => {
    const p = j.sd === 0 ? (j.mean < x ? 1 : j.mean === x ? 0.5 : 0) : standardNormalCdf((x - j.mean) / j.sd);
    return higher ? p : 1 - p;
  };
  const raw = arms.map((k, ki) => {
    const others = arms.filter((_, j) => j !== ki);
    if (k.sd === 0) return others.reduce((acc, j) => acc * below(j, k.mean), 1);
    const lo = k.mean - 10 * k.sd;
    const h = (20 * k.sd) / STEPS;
    let sum = 0;
    for (let i = 0; i <= STEPS; i++) {
      const x = lo + i * h;
      const z = (x - k.mean) / k.sd;
      const f = (Math.exp(-0.5 * z * z) / (k.sd * Math.sqrt(2 * Math.PI))) * others.reduce((acc, j) => acc * below(j, x), 1);
      sum += (i === 0 || i === STEPS ? 1 : i % 2 === 1 ? 4 : 2) * f;
    }
    return (sum * h) / 3;
  });
  const total = raw.reduce((a, b) => a + b, 0);
  const p = raw.map((r) => (total > 0 ? r / total : 1 / arms.length));
  return {
    probabilityBest: Object.fromEntries(arms.map((a, i) => [a.variant, p[i]])),
    weights: Object.fromEntries(arms.map((a, i) => [a.variant, floored(p, minShare)[i]])),
    minShare,
  };
}

/** Shares at least `floor`, the remainder in proportion to p among the arms above the floor. */
function floored(p: number[], floor: number): number[] {
  const fixed = new Set<number>();
  for (;;) {
    const free = p.map((_, i) => i).filter((i) => !fixed.has(i));
    const freeMass = p.reduce((a, x, i) => (fixed.has(i) ? a : a + x), 0);
    const budget = 1 - fixed.size * floor;
    const share = (i: number) => (freeMass > 0 ? (p[i] / freeMass) * budget : budget / free.length);
    const newlyFixed = free.filter((i) => share(i) < floor);
    if (newlyFixed.length === 0) return p.map((_, i) => (fixed.has(i) ? floor : share(i)));
    for (const i of newlyFixed) fixed.add(i);
  }
}
