import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { describe, expect, it } from 'vitest';
import { getTarget, loadProjectConfig } from '../../src/config/project-config.js';
import { getWarehouse } from '../../src/warehouse/registry.js';

// threads, memory_limit and temp_directory from exptrack.yaml must reach the DuckDB session that runs
// the queries: read back from duckdb_settings() through the adapter itself.
async function sessionSettings(target: Record<string, unknown>): Promise<{ root: string; settings: Record<string, string> }> {
  const root = mkdtempSync(join(tmpdir(), 'exptrack-duckdb-settings-'));
  const db = await DuckDBInstance.create(join(root, 'w.duckdb'));
  db.closeSync();
  const yaml = Object.entries({ type: 'duckdb', path: 'w.duckdb', ...target }).map(([k, v]) => `    ${k}: ${v}`).join('\n');
  writeFileSync(join(root, 'exptrack.yaml'), `name: t\ndefault_target: local\ntargets:\n  local:\n${yaml}\n`);
  const config = loadProjectConfig(root, {});
  const t = getTarget(config, undefined);
  const adapter = await getWarehouse(t.type).createAdapter(t.settings, { projectRoot: root, targetName: t.name });
  try {
    const rows = await adapter.query("SELECT name, value FROM duckdb_settings() WHERE name IN ('threads', 'memory_limit', 'temp_directory')", { experiment: '-', step: 'settings' });
    return { root, settings: Object.fromEntries(rows.map((r) => [String(r.name), String(r.value)])) };
  } finally {
    await adapter.close();
  }
}

describe('DuckDB target settings', () => {
  it.each([
    { threads: 1, memory_limit: '512MB', temp_directory: 'spill', wantMemory: '488.2 MiB' },
    { threads: 3, memory_limit: '2GB', temp_directory: 'target/tmp', wantMemory: '1.8 GiB' },
  ])('applies threads $threads, memory_limit $memory_limit, temp_directory $temp_directory', async ({ wantMemory, ...target }) => {
    const { root, settings } = await sessionSettings(target);
    expect(settings.threads).toBe(String(target.threads));
    expect(settings.memory_limit).toBe(wantMemory);
    expect(settings.temp_directory).toBe(join(root, target.temp_directory));
  });

  it('leaves DuckDB defaults alone when the target sets nothing', async () => {
    const { root, settings } = await sessionSettings({});
    expect(settings.temp_directory).not.toBe(join(root, 'spill'));
    expect(Number(settings.threads)).toBeGreaterThan(0);
  });
});
