import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { newRunId } from '../../src/report/write-package.js';
import { CLI } from '../helpers/demo-project.js';

const exec = promisify(execFile);

async function code(args: string[]): Promise<{ code: number; stderr: string }> {
  try {
    await exec(process.execPath, [CLI, ...args]);
    return { code: 0, stderr: '' };
  } catch (e) {
    const err = e as { code: number; stderr: string };
    return { code: err.code, stderr: err.stderr };
  }
}

describe('usage errors exit 2 (1 means a check failed)', () => {
  it.each([
    [['no-such-command']],
    [['run', '--no-such-option']],
    [['analyze']],
    [['decide', 'x']],
    [['plan', 'x', '--lookback']],
  ])('exptrack %j exits 2', async (args) => {
    const r = await code(args);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toMatch(/error:/);
  });

  it('help and version still exit 0', async () => {
    expect((await code(['--help'])).code).toBe(0);
    expect((await code(['run', '--help'])).code).toBe(0);
    expect((await code(['--version'])).code).toBe(0);
  });
});

describe('run ids', () => {
  it('sort by start time within one second, and stay unique in the same millisecond', () => {
    const t = Date.parse('2026-11-01T09:30:00.000Z');
    const ids = [t + 900, t + 5, t + 5, t + 5, t + 999].map((ms) => newRunId(new Date(ms)));
    expect(ids[0]).toMatch(/^20261101T093000\.900Z-[0-9a-f]{6}$/);
    // Made in this order in one process: the ids sort in the same order.
    const later = [t + 1000, t + 1001, t + 1001].map((ms) => newRunId(new Date(ms)));
    expect([...later].sort()).toEqual(later);
    expect(new Set([...ids, ...later]).size).toBe(8);
  });
});
