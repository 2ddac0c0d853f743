import { createSqlRenderer, type SqlRenderer } from '../compile/sql-templates.js';
import type { Target } from '../config/project-config.js';
import { PACKAGE_ROOT, TEMPLATES_DIR, TOOL_VERSION } from '../package-info.js';
import type { ResolvedExperiment } from '../spec/types.js';
import type { Adapter, QueryContext, Row, Warehouse } from '../warehouse/types.js';
import { incrementalBlocker } from './incremental-support.js';
import { refreshFromState, type RefreshRecord } from './refresh-state.js';
import { stateFingerprint } from './state-fingerprint.js';

export class StateConfigError extends Error {}

/** Whether this run goes through state: --incremental, `incremental: true`, or --full-refresh. */
export function wantsState(target: Target, flags: { incremental?: boolean; fullRefresh?: boolean }): boolean {
  const want = Boolean(flags.incremental || flags.fullRefresh || target.state?.incremental);
  if (want && !target.state?.writeSchema) {
    throw new StateConfigError(`target '${target.name}': incremental refresh needs write_schema (where exptrack may keep state); nothing was written`);
  }
  return want;
}

const DEFAULT_LATE_HOURS = 24;

/** The late-arrival lookback: the target's late_lookback, else the data latency check's limit. */
export function lateLookbackSeconds(target: Target, exp: ResolvedExperiment): number {
  if (target.state?.lateLookbackSeconds != null) return target.state.lateLookbackSeconds;
  const hours = Number(exp.checks.data_stale?.max_hours ?? DEFAULT_LATE_HOURS);
  return Math.round((Number.isFinite(hours) && hours > 0 ? hours : DEFAULT_LATE_HOURS) * 3600);
}

export type StateOutcome = { data: Record<string, Row[]>; refresh: RefreshRecord } | { fallback: RefreshRecord };

/** Runs experiments through state, or says why one must take the full path. */
export function createStateRunner(opts: { target: Target; warehouse: Warehouse; adapter: Adapter; fullRefresh: boolean }) {
  const { target, warehouse, adapter } = opts;
  const writeSchema = target.state!.writeSchema!;
  const loc = { schemaRef: warehouse.stateSchemaRef ? warehouse.stateSchemaRef(writeSchema) : writeSchema };
  let renderer: SqlRenderer | null = null;
  return {
    async refresh(exp: ResolvedExperiment, asOf: string, runId: string, ctx: QueryContext): Promise<StateOutcome> {
      const blocker = incrementalBlocker(exp) ?? (adapter.transaction || adapter.session ? null : `the ${warehouse.name} adapter cannot run a multi-statement transaction yet`);
      if (blocker) return { fallback: { mode: 'full', reason: `incremental refresh not possible: ${blocker}; ran a full refresh` } };
      renderer ??= createSqlRenderer(TEMPLATES_DIR, warehouse.name, warehouse.dialect, PACKAGE_ROOT);
      return refreshFromState({
        adapter,
        dialect: warehouse.dialect,
        renderer,
        loc,
        exp,
        asOf,
        lateLookbackSeconds: lateLookbackSeconds(target, exp),
        fingerprint: stateFingerprint(exp, warehouse.name, TEMPLATES_DIR, TOOL_VERSION),
        runId,
        toolVersion: TOOL_VERSION,
        fullRefresh: opts.fullRefresh,
        ctx,
      });
    },
  };
}

/** Why a step has no state merge (yet): printed and recorded when it runs on the full path. */
const FULL_STEP_REASONS: Record<string, string> = {
  exposure_quality: 'events tagged before first exposure depend on a first exposure late rows can still move',
  assignment: 'the assignment audit has no state merge yet',
  ranks: "Mann-Whitney ranks need every unit's value, which this refresh did not read from state",
  shift_bins: "the shift bins need every unit's value, which this refresh did not read from state",
  quantiles: 'event-level quantile metrics order every matching event, which the state does not keep (unit-level ones alone are read from state)',
  pairs: 'the pairs step joins the arms row by row on the pair key; no state merge yet',
};

/**
 * The compiled steps an incremental refresh leaves to the full path: those the state reads did not
 * answer, recorded with the reason in the refresh so the package says what was scanned whole. A step
 * added later is not read from state, so it lands here too. The fingerprints step is skipped: hashing
 * every source row is what incremental refresh avoids, so incremental packages record no input
 * fingerprints (README, Scheduled runs).
 */
export function stepsOutsideState<S extends { name: string }>(steps: S[], data: Record<string, Row[]>, refresh: RefreshRecord): S[] {
  const full = steps.filter((s) => !(s.name in data) && s.name !== 'fingerprints');
  if (full.length) refresh.fullSteps = full.map((s) => `${s.name} (${FULL_STEP_REASONS[s.name] ?? 'no state merge for this step'})`);
  return full;
}
