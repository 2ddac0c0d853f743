import { parse } from 'yaml';

/** One change between two versions of a spec or model file, in words. */
export interface ChangeEntry {
  text: string;
  /** True when results before and after the change must not be compared or pooled. */
  invalidates: boolean;
}

type Obj = Record<string, unknown>;
const INVALID = ': comparisons across this change are invalid';
const show = (v: unknown) => (v === undefined ? '(none)' : typeof v === 'string' ? v : JSON.stringify(v));
const asObj = (v: unknown): Obj => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : {});
const asList = (v: unknown): unknown[] => (Array.isArray(v) ? v : v === undefined || v === null ? [] : [v]);
const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
const weightText = (w: unknown) => String(Math.round(Number(w) * 1000) / 10);

function flatten(v: unknown, prefix: string, out: Map<string, unknown>): void {
  if (v && typeof v === 'object' && !Array.isArray(v) && Object.keys(v).length) {
    for (const [k, x] of Object.entries(v as Obj)) flatten(x, prefix ? `${prefix}.${k}` : k, out);
  } else out.set(prefix, v);
}

function genericDiff(a: Obj, b: Obj, skip: Set<string>, label: (path: string) => string): ChangeEntry[] {
  const fa = new Map<string, unknown>();
  const fb = new Map<string, unknown>();
  for (const [k, v] of Object.entries(a)) if (!skip.has(k)) flatten(v, k, fa);
  for (const [k, v] of Object.entries(b)) if (!skip.has(k)) flatten(v, k, fb);
  const out: ChangeEntry[] = [];
  for (const path of [...new Set([...fa.keys(), ...fb.keys()])].sort()) {
    const x = fa.get(path);
    const y = fb.get(path);
    if (same(x, y)) continue;
    const text = x === undefined ? `${label(path)} set to ${show(y)}` : y === undefined ? `${label(path)} removed (was ${show(x)})` : `${label(path)} changed ${show(x)} → ${show(y)}`;
    out.push({ text, invalidates: false });
  }
  return out;
}

/** The spec's changes in words, from the two YAML texts parsed and compared field by field. */
export function diffSpecs(prevText: string, curText: string): ChangeEntry[] {
  const a = asObj(parse(prevText));
  const b = asObj(parse(curText));
  const out: ChangeEntry[] = [];
  const add = (text: string, invalidates = false) => out.push({ text: invalidates ? `${text}${INVALID}` : text, invalidates });

  const variants = (s: Obj) => asList(s.variants).map((v) => asObj(v)).map((v) => ({ key: String(v.key), weight: v.weight }));
  const va = variants(a);
  const vb = variants(b);
  if (!same(va.map((v) => v.key), vb.map((v) => v.key))) add(`variants changed ${va.map((v) => v.key).join(', ')} → ${vb.map((v) => v.key).join(', ')}`, true);
  else if (!same(va.map((v) => Number(v.weight)), vb.map((v) => Number(v.weight)))) {
    add(`variant weights changed ${va.map((v) => weightText(v.weight)).join('/')} → ${vb.map((v) => weightText(v.weight)).join('/')}`, true);
  }
  if (!same(a.control, b.control)) add(`control changed ${show(a.control ?? va[0]?.key)} → ${show(b.control ?? vb[0]?.key)}`, true);
  if (!same(a.unit, b.unit)) add(`unit changed ${show(a.unit)} → ${show(b.unit)}`, true);
  if (!same(a.exposure, b.exposure)) add(`exposure changed ${show(a.exposure)} → ${show(b.exposure)}`, true);
  if (!same(a.start, b.start)) add(`start changed ${show(a.start)} → ${show(b.start)} (a different population is exposed)`, true);
  if (!same(a.end, b.end)) add(`end changed ${show(a.end)} → ${show(b.end)}`);
  if (!same(a.alpha, b.alpha)) add(`alpha changed ${show(a.alpha ?? 0.05)} → ${show(b.alpha ?? 0.05)}`);

  const ma = asObj(a.metrics);
  const mb = asObj(b.metrics);
  if (!same(ma.primary, mb.primary)) add(`primary metric changed ${show(ma.primary)} → ${show(mb.primary)}`);
  const names = (v: unknown) => asList(v).map((x) => (typeof x === 'string' ? x : String(asObj(x).metric)));
  for (const role of ['secondary', 'guardrails'] as const) {
    const x = names(ma[role]);
    const y = names(mb[role]);
    const word = role === 'secondary' ? 'secondary metric' : 'guardrail';
    for (const n of y.filter((n) => !x.includes(n))) add(`${word} ${n} added`);
    for (const n of x.filter((n) => !y.includes(n))) add(`${word} ${n} removed`);
  }
  for (const field of ['max_relative_harm', 'max_absolute_harm']) {
    const guard = (v: unknown) => new Map(asList(v).map((g) => [String(asObj(g).metric), asObj(g)[field]] as const));
    const ga = guard(ma.guardrails);
    const what = field === 'max_relative_harm' ? 'tolerance' : 'absolute tolerance';
    for (const [n, t] of guard(mb.guardrails)) if (ga.has(n) && !same(ga.get(n), t)) add(`guardrail ${n} ${what} changed ${show(ga.get(n))} → ${show(t)}`);
  }

  for (const mode of ['exclude', 'include']) {
    const ea = asList(asObj(a.audience)[mode]).map(String);
    const eb = asList(asObj(b.audience)[mode]).map(String);
    const word = mode === 'exclude' ? 'audience filter' : 'audience include filter';
    for (const n of eb.filter((n) => !ea.includes(n))) add(`${word} ${n} added`, true);
    for (const n of ea.filter((n) => !eb.includes(n))) add(`${word} ${n} removed`, true);
  }

  const handled = new Set(['variants', 'control', 'unit', 'exposure', 'start', 'end', 'alpha', 'metrics', 'audience']);
  out.push(...genericDiff(a, b, handled, (p) => `${p}`));
  return out;
}

/** Model entries (sources, metrics, filters) added, removed or changed across all model files. */
export function diffModels(prevTexts: Record<string, string>, curTexts: Record<string, string>): ChangeEntry[] {
  const entries = (texts: Record<string, string>) => {
    const out = new Map<string, unknown>();
    for (const text of Object.values(texts)) {
      const doc = asObj(parse(text));
      for (const kind of ['sources', 'metrics', 'filters']) for (const [name, def] of Object.entries(asObj(doc[kind]))) out.set(`${kind.replace(/s$/, '')} ${name}`, def);
    }
    return out;
  };
  const a = entries(prevTexts);
  const b = entries(curTexts);
  const out: ChangeEntry[] = [];
  for (const key of [...new Set([...a.keys(), ...b.keys()])].sort()) {
    if (!a.has(key)) out.push({ text: `${key} added`, invalidates: false });
    else if (!b.has(key)) out.push({ text: `${key} removed`, invalidates: false });
    else if (!same(a.get(key), b.get(key))) {
      const inner = genericDiff(asObj(a.get(key)), asObj(b.get(key)), new Set(), (p) => p).map((e) => e.text);
      // A changed metric or source definition changes what the numbers mean.
      out.push({ text: `${key} changed: ${inner.join('; ')}`, invalidates: !key.startsWith('filter') && inner.some((t) => !t.startsWith('description')) });
    }
  }
  return out;
}
