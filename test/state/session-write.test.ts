// Where DDL cannot join a transaction (BigQuery, Snowflake), the state write is split: DDL before BEGIN,
// DML inside, temporary-table drops left to the session's end (src/state/state-plan.ts sessionWrite). For
// every demo spec, rebuild and incremental: no DDL inside, nothing on a permanent state table before BEGIN
// in an incremental refresh (so a crash keeps the previous state), and the runner no longer falls back.
import { describe, expect, it } from 'vitest';
import { createSqlRenderer } from '../../src/compile/sql-templates.js';
import { PACKAGE_ROOT, TEMPLATES_DIR } from '../../src/package-info.js';
import { createStateRunner } from '../../src/state/state-runner.js';
import { compileStateRefresh, sessionWrite, statementKind } from '../../src/state/state-plan.js';
import { getWarehouse } from '../../src/warehouse/registry.js';
import type { Adapter } from '../../src/warehouse/types.js';
import { compileDemoFor, GOLDEN_AS_OF } from '../golden/demo-compile.js';

describe.each(['bigquery', 'snowflake'] as const)('the %s state write in a session', (name) => {
  const warehouse = getWarehouse(name);
  const renderer = createSqlRenderer(TEMPLATES_DIR, name, warehouse.dialect, PACKAGE_ROOT);
  const loc = { schemaRef: 'analytics_state' };
  const plans = compileDemoFor(name).experiments.flatMap((exp) =>
    ([null, '2026-10-30T00:00:00.000Z'] as const).map((stored) => ({
      exp,
      plan: compileStateRefresh({ exp, asOf: GOLDEN_AS_OF, dialect: warehouse.dialect, renderer, loc, storedWatermark: stored, lateLookbackSeconds: 86_400, fingerprint: 'f', runId: 'r', toolVersion: 't' }),
    })),
  );

  it('keeps DDL out of the transaction and every permanent table out of the pre-BEGIN DDL of an incremental refresh', () => {
    for (const { exp, plan } of plans) {
      const w = sessionWrite(plan.write);
      const where = `${exp.id} ${plan.mode}`;
      expect(w.inside.length, where).toBeGreaterThan(0);
      expect(w.inside.map(statementKind).filter((k) => k === 'ddl'), where).toEqual([]);
      expect(w.after.every((s) => /DROP TABLE IF EXISTS [`"]exptrack_\w+[`"]\s*$/.test(s)), where).toBe(true);
      // Each statement once, in its order within each part.
      expect(w.before.length + w.inside.length + w.after.length, where).toBe(plan.write.length);
      // An incremental refresh may only create temporary tables, and the sources table if it is missing.
      if (plan.mode === 'incremental') for (const s of w.before) expect(s, where).toMatch(/CREATE (OR REPLACE )?TEMP(ORARY)? TABLE|DROP TABLE IF EXISTS [`"]exptrack_\w+[`"]\s*$|CREATE TABLE IF NOT EXISTS \S+_sources[`"] AS SELECT \* FROM \S+ WHERE 1 = 0/);
      expect(plan.claim.map(statementKind), where).toEqual(['dml', 'query']);
      expect(plan.forget.map(statementKind), where).toEqual(['dml']);
    }
  });

  it('refreshes through the adapter session instead of falling back', async () => {
    const exp = plans[0].exp;
    const sessions: string[] = [];
    const adapter: Adapter = {
      query: async () => [],
      // A session that fails at once: the runner got past the fallback and asked for one.
      session: async () => {
        sessions.push(exp.id);
        throw new Error('no warehouse here');
      },
      close: async () => undefined,
    };
    const runner = createStateRunner({
      target: { name: 't', type: name, settings: {}, unsetVariables: [], state: { writeSchema: 'ds', incremental: true, lateLookbackSeconds: null, concurrency: null } },
      warehouse,
      adapter,
      fullRefresh: false,
    });
    await expect(runner.refresh(exp, GOLDEN_AS_OF, 'r', { experiment: exp.id, step: 'state' })).rejects.toThrow(/no warehouse here/);
    expect(sessions).toEqual([exp.id]);
  });
});

it('classifies statements by their first keyword after the header comments', () => {
  expect(statementKind('-- a\n-- b\nCREATE TEMP TABLE x AS SELECT 1\n')).toBe('ddl');
  expect(statementKind('-- a\nDELETE FROM t WHERE TRUE\n')).toBe('dml');
  expect(statementKind('WITH x AS (SELECT 1) SELECT * FROM x')).toBe('query');
  expect(sessionWrite(['-- h\nDROP TABLE IF EXISTS t', 'INSERT INTO a SELECT 1', 'CREATE TEMP TABLE s AS SELECT 1', 'DELETE FROM b WHERE TRUE', 'DROP TABLE IF EXISTS s'])).toEqual({
    before: ['-- h\nDROP TABLE IF EXISTS t', 'CREATE TEMP TABLE s AS SELECT 1'],
    inside: ['INSERT INTO a SELECT 1', 'DELETE FROM b WHERE TRUE'],
    after: ['DROP TABLE IF EXISTS s'],
  });
});
