// Golden SQL of a spec that reads an attribute table (a source without timestamp) as a dimension and
// as an audience filter; the demo specs do not, so the project is test/helpers/attribute-project.ts,
// compiled for every registered warehouse into test/golden-attributes/<warehouse>/. `npm run golden`
// rewrites the files; review the diff like code.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { warehouseNames } from '../../src/warehouse/registry.js';
import { ATTRIBUTE_AS_OF, ATTRIBUTE_SPEC_ID, writeAttributeProject } from '../helpers/attribute-project.js';
import { REPO_ROOT } from '../helpers/demo-project.js';
import { compileProject } from '../../src/compile/compile-project.js';
import { loadProjectConfig } from '../../src/config/project-config.js';
import { placeholderTarget } from './demo-compile.js';

const DIR = join(REPO_ROOT, 'test', 'golden-attributes');
const UPDATE = process.env.EXPTRACK_UPDATE_GOLDEN === '1';
const project = mkdtempSync(join(tmpdir(), 'exptrack-attr-golden-'));
writeAttributeProject(project, '  placeholder:\n    type: duckdb\n    path: unused.duckdb\n', 'placeholder');

describe.each(warehouseNames())('golden attribute-table SQL for %s', (warehouse) => {
  const compiled = compileProject(loadProjectConfig(project), placeholderTarget(warehouse), [], ATTRIBUTE_AS_OF).compiled[0];

  it('joins the attribute table once for the dimension, and fingerprints it without a time bound', () => {
    const metrics = compiled.steps.find((s) => s.name === 'metrics')!.sql;
    expect(metrics).toMatch(/dim_1_attribute\W? AS \(/);
    const fp = compiled.steps.find((s) => s.name === 'fingerprints')!.sql;
    expect(fp).toMatch(/an attribute table: no event time/);
  });

  it.each(compiled.steps.map((s) => [s.file, s.sql] as const))('%s matches its golden file', (file, sql) => {
    const path = join(DIR, warehouse, ATTRIBUTE_SPEC_ID, file);
    if (UPDATE) {
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, sql);
    }
    expect(existsSync(path), `${relative(REPO_ROOT, path)} is missing: run \`npm run golden\``).toBe(true);
    expect(readFileSync(path, 'utf8'), `${relative(REPO_ROOT, path)} differs: if intended, run \`npm run golden\``).toBe(sql);
  });
});
