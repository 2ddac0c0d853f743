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

/** The points of a refresh where the fault-injection test kills the process (see maybeKill). */
export const KILL_POINTS = ['setup', 'stage', 'read', 'write', 'commit', 'committed'] as const;
export type KillPoint = (typeof KILL_POINTS)[number];

/**
 * Test hook for the fault-injection tests (test/matrix/state-kill.test.ts): the process kills itself
 * with SIGKILL, as a crash or an OOM kill would, at the first statement of a phase (setup, stage,
 * read, write), just before COMMIT (commit) or just after it (committed). One kill per phase boundary
 * covers every state the warehouse can be left in, without a run per statement.
 */
function maybeKill(point: KillPoint): void {
  if (process.env.EXPTRACK_TEST_KILL_AT === point) process.kill(process.pid, 'SIGKILL');
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
  const out = await adapter.transaction(opts.ctx, async (run) => {
    let phase: KillPoint | null = null;
    const exec = async (sql: string, step: string, at: KillPoint) => {
      if (phase !== at) maybeKill((phase = at));
      return run(sql, step);
    };
    const setup = compileStateSetup(exp, opts.asOf, opts.dialect, opts.renderer, opts.loc);
    let stored: Row | undefined;
    for (const sql of setup) stored = (await exec(sql, 'state setup', 'setup'))[0];
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
    for (const sql of plan.stage) await exec(sql, 'state stage', 'stage');
    const data: Record<string, Row[]> = {};
    for (const r of plan.reads) data[r.name] = await exec(r.sql, r.name, 'read');
    for (const sql of plan.write) await exec(sql, 'state write', 'write');
    maybeKill('commit');
    return { data, refresh: { mode: plan.mode, reason, watermark: plan.watermark, cut: plan.cut, lateLookbackSeconds: opts.lateLookbackSeconds } };
  });
  maybeKill('committed');
  return out;
}
