import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PACKAGE_FILES } from '../compile/artifacts.js';
import type { DecisionRecord } from '../audit/decisions.js';
import type { Results } from '../run/results.js';
import { packageDigest } from '../audit/chain.js';
import type { Adapter, Warehouse } from '../warehouse/types.js';
import { decisionRow, resultsRows } from './results-rows.js';
import { compileWarehouseWrite, runWarehouseWrite, writeRenderer, type WriteBackLocation } from './warehouse-write.js';

/** What --json says about the write-back: written (table, rows) or failed (why); the package is written either way. */
export type WriteBackOutcome = { written: true; table: string; rows: number } | { written: false; table: string; error: string };

const failure = (e: unknown) => (e instanceof Error ? e.message : String(e)).split('\n')[0];

/** Appends one package's results to the results table; a failure is returned, never thrown. */
export async function writeResultsBack(opts: { adapter: Adapter; warehouse: Warehouse; loc: WriteBackLocation; results: Results; packageDigest: string }): Promise<WriteBackOutcome> {
  const table = `${opts.loc.schemaRef}.${opts.loc.resultsTable}`;
  try {
    const rows = resultsRows(opts.results, opts.packageDigest);
    if (rows.length === 0) return { written: true, table, rows: 0 };
    const statements = compileWarehouseWrite({ kind: 'results', experiment: opts.results.experiment.id, rows, loc: opts.loc, renderer: writeRenderer(opts.warehouse) });
    await runWarehouseWrite(opts.adapter, statements, { experiment: opts.results.experiment.id, step: 'results write' });
    return { written: true, table, rows: rows.length };
  } catch (e) {
    return { written: false, table, error: failure(e) };
  }
}

/** Appends decision records (with their decisions.jsonl lines) to the decisions table. */
export async function writeDecisionsBack(opts: { adapter: Adapter; warehouse: Warehouse; loc: WriteBackLocation; experiment: string; records: { record: DecisionRecord; line: string }[] }): Promise<WriteBackOutcome> {
  const table = `${opts.loc.schemaRef}.${opts.loc.decisionsTable}`;
  try {
    if (opts.records.length === 0) return { written: true, table, rows: 0 };
    const rows = opts.records.map((r) => decisionRow(r.record, r.line));
    const statements = compileWarehouseWrite({ kind: 'decisions', experiment: opts.experiment, rows, loc: opts.loc, renderer: writeRenderer(opts.warehouse) });
    await runWarehouseWrite(opts.adapter, statements, { experiment: opts.experiment, step: 'decisions write' });
    return { written: true, table, rows: rows.length };
  } catch (e) {
    return { written: false, table, error: failure(e) };
  }
}

/** A package's results and digest, read back from disk (the package is the source of truth). */
export function readPackageForWrite(packageDir: string): { results: Results; digest: string } {
  const results = JSON.parse(readFileSync(join(packageDir, PACKAGE_FILES.results), 'utf8')) as Results;
  const digest = packageDigest(packageDir);
  if (!digest) throw new Error(`${packageDir} has no SHA256SUMS: not a complete package`);
  return { results, digest };
}
