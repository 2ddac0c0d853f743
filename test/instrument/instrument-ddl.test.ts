// `exptrack instrument`: the DDL of every demo spec for postgres, bigquery and snowflake parses with the
// independent SQL parsers in devDependencies, statement by statement; the JSON Schema and the rules
// follow the spec. (test/matrix/instrument-ddl-run.test.ts executes the DDL on DuckDB and Postgres.)
import { validate } from '@polyglot-sql/sdk';
import nodeSqlParser from 'node-sql-parser';
import { parse } from 'sql-parser-cst';
import { describe, expect, it } from 'vitest';
import { loadProjectConfig } from '../../src/config/project-config.js';
import { instrumentExperiment } from '../../src/instrument/instrument-spec.js';
import { PACKAGE_ROOT, TEMPLATES_DIR } from '../../src/package-info.js';
import { loadExperiments } from '../../src/spec/load-project.js';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { CLI, REPO_ROOT } from '../helpers/demo-project.js';

async function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [CLI, ...args], { env: { ...process.env, NO_COLOR: '1' } });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

const config = loadProjectConfig(REPO_ROOT);
const experiments = loadExperiments({ root: config.root, specsDir: config.paths.specs, modelsDir: config.paths.models, selectors: [] });
const parser = new nodeSqlParser.Parser();

/** The DDL's statements without their comment lines. */
function statements(ddl: string): string[] {
  return ddl
    .split('\n')
    .filter((l) => !l.startsWith('--'))
    .join('\n')
    .split(/;\s*\n/)
    .map((s) => s.trim().replace(/;$/, ''))
    .filter(Boolean);
}

// Snowflake's documented clustering key on a timestamp is a day expression (TO_DATE). polyglot accepts
// only plain columns there and node-sql-parser no CLUSTER BY at all: a statement may fail exactly at its
// CLUSTER BY, and must then parse with the clause reduced to plain columns (polyglot) or removed.
const plainClusterKeys = (s: string) => s.replace(/TO_DATE\(("[^"]+")\)/g, '$1');
const withoutCluster = (s: string) => s.replace(/\nCLUSTER BY \(.*\)$/s, '');

describe.each(experiments.map((e) => [e.id, e] as const))('exptrack instrument %s', (_id, exp) => {
  const ddl = (type: string) => instrumentExperiment(exp, type, TEMPLATES_DIR, PACKAGE_ROOT).ddl;

  it('postgres: CREATE SCHEMA, TABLE and INDEX parse with sql-parser-cst, node-sql-parser and polyglot', () => {
    const sql = ddl('postgres');
    const stmts = statements(sql);
    expect(stmts.filter((s) => s.startsWith('CREATE TABLE')).length).toBeGreaterThanOrEqual(2);
    expect(stmts.filter((s) => s.startsWith('CREATE INDEX')).length).toBeGreaterThanOrEqual(4);
    for (const s of stmts) {
      expect(() => parse(s, { dialect: 'postgresql' }), s).not.toThrow();
      expect(() => parser.astify(s, { database: 'postgresql' }), s).not.toThrow();
      expect(validate(s, 'postgres').errors, s).toEqual([]);
    }
  });

  it('bigquery: tables partitioned by day and clustered, parsed by sql-parser-cst, polyglot and node-sql-parser', () => {
    const stmts = statements(ddl('bigquery'));
    const tables = stmts.filter((s) => s.startsWith('CREATE TABLE'));
    for (const t of tables) expect(t).toMatch(/\)\nPARTITION BY DATE\(`\w+`\)\nCLUSTER BY `\w+`/);
    for (const s of stmts) {
      expect(() => parse(s, { dialect: 'bigquery' }), s).not.toThrow();
      expect(validate(s, 'bigquery').errors, s).toEqual([]);
    }
    // node-sql-parser 5 crashes on any BigQuery CREATE SCHEMA (a TypeError inside the parser), so only tables.
    for (const t of tables) expect(() => parser.astify(t, { database: 'bigquery' }), t).not.toThrow();
  });

  it('snowflake: tables with clustering keys, parsed by polyglot and node-sql-parser', () => {
    const stmts = statements(ddl('snowflake'));
    const tables = stmts.filter((s) => s.startsWith('CREATE TABLE'));
    expect(tables.length).toBeGreaterThanOrEqual(2);
    for (const s of stmts) {
      if (s.includes('CLUSTER BY')) {
        expect(s).toMatch(/\nCLUSTER BY \(TO_DATE\("\w+"\)(, "\w+")+\)$/);
        const v = validate(s, 'snowflake');
        if (!v.valid) expect(s.slice(0, v.errors[0].start)).toMatch(/CLUSTER BY \(TO_DATE$/);
        expect(validate(plainClusterKeys(s), 'snowflake').errors, s).toEqual([]);
        expect(() => parser.astify(withoutCluster(s), { database: 'snowflake' }), s).not.toThrow();
      } else {
        expect(validate(s, 'snowflake').errors, s).toEqual([]);
        expect(() => parser.astify(s, { database: 'snowflake' }), s).not.toThrow();
      }
    }
  });

  it("types each column as the models declare it, and makes the exposure source's key columns NOT NULL", () => {
    const sql = ddl('snowflake');
    const x = exp.exposure.source;
    for (const c of [x.unitColumn, x.experimentKeyColumn!, x.variantColumn!]) expect(sql).toContain(`"${c}" VARCHAR NOT NULL`);
    expect(sql).toContain(`"${x.timestamp}" TIMESTAMP_NTZ NOT NULL`);
    for (const [name, type] of Object.entries(x.columns)) expect(sql).toContain(`"${name}" ${{ string: 'VARCHAR', number: 'FLOAT', boolean: 'BOOLEAN', timestamp: 'TIMESTAMP_NTZ' }[type]},`.replace(/,$/, ''));
  });

  it('gives a JSON Schema of the tracking envelope whose exposure branch names the experiment and its variants', () => {
    const { eventSchema, checklist } = instrumentExperiment(exp, 'duckdb', TEMPLATES_DIR, PACKAGE_ROOT);
    const s = eventSchema as { required: string[]; properties: Record<string, unknown>; allOf: { then: { properties: { experiment_id: { const: string }; variant: { enum: string[] } } } }[] };
    expect(Object.keys(s.properties)).toEqual(['experiment_id', 'unit_type', 'unit_id', 'variant', 'event_type', 'timestamp', 'properties']);
    expect(s.required).toEqual(['unit_id', 'event_type', 'timestamp']);
    expect(s.allOf[0].then.properties.experiment_id.const).toBe(exp.exposure.experimentKey);
    expect(s.allOf[0].then.properties.variant.enum).toEqual(exp.variants.map((v) => v.key));
    expect(checklist.join('\n')).toContain(`'${exp.exposure.experimentKey}'`);
  });
});

describe('the instrument command', () => {
  it('prints DDL, JSON Schema and rules, and --only ddl prints just the SQL', async () => {
    const md = await cli(['instrument', 'checkout_redesign', '--type', 'bigquery', '--project-dir', REPO_ROOT]);
    expect(md.code).toBe(0);
    expect(md.stdout).toMatch(/## Tables \(DDL\)\n\n```sql\n-- exptrack instrument checkout_redesign/);
    expect(md.stdout).toContain('## Tracking events (JSON Schema)');
    expect(md.stdout).toMatch(/## Tracking rules\n\n- \[ \] /);
    const only = await cli(['instrument', 'checkout_redesign', '--type', 'postgres', '--only', 'ddl', '--project-dir', REPO_ROOT]);
    expect(only.stdout.startsWith('-- exptrack instrument checkout_redesign')).toBe(true);
    expect(only.stdout).not.toContain('```');
  });

  it('refuses an unknown warehouse type with the known ones, exit 2', async () => {
    const r = await cli(['instrument', 'checkout_redesign', '--type', 'oracle', '--project-dir', REPO_ROOT]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/unknown warehouse 'oracle' \(known: .*duckdb/);
  });
});
