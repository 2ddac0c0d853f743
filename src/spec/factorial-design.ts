import type { SpecInput } from './schemas.js';
import type { FactorialDesign } from './types.js';

type Report = (path: readonly (string | number)[], message: string) => void;

/**
 * Variants' `factors` -> a full factorial design, or undefined when no variant declares factors.
 * Every variant must name the same factors, each factor needs 2 or more levels, and every
 * combination of levels must be exactly one variant (a full factorial): main effects and
 * interactions are contrasts of cell means, and a missing or doubled cell leaves them undefined.
 */
export function factorialDesign(spec: SpecInput, controlKey: string, report: Report): FactorialDesign | undefined {
  const declared = spec.variants.filter((v) => v.factors !== undefined);
  if (declared.length === 0) return undefined;
  let ok = true;
  const fail = (path: readonly (string | number)[], message: string) => {
    ok = false;
    report(path, message);
  };
  const control = spec.variants.find((v) => v.key === controlKey) ?? spec.variants[0];
  const names = Object.keys(control.factors ?? {}).sort();
  if (names.length === 0) fail(['variants', spec.variants.indexOf(control)], 'factorial design: the control variant needs factors too (its levels are the reference)');
  spec.variants.forEach((v, i) => {
    const own = Object.keys(v.factors ?? {}).sort();
    if (own.join(',') !== names.join(',')) fail(['variants', i, 'factors'], `factorial design: every variant must set the factors ${names.join(', ')}; '${v.key}' sets ${own.join(', ') || 'none'}`);
  });
  if (!ok) return undefined;
  const factors = names.map((name) => {
    const reference = control.factors![name];
    const others = [...new Set(spec.variants.map((v) => v.factors![name]))].filter((l) => l !== reference).sort();
    return { name, levels: [reference, ...others] };
  });
  for (const f of factors) if (f.levels.length < 2) fail(['variants'], `factorial design: factor '${f.name}' has only the level '${f.levels[0]}'; a factor needs 2 or more`);
  const cellKey = (levels: Record<string, string>) => names.map((n) => `${n}=${levels[n]}`).join(', ');
  const seen = new Map<string, string>();
  spec.variants.forEach((v, i) => {
    const k = cellKey(v.factors!);
    if (seen.has(k)) fail(['variants', i, 'factors'], `factorial design: '${v.key}' and '${seen.get(k)}' are the same cell (${k})`);
    else seen.set(k, v.key);
  });
  const expected = factors.reduce((a, f) => a * f.levels.length, 1);
  if (ok && seen.size !== expected) fail(['variants'], `factorial design: ${factors.map((f) => f.levels.length).join(' x ')} = ${expected} cells, but the variants cover ${seen.size}; every combination of levels needs a variant`);
  if (!ok) return undefined;
  return { factors, cells: Object.fromEntries(spec.variants.map((v) => [v.key, { ...v.factors! }])) };
}
