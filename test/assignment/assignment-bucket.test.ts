import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { assignmentShard, assignVariant, md5Hex, shardRanges } from '../../src/assignment/index.js';
import { REPO_ROOT } from '../helpers/demo-project.js';

const nodeMd5 = (s: string) => createHash('md5').update(s, 'utf8').digest('hex');

describe('md5Hex', () => {
  it('matches RFC 1321 test vectors', () => {
    expect(md5Hex('')).toBe('d41d8cd98f00b204e9800998ecf8427e');
    expect(md5Hex('abc')).toBe('900150983cd24fb0d6963f7d28e17f72');
    expect(md5Hex('message digest')).toBe('f96b697d7cb7938d525a2f31aaf161d0');
    expect(md5Hex('12345678901234567890123456789012345678901234567890123456789012345678901234567890')).toBe('57edf4a22be3c955ac49da2e2107b67a');
  });
  it("matches node:crypto on UTF-8 text of every length around the 64-byte block edges", () => {
    for (let n = 0; n < 200; n++) {
      const s = 'é€😀x'.repeat(n).slice(0, n);
      expect(md5Hex(s), `length ${n}`).toBe(nodeMd5(s));
    }
  });
});

describe('assignmentShard', () => {
  it("is Eppo's getShard: the first 8 hex digits of md5(salt-unit) mod shards", () => {
    for (const id of ['user_1', 'cr-000123', '42', 'Zürich']) {
      expect(assignmentShard('salt', id)).toBe(parseInt(nodeMd5(`salt-${id}`).slice(0, 8), 16) % 10_000);
      expect(assignmentShard('salt', id, 2 ** 32)).toBe(parseInt(nodeMd5(`salt-${id}`).slice(0, 8), 16));
    }
  });
  it('refuses a shard count that is not a positive integer', () => {
    expect(() => assignmentShard('s', 'u', 0)).toThrow(/totalShards/);
    expect(() => assignmentShard('s', 'u', 1.5)).toThrow(/totalShards/);
  });
});

describe('shardRanges and assignVariant', () => {
  it('gives contiguous ranges covering every shard, by cumulative weight', () => {
    expect(shardRanges([{ key: 'a', weight: 0.1 }, { key: 'b', weight: 0.2 }, { key: 'c', weight: 0.7 }])).toEqual([
      { variant: 'a', start: 0, end: 1000 },
      { variant: 'b', start: 1000, end: 3000 },
      { variant: 'c', start: 3000, end: 10_000 },
    ]);
    const r = shardRanges([{ key: 'a', weight: 1 / 3 }, { key: 'b', weight: 1 / 3 }, { key: 'c', weight: 1 / 3 }], 100);
    expect(r.map((x) => [x.start, x.end])).toEqual([[0, 33], [33, 67], [67, 100]]);
  });
  it('assigns each unit to the variant whose range holds its shard, the same on every call', () => {
    const variants = [{ key: 'control', weight: 0.5 }, { key: 'treatment', weight: 0.5 }];
    for (const id of ['a', 'b', 'c', 'd']) {
      const shard = assignmentShard('exp', id);
      expect(assignVariant('exp', id, variants)).toBe(shard < 5000 ? 'control' : 'treatment');
    }
    const changedSalt = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'].filter((id) => assignVariant('exp', id, variants) !== assignVariant('exp2', id, variants));
    expect(changedSalt.length).toBeGreaterThan(0);
  });
});

describe('the exptrack/assignment export', () => {
  it('imports nothing outside its folder, so an app can use it without the rest of exptrack', () => {
    const dir = join(REPO_ROOT, 'src', 'assignment');
    for (const f of readdirSync(dir)) {
      const imports = [...readFileSync(join(dir, f), 'utf8').matchAll(/from '([^']+)'/g)].map((m) => m[1]);
      expect(imports.filter((i) => !i.startsWith('./')), f).toEqual([]);
    }
  });
  it('is declared as a subpath export of the package and resolves by its package name', async () => {
    const pkg = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { exports: Record<string, string> };
    expect(pkg.exports['./assignment']).toBe('./dist/src/assignment/index.js');
    const mod = (await import('exptrack/assignment' as string)) as typeof import('../../src/assignment/index.js');
    expect(mod.assignmentShard('exp', 'user_1')).toBe(assignmentShard('exp', 'user_1'));
  });
});
