// Every compiled query of every demo spec, for every registered warehouse, must bound each scan
// of a source table by the experiment window on that source's timestamp column: a lower bound at
// the experiment start and an upper bound after it but never after the as-of. On BigQuery this is
// what keeps a partitioned or clustered table from being read whole.
//
// How the SQL is inspected: with a real parser (sql-parser-cst) for warehouses it has a dialect for
// (bigquery -> 'bigquery'; duckdb -> 'postgresql', whose grammar covers what its templates emit). The check walks every SELECT, takes the tables of its FROM/JOINs and the
// AND-ed conditions of its own WHERE. A warehouse without a parser dialect here (e.g. snowflake)
// gets a structural check on the text, driven by that warehouse's own quoting helpers.
import { parse, type DialectName } from 'sql-parser-cst';
import { describe, expect, it } from 'vitest';
import { getWarehouse, warehouseNames } from '../../src/warehouse/registry.js';
import { qualifiedColumn, type Dialect } from '../../src/warehouse/types.js';
import { compileDemoFor, compiledQueries, type CompiledQuery } from './demo-compile.js';

// Postgres itself gets the structural check: sql-parser-cst's postgresql grammar has no
// `PERCENTILE_CONT(...) WITHIN GROUP (...)`, which the Postgres percentile partial needs.
const PARSER_DIALECT: Record<string, DialectName> = { bigquery: 'bigquery', duckdb: 'postgresql' };

interface Scan {
  table: string;
  alias: string | null;
  lower: number[];
  upper: number[];
}

type Node = { type?: string; [k: string]: unknown };

/** A literal's instant: the first YYYY-MM-DD HH:MM:SS in its text, read as UTC (every dialect's literals are UTC). */
function instantOf(text: string): number | null {
  const m = /(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}:\d{2}(?:\.\d+)?)/.exec(text);
  return m ? Date.parse(`${m[1]}T${m[2]}Z`) : null;
}

function nameOf(n: Node): string | null {
  if (n.type === 'identifier') return String(n.name);
  if (n.type === 'member_expr') {
    const o = nameOf(n.object as Node);
    const p = nameOf(n.property as Node);
    return o && p ? `${o}.${p}` : null;
  }
  return null;
}

function walk(n: unknown, visit: (node: Node) => void): void {
  if (Array.isArray(n)) return n.forEach((x) => walk(x, visit));
  if (!n || typeof n !== 'object') return;
  visit(n as Node);
  for (const v of Object.values(n)) walk(v, visit);
}

function stringsIn(n: unknown): string[] {
  const out: string[] = [];
  walk(n, (x) => {
    if (x.type === 'string_literal') out.push(String(x.value));
  });
  return out;
}

/** Tables read by one FROM clause: alias/identifier/member_expr leaves of its joins (subqueries are SELECTs of their own). */
function tablesOf(n: Node, out: { table: string; alias: string | null }[]): void {
  if (n.type === 'join_expr') {
    tablesOf(n.left as Node, out);
    tablesOf(n.right as Node, out);
  } else if (n.type === 'alias') {
    const table = nameOf(n.expr as Node);
    if (table) out.push({ table, alias: nameOf(n.alias as Node) });
  } else {
    const table = nameOf(n);
    if (table) out.push({ table, alias: null });
  }
}

/**
 * The OR-ed alternatives of a WHERE (one when there is no top-level OR). A fingerprint reads the union of
 * the experiment's reads of a source, so each alternative must carry its own bounds.
 */
function disjuncts(n: Node): Node[] {
  const op = n.operator as Node | string | undefined;
  if (n.type === 'binary_expr' && typeof op === 'object' && String(op.name).toUpperCase() === 'OR') {
    return [...disjuncts(n.left as Node), ...disjuncts(n.right as Node)];
  }
  return n.type === 'paren_expr' ? disjuncts(n.expr as Node) : [n];
}

/** The loosest bound over alternatives: none unless every alternative has one. */
function loosest(perAlternative: number[][], pick: (xs: number[]) => number): number[] {
  return perAlternative.every((b) => b.length === 1) && perAlternative.length > 0 ? [pick(perAlternative.map((b) => b[0]))] : perAlternative.length === 1 ? perAlternative[0] : [];
}

/** Top-level AND-ed conditions of a WHERE (a parenthesized or OR-ed part is one opaque condition). */
function conjuncts(n: Node): Node[] {
  const op = n.operator as Node | string | undefined;
  if (n.type === 'binary_expr' && typeof op === 'object' && String(op.name).toUpperCase() === 'AND') {
    return [...conjuncts(n.left as Node), ...conjuncts(n.right as Node)];
  }
  return [n];
}

function scansByParser(sql: string, dialect: DialectName, q: CompiledQuery): { scans: Scan[]; others: string[] } {
  const cst = parse(sql, { dialect });
  const ctes = new Set<string>();
  walk(cst, (n) => {
    if (n.type === 'common_table_expr') ctes.add(nameOf(n.table as Node) ?? '');
  });
  const scans: Scan[] = [];
  const others: string[] = [];
  walk(cst, (n) => {
    if (n.type !== 'select_stmt') return;
    const clauses = n.clauses as Node[];
    const from = clauses.find((c) => c.type === 'from_clause');
    if (!from) return;
    const where = clauses.find((c) => c.type === 'where_clause');
    const alternatives = where ? disjuncts(where.expr as Node).map(conjuncts) : [[]];
    const tables: { table: string; alias: string | null }[] = [];
    tablesOf(from.expr as Node, tables);
    for (const t of tables) {
      const source = q.sources.get(t.table);
      if (!source) {
        if (!ctes.has(t.table)) others.push(t.table);
        continue;
      }
      const bound = (conds: Node[], op: string) =>
        conds
          .filter((c) => c.type === 'binary_expr' && c.operator === op && nameOf(c.left as Node) === `${t.alias}.${source.timestamp}`)
          .map((c) => instantOf(stringsIn(c.right).join(' ')))
          .filter((x): x is number => x !== null);
      scans.push({
        table: t.table,
        alias: t.alias,
        lower: loosest(alternatives.map((c) => bound(c, '>=')), (xs) => Math.min(...xs)),
        upper: loosest(alternatives.map((c) => bound(c, '<')), (xs) => Math.max(...xs)),
      });
    }
  });
  return { scans, others };
}

/** Fallback without a parser: FROM/JOIN of each quoted source table, bounds within that query's text. */
function scansByStructure(sql: string, d: Dialect, q: CompiledQuery): { scans: Scan[]; others: string[] } {
  const re = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const scans: Scan[] = [];
  for (const [table, source] of q.sources) {
    for (const m of sql.matchAll(new RegExp(`\\b(?:FROM|JOIN)\\s+${re(d.quoteTable(table))}\\s+AS\\s+(\\S+)`, 'g'))) {
      const aliasText = m[1];
      // The alias as written may be quoted (`s1`) or bare (x).
      const inner = aliasText.slice(1, -1);
      const alias = inner !== '' && d.quoteIdentifier(inner) === aliasText ? inner : aliasText;
      const rest = sql.slice(m.index);
      const end = rest.search(/\n\s*\)|\n\s*UNION\b/);
      const query = end < 0 ? rest : rest.slice(0, end);
      const col = re(qualifiedColumn(d, alias, source.timestamp!));
      // Only a whole `WHERE|AND col op <literal>` line counts, and the literal must be exactly what the dialect writes.
      const grab = (op: string) =>
        [...query.matchAll(new RegExp(`^\\s*(?:WHERE|AND) ${col} ${op} (.*)$`, 'gm'))]
          .map((x) => ({ text: x[1], at: instantOf(x[1]) }))
          .filter((x) => x.at !== null && d.timestampLiteral(new Date(x.at).toISOString()) === x.text)
          .map((x) => x.at as number);
      // Alternatives written one per line, `WHERE (… AND col >= lit AND col < lit)` / `OR (…)`: each needs both bounds.
      const colText = qualifiedColumn(d, alias, source.timestamp!);
      const lines = [...query.matchAll(/^\s*(?:WHERE|OR) \((.*)\)$/gm)].map((x) => x[1]).filter((l) => l.includes(`${colText} `));
      const inLine = (line: string, op: string) =>
        [...line.matchAll(new RegExp(`${col} ${op} (.+?)(?= AND |$)`, 'g'))]
          .map((x) => ({ text: x[1], at: instantOf(x[1]) }))
          .filter((x) => x.at !== null && d.timestampLiteral(new Date(x.at).toISOString()) === x.text)
          .map((x) => x.at as number);
      if (lines.length) {
        scans.push({
          table,
          alias,
          lower: loosest(lines.map((l) => inLine(l, '>=')), (xs) => Math.min(...xs)),
          upper: loosest(lines.map((l) => inLine(l, '<')), (xs) => Math.max(...xs)),
        });
      } else scans.push({ table, alias, lower: grab('>='), upper: grab('<') });
    }
  }
  return { scans, others: [] };
}

describe.each(warehouseNames())('bounded source scans on %s', (warehouse) => {
  const queries = compiledQueries(compileDemoFor(warehouse));
  const parser = PARSER_DIALECT[warehouse];
  const structural = (q: CompiledQuery) => scansByStructure(q.sql, getWarehouse(warehouse).dialect, q);
  const inspect = (q: CompiledQuery) => (parser ? scansByParser(q.sql, parser, q) : structural(q));

  it.each(queries.map((q) => [q.key, q] as const))(`%s bounds every scan by the window (${parser ? `sql-parser-cst ${parser}` : 'structural check'})`, (key, q) => {
    const { scans, others } = inspect(q);
    // The structural check runs everywhere too, so the fallback itself is tested, and must agree.
    if (parser) expect(structural(q).scans.map((s) => [s.table, s.lower, s.upper]).sort()).toEqual(scans.map((s) => [s.table, s.lower, s.upper]).sort());
    expect(others, `${key} reads tables that are neither sources nor CTEs`).toEqual([]);
    expect(scans.length, `${key} scans no source table`).toBeGreaterThan(0);
    const start = Date.parse(q.bounds.start);
    const asOf = Date.parse(q.bounds.asOf);
    for (const s of scans) {
      const what = `${key}: ${s.table} AS ${s.alias}`;
      expect(s.alias, `${what} has no alias`).not.toBeNull();
      // Event sources read by metrics (and so fingerprinted, and summed per day by the daily step, which is the
      // metrics template) start a CUPED lookback early; the rest at the start.
      const early = (q.file === '02_metrics.sql' || q.file === '04_fingerprints.sql' || q.file === '05_daily.sql') && s.table !== q.exposureTable ? q.lookbackMs : 0;
      expect(s.lower, `${what}: lower bound on ${q.sources.get(s.table)?.timestamp}`).toEqual([start - early]);
      expect(s.upper.length, `${what}: upper bound`).toBe(1);
      expect(s.upper[0], what).toBeGreaterThan(start);
      expect(s.upper[0], what).toBeLessThanOrEqual(asOf);
    }
    if (q.file === '03_sources.sql') expect(new Set(scans.map((s) => s.table))).toEqual(new Set(q.sources.keys()));
  });

  it('detects an unbounded scan (the check is not vacuous)', () => {
    const q = queries.find((x) => x.file === '03_sources.sql')!;
    const start = getWarehouse(warehouse).dialect.timestampLiteral(q.bounds.start);
    const broken = { ...q, sql: q.sql.replace(`>= ${start}`, `>= ${start} OR TRUE`) };
    expect(broken.sql).not.toBe(q.sql);
    for (const check of [inspect, structural]) {
      const { scans } = check(broken);
      expect(scans.some((s) => s.lower.length === 0 || s.lower[0] !== Date.parse(q.bounds.start))).toBe(true);
    }
  });
});
