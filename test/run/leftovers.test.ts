// What a killed or failed run leaves behind, and failing before any query when packages cannot be written.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { getTarget, loadProjectConfig } from '../../src/config/project-config.js';
import { checkReportsWritable, plainWriteError, ReportsNotWritableError } from '../../src/report/reports-writable.js';
import { runProject } from '../../src/run/run-project.js';
import { auditProject, runExperiment } from '../audit/audit-project.js';
import { CLI } from '../helpers/demo-project.js';

describe('staging folders left by a killed run', () => {
  it('are removed at the next run of the experiment, unless a live process owns them', async () => {
    const project = await auditProject();
    await runExperiment(project);
    const dir = join(project, 'reports', 'checkout_redesign');
    // A live process that is not this one: its staging folder must survive.
    const sleeper = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)']);
    try {
      const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' }).stdout;
      for (const n of [`.tmp-${dead}-aaaaaa`, '.tmp-bbbbbb', `.tmp-${sleeper.pid}-cccccc`]) {
        mkdirSync(join(dir, n, 'sql'), { recursive: true });
        writeFileSync(join(dir, n, 'report.md'), 'half');
      }
      await runExperiment(project);
      const hidden = readdirSync(dir).filter((n) => n.startsWith('.tmp-'));
      expect(hidden).toEqual([`.tmp-${sleeper.pid}-cccccc`]);
      expect(readdirSync(dir).filter((n) => /^\d{8}T/.test(n))).toHaveLength(2);
    } finally {
      sleeper.kill();
    }
  });
});

describe('an experiment folder without packages', () => {
  it('verifies as "no packages", alone or inside the reports folder, with exit 0', async () => {
    const project = await auditProject();
    await runExperiment(project);
    // What a first run that failed on a full disk leaves: the folder, a lock, a staging folder.
    const empty = join(project, 'reports', 'empty_one');
    mkdirSync(join(empty, '.tmp-1-zzzzzz'), { recursive: true });
    writeFileSync(join(empty, '.lock'), '{}');
    const alone = spawnSync(process.execPath, [CLI, 'verify', empty], { encoding: 'utf8' });
    expect(alone.status).toBe(0);
    expect(alone.stdout).toContain('0 package(s), 0 decision(s), unsigned (no packages)');
    const all = spawnSync(process.execPath, [CLI, 'verify', join(project, 'reports')], { encoding: 'utf8' });
    expect(all.stdout).not.toContain('MISSING');
    expect(all.status).toBe(0);
    expect(all.stdout).toMatch(/OK experiment .*empty_one: 0 package/);
    expect(all.stdout).toMatch(/OK experiment .*checkout_redesign: 1 package/);
  });
});

describe('a reports folder that cannot be written', () => {
  it('stops the run before the warehouse is opened, saying why', async () => {
    const project = await auditProject();
    const config = loadProjectConfig(project);
    // The warehouse file is gone too: had the run reached the warehouse, that would be the error.
    rmSync(join(project, 'target', 'demo.duckdb'));
    const blocker = join(project, 'not-a-folder');
    writeFileSync(blocker, '');
    let error: unknown;
    try {
      await runProject({ config, target: getTarget(config, undefined), selectors: ['checkout_redesign'], asOf: config.asOf!, reportsDir: join(blocker, 'reports') });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ReportsNotWritableError);
    expect((error as Error).message).toContain('a part of the path is a file, not a folder (ENOTDIR); nothing was run');
  });

  it('says "read-only file system" and "no space left" plainly', () => {
    const errno = (code: string) => Object.assign(new Error(`${code}: raw`), { code });
    expect(plainWriteError(errno('EROFS'))).toBe('read-only file system (EROFS)');
    expect(plainWriteError(errno('ENOSPC'))).toBe('no space left on the device (ENOSPC)');
    expect(plainWriteError(new Error('something else'))).toBe('something else');
  });

  it('leaves no trace: no probe file, and no folder it had to create', async () => {
    const project = await auditProject({});
    const dir = join(project, 'reports-x', 'inner');
    checkReportsWritable(dir);
    expect(existsSync(join(project, 'reports-x'))).toBe(false);
    mkdirSync(dir, { recursive: true });
    checkReportsWritable(dir);
    expect(readdirSync(dir)).toEqual([]);
  });
});
