import type { SqlRenderer } from '../compile/sql-templates.js';
import type { ResolvedExperiment } from '../spec/types.js';
import type { Adapter, Dialect, QueryContext, Row } from '../warehouse/types.js';
import { compileStateRefresh, compileStateSetup, type StateLocation } from './state-plan.js';

/** How a run got its numbers; recorded in results.json (`refresh`) and printed. */
export interface RefreshRecord {
  mode: 'full' | 'rebuild' | 'incremental';
  /** Why not incremental (a fallback to a full run, or a rebuild of the state). */
  reason: string | null;
  /** Incremental and rebuild: rows from here on were read (see src/state/state-plan.ts). */
  watermark?: string;
  /** The watermark stored for the next run. */
  cut?: string;
  lateLookbackSeconds?: number;
  /** Steps computed on the full path although the refresh was incremental (no state merge for them yet). */
  fullSteps?: string[];
}

/**
 * Test hook for the fault-injection tests (test/matrix/state-kill.test.ts): the process kills itself
 * with SIGKILL just before the numbered state statement, as a crash or an OOM kill would.
 */
function maybeKill(index: number): void {
  const at = process.env.EXPTRACK_TEST_KILL_AT_STATEMENT;
  if (at !== undefined && Number(at) === index) process.kill(process.pid, 'SIGKILL');
}

/**
 * One experiment's incremental refresh, in one transaction: lock, read the stored watermark and
 * fingerprint, stage the rows since the watermark, read the three result steps from state, write the
 * new state. A failure or a kill anywhere before COMMIT leaves the previous state as it was.
 */
export async function refreshFromState(opts: {
  adapter: Adapter;
  dialect: Dialect;
  renderer: SqlRenderer;
  loc: StateLocation;
  exp: ResolvedExperiment;
  asOf: string;
  lateLookbackSeconds: number;
  fingerprint: string;
  runId: string;
  toolVersion: string;
  fullRefresh: boolean;
  ctx: QueryContext;
}): Promise<{ data: Record<string, Row[]>; refresh: RefreshRecord }> {
  const { adapter, exp } = opts;
  if (!adapter.transaction) throw new Error('this warehouse adapter cannot hold a transaction');
  return adapter.transaction(opts.ctx, async (run) => {
    let n = 0;
    const exec = async (sql: string, step: string) => {
      maybeKill(n++);
      return run(sql, step);
    };
    const setup = compileStateSetup(exp, opts.asOf, opts.dialect, opts.renderer, opts.loc);
    let stored: Row | undefined;
    for (const sql of setup) stored = (await exec(sql, 'state setup'))[0];
    let reason: string | null = null;
    if (opts.fullRefresh) reason = 'full refresh requested (--full-refresh)';
    else if (!stored) reason = 'no state stored yet for this experiment';
    else if (stored.fingerprint !== opts.fingerprint) reason = 'state fingerprint changed (spec, models, templates or tool version): state rebuilt';
    else if (String(stored.as_of) > new Date(opts.asOf).toISOString()) reason = `as-of is before the stored state's (${String(stored.as_of)}): state rebuilt`;
    const plan = compileStateRefresh({
      exp,
      asOf: opts.asOf,
      dialect: opts.dialect,
      renderer: opts.renderer,
      loc: opts.loc,
      storedWatermark: reason === null && stored ? String(stored.watermark) : null,
      lateLookbackSeconds: opts.lateLookbackSeconds,
      fingerprint: opts.fingerprint,
      runId: opts.runId,
      toolVersion: opts.toolVersion,
    });
    for (const sql of plan.stage) await exec(sql, 'state stage');
    const data: Record<string, Row[]> = {};
    for (const r of plan.reads) data[r.name] = await exec(r.sql, r.name);
    for (const sql of plan.write) await exec(sql, 'state write');
    maybeKill(n);
    return { data, refresh: { mode: plan.mode, reason, watermark: plan.watermark, cut: plan.cut, lateLookbackSeconds: opts.lateLookbackSeconds } };
  });
}
