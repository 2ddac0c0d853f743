// Every partial of the contract (templates/sql/README.md), rendered through the real template machinery
// for each warehouse and run on it, against the expected column of its fixture (test/macros/fixtures).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cellNumber } from '../../src/warehouse/normalize.js';
import type { Adapter, Cell, Row } from '../../src/warehouse/types.js';
import { contractPartials, fixtureRenderer, inputStatements, loadFixtures, tableName, type Fixture, type FixtureCase } from '../helpers/macro-fixtures.js';
import { MATRIX_WAREHOUSES, preparedAdapter } from '../helpers/warehouse-matrix.js';

const fixtures = loadFixtures();
/** Doubles from interpolation (18.1) may differ from the decimal in the fixture in the last bit. */
const RELATIVE_TOLERANCE = 1e-12;

describe('the fixtures', () => {
  it('cover every expression partial of the contract', () => {
    // group_by_dimensions is a clause over the step's context, exercised by every demo run instead.
    const wanted = contractPartials().filter((p) => p !== 'group_by_dimensions');
    expect(wanted.length).toBeGreaterThan(8);
    expect(fixtures.map((f) => f.partial).sort()).toEqual(wanted.sort());
  });
});

function expectCell(actual: Cell | undefined, expected: Cell, where: string): void {
  if (expected === null) return void expect(actual, where).toBeNull();
  if (typeof expected === 'number') {
    const a = cellNumber(actual);
    expect(a, where).not.toBeNull();
    const scale = Math.max(Math.abs(a!), Math.abs(expected));
    expect(scale === 0 ? 0 : Math.abs(a! - expected) / scale, `${where}: ${a} vs ${expected}`).toBeLessThanOrEqual(RELATIVE_TOLERANCE);
    return;
  }
  expect(actual === null ? null : String(actual), where).toBe(String(expected));
}

function checkValues(f: Fixture, c: FixtureCase, rows: Row[]): void {
  if (f.kind === 'scalar') {
    expect(rows.map((r) => Number(r.row_id))).toEqual(c.rows.map((_, k) => k));
    c.rows.forEach((input, k) => expectCell(rows[k].result, (input.expected ?? null) as Cell, `row ${k} ${JSON.stringify(input)}`));
    return;
  }
  const got = Object.fromEntries(rows.map((r) => [String(r.grp), r.result]));
  expect(Object.keys(got).sort()).toEqual(Object.keys(c.expected!).sort());
  for (const [g, e] of Object.entries(c.expected!)) expectCell(got[g], e, `group ${g}`);
}

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

function checkHash(c: FixtureCase, rows: Row[], again: Row[]): void {
  expect(again).toEqual(rows); // deterministic across queries
  const byInput = new Map<string | null, string | null>();
  c.rows.forEach((input, k) => {
    const h = rows[k].result;
    const s = input.s as string | null;
    if (s === null) return void expect(h, 'NULL in, NULL out').toBeNull();
    expect(String(h)).toMatch(/^-?\d+$/);
    const n = BigInt(String(h));
    expect(n >= INT64_MIN && n <= INT64_MAX, `${h} is a signed 64-bit integer`).toBe(true);
    if (byInput.has(s)) expect(String(h), `same hash for ${s}`).toBe(byInput.get(s));
    byInput.set(s, String(h));
  });
  const distinct = [...byInput.values()];
  expect(new Set(distinct).size, 'different strings, different hashes').toBe(distinct.length);
}

describe.each(MATRIX_WAREHOUSES)('partials on %s', (warehouse) => {
  let adapter: Adapter;
  const { renderer, step } = fixtureRenderer(warehouse, fixtures);
  const run = (sql: string) => adapter.query(sql, { experiment: 'macro_fixtures', step: 'fixture' });

  beforeAll(async () => {
    adapter = await preparedAdapter(warehouse, 'exptrack_macro_fixtures', inputStatements(warehouse, fixtures));
  });
  afterAll(async () => adapter?.close());

  const cases = fixtures.flatMap((f) => f.cases.map((c, i) => ({ f, c, i, title: `${f.partial}: ${c.name}` })));
  it.each(cases)('$title', async ({ f, c, i }) => {
    const render = (reversed: boolean) => renderer.render(step(f, i), { table: tableName(f, i, reversed), args: Object.fromEntries(Object.entries(c.call).filter(([, v]) => typeof v === 'number')) });
    const rows = await run(render(false));
    if (f.check === 'hash') return checkHash(c, rows, await run(render(false)));
    checkValues(f, c, rows);
    // Order independence: the same rows inserted in reverse give the same answer.
    if (c.order_independent) expect(await run(render(true))).toEqual(rows);
  });
});
