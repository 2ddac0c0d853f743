// Rows for the write-back SQL tests (golden files and the cloud fakes): every column type, NULLs, a
// quote, a backslash, and doubles that only survive as their shortest round-trip text.
import { DECISIONS_COLUMNS, RESULTS_COLUMNS, type WriteRow } from '../../src/warehouse-results/results-rows.js';

function row(columns: { name: string; type: string }[], values: Record<string, unknown>): WriteRow {
  const out: WriteRow = {};
  for (const c of columns) out[c.name] = (values[c.name] ?? null) as WriteRow[string];
  return out;
}

const common = { experiment: 'checkout_redesign', run_id: '20261101T000000.000Z-abc123', as_of: '2026-11-01T00:00:00.000Z', recommendation: 'ship', recommended_variant: 'treatment', package_digest: 'f'.repeat(64), tool_version: '0.1.0', metric: 'conversion', metric_kind: 'proportion', metric_role: 'primary' };

export const FIXTURE_RESULTS: WriteRow[] = [
  row(RESULTS_COLUMNS, { ...common, row_key: 'k1', variant: 'control', is_control: true, units: 5012, mean: 0.1, variance: 0.09000000000000001 }),
  row(RESULTS_COLUMNS, {
    ...common,
    row_key: 'k2',
    variant: 'treatment',
    is_control: false,
    units: 4988,
    mean: 0.11729, variance: 1e-300, absolute_lift: 0.017290000000000003, absolute_ci_low: -0.0012, absolute_ci_high: 0.0357,
    absolute_p_value: 0.06, relative_lift: 0.1729, relative_ci_low: -0.012, relative_ci_high: 0.357, relative_p_value: 2.2250738585072014e-308,
    relative_p_value_adjusted: 0.12, estimate_ok: true, chance_to_win: 0.97,
  }),
  row(RESULTS_COLUMNS, { ...common, row_key: 'k3', dimension: 'country', dimension_value: "O'Brien \\ co", variant: 'treatment', is_control: false, units: 12, mean: 123456789.123456789, estimate_ok: false }),
];

export const FIXTURE_DECISIONS: WriteRow[] = [
  row(DECISIONS_COLUMNS, { experiment: 'checkout_redesign', sequence: 1, decision: 'ship', variant: 'treatment', decided_by: 'Ana', note: 'two\\nlines', decided_at: '2026-11-02T09:30:00.000Z', package_run_id: '20261101T000000.000Z-abc123', package_digest: 'f'.repeat(64), recommendation: 'ship', recommended_variant: 'treatment', record_sha256: 'a'.repeat(64) }),
];
