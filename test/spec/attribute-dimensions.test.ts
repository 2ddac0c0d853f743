// Spec `dimensions` naming an attribute table's column (`<source>.<column>`): resolved onto the
// table, and every wrong reference located at the list entry with what would be right.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BASE_SPEC, diagnosticsOf, load, removeTempProjects, tempProject } from './fixture.js';

const USERS = 'sources:\n  users:\n    table: main.users\n    units: { user: user_id }\n    columns: { plan: string, is_internal: boolean }\n';

function project(dimensions: string): string {
  const root = tempProject({ specs: { 's.yaml': `${BASE_SPEC}dimensions: ${dimensions}\n` } });
  writeFileSync(join(root, 'models', 'users.yaml'), USERS);
  return root;
}
const messages = (dimensions: string) => diagnosticsOf(project(dimensions)).map((d) => `${d.field}: ${d.message}`);

afterAll(removeTempProjects);

describe('attribute-table dimensions in a spec', () => {
  it('resolves users.plan onto the attribute table, beside an exposure dimension', () => {
    const [exp] = load(project('[country, users.plan]'));
    expect(exp.dimensions).toEqual(['country', 'users.plan']);
    expect(exp.attributeDimensions).toEqual([expect.objectContaining({ name: 'users.plan', column: 'plan', source: expect.objectContaining({ name: 'users', table: 'main.users', unitColumn: 'user_id', timestamp: null }) })]);
    expect(exp.modelFiles).toContain('models/users.yaml');
  });

  it('locates an unknown source, an unknown column, a source with a timestamp, and a bare name', () => {
    expect(messages('[user.plan]')).toEqual(["dimensions[0]: unknown source 'user'; did you mean 'users'?"]);
    expect(messages('[users.plann]')).toEqual(["dimensions[0]: unknown declared column 'plann' of source 'users'; did you mean 'plan'?"]);
    expect(messages('[web_events.event_name]')).toEqual(["dimensions[0]: source 'web_events' has a timestamp: only the exposure source's dimensions and attribute tables (no timestamp) can break results down"]);
    expect(messages('[plan]')[0]).toMatch(/^dimensions\[0\]: unknown dimension 'plan' of source 'exposures'.*; a column of an attribute table is written <source>\.<column> \(attribute tables: users\)$/);
  });
});
