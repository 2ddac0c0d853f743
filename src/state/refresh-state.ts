import type { SqlRenderer } from '../compile/sql-templates.js';
import type { ResolvedExperiment } from '../spec/types.js';
import type { Adapter, Dialect, QueryContext, Row } from '../warehouse/types.js';
import { compileStateRefresh, compileStateSetup, sessionWrite, type StateLocation } from './state-plan.js';

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

type Run = (sql: string, step: string) => Promise<Row[]>;

/** Another run wrote this experiment's state while this one refreshed it: nothing of this one was committed. */
export class StateConflictError extends Error {
  constructor(
    experiment: string,
    readonly found: string[],
    then = 'run again',
  ) {
    super(`${experiment}: another run refreshed this experiment's state meanwhile (stored run ${found.join(', ') || 'none'}); this refresh was rolled back; ${then}`);
    this.name = 'StateConflictError';
  }
}

/**
 * One experiment's incremental refresh, in one transaction (see `hold` below for BigQuery and Snowflake): lock, read the stored watermark and
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
  // DuckDB and Postgres run the whole refresh, DDL included, in one transaction. BigQuery and Snowflake
  // (adapter.session) cannot: setup, stage and reads autocommit in one session, the write's DDL runs
  // before BEGIN, and the transaction holds only the write's DML, opened by a claim of the meta row.
  const inSession = !adapter.transaction && adapter.session;
  const hold = adapter.transaction
    ? <T>(fn: (run: Run, begin: () => Promise<void>) => Promise<T>) => adapter.transaction!(opts.ctx, (run) => fn(run, async () => undefined))
    : adapter.session
      ? <T>(fn: (run: Run, begin: () => Promise<void>) => Promise<T>) => adapter.session!(opts.ctx, fn)
      : null;
  if (!hold) throw new Error('this warehouse adapter cannot hold a transaction');
  // A rebuild that fails after replacing the state tables before BEGIN (they may now sit under another
  // run's meta row) forgets the state (the next run rebuilds) rather than leave a mismatch.
  let forgetOnConflict: string[] = [];
  const out = await hold(async (run, begin) => {
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
    if (!inSession) for (const sql of plan.write) await exec(sql, 'state write', 'write');
    else {
      const write = sessionWrite(plan.write);
      if (plan.mode === 'rebuild') {
        forgetOnConflict = plan.forget;
        for (const sql of plan.forget) await exec(sql, 'state write', 'write');
      }
      for (const sql of write.before) await exec(sql, 'state write', 'write');
      await begin();
      // The run id read at setup must still be the stored one (a rebuild deleted the row: none): else
      // another run refreshed this state since, and writing over it would count its rows twice.
      const expected = plan.mode === 'rebuild' ? [] : [String(stored?.run_id)];
      const holder = async () => (await exec(plan.claim[plan.claim.length - 1], 'state claim', 'write')).map((r) => String(r.run_id));
      for (const sql of plan.claim.slice(0, -1)) await exec(sql, 'state claim', 'write');
      const before = await holder();
      if (JSON.stringify(before) !== JSON.stringify(expected)) throw new StateConflictError(exp.id, before);
      for (const sql of write.inside) await exec(sql, 'state write', 'write');
      const after = await holder();
      if (JSON.stringify(after) !== JSON.stringify([opts.runId])) throw new StateConflictError(exp.id, after);
      // write.after only drops the session's temporary tables: the session's end drops them.
    }
    maybeKill('commit');
    return { data, refresh: { mode: plan.mode, reason, watermark: plan.watermark, cut: plan.cut, lateLookbackSeconds: opts.lateLookbackSeconds } };
  }).catch(async (e: unknown) => {
    // Any failure after the rebuild replaced tables (a lost claim, or BigQuery cancelling one of two
    // overlapping transactions) may leave another run's meta row over this run's tables.
    if (!forgetOnConflict.length) throw e;
    for (const sql of forgetOnConflict) await adapter.query(sql, { ...opts.ctx, step: 'state forget' }).catch(() => undefined);
    if (e instanceof StateConflictError) throw new StateConflictError(exp.id, e.found, 'its state tables may hold this rebuild\'s rows, so the state was dropped: the next run rebuilds');
    throw e;
  });
  maybeKill('committed');
  return out;
}
