import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseSummaryCsv } from '../../src/summary-input/read-summary-file.js';
import { CLI } from '../helpers/demo-project.js';

const analyze = (args: string[], input?: string) => {
  const r = spawnSync(process.execPath, [CLI, 'analyze', ...args], { input, encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
};

describe('analyze reads the column names people use', () => {
  it('maps users/conversions and sum/sum_of_squares to the same statistics as exptrack names', () => {
    const canonical = parseSummaryCsv('a.csv', 'variant,units,conversions\nA,1000,100\nB,1000,130\n');
    expect(parseSummaryCsv('b.csv', 'variant,users,conversions\nA,1000,100\nB,1000,130\n')).toEqual(canonical);
    expect(parseSummaryCsv('c.csv', 'Arm,Visitors,Successes\nA,1000,100\nB,1000,130\n')).toEqual(canonical);
    const means = parseSummaryCsv('d.csv', 'variant,n,sum,sum_squares\nA,50,120.5,400.25\nB,50,130,420\n');
    expect(parseSummaryCsv('e.csv', 'variant,count,sum,sum_of_squares\nA,50,120.5,400.25\nB,50,130,420\n')).toEqual(means);
  });

  it('lists unknown extra columns as ignored, with a did-you-mean, and still analyses', () => {
    const notes: string[] = [];
    const m = parseSummaryCsv('f.csv', 'variant,users,conversions,segment,convertions\nA,1000,100,x,0.1\nB,1000,130,y,0.13\n', undefined, (n) => notes.push(n));
    expect(m[0].arms.map((a) => a.stats.n)).toEqual([1000, 1000]);
    expect(notes).toEqual(["f.csv:1: column 'segment' ignored (not a summary column)", "f.csv:1: column 'convertions' ignored (not a summary column; did you mean 'conversions'?)"]);
  });

  it('suggests the misspelt column when a required one is missing; two columns for one meaning is an error', () => {
    expect(() => parseSummaryCsv('g.csv', 'varaint,users,conversions\nA,1,1\nB,1,1\n')).toThrow("missing column variant (header has: varaint, users, conversions); did you mean 'varaint'?");
    expect(() => parseSummaryCsv('h.csv', 'variant,users,units,conversions\nA,1,1,1\nB,1,1,1\n')).toThrow("columns 'users' and 'units' both mean units");
  });

  it('`-` reads CSV or JSON from stdin, with the same numbers as the file', () => {
    const csv = 'variant,users,conversions,note\ncontrol,1000,100,a\ntreatment,1000,130,b\n';
    const dir = mkdtempSync(join(tmpdir(), 'exptrack-analyze-'));
    writeFileSync(join(dir, 's.csv'), csv);
    const fromFile = analyze([join(dir, 's.csv'), '--json']);
    const fromStdin = analyze(['-', '--json'], csv);
    expect(fromStdin.code, fromStdin.stderr).toBe(0);
    expect(fromStdin.stderr).toContain("stdin:1: column 'note' ignored");
    const strip = (s: string) => JSON.parse(s).metrics;
    expect(strip(fromStdin.stdout)).toEqual(strip(fromFile.stdout));
    const json = analyze(['-', '--json'], JSON.stringify([{ variant: 'control', users: 1000, conversions: 100 }, { variant: 'treatment', users: 1000, conversions: 130 }]));
    expect(strip(json.stdout)).toEqual(strip(fromFile.stdout));
  });
});
