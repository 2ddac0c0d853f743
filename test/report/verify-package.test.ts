import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { getTarget, loadProjectConfig } from '../../src/config/project-config.js';
import { runProject } from '../../src/run/run-project.js';
import { verifyPackage } from '../../src/report/verify-package.js';
import { writeDirectoryAtomically } from '../../src/util/atomic-write.js';
import { demoProject } from '../helpers/demo-project.js';

let pkg: string;

function files(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const n of readdirSync(d)) {
      const p = join(d, n);
      if (statSync(p).isDirectory()) walk(p);
      else out.push(relative(dir, p).split(sep).join('/'));
    }
  };
  walk(dir);
  return out.sort();
}

function copyOfPackage(): string {
  const dir = join(mkdtempSync(join(tmpdir(), 'exptrack-tamper-')), 'pkg');
  cpSync(pkg, dir, { recursive: true });
  return dir;
}

beforeAll(async () => {
  const project = await demoProject();
  const config = loadProjectConfig(project);
  const summary = await runProject({ config, target: getTarget(config, undefined), selectors: ['checkout_redesign'], asOf: config.asOf! });
  pkg = summary.experiments[0].packageDir;
});

describe('verify', () => {
  it('lists every file of the package and passes on an untouched copy', () => {
    const list = files(pkg);
    expect(list).toEqual(expect.arrayContaining(['SHA256SUMS', 'manifest.json', 'report.md', 'results.json', 'sql/01_exposures.sql', 'sql/02_metrics.sql', 'sql/03_sources.sql', 'spec/checkout_redesign.yaml', 'models/metrics.yaml']));
    const v = verifyPackage(copyOfPackage());
    expect(v.ok).toBe(true);
    expect(v.files).toBe(list.length);
  });

  it('fails after any single byte of any file is changed, naming that file', () => {
    for (const file of files(pkg)) {
      const size = statSync(join(pkg, file)).size;
      // First, middle and last byte of every file.
      for (const at of [...new Set([0, Math.floor(size / 2), size - 1])]) {
        const dir = copyOfPackage();
        const bytes = readFileSync(join(dir, file));
        bytes[at] = bytes[at] === 0x41 ? 0x42 : 0x41;
        writeFileSync(join(dir, file), bytes);
        const v = verifyPackage(dir);
        expect(v.ok, `${file} byte ${at}`).toBe(false);
        expect(v.problems.map((p) => p.file), `${file} byte ${at}`).toContain(file);
        rmSync(dir, { recursive: true });
      }
    }
  });

  it('names a missing file', () => {
    const dir = copyOfPackage();
    rmSync(join(dir, 'sql', '02_metrics.sql'));
    const v = verifyPackage(dir);
    expect(v.ok).toBe(false);
    expect(v.problems).toContainEqual(expect.objectContaining({ file: 'sql/02_metrics.sql', kind: 'missing' }));
  });

  it('names an added file', () => {
    const dir = copyOfPackage();
    writeFileSync(join(dir, 'sql', '04_extra.sql'), 'select 1;\n');
    const v = verifyPackage(dir);
    expect(v.problems).toContainEqual(expect.objectContaining({ file: 'sql/04_extra.sql', kind: 'added' }));
  });

  it('catches a file replaced together with its line in SHA256SUMS, through manifest.json', () => {
    const dir = copyOfPackage();
    const forged = '# forged\n';
    writeFileSync(join(dir, 'report.md'), forged);
    const digest = createHash('sha256').update(forged).digest('hex');
    const sums = readFileSync(join(dir, 'SHA256SUMS'), 'utf8').replace(/^[0-9a-f]{64} {2}report\.md$/m, `${digest}  report.md`);
    writeFileSync(join(dir, 'SHA256SUMS'), sums);
    const v = verifyPackage(dir);
    expect(v.ok).toBe(false);
    expect(v.problems).toContainEqual(expect.objectContaining({ file: 'report.md', kind: 'changed' }));
  });

  it('catches edited numbers even when every digest is recomputed, through the data digest', () => {
    const dir = copyOfPackage();
    const results = JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8'));
    results.data.metrics[0].units += 1;
    writeFileSync(join(dir, 'results.json'), `${JSON.stringify(results, null, 2)}\n`);
    const v = verifyPackage(dir);
    expect(v.problems.map((p) => p.file)).toContain('results.json');
  });

  it('reports a directory without SHA256SUMS, and a path that is not a package', () => {
    const dir = copyOfPackage();
    rmSync(join(dir, 'SHA256SUMS'));
    expect(verifyPackage(dir).problems).toContainEqual(expect.objectContaining({ file: 'SHA256SUMS', kind: 'missing' }));
    expect(verifyPackage(join(dir, 'nope')).ok).toBe(false);
  });
});

describe('atomic package writes', () => {
  it('leaves neither the target nor a temporary directory when a write fails midway', () => {
    const parent = mkdtempSync(join(tmpdir(), 'exptrack-atomic-'));
    const target = join(parent, 'run-1');
    // The second entry cannot be written: its parent path is a file.
    const entries = new Map<string, string>([['a.txt', 'a'], ['a.txt/b.txt', 'b']]);
    expect(() => writeDirectoryAtomically(target, entries)).toThrow();
    expect(existsSync(target)).toBe(false);
    expect(readdirSync(parent)).toEqual([]);
  });

  it('refuses to overwrite an existing package', () => {
    const parent = mkdtempSync(join(tmpdir(), 'exptrack-atomic-'));
    const target = join(parent, 'run-1');
    writeDirectoryAtomically(target, new Map([['x.txt', 'first']]));
    expect(() => writeDirectoryAtomically(target, new Map([['x.txt', 'second']]))).toThrow();
    expect(readFileSync(join(target, 'x.txt'), 'utf8')).toBe('first');
    expect(readdirSync(parent)).toEqual(['run-1']);
  });
});
