import { isAlias, isMap, isPair, isScalar, isSeq, type Document, type Node } from 'yaml';
import type { Diagnostic } from './diagnostics.js';

/**
 * What exptrack refuses in YAML that parses: explicit tags (`!!null`, `!!bool`, `!foo`), which the
 * YAML library would otherwise resolve or silently ignore; nesting deeper than MAX_NESTING (no spec
 * or model needs more than a handful of levels, and deep trees exhaust the stack of every later
 * recursive step); and aliases that expand to more than MAX_ALIAS_EXPANSIONS nodes (alias bombs).
 */
export const MAX_NESTING = 32;
export const MAX_ALIAS_EXPANSIONS = 100;

type LinePos = (offset: number) => { line: number; col: number };

const located = (file: string, linePos: LinePos, offset: number, message: string): Diagnostic => {
  const p = linePos(offset);
  return { file, line: p.line, column: p.col, field: '', message };
};

/** Tags and nesting, found without recursion so that a deep document cannot overflow the stack here. */
export function inputLimitDiagnostics(doc: Document, text: string, file: string, linePos: LinePos): Diagnostic[] {
  const out: Diagnostic[] = [];
  const stack: { node: unknown; depth: number }[] = [{ node: doc.contents, depth: 1 }];
  let deepReported = false;
  while (stack.length && out.length < 20) {
    const { node, depth } = stack.pop()!;
    if (!node) continue;
    if (isPair(node)) {
      stack.push({ node: node.value, depth }, { node: node.key, depth });
      continue;
    }
    const n = node as Node & { tag?: string };
    const at = n.range?.[0] ?? 0;
    if ((isScalar(n) || isMap(n) || isSeq(n)) && n.tag) {
      const shown = n.tag.replace(/^tag:yaml\.org,2002:/, '!!');
      // The node's range starts at its value; the tag is just before it on the same line.
      let bang = text.lastIndexOf('!', at);
      while (bang > 0 && text[bang - 1] === '!') bang--;
      const tagAt = bang >= 0 && !text.slice(bang, at).includes('\n') ? bang : at;
      out.push(located(file, linePos, tagAt, `YAML tag ${shown} is not supported: write the plain value (a tag would change or hide its type)`));
    }
    if (isMap(n) || isSeq(n)) {
      if (depth > MAX_NESTING) {
        if (!deepReported) out.push(located(file, linePos, at, `nested more than ${MAX_NESTING} levels deep; specs and models need only a few`));
        deepReported = true;
        continue;
      }
      for (const item of [...n.items].reverse()) stack.push({ node: item, depth: depth + 1 });
    }
  }
  return out;
}

/** The document as plain data; alias failures become diagnostics at the alias. */
export function toPlainData(doc: Document, file: string, linePos: LinePos, errors: Diagnostic[]): unknown {
  try {
    return doc.toJS({ maxAliasCount: MAX_ALIAS_EXPANSIONS });
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    const aliases: (Node & { source: string })[] = [];
    const stack: unknown[] = [doc.contents];
    while (stack.length) {
      const n = stack.pop();
      if (isAlias(n)) aliases.push(n as Node & { source: string });
      else if (isPair(n)) stack.push(n.value, n.key);
      else if (isMap(n) || isSeq(n)) stack.push(...n.items);
    }
    const unresolved = /Unresolved alias[^:]*: (.*)$/.exec(message);
    const alias = (unresolved && aliases.find((a) => a.source === unresolved[1])) || aliases[0];
    const at = alias?.range?.[0] ?? 0;
    if (unresolved) errors.push(located(file, linePos, at, `alias *${unresolved[1]} refers to no anchor &${unresolved[1]} defined before it`));
    else if (/alias count/i.test(message)) errors.push(located(file, linePos, at, `YAML aliases expand to more than ${MAX_ALIAS_EXPANSIONS} nodes (an alias bomb); write the values out`));
    else errors.push(located(file, linePos, at, `malformed YAML: ${message.split('\n')[0]}`));
    return undefined;
  }
}

/**
 * Nesting measured on the text, before parsing: the YAML parser itself recurses per level and can
 * exhaust the stack on a few thousand brackets. Counts flow brackets outside quotes and comments,
 * plus block indentation levels; returns the offset where the limit is passed, or -1.
 */
export function deepNestingOffset(text: string, limit = MAX_NESTING): number {
  const indents: number[] = [];
  let flow = 0;
  let lineStart = true;
  let indent = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '\n') {
      lineStart = true;
      indent = 0;
      continue;
    }
    if (lineStart) {
      if (c === ' ') {
        indent++;
        continue;
      }
      lineStart = false;
      if (c !== '#' && flow === 0) {
        while (indents.length && indents[indents.length - 1] >= indent) indents.pop();
        indents.push(indent);
        if (indents.length > limit) return i;
      }
    }
    if (c === '#' && (i === 0 || /\s/.test(text[i - 1]))) {
      while (i + 1 < text.length && text[i + 1] !== '\n') i++;
    } else if (c === '"' || c === "'") {
      // Skip the quoted string (a doubled '' or an escaped \" stays inside).
      for (i++; i < text.length; i++) {
        if (c === '"' && text[i] === '\\') i++;
        else if (text[i] === c) {
          if (c === "'" && text[i + 1] === "'") i++;
          else break;
        }
      }
    } else if (c === '[' || c === '{') {
      if (++flow + indents.length > limit) return i;
    } else if ((c === ']' || c === '}') && flow > 0) flow--;
  }
  return -1;
}
