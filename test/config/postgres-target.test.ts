// `type: postgres` targets in exptrack.yaml: defaults, ${ENV_VAR} interpolation, errors with positions,
// and that knex/pg are not loaded until a Postgres adapter is created.
import { execFileSync } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { getTarget, loadProjectConfig } from '../../src/config/project-config.js';
import { ValidationError } from '../../src/spec/diagnostics.js';
import { REPO_ROOT, removeTempProjects, tempProject } from '../spec/fixture.js';

afterAll(removeTempProjects);

const config = (target: string) => `name: fixture
default_target: warehouse
targets:
  warehouse:
    type: postgres
${target}`;

describe('postgres target settings', () => {
  it('fills defaults and interpolates ${ENV_VAR}', () => {
    const root = tempProject({ config: config('    host: ${EXPTRACK_PG_HOST}\n    database: analytics\n    user: exptrack\n    schema: events\n') });
    const target = getTarget(loadProjectConfig(root, { EXPTRACK_PG_HOST: 'db.internal' }), undefined);
    expect(target.settings).toEqual({
      host: 'db.internal',
      port: 5432,
      database: 'analytics',
      user: 'exptrack',
      schema: 'events',
      password_env: 'PGPASSWORD',
      ssl: 'disable',
      query_timeout_seconds: 300,
      connect_timeout_seconds: 30,
      max_retries: 3,
      application_name: 'exptrack',
    });
  });

  it('refuses a password in the file, and unknown or missing settings, with line and column', () => {
    const root = tempProject({ config: config('    database: analytics\n    password: hunter2\n    ssl: maybe\n') });
    let diagnostics: ValidationError['diagnostics'] = [];
    try {
      loadProjectConfig(root, {});
    } catch (e) {
      diagnostics = (e as ValidationError).diagnostics;
    }
    const text = diagnostics.map((d) => `${d.line}:${d.column} ${d.field}: ${d.message}`).join('\n');
    expect(text).toMatch(/targets\.warehouse\.user/);
    expect(text).toMatch(/targets\.warehouse\.password: unknown field 'password'/);
    expect(text).toMatch(/8:10 targets\.warehouse\.ssl/);
    expect(text).not.toContain('hunter2');
  });

  it('loads knex and pg only when a Postgres adapter is created', () => {
    const script = `
      import { createRequire } from 'node:module';
      const req = createRequire(import.meta.url);
      const seen = () => ['knex', 'pg'].filter((m) => req.cache[req.resolve(m)] !== undefined);
      const { getWarehouse } = await import('./dist/src/warehouse/registry.js');
      const w = getWarehouse('postgres');
      const before = seen();
      const a = await w.createAdapter(w.configSchema.parse({ database: 'd', user: 'u' }), { projectRoot: '.', targetName: 't' });
      const after = seen();
      await a.close();
      console.log(JSON.stringify({ before, after }));`;
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], { cwd: REPO_ROOT, encoding: 'utf8' });
    expect(JSON.parse(out)).toEqual({ before: [], after: ['knex', 'pg'] });
  });
});
