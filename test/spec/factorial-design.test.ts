import { afterAll, describe, expect, it } from 'vitest';
import { BASE_SPEC, diagnosticsOf, load, locate, removeTempProjects, replaceOnce, tempProject } from './fixture.js';

afterAll(removeTempProjects);

const VARIANTS = `variants:
  - { key: a, weight: 0.25, factors: { layout: classic, color: grey } }
  - { key: b, weight: 0.25, factors: { layout: classic, color: blue } }
  - { key: c, weight: 0.25, factors: { layout: one_page, color: grey } }
  - { key: d, weight: 0.25, factors: { layout: one_page, color: blue } }
`;
const spec = (variants: string) => replaceOnce(BASE_SPEC, 'variants:\n  - { key: a, weight: 0.5 }\n  - { key: b, weight: 0.5 }\n', variants);

describe('factorial designs in specs', () => {
  it("resolves factors with the control's levels as reference", () => {
    const [exp] = load(tempProject({ specs: { 't1.yaml': spec(VARIANTS) } }));
    expect(exp.factorial!.factors).toEqual([
      { name: 'color', levels: ['grey', 'blue'] },
      { name: 'layout', levels: ['classic', 'one_page'] },
    ]);
    expect(exp.factorial!.cells.d).toEqual({ layout: 'one_page', color: 'blue' });
  });

  it('refuses an incomplete design, naming the file and the place', () => {
    const text = spec(VARIANTS.replace('layout: one_page, color: blue', 'layout: one_page, color: grey'));
    const d = diagnosticsOf(tempProject({ specs: { 't1.yaml': text } }));
    expect(d.map((x) => x.message).join('\n')).toMatch(/'d' and 'c' are the same cell/);
    expect(d[0].file).toMatch(/t1\.yaml$/);
    expect(d[0].line).toBe(locate(text, '{ layout: one_page, color: grey }', '{ key: d').line);
  });

  it('refuses variants that do not all set the same factors', () => {
    const text = spec(VARIANTS.replace('{ layout: classic, color: blue }', '{ layout: classic }'));
    expect(diagnosticsOf(tempProject({ specs: { 't1.yaml': text } })).map((x) => x.message).join('\n')).toContain('every variant must set the factors color, layout');
  });
});
