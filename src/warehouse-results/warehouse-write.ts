import { createSqlRenderer, type SqlRenderer } from '../compile/sql-templates.js';
import type { Target } from '../config/project-config.js';
import { PACKAGE_ROOT, TEMPLATES_DIR } from '../package-info.js';
import { createTurns } from '../run/run-pool.js';
import { splitStatements } from '../state/state-plan.js';
import { sha256 } from '../util/digest.js';
import type { Adapter, QueryContext, Warehouse } from '../warehouse/types.js';
import { DECISIONS_COLUMNS, DECISIONS_KEY, RESULTS_COLUMNS, RESULTS_KEY, type Column, type WriteRow } from './results-rows.js';

export const DEFAULT_RESULTS_TABLE = 'exptrack_results';
export const DEFAULT_DECISIONS_TABLE = 'exptrack_decisions';

/** Where results and decisions go: null unless the target has a write_schema (nothing is written then). */
export interface WriteBackLocation {
  /** Dotted prefix in SQL: the warehouse's stateSchemaRef of write_schema (DuckDB: the attached state file). */
  schemaRef: string;
  resultsTable: string;
  decisionsTable: string;
}

export function writeBackLocation(target: Target, warehouse: Warehouse): WriteBackLocation | null {
  const ws = target.state?.writeSchema;
  if (!ws) return null;
  return {
    schemaRef: warehouse.stateSchemaRef ? warehouse.stateSchemaRef(ws) : ws,
    resultsTable: target.state?.resultsTable ?? DEFAULT_RESULTS_TABLE,
    decisionsTable: target.state?.decisionsTable ?? DEFAULT_DECISIONS_TABLE,
  };
}

export type WriteKind = 'results' | 'decisions';

const TABLES: Record<WriteKind, { columns: Column[]; key: string[] }> = {
  results: { columns: RESULTS_COLUMNS, key: RESULTS_KEY },
  decisions: { columns: DECISIONS_COLUMNS, key: DECISIONS_KEY },
};

/**
 * The statements of one write: create the schema and table when missing, take the warehouse-side
 * lock where there is one (Postgres), and MERGE the rows on the table's key. Pure, like compile.
 */
export function compileWarehouseWrite(opts: { kind: WriteKind; experiment: string; rows: WriteRow[]; loc: WriteBackLocation; renderer: SqlRenderer }): string[] {
  const { columns, key } = TABLES[opts.kind];
  const table = `${opts.loc.schemaRef}.${opts.kind === 'results' ? opts.loc.resultsTable : opts.loc.decisionsTable}`;
  const cells = opts.rows.map((r) =>
    columns.map((c) => {
      const v = r[c.name];
      if (v === undefined) throw new Error(`${opts.kind} row has no ${c.name}`);
      // Numbers travel as their shortest round-trip text and are cast by the warehouse: a text to
      // double cast is correctly rounded everywhere, a decimal literal's conversion is not always.
      return { name: c.name, type: c.type, isNull: v === null, value: c.type === 'number' && typeof v === 'number' ? String(v) : v };
    }),
  );
  const sql = opts.renderer.render('warehouse_write', {
    experiment: opts.experiment,
    step: `${opts.kind} write`,
    state: { schema: opts.loc.schemaRef },
    lockKey: Number.parseInt(sha256(`${table}\nwrite`).slice(0, 12), 16),
    target: table,
    columns,
    key,
    updates: columns.map((c) => c.name).filter((n) => !key.includes(n)),
    rows: cells,
  });
  return splitStatements(sql);
}

/** One writer at a time within this process: the CREATE IF NOT EXISTS and MERGE of concurrent experiments take turns. */
const inTurn = createTurns();

/** Runs a write in one transaction where the adapter holds one (DuckDB, Postgres); else each statement is atomic on its own (one MERGE). */
export async function runWarehouseWrite(adapter: Adapter, statements: string[], ctx: QueryContext): Promise<void> {
  await inTurn(async () => {
    if (adapter.transaction) {
      await adapter.transaction(ctx, async (run) => {
        for (const sql of statements) await run(sql, ctx.step);
      });
    } else {
      for (const sql of statements) await adapter.query(sql, ctx);
    }
  });
}

/** Renderer cache per warehouse: templates are read once per process. */
const renderers = new Map<string, SqlRenderer>();
export function writeRenderer(warehouse: Warehouse): SqlRenderer {
  let r = renderers.get(warehouse.name);
  if (!r) renderers.set(warehouse.name, (r = createSqlRenderer(TEMPLATES_DIR, warehouse.name, warehouse.dialect, PACKAGE_ROOT)));
  return r;
}
