// `npm start` builds the demo warehouse when absent. A warehouse built by an older release would also be
// "present" yet lack the rows of demo experiments added since (their reports came out empty), so the
// build leaves a marker naming the generator, and `exptrack demo` rebuilds when the marker differs.
import { execFile } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { demoDataCurrent, demoGeneratorFile, demoGeneratorId } from '../../src/demo/build-demo-data.js';
import { CLI, REPO_ROOT } from '../helpers/demo-project.js';

const run = promisify(execFile);
const project = mkdtempSync(join(tmpdir(), 'exptrack-demo-marker-'));
copyFileSync(join(REPO_ROOT, 'exptrack.yaml'), join(project, 'exptrack.yaml'));
const db = join(project, 'target', 'demo.duckdb');
const demo = async () => (await run('node', [CLI, 'demo', '--data-only', '--project-dir', project])).stderr;

afterAll(() => rmSync(project, { recursive: true, force: true }));

describe('the demo generator marker', () => {
  it('differs by seed and scale, and is stable for the same options', () => {
    expect(demoGeneratorId()).toBe(demoGeneratorId({ seed: undefined, scale: 1 }));
    expect(demoGeneratorId({ seed: 7 })).not.toBe(demoGeneratorId());
    expect(demoGeneratorId({ scale: 0.5 })).not.toBe(demoGeneratorId());
  });

  it('is written by a build, kept when current, and a different marker makes `exptrack demo` rebuild', async () => {
    expect(demoDataCurrent(db)).toBe(false);
    expect(await demo()).toMatch(/^building demo warehouse/);
    expect(readFileSync(demoGeneratorFile(db), 'utf8').trim()).toBe(demoGeneratorId());
    expect(demoDataCurrent(db)).toBe(true);

    expect(await demo()).toMatch(/^using demo warehouse/);

    writeFileSync(demoGeneratorFile(db), 'built-by-an-older-release\n');
    expect(demoDataCurrent(db)).toBe(false);
    expect(await demo()).toMatch(/built by another version of the demo generator; rebuilding demo warehouse/);
    expect(demoDataCurrent(db)).toBe(true);

    // A warehouse with no marker at all (built before markers existed) is rebuilt too.
    rmSync(demoGeneratorFile(db));
    expect(await demo()).toMatch(/another version of the demo generator; rebuilding/);
  }, 120_000);
});
