import { execFile, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { CLI } from '../helpers/demo-project.js';
import { auditProject } from './audit-project.js';

const exec = promisify(execFile);

async function cli(args: string[], cwd?: string): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await exec(process.execPath, [CLI, ...args], { cwd, env: { ...process.env, NO_COLOR: '1' } });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

let project: string;
beforeAll(async () => {
  project = await auditProject();
});

describe('audit commands', () => {
  it('two concurrent runs of one experiment give two complete packages, chained one after the other', async () => {
    const args = ['run', 'checkout_redesign', '--quiet', '--json', '--project-dir', project];
    const [a, b] = await Promise.all([cli(args), cli(args)]);
    expect([a.code, b.code]).toEqual([0, 0]);
    const dir = join(project, 'reports', 'checkout_redesign');
    const runs = readdirSync(dir).filter((n) => /^\d{8}T/.test(n));
    expect(runs.sort()).toEqual([JSON.parse(a.stdout).experiments[0].runId, JSON.parse(b.stdout).experiments[0].runId].sort());
    const seqs = runs.map((r) => JSON.parse(readFileSync(join(dir, r, 'manifest.json'), 'utf8')).chain.sequence).sort();
    expect(seqs).toEqual([1, 2]);
    expect(readdirSync(dir).filter((n) => n.startsWith('.'))).toEqual([]);
    const v = await cli(['verify', '--json', dir]);
    expect(v.code).toBe(0);
    expect(JSON.parse(v.stdout).experiments[0]).toMatchObject({ ok: true, chain: [] });
  });

  it('takes over a lock left by a dead process', async () => {
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']).stdout.toString();
    const lock = join(project, 'reports', 'checkout_redesign', '.lock');
    writeFileSync(lock, JSON.stringify({ pid: Number(dead), host: (await import('node:os')).hostname(), createdAt: new Date().toISOString() }));
    const r = await cli(['run', 'checkout_redesign', '--quiet', '--project-dir', project]);
    expect(r.code).toBe(0);
    expect(existsSync(lock)).toBe(false);
  });

  it('verify names a broken chain with exit 1; decide, list and archive work end to end; the archive verifies without the project', async () => {
    const dir = join(project, 'reports', 'checkout_redesign');
    const refused = await cli(['decide', 'checkout_redesign', '--decision', 'stop', '--by', 'ana', '--note', 'x', '--project-dir', project]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/overrides the recommendation ship with stop: pass --acknowledge/);
    const d = await cli(['decide', 'checkout_redesign', '--decision', 'ship', '--by', 'ana', '--note', 'clear win', '--json', '--project-dir', project]);
    expect(d.code).toBe(0);
    expect(JSON.parse(d.stdout).record).toMatchObject({ decision: 'ship', variant: 'one_page', sequence: 1 });

    const list = await cli(['list', '--json', '--project-dir', project]);
    expect(JSON.parse(list.stdout).experiments[0]).toMatchObject({ id: 'checkout_redesign', runs: 3, decision: { decision: 'ship' } });
    expect(readFileSync(join(project, 'reports', 'index.md'), 'utf8')).toContain('SHIP `one_page` by ana');

    const notConcluded = await cli(['run', 'homepage_aa', '--quiet', '--project-dir', project]);
    expect(notConcluded.code).toBe(0);
    const refusedArchive = await cli(['archive', 'homepage_aa', '--to', join(mkdtempSync(join(tmpdir(), 'exptrack-arch-')), 'a'), '--project-dir', project]);
    expect(refusedArchive.code).toBe(2);
    expect(refusedArchive.stderr).toContain('not concluded');

    const to = join(mkdtempSync(join(tmpdir(), 'exptrack-arch-')), 'checkout_redesign');
    const a = await cli(['archive', 'checkout_redesign', '--to', to, '--project-dir', project]);
    expect(a.code).toBe(0);
    // A clean machine: a folder with no exptrack.yaml, specs, models or warehouse anywhere above it.
    const clean = mkdtempSync(join(tmpdir(), 'exptrack-clean-'));
    cpSync(to, join(clean, 'archive'), { recursive: true });
    const ok = await cli(['verify', 'archive'], clean);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/^OK experiment archive: 3 package\(s\), 1 decision\(s\)/);
    // Deleting the newest package and its chain.log line is still caught by ARCHIVE.json.
    const last = readdirSync(join(clean, 'archive')).find((n) => /^\d{8}T/.test(n) && JSON.parse(readFileSync(join(clean, 'archive', n, 'manifest.json'), 'utf8')).chain.sequence === 3)!;
    rmSync(join(clean, 'archive', last), { recursive: true });
    writeFileSync(join(clean, 'archive', 'chain.log'), readFileSync(join(clean, 'archive', 'chain.log'), 'utf8').split('\n').filter((l) => !l.includes(last)).join('\n'));
    const bad = await cli(['verify', '--json', 'archive'], clean);
    expect(bad.code).toBe(1);
    expect(JSON.parse(bad.stdout).experiments[0].chain).toContainEqual(expect.objectContaining({ subject: last, kind: 'missing' }));

    // The first package in chain order (run ids of runs in the same second do not sort by time).
    const first = readdirSync(dir).find((n) => /^\d{8}T/.test(n) && JSON.parse(readFileSync(join(dir, n, 'manifest.json'), 'utf8')).chain.sequence === 1)!;
    rmSync(join(dir, first), { recursive: true });
    const broken = await cli(['verify', join(project, 'reports')]);
    expect(broken.code).toBe(1);
    expect(broken.stdout).toMatch(/CHAIN MISSING/);
  });

  it('a run with signing configured but no key exits 2, names the variable and writes nothing', async () => {
    const signed = await auditProject({ signing: true });
    const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1' };
    delete env.EXPTRACK_TEST_SIGNING_KEY;
    const r = await exec(process.execPath, [CLI, 'run', 'checkout_redesign', '--project-dir', signed], { env }).catch((e: { code: number; stderr: string }) => e);
    expect((r as { code: number }).code).toBe(2);
    expect((r as { stderr: string }).stderr).toContain('EXPTRACK_TEST_SIGNING_KEY is not set');
    expect(existsSync(join(signed, 'reports'))).toBe(false);
  });

  it('verify --rerun exits 0 when reproduced; decide without a project exits 2', async () => {
    const dir = join(project, 'reports', 'homepage_aa');
    const pkg = join(dir, readdirSync(dir).filter((n) => /^\d{8}T/.test(n))[0]);
    const r = await cli(['verify', pkg, '--rerun', '--json', '--project-dir', project]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).reruns[0]).toMatchObject({ inputs: { same: true }, results: { same: true } });
    const none = await cli(['decide', 'x', '--decision', 'ship', '--by', 'a', '--note', 'b'], mkdtempSync(join(tmpdir(), 'exptrack-none-')));
    expect(none.code).toBe(2);
  });
});
