import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { LineCounter, isMap, isSeq, parseDocument, type Document, type Node } from 'yaml';
import { fieldPath, type Diagnostic } from './diagnostics.js';

type Path = readonly (string | number)[];

/** A parsed YAML file that can say where any field of it is, for diagnostics. */
export class YamlFile {
  readonly data: unknown;
  readonly parseErrors: Diagnostic[];
  private readonly doc: Document;
  private readonly lines: LineCounter;

  constructor(
    /** Path shown in messages, relative to the project root. */
    readonly file: string,
    readonly text: string,
  ) {
    this.lines = new LineCounter();
    this.doc = parseDocument(text, { lineCounter: this.lines, prettyErrors: false, uniqueKeys: true });
    this.parseErrors = this.doc.errors.map((e) => {
      const pos = this.lines.linePos(e.pos[0]);
      return { file, line: pos.line, column: pos.col, field: '', message: `malformed YAML: ${e.message.split('\n')[0]}` };
    });
    this.data = this.parseErrors.length ? undefined : this.doc.toJS();
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
    const node = this.doc.getIn(path as (string | number)[], true) as (Node & { type?: string }) | undefined;
    const start = node?.range?.[0];
    if (start === undefined) return this.diagnostic(path, message);
    const quoted = node?.type === 'QUOTE_DOUBLE' || node?.type === 'QUOTE_SINGLE' ? 1 : 0;
    const pos = this.lines.linePos(start + quoted + offset);
    return { file: this.file, line: pos.line, column: pos.col, field: fieldPath(path), message };
  }
}
