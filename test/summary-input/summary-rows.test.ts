import { describe, expect, it } from 'vitest';
import { parseSummaryCsv, parseSummaryJson } from '../../src/summary-input/read-summary-file.js';
import { analyzeSummary, DEFAULT_ANALYZE_OPTIONS } from '../../src/summary-input/summary-analysis.js';
import { compareTreatment } from '../../src/stats/index.js';

const bad = (csv: string) => () => parseSummaryCsv('summary.csv', csv);

describe('summary CSV', () => {
  it('reads proportions, means and ratios, control first', () => {
    const p = parseSummaryCsv('s.csv', 'variant,units,conversions\ncontrol,28,14\nb,30,16\n');
    expect(p).toHaveLength(1);
    expect(p[0]).toMatchObject({ name: 'metric', kind: 'proportion', control: 'control' });
    expect(p[0].arms[1].stats).toEqual({ kind: 'proportion', n: 30, y: { sum: 16, sumSquares: 16 } });

    const r = parseSummaryCsv('s.csv', 'metric,variant,units,sum,sum_squares,denominator_sum,denominator_sum_squares,numerator_denominator_sum\nrpo,a,3,12,56,5,9,22\nrpo,b,3,13,60,5,9,23\n');
    expect(r[0].kind).toBe('ratio');
    expect(r[0].arms[0].stats.d).toEqual({ sum: 5, sumSquares: 9 });
  });

  it('groups rows by metric and honours a control column or --control', () => {
    const csv = 'metric,variant,control,units,conversions\nm1,b,,100,10\nm1,a,yes,100,12\nm2,a,true,50,5\nm2,b,false,50,6\n';
    const ms = parseSummaryCsv('s.csv', csv);
    expect(ms.map((m) => [m.name, m.control])).toEqual([['m1', 'a'], ['m2', 'a']]);
    expect(parseSummaryCsv('s.csv', 'variant,units,conversions\nb,10,1\na,10,2\n', 'a')[0].arms.map((a) => a.variant)).toEqual(['a', 'b']);
  });

  it('gives the numbers compareTreatment gets from the same sums', () => {
    const ms = parseSummaryCsv('s.csv', 'variant,units,sum,sum_squares\nA,3407,1396.87,52377.9767\nB,3461,2422.7,134698.29\n');
    const r = analyzeSummary('s.csv', ms, DEFAULT_ANALYZE_OPTIONS);
    const direct = compareTreatment(ms[0].arms[0].stats, ms[0].arms[1].stats);
    expect(r.metrics[0].comparisons[0].relative.pValue).toBe(direct.relative.pValue);
    expect(r.metrics[0].comparisons[0].relative.pValueAdjusted).toBe(direct.relative.pValue);
  });

  it('reads covariate columns and applies CUPED', () => {
    const csv = 'variant,units,sum,sum_squares,covariate_sum,covariate_sum_squares,value_covariate_sum\nA,4,12,44,10,30,35\nB,4,20,106,10,30,54\n';
    const r = analyzeSummary('s.csv', parseSummaryCsv('s.csv', csv), DEFAULT_ANALYZE_OPTIONS);
    expect(r.metrics[0].comparisons[0].cuped).not.toBeNull();
  });

  it('names file, line and column for bad cells', () => {
    expect(bad('variant,units,sum,sum_squares\nA,10,5,10\nB,10,5,abc\n')).toThrow('summary.csv:3: column sum_squares: not a number ("abc")');
    expect(bad('variant,units,conversions\nA,-5,1\nB,10,1\n')).toThrow('summary.csv:2: column units: negative (-5)');
    expect(bad('variant,units,conversions\nA,10,11\nB,10,1\n')).toThrow('summary.csv:2: column conversions: 11 conversions > 10 units');
    expect(bad('variant,units,sum,sum_squares\nA,10,50,100\nB,10,5,10\n')).toThrow(/summary.csv:2: column sum_squares: inconsistent with sum/);
    expect(bad('variant,units,sum,sum_squares\nA,10,5\nB,10,5,10\n')).toThrow(/summary.csv:2: not valid CSV/);
  });

  it('names missing or unknown columns and a missing control', () => {
    expect(bad('variant,conversions\nA,1\nB,1\n')).toThrow('summary.csv:1: missing column units');
    // Unknown columns are ignored (issue #10); with no value column left, the error suggests the misspelt one.
    expect(bad('variant,units,convresion\nA,10,1\nB,10,1\n')).toThrow(/needs a conversions column, sum and sum_squares columns, or quantile, quantile_lower and quantile_upper columns; did you mean 'convresion'\?/);
    expect(bad('variant,control,units,conversions\nA,,10,1\nB,,10,1\n')).toThrow(/column control: metric 'metric' has 0 rows marked as control/);
    expect(() => parseSummaryCsv('summary.csv', 'variant,units,conversions\nA,10,1\nB,10,1\n', 'zz')).toThrow(/missing control: --control 'zz'/);
    expect(bad('variant,units,conversions\nA,10,1\n')).toThrow(/only one arm/);
    expect(bad('variant,units,conversions\nA,10,1\nA,10,1\n')).toThrow(/summary.csv:3: column variant: 'A' appears twice/);
  });
});

describe('summary JSON', () => {
  it('takes an array of arm objects with the CSV column names', () => {
    const ms = parseSummaryJson('s.json', JSON.stringify([{ variant: 'a', units: 28, conversions: 14 }, { variant: 'b', units: 30, conversions: 16 }]));
    expect(ms[0].arms.map((a) => a.stats.n)).toEqual([28, 30]);
  });

  it('names the array index and column for bad values', () => {
    expect(() => parseSummaryJson('s.json', JSON.stringify({ arms: [{ variant: 'a', units: 2, sum: 1, sum_squares: 1 }, { variant: 'b', units: 'x', sum: 1, sum_squares: 1 }] }))).toThrow(
      's.json:[1]: column units: not a number ("x")',
    );
    expect(() => parseSummaryJson('s.json', '{')).toThrow(/s.json: not valid JSON/);
  });
});
