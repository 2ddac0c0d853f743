import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { LineCounter, isMap, isSeq, parseDocument, type Document, type Node } from 'yaml';
import { deepNestingOffset, inputLimitDiagnostics, MAX_NESTING, toPlainData } from './yaml-limits.js';
import { fieldPath, type Diagnostic } from './diagnostics.js';

type Path = readonly (string | number)[];

/** A parsed YAML file that can say where any field of it is, for diagnostics. */
export class YamlFile {
  readonly data: unknown;
  /** Malformed YAML, and what exptrack refuses in well-formed YAML (tags, deep nesting, alias bombs). */
  readonly parseErrors: Diagnostic[];
  private readonly doc: Document;
  private lines: LineCounter;

  constructor(
    /** Path shown in messages, relative to the project root. */
    readonly file: string,
    readonly text: string,
  ) {
    this.lines = new LineCounter();
    const deep = deepNestingOffset(text);
    // Too deep to hand to the parser: parse an empty document so every accessor still works.
    this.doc = parseDocument(deep >= 0 ? '' : text, { lineCounter: this.lines, prettyErrors: false, uniqueKeys: true });
    if (deep >= 0) {
      this.lines = new LineCounter();
      this.lines.addNewLine(0);
      for (let at = text.indexOf('\n'); at >= 0; at = text.indexOf('\n', at + 1)) this.lines.addNewLine(at + 1);
      const pos = this.lines.linePos(deep);
      this.parseErrors = [{ file, line: pos.line, column: pos.col, field: '', message: `nested more than ${MAX_NESTING} levels deep; specs and models need only a few` }];
      this.data = undefined;
      return;
    }
    this.parseErrors = this.doc.errors.map((e) => {
      const pos = this.lines.linePos(e.pos[0]);
      return { file, line: pos.line, column: pos.col, field: '', message: `malformed YAML: ${e.message.split('\n')[0]}` };
    });
    if (!this.parseErrors.length) this.parseErrors.push(...inputLimitDiagnostics(this.doc, text, file, (offset) => this.lines.linePos(offset)));
    this.data = this.parseErrors.length ? undefined : toPlainData(this.doc, file, (offset) => this.lines.linePos(offset), this.parseErrors);
  }

  static read(absPath: string, projectRoot: string): YamlFile {
    return new YamlFile(relative(projectRoot, absPath) || absPath, readFileSync(absPath, 'utf8'));
  }

  /**
   * Position of the value at `path`; falls back to the nearest existing ancestor, so a missing
   * field points at the mapping that should hold it. With `key`, points at the key instead.
   */
  position(path: Path, key = false): { line: number; column: number } {
    let node: Node | null = this.doc.contents as Node | null;
    let offset = node?.range?.[0] ?? 0;
    for (const part of path) {
      if (isMap(node)) {
        const pair = node.items.find((p) => (p.key as { value?: unknown } | null)?.value === part);
        if (!pair) break;
        const keyNode = pair.key as Node;
        const valueNode = pair.value as Node | null;
        if (key && part === path[path.length - 1]) {
          offset = keyNode.range?.[0] ?? offset;
          node = null;
          break;
        }
        node = valueNode;
        offset = valueNode?.range?.[0] ?? keyNode.range?.[0] ?? offset;
      } else if (isSeq(node) && typeof part === 'number') {
        const item = node.items[part] as Node | undefined;
        if (!item) break;
        node = item;
        offset = item.range?.[0] ?? offset;
      } else break;
    }
    const pos = this.lines.linePos(offset);
    return { line: pos.line, column: pos.col };
  }

  diagnostic(path: Path, message: string, opts: { key?: boolean } = {}): Diagnostic {
    const pos = this.position(path, opts.key);
    return { file: this.file, line: pos.line, column: pos.column, field: fieldPath(path), message };
  }

  /** A diagnostic inside a string value, `offset` characters into its text (for expression errors). */
  diagnosticAt(path: Path, offset: number, message: string): Diagnostic {
    const node = this.doc.getIn(path as (string | number)[], true) as (Node & { type?: string; value?: unknown }) | undefined;
    const range = node?.range;
    if (!range || typeof node?.value !== 'string') return this.diagnostic(path, message);
    const at = scalarSourceOffset(this.text, range[0], range[1], node.type, node.value, offset);
    const pos = this.lines.linePos(at);
    return { file: this.file, line: pos.line, column: pos.col, field: fieldPath(path), message };
  }
}

/**
 * Source offset of character `offset` of a scalar's value. The value and its source differ by
 * quotes, doubled quotes, backslash escapes, block headers, indentation and folded line breaks, so
 * both are walked together, skipping source characters the value lacks. When they do not line up
 * (an escape such as \n), the scalar's start is returned rather than a wrong position.
 */
function scalarSourceOffset(text: string, start: number, end: number, type: string | undefined, value: string, offset: number): number {
  let s = start;
  if (type === 'BLOCK_LITERAL' || type === 'BLOCK_FOLDED') {
    const header = text.indexOf('\n', start);
    if (header < 0 || header >= end) return start;
    s = header + 1;
  }
  for (let v = 0; v <= offset && v < value.length; v++) {
    while (s < end && text[s] !== value[v]) s++;
    if (s >= end) return start;
    if (v === offset) return s;
    s++;
  }
  return offset >= value.length && s <= end ? s : start;
}
