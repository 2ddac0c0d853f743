import { describe, expect, it } from 'vitest';
import { factorialEffects, studentTQuantile, type FactorialCell } from '../../src/stats/index.js';

const factors = [
  { name: 'layout', levels: ['classic', 'one_page'] },
  { name: 'color', levels: ['grey', 'blue'] },
];
const cell = (variant: string, layout: string, color: string, mean: number, variance: number, n: number): FactorialCell => ({ variant, levels: { layout, color }, n, mean, variance });
const cells = [
  cell('control', 'classic', 'grey', 10, 9, 1000),
  cell('blue', 'classic', 'blue', 10.4, 9.5, 1100),
  cell('one_page', 'one_page', 'grey', 11, 10, 900),
  cell('both', 'one_page', 'blue', 12.2, 8, 1000),
];

describe('factorial effects as contrasts of cell means', () => {
  const effects = factorialEffects(factors, cells);
  const find = (kind: string, factor: string) => effects.find((e) => e.kind === kind && e.terms[0].factor === factor)!.effect;

  it('main effect: the factor’s change averaged over the other factor’s levels, with its Welch variance', () => {
    const layout = find('main', 'layout');
    expect(layout.lift).toBeCloseTo(((11 - 10) + (12.2 - 10.4)) / 2, 12);
    const v = [9 / 1000, 9.5 / 1100, 10 / 900, 8 / 1000].map((x) => x / 4);
    const variance = v.reduce((a, b) => a + b, 0);
    expect(layout.se).toBeCloseTo(Math.sqrt(variance), 12);
    const dof = variance ** 2 / (v[0] ** 2 / 999 + v[1] ** 2 / 1099 + v[2] ** 2 / 899 + v[3] ** 2 / 999);
    expect(layout.dof).toBeCloseTo(dof, 9);
    expect(layout.ci[1]! - layout.lift).toBeCloseTo(studentTQuantile(0.975, dof) * Math.sqrt(variance), 12);
  });

  it('interaction: difference of differences, with the variance of all four cells', () => {
    const ab = effects.find((e) => e.kind === 'interaction')!;
    expect(ab.terms.map((t) => t.factor)).toEqual(['layout', 'color']);
    expect(ab.effect.lift).toBeCloseTo(12.2 - 10.4 - 11 + 10, 12);
    expect(ab.effect.se).toBeCloseTo(Math.sqrt(9 / 1000 + 9.5 / 1100 + 10 / 900 + 8 / 1000), 12);
  });

  it('handles more than two levels: one main effect per non-reference level, one interaction per pair of levels', () => {
    const three = [{ name: 'layout', levels: ['classic', 'one_page', 'wizard'] }, factors[1]];
    const more = [...cells, cell('wizard', 'wizard', 'grey', 10.5, 9, 1000), cell('wizard_blue', 'wizard', 'blue', 10.9, 9, 1000)];
    const e = factorialEffects(three, more);
    expect(e.filter((x) => x.kind === 'main').length).toBe(3);
    expect(e.filter((x) => x.kind === 'interaction').length).toBe(2);
    const wizard = e.find((x) => x.kind === 'main' && x.terms[0].level === 'wizard')!.effect;
    expect(wizard.lift).toBeCloseTo(((10.5 - 10) + (10.9 - 10.4)) / 2, 12);
  });

  it('reports a cell without variance as not estimable', () => {
    const e = factorialEffects(factors, cells.map((c) => (c.variant === 'both' ? { ...c, n: 1 } : c)));
    expect(e.find((x) => x.kind === 'interaction')!.effect.ok).toBe(false);
  });
});
