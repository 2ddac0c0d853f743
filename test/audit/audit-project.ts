import { generateKeyPairSync } from 'node:crypto';
import { appendFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { getTarget, loadProjectConfig } from '../../src/config/project-config.js';
import { runProject } from '../../src/run/run-project.js';
import { demoProject } from '../helpers/demo-project.js';

export const KEY_ENV = 'EXPTRACK_TEST_SIGNING_KEY';

/** A fresh Ed25519 private key in a temp PEM file; returns its path. */
export function newSigningKey(): string {
  const { privateKey } = generateKeyPairSync('ed25519');
  const path = join(mkdtempSync(join(tmpdir(), 'exptrack-key-')), 'key.pem');
  writeFileSync(path, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
  return path;
}

/** The demo project with its warehouse; with `signing`, exptrack.yaml signs with the key in KEY_ENV. */
export async function auditProject(opts: { signing?: boolean } = {}): Promise<string> {
  const dir = await demoProject();
  if (opts.signing) appendFileSync(join(dir, 'exptrack.yaml'), `signing: { key_env: ${KEY_ENV} }\n`);
  return dir;
}

/** Runs one experiment in-process and returns its package directory. */
export async function runExperiment(project: string, experiment = 'checkout_redesign', asOf?: string): Promise<string> {
  const config = loadProjectConfig(project);
  const summary = await runProject({ config, target: getTarget(config, undefined), selectors: [experiment], asOf: asOf ?? config.asOf! });
  return summary.experiments[0].packageDir;
}

/** Changes the demo warehouse (read-write, then closed so runs can open it again). */
export async function execWarehouse(project: string, sql: string): Promise<void> {
  const instance = await DuckDBInstance.create(join(project, 'target', 'demo.duckdb'));
  const c = await instance.connect();
  try {
    await c.run(sql);
  } finally {
    c.closeSync();
    instance.closeSync();
  }
}
