import { existsSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import Handlebars from 'handlebars';
import { sha256 } from '../util/digest.js';
import { qualifiedColumn, type Dialect } from '../warehouse/types.js';
import { SqlFragment } from './sql-fragment.js';

type AstNode = { type: string; [k: string]: unknown };

const VALUE_HELPERS = ['ident', 'col', 'table', 'lit', 'ts', 'num', 'sql', 'comment'];
const BLOCK_HELPERS = ['each', 'if', 'unless', 'with'];

export class TemplateError extends Error {}

/**
 * Refuses any way of putting raw text into SQL: every `{{…}}` must call a dialect helper, no
 * triple-stash, no dynamic partial names. Checked when a template is loaded.
 */
function lint(ast: AstNode, file: string): string[] {
  const partials: string[] = [];
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(visit);
    if (!node || typeof node !== 'object') return;
    const n = node as AstNode & { loc?: { start: { line: number; column: number } } };
    const at = () => `${file}:${n.loc?.start.line ?? 0}:${(n.loc?.start.column ?? 0) + 1}`;
    const pathName = (n.path as { original?: unknown } | undefined)?.original;
    if (n.type === 'MustacheStatement') {
      if (!n.escaped) throw new TemplateError(`${at()}: triple-stash {{{…}}} is not allowed in SQL templates`);
      if (!VALUE_HELPERS.includes(String(pathName)) || (n.params as unknown[]).length === 0) {
        throw new TemplateError(`${at()}: '{{${String(pathName)}}}' must call one of ${VALUE_HELPERS.join(', ')} so the value is quoted or escaped`);
      }
    }
    if (n.type === 'BlockStatement' && !BLOCK_HELPERS.includes(String(pathName))) {
      throw new TemplateError(`${at()}: block helper '${String(pathName)}' is not allowed (use ${BLOCK_HELPERS.join(', ')})`);
    }
    if (n.type === 'PartialStatement' || n.type === 'PartialBlockStatement') {
      const name = n.name as AstNode & { original?: unknown };
      if (name.type !== 'PathExpression') throw new TemplateError(`${at()}: dynamic partial names are not allowed`);
      partials.push(String(name.original));
    }
    for (const [k, v] of Object.entries(n)) if (k !== 'loc') visit(v);
  };
  visit(ast);
  return partials;
}

export interface SqlRenderer {
  render(step: string, context: object): string;
  /** SHA-256 of every template file this renderer read, by path relative to the package root. */
  files: Map<string, string>;
}

interface LoadedTemplate {
  sha: string;
  template: HandlebarsTemplateDelegate;
  partials: string[];
}

/** One Handlebars environment (helpers, registered partials) and its compiled templates by file path. */
interface TemplateEngine {
  hb: typeof Handlebars;
  loaded: Map<string, LoadedTemplate>;
  partialAt: Map<string, string>;
}

// Compiling the templates took some 250 ms of every run, and every command creates its renderers
// afresh: the compiled templates are kept for the process, per dialect, templates folder and
// warehouse. Each renderer still reads every file it uses and recompiles one whose text changed, so
// what it renders and the digests it records are those of the files on disk, as without the cache.
const engines = new WeakMap<Dialect, Map<string, TemplateEngine>>();

function createEngine(dialect: Dialect): TemplateEngine {
  const hb = Handlebars.create();
  const frag = (s: string) => new SqlFragment(s);
  const str = (v: unknown, helper: string): string => {
    if (typeof v !== 'string') throw new TemplateError(`helper '${helper}' expects a string, got ${typeof v}`);
    return v;
  };
  hb.registerHelper({
    ident: (name: unknown) => frag(dialect.quoteIdentifier(str(name, 'ident'))),
    col: (alias: unknown, name: unknown) => frag(qualifiedColumn(dialect, str(alias, 'col'), str(name, 'col'))),
    table: (ref: unknown) => frag(dialect.quoteTable(str(ref, 'table'))),
    lit: (v: unknown) => frag(dialect.stringLiteral(str(v, 'lit'))),
    ts: (v: unknown) => frag(dialect.timestampLiteral(str(v, 'ts'))),
    num: (v: unknown) => {
      if (typeof v !== 'number' || !Number.isFinite(v)) throw new TemplateError(`helper 'num' expects a finite number, got ${String(v)}`);
      return frag(dialect.numberLiteral(String(v)));
    },
    sql: (v: unknown) => {
      if (!(v instanceof SqlFragment)) throw new TemplateError(`helper 'sql' expects SQL built by a dialect helper, got ${typeof v}`);
      return v;
    },
    // Comment text is limited to a safe alphabet: ids and timestamps, never a line break or */.
    comment: (v: unknown) => frag(String(v).replace(/[^A-Za-z0-9_ .:,@/+-]/g, '?')),
    eq: (a: unknown, b: unknown) => a === b,
  });
  return { hb, loaded: new Map(), partialAt: new Map() };
}

function engineFor(dialect: Dialect, key: string): TemplateEngine {
  let byKey = engines.get(dialect);
  if (!byKey) engines.set(dialect, (byKey = new Map()));
  let engine = byKey.get(key);
  if (!engine) byKey.set(key, (engine = createEngine(dialect)));
  return engine;
}

/**
 * Handlebars with the dialect's helpers. Partials are looked up as templates/sql/<warehouse>/<name>.sql.hbs,
 * then templates/sql/default/<name>.sql.hbs (dbt's dispatch order).
 */
export function createSqlRenderer(templatesDir: string, warehouse: string, dialect: Dialect, projectRoot: string): SqlRenderer {
  const { hb, loaded, partialAt } = engineFor(dialect, JSON.stringify([templatesDir, warehouse, projectRoot]));
  const files = new Map<string, string>();
  // What this renderer has read and checked already: each file once, as before the cache.
  const checked = new Set<string>();
  const resolvedPartials = new Set<string>();
  const load = (path: string): HandlebarsTemplateDelegate => {
    if (checked.has(path)) return loaded.get(path)!.template;
    const rel = relative(projectRoot, path);
    const raw = readFileSync(path, 'utf8');
    const sha = sha256(raw);
    files.set(rel, sha);
    checked.add(path);
    let entry = loaded.get(path);
    if (!entry || entry.sha !== sha) {
      // A partial's final newline would land before whatever follows its call (`{{> x}},`).
      const text = raw.replace(/\n$/, '');
      const partials = lint(hb.parse(text) as unknown as AstNode, rel);
      entry = { sha, partials, template: hb.compile(text, { noEscape: true, strict: true, preventIndent: true }) };
      loaded.set(path, entry);
    }
    for (const p of entry.partials) registerPartial(p);
    return entry.template;
  };
  const registerPartial = (name: string): void => {
    // Added before loading: a partial that calls itself (directly or not) is loaded once.
    if (resolvedPartials.has(name)) return;
    resolvedPartials.add(name);
    const searched = [join(templatesDir, 'sql', warehouse, `${name}.sql.hbs`), join(templatesDir, 'sql', 'default', `${name}.sql.hbs`)];
    const found = searched.find((p) => existsSync(p));
    if (!found) {
      throw new TemplateError(`missing SQL partial '${name}' for warehouse '${warehouse}'; searched: ${searched.map((p) => relative(projectRoot, p)).join(', ')}`);
    }
    const t = load(found);
    if (partialAt.get(name) !== found || hb.partials[name] !== t) {
      hb.registerPartial(name, t);
      partialAt.set(name, found);
    }
  };

  return {
    files,
    render(step, context) {
      return load(join(templatesDir, 'sql', 'steps', `${step}.sql.hbs`))(context);
    },
  };
}
