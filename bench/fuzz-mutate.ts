import { parseDocument, isMap, isScalar, isSeq, type Node, type Document } from 'yaml';
import { mulberry32 } from './mulberry32.js';

/**
 * Seeded mutations of the demo project's specs and models, for the fuzz harness (fuzz-specs.ts).
 * Each input is a whole project: every file as in the demo except one, mutated one to three times.
 */

type Rand = () => number;
const pick = <T>(r: Rand, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)];

const STRANGE_VALUES: readonly string[] = [
  '1e308', '-1', '-0.5', '0', '1e-300', '100000000000', '.nan', '.inf', '-.inf', '99999999999999999999999',
  'null', '~', 'true', '[]', '{}', '[1, 2]', '{ a: 1 }', '""', "''", '"\\u0000"', '"ü😀\\u202e\\u200b名前"',
  '!!null x', '!!bool yes', '!foo bar', '!!int 12', '!!binary aGVsbG8=', '!!timestamp 2026-01-01',
  '2026-02-30', '2026-13-01', '2026-00-10', '0000-01-01', '9999-12-31T23:59:59Z', '2026-10-04T25:00:00Z',
  '100000000000d', '99999999999999999999w', '0m', '-1d', '1.5h', '7 d',
  '"a\\nb"', "\"country = 'a\\nb'\"", '"x = 1 OR 1=1; DROP TABLE t --"', "\"'; select 1; --\"", '"event_name = \\"a\\nb\\""',
  '*undefined_alias', '&a x', '"${HOME}"', '1_000', '0x10', '0o17', '+12',
];

/** The paths of every node of a YAML document, for structural mutations. */
function paths(doc: Document): (string | number)[][] {
  const out: (string | number)[][] = [];
  const walk = (node: Node | null | undefined, path: (string | number)[]) => {
    if (out.length > 5000) return;
    if (isMap(node)) {
      for (const p of node.items) {
        const k = isScalar(p.key) ? p.key.value : null;
        if (typeof k !== 'string' && typeof k !== 'number') continue;
        out.push([...path, k]);
        walk(p.value as Node, [...path, k]);
      }
    } else if (isSeq(node)) node.items.forEach((it, i) => { out.push([...path, i]); walk(it as Node, [...path, i]); });
  };
  walk(doc.contents as Node, []);
  return out;
}

function structural(text: string, r: Rand, op: string): string {
  const doc = parseDocument(text, { uniqueKeys: false });
  if (doc.errors.length) return text;
  const all = paths(doc);
  if (all.length === 0) return text;
  const at = pick(r, all);
  if (op === 'delete') doc.deleteIn(at);
  else {
    // Set a placeholder, then splice the raw YAML text of the strange value in its place.
    doc.setIn(at, '__FUZZ__');
    const value = op === 'long' ? `"${'x'.repeat(Math.floor(r() * 200_000))}"` : op === 'deep' ? `${'['.repeat(300 + Math.floor(r() * 2000))}1${']'.repeat(300 + Math.floor(r() * 2000))}` : pick(r, STRANGE_VALUES);
    return doc.toString({ lineWidth: 0 }).replace(/__FUZZ__/, () => value);
  }
  return doc.toString({ lineWidth: 0 });
}

function aliasBomb(r: Rand): string {
  const levels = 5 + Math.floor(r() * 20);
  const lines = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]'];
  for (let i = 1; i < levels; i++) lines.push(`a${i}: &a${i} [${Array.from({ length: 9 }, () => `*a${i - 1}`).join(', ')}]`);
  lines.push(`id: *a${levels - 1}`);
  return `${lines.join('\n')}\n`;
}

const OPS = ['delete', 'delete', 'strange', 'strange', 'strange', 'long', 'deep', 'duplicate', 'bomb', 'deepmap', 'empty', 'binary', 'flip', 'truncate', 'unicode', 'tabs'] as const;

/** One mutation of a file's text. */
export function mutate(text: string, r: Rand): { text: string; op: string } {
  const op = pick(r, OPS);
  switch (op) {
    case 'delete':
      return { text: structural(text, r, 'delete'), op };
    case 'strange':
    case 'long':
    case 'deep':
      return { text: structural(text, r, op), op };
    case 'duplicate': {
      const lines = text.split('\n');
      const keyed = lines.map((l, i) => [l, i] as const).filter(([l]) => /^\s*[a-z_]+:/.test(l));
      if (!keyed.length) return { text, op };
      const [line, i] = pick(r, keyed);
      lines.splice(i + 1, 0, line);
      return { text: lines.join('\n'), op };
    }
    case 'bomb':
      return { text: aliasBomb(r), op };
    case 'deepmap': {
      const depth = 100 + Math.floor(r() * 900);
      return { text: `${text}\nnested:\n${Array.from({ length: depth }, (_, i) => `${' '.repeat(i + 1)}k${i}:`).join('\n')} 1\n`, op };
    }
    case 'empty':
      return { text: r() < 0.5 ? '' : pick(r, ['---', '~', '# only a comment', '[]', '"just a string"', '...']), op };
    case 'binary':
      return { text: Buffer.from(Array.from({ length: 1 + Math.floor(r() * 400) }, () => Math.floor(r() * 256))).toString('latin1'), op };
    case 'flip': {
      if (!text.length) return { text: 'x', op };
      const at = Math.floor(r() * text.length);
      return { text: `${text.slice(0, at)}${pick(r, [':', '-', '[', '{', '"', "'", '&', '*', '!', '|', '>', '#', '\t', '\n', '%', '@', '`'])}${text.slice(at + 1)}`, op };
    }
    case 'truncate':
      return { text: text.slice(0, Math.floor(r() * text.length)), op };
    case 'unicode': {
      const at = Math.floor(r() * (text.length + 1));
      return { text: `${text.slice(0, at)}${pick(r, ['ü', '😀', '\u202e', '\u0000', '\ufeff', '\u2028', '名', '\ud800'])}${text.slice(at)}`, op };
    }
    case 'tabs':
      return { text: text.replace(/^ {2}/m, '\t'), op };
  }
}

/** The mutated project for input `index` of a seeded run: which file changed, and how. */
export function fuzzInput(files: ReadonlyMap<string, string>, seed: number, index: number): { files: Map<string, string>; file: string; ops: string[] } {
  const r = mulberry32((seed * 1_000_003 + index * 7919) >>> 0);
  const names = [...files.keys()].filter((f) => f.startsWith('specs/') || f.startsWith('models/'));
  const file = pick(r, names);
  const out = new Map(files);
  const ops: string[] = [];
  let text = files.get(file)!;
  const n = 1 + Math.floor(r() * 3);
  for (let i = 0; i < n; i++) {
    try {
      const m = mutate(text, r);
      text = m.text;
      ops.push(m.op);
    } catch {
      // The mutator's own YAML handling gave up on an already-broken text: keep the text as it is.
      ops.push('(skipped)');
    }
  }
  out.set(file, text);
  return { files: out, file, ops };
}
