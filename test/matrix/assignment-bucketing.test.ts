// The bucketing function of exptrack/assignment against its SQL partial (assignment_shard), on every
// warehouse that runs here, for one million ids generated inside the warehouse. Only aggregates travel:
// per-variant counts and position-weighted sums of the shards, which differ if any single id's shard does.
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assignmentShard, shardRanges } from '../../src/assignment/index.js';
import { createSqlRenderer } from '../../src/compile/sql-templates.js';
import { SqlFragment } from '../../src/compile/sql-fragment.js';
import { getWarehouse } from '../../src/warehouse/registry.js';
import type { Adapter } from '../../src/warehouse/types.js';
import { REPO_ROOT } from '../helpers/demo-project.js';
import { MATRIX_WAREHOUSES, preparedAdapter, type MatrixWarehouse } from '../helpers/warehouse-matrix.js';

const N = 1_000_000;
const SALT = 'checkout_redesign';
const VARIANTS = [
  { key: 'control', weight: 0.2 },
  { key: 'b', weight: 0.3 },
  { key: 'c', weight: 0.5 },
];
// 10,000 is Eppo's default; 2^32 keeps every bit of the 8 hex digits, so a sign or width error shows.
const SHARD_COUNTS = [10_000, 2 ** 32];

/** Ids 0..N-1 as text, in each warehouse's own series generator. */
const IDS: Record<MatrixWarehouse, string> = {
  duckdb: `SELECT i, 'u' || CAST(i AS VARCHAR) AS unit_id FROM range(${N}) AS r(i)`,
  postgres: `SELECT i, 'u' || CAST(i AS VARCHAR) AS unit_id FROM generate_series(0, ${N - 1}) AS r(i)`,
};

const STEP = `WITH ids AS ({{sql ids}}),
shards AS (
  SELECT i, CAST({{> assignment_shard value=(sql input) shards=shards}} AS BIGINT) AS shard FROM ids
),
variants AS (
  SELECT i, shard, CASE{{#each ranges}} WHEN shard < {{num this.end}} THEN {{lit this.variant}}{{/each}} END AS variant FROM shards
)
SELECT variant, COUNT(*) AS units, CAST(SUM(shard) AS VARCHAR) AS shard_sum,
  CAST(SUM((i % 997) * shard) AS VARCHAR) AS weighted_sum
FROM variants GROUP BY variant ORDER BY variant`;

function renderer(warehouse: MatrixWarehouse) {
  const dir = mkdtempSync(join(tmpdir(), 'exptrack-bucketing-'));
  mkdirSync(join(dir, 'sql', 'steps'), { recursive: true });
  for (const folder of ['default', warehouse]) symlinkSync(join(REPO_ROOT, 'templates', 'sql', folder), join(dir, 'sql', folder));
  writeFileSync(join(dir, 'sql', 'steps', 'bucketing.sql.hbs'), STEP);
  const w = getWarehouse(warehouse);
  return { render: createSqlRenderer(dir, w.name, w.dialect, REPO_ROOT), dialect: w.dialect };
}

/** The same aggregates computed with the TypeScript function, one id at a time. */
function expected(shards: number) {
  const ranges = shardRanges(VARIANTS, shards);
  const out = new Map(ranges.map((r) => [r.variant, { units: 0, shardSum: 0n, weightedSum: 0n }]));
  for (let i = 0; i < N; i++) {
    const shard = assignmentShard(SALT, `u${i}`, shards);
    const v = out.get(ranges.find((r) => shard < r.end)!.variant)!;
    v.units++;
    v.shardSum += BigInt(shard);
    v.weightedSum += BigInt(i % 997) * BigInt(shard);
  }
  return [...out.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([variant, v]) => ({ variant, units: v.units, shard_sum: String(v.shardSum), weighted_sum: String(v.weightedSum) }));
}

const want = new Map(SHARD_COUNTS.map((s) => [s, expected(s)]));

describe.each(MATRIX_WAREHOUSES)('assignment_shard on %s, 1M ids', (warehouse) => {
  let adapter: Adapter;
  beforeAll(async () => {
    adapter = await preparedAdapter(warehouse, 'exptrack_bucketing', []);
  });
  afterAll(async () => adapter?.close());

  it.each(SHARD_COUNTS)('matches the TypeScript function for every id with %i shards', async (shards) => {
    const { render, dialect } = renderer(warehouse);
    const sql = render.render('bucketing', {
      ids: new SqlFragment(IDS[warehouse]),
      input: new SqlFragment(`${dialect.stringLiteral(`${SALT}-`)} || ${dialect.quoteIdentifier('unit_id')}`),
      shards,
      ranges: shardRanges(VARIANTS, shards),
    });
    const rows = await adapter.query(sql, { experiment: 'bucketing', step: 'bucketing' });
    const got = rows.map((r) => ({ variant: String(r.variant), units: Number(r.units), shard_sum: String(r.shard_sum), weighted_sum: String(r.weighted_sum) }));
    expect(got).toEqual(want.get(shards));
    // The split follows the weights (1M ids: within 0.5 percentage points).
    for (const v of VARIANTS) expect(Math.abs(got.find((g) => g.variant === v.key)!.units / N - v.weight)).toBeLessThan(0.005);
  });
});
