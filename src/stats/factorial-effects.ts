import { notEstimableEffect, testEffect, type EffectEstimate, type TestOptions } from './effect-test.js';

export interface FactorialCell {
  variant: string;
  /** Factor name -> level. */
  levels: Record<string, string>;
  n: number;
  mean: number;
  /** Per-unit variance of the metric in this cell. */
  variance: number;
}

export interface FactorialEffect {
  kind: 'main' | 'interaction';
  /** One factor (main) or two (interaction), with the non-reference level compared. */
  terms: { factor: string; level: string }[];
  /** Contrast of cell means (absolute, in the metric's units). */
  effect: EffectEstimate;
}

/**
 * Main effects and two-factor interactions of a full factorial design as contrasts of cell means,
 * from the same per-arm sufficient statistics as every other comparison. Main effect of factor A at
 * level l: the average over the other factors' level combinations of mean(A = l) - mean(A = reference).
 * Interaction of A at l with B at m: the average of mean(l, m) - mean(ref, m) - mean(l, ref) + mean(ref, ref).
 * For a contrast sum c_k mean_k: variance sum c_k^2 v_k / n_k, Welch-Satterthwaite dof
 * (sum c_k^2 v_k / n_k)^2 / sum (c_k^2 v_k / n_k)^2 / (n_k - 1); then the usual t (or always-valid) test.
 * Reference: Montgomery, Design and Analysis of Experiments, ch. 5-6 (effects as contrasts of cell means).
 */
export function factorialEffects(factors: { name: string; levels: string[] }[], cells: FactorialCell[], options: TestOptions = {}): FactorialEffect[] {
  const out: FactorialEffect[] = [];
  const cellAt = (levels: Record<string, string>) => cells.find((c) => factors.every((f) => c.levels[f.name] === levels[f.name]));
  /** Every combination of levels of the given factors. */
  const combos = (fs: { name: string; levels: string[] }[]): Record<string, string>[] =>
    fs.reduce<Record<string, string>[]>((acc, f) => acc.flatMap((a) => f.levels.map((l) => ({ ...a, [f.name]: l }))), [{}]);
  const contrast = (terms: FactorialEffect['terms'], signs: Array<{ fixed: Record<string, string>; sign: number }>): EffectEstimate => {
    const named = new Set(terms.map((t) => t.factor));
    const rest = combos(factors.filter((f) => !named.has(f.name)));
    const weights = new Map<FactorialCell, number>();
    for (const r of rest) {
      for (const s of signs) {
        const c = cellAt({ ...r, ...s.fixed });
        if (!c) throw new RangeError(`factorial design: no cell for ${JSON.stringify({ ...r, ...s.fixed })}`);
        weights.set(c, (weights.get(c) ?? 0) + s.sign / rest.length);
      }
    }
    const used = [...weights.entries()].filter(([, w]) => w !== 0);
    const small = used.find(([c]) => c.n < 2 || !(c.variance > 0));
    if (small) return notEstimableEffect(`Cell ${small[0].variant} has ${small[0].n} unit(s) or no variance; the effect cannot be estimated.`);
    const parts = used.map(([c, w]) => ({ c, v: (w * w * c.variance) / c.n }));
    const variance = parts.reduce((a, p) => a + p.v, 0);
    const dof = variance ** 2 / parts.reduce((a, p) => a + (p.v * p.v) / (p.c.n - 1), 0);
    const lift = used.reduce((a, [c, w]) => a + w * c.mean, 0);
    return testEffect({ lift, variance, dof, totalUnits: used.reduce((a, [c]) => a + c.n, 0) }, options);
  };
  for (const f of factors) {
    const ref = f.levels[0];
    for (const l of f.levels.slice(1)) {
      out.push({ kind: 'main', terms: [{ factor: f.name, level: l }], effect: contrast([{ factor: f.name, level: l }], [{ fixed: { [f.name]: l }, sign: 1 }, { fixed: { [f.name]: ref }, sign: -1 }]) });
    }
  }
  factors.forEach((a, i) => {
    for (const b of factors.slice(i + 1)) {
      for (const la of a.levels.slice(1)) {
        for (const lb of b.levels.slice(1)) {
          const terms = [{ factor: a.name, level: la }, { factor: b.name, level: lb }];
          const [ra, rb] = [a.levels[0], b.levels[0]];
          out.push({
            kind: 'interaction',
            terms,
            effect: contrast(terms, [
              { fixed: { [a.name]: la, [b.name]: lb }, sign: 1 },
              { fixed: { [a.name]: ra, [b.name]: lb }, sign: -1 },
              { fixed: { [a.name]: la, [b.name]: rb }, sign: -1 },
              { fixed: { [a.name]: ra, [b.name]: rb }, sign: 1 },
            ]),
          });
        }
      }
    }
  });
  return out;
}
