import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createSqlRenderer } from '../../src/compile/sql-templates.js';
import { sha256 } from '../../src/util/digest.js';
import { getWarehouse } from '../../src/warehouse/registry.js';
import { removeTempProjects, tempProject } from '../spec/fixture.js';

/**
 * Compiled templates are kept for the process (src/compile/sql-templates.ts). A renderer created
 * later must still render the files as they are on disk and record their digests, as a renderer
 * created in a fresh process would.
 */
describe('compiled SQL templates kept for the process', () => {
  afterAll(removeTempProjects);
  const duckdb = getWarehouse('duckdb');
  const postgres = getWarehouse('postgres');

  function templates(files: Record<string, string>): { root: string; dir: string; write: (path: string, text: string) => void } {
    const root = tempProject();
    const dir = join(root, 'templates');
    const write = (path: string, text: string) => {
      mkdirSync(join(dir, 'sql', path, '..'), { recursive: true });
      writeFileSync(join(dir, 'sql', path), text);
    };
    for (const [path, text] of Object.entries(files)) write(path, text);
    return { root, dir, write };
  }

  it('records every file it uses, also when another renderer compiled them first', () => {
    const { root, dir } = templates({ 'steps/s.sql.hbs': 'SELECT {{> p}} FROM {{table t}}\n', 'default/p.sql.hbs': 'a, {{> q}}', 'default/q.sql.hbs': '{{lit v}}' });
    const first = createSqlRenderer(dir, 'duckdb', duckdb.dialect, root);
    const second = createSqlRenderer(dir, 'duckdb', duckdb.dialect, root);
    expect(first.render('s', { t: 'main.t', v: 'x' })).toBe(`SELECT a, 'x' FROM "main"."t"`);
    expect(second.render('s', { t: 'main.t', v: "it's" })).toBe(`SELECT a, 'it''s' FROM "main"."t"`);
    expect([...second.files.entries()]).toEqual([...first.files.entries()]);
    expect(second.files.get(join('templates', 'sql', 'default', 'q.sql.hbs'))).toBe(sha256('{{lit v}}'));
  });

  it('renders a template or partial edited since, with its new digest', () => {
    const { root, dir, write } = templates({ 'steps/s.sql.hbs': 'SELECT {{> p}}\n', 'default/p.sql.hbs': 'old_column' });
    expect(createSqlRenderer(dir, 'duckdb', duckdb.dialect, root).render('s', {})).toBe('SELECT old_column');
    write('default/p.sql.hbs', 'new_column');
    write('steps/s.sql.hbs', 'SELECT {{> p}}, 2\n');
    const later = createSqlRenderer(dir, 'duckdb', duckdb.dialect, root);
    expect(later.render('s', {})).toBe('SELECT new_column, 2');
    expect(later.files.get(join('templates', 'sql', 'default', 'p.sql.hbs'))).toBe(sha256('new_column'));
  });

  it('picks up a warehouse partial added since, and keeps dialects apart', () => {
    const { root, dir, write } = templates({ 'steps/s.sql.hbs': 'SELECT {{> p}} FROM {{table t}}\n', 'default/p.sql.hbs': 'shared' });
    expect(createSqlRenderer(dir, 'duckdb', duckdb.dialect, root).render('s', { t: 'a.b' })).toBe('SELECT shared FROM "a"."b"');
    write('duckdb/p.sql.hbs', 'duckdb_only');
    expect(createSqlRenderer(dir, 'duckdb', duckdb.dialect, root).render('s', { t: 'a.b' })).toBe('SELECT duckdb_only FROM "a"."b"');
    expect(createSqlRenderer(dir, 'postgres', postgres.dialect, root).render('s', { t: 'a.b' })).toBe('SELECT shared FROM "a"."b"');
    rmSync(join(dir, 'sql', 'duckdb', 'p.sql.hbs'));
    expect(createSqlRenderer(dir, 'duckdb', duckdb.dialect, root).render('s', { t: 'a.b' })).toBe('SELECT shared FROM "a"."b"');
  });
});
