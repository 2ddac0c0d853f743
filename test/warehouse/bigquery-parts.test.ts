// The adapter's pure parts: row conversion, label values, secret scrubbing, and the target's
// settings as read from exptrack.yaml (positions in errors, no place for a key).
import { afterAll, describe, expect, it } from 'vitest';
import { getTarget, loadProjectConfig } from '../../src/config/project-config.js';
import { ValidationError } from '../../src/spec/diagnostics.js';
import { labelValue } from '../../src/warehouse/bigquery/adapter.js';
import { mapBigqueryError, scrubSecrets } from '../../src/warehouse/bigquery/bigquery-errors.js';
import { convertRows, microsToIso } from '../../src/warehouse/bigquery/bigquery-rows.js';
import { removeTempProjects, tempProject } from '../spec/fixture.js';

afterAll(removeTempProjects);

describe('BigQuery rows', () => {
  it.each([
    ['1791117296789000', '2026-10-04T12:34:56.789Z'],
    // Sub-millisecond digits are floored away, as every adapter does.
    ['1791117296789123', '2026-10-04T12:34:56.789Z'],
    ['-1', '1969-12-31T23:59:59.999Z'],
    ['0', '1970-01-01T00:00:00.000Z'],
  ])('INT64 microseconds %s -> %s', (micros, iso) => {
    expect(microsToIso(micros)).toBe(iso);
  });

  it('reads float-second timestamps, keeps NUMERIC digits, and turns repeated fields into JSON', () => {
    const rows = convertRows(
      [
        { name: 'ts', type: 'TIMESTAMP' },
        { name: 'n', type: 'NUMERIC' },
        { name: 'arr', type: 'STRING', mode: 'REPEATED' },
        { name: 'd', type: 'DATE' },
      ],
      [{ f: [{ v: '1.791117296E9' }, { v: '0.1234567890123456789' }, { v: [{ v: 'a' }] }, { v: '2026-10-04' }] }],
    );
    expect(rows).toEqual([{ ts: '2026-10-04T12:34:56.000Z', n: '0.1234567890123456789', arr: '[{"v":"a"}]', d: '2026-10-04T00:00:00.000Z' }]);
  });
});

describe('BigQuery labels and errors', () => {
  it('sanitizes label values to BigQuery’s rules', () => {
    expect(labelValue('Checkout Redesign (EU) ✓')).toBe('checkout_redesign__eu___');
    expect(labelValue('x'.repeat(100))).toHaveLength(63);
  });

  it('scrubs bearer tokens, access tokens and private keys from any message', () => {
    const text = 'failed: Authorization: Bearer ya29.AbC-123 key -----BEGIN PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY----- "private_key": "MIIEsecret"';
    const clean = scrubSecrets(text);
    for (const secret of ['ya29.AbC-123', 'MIIE', 'MIIEsecret']) expect(clean).not.toContain(secret);
    expect(clean).toContain('[redacted]');
  });

  it('maps a dropped connection that outlived the retries to a connection error', () => {
    const e = mapBigqueryError(Object.assign(new Error('request to http://x failed, reason: socket hang up'), { code: 'ECONNRESET' }), { experiment: 'e', step: 's' }, { target: 't', project: 'p' });
    expect(e.kind).toBe('connection');
  });
});

describe('BigQuery target settings', () => {
  const config = (settings: string) => `name: fixture\ndefault_target: bq\ntargets:\n  bq:\n    type: bigquery\n${settings}`;

  it('accepts the documented settings, with the default timeout', () => {
    const root = tempProject({ config: config('    project: p\n    dataset: d\n    location: EU\n    maximum_bytes_billed: 1000\n    labels: { team: growth }\n') });
    const t = getTarget(loadProjectConfig(root), undefined);
    expect(t.settings).toEqual({ project: 'p', dataset: 'd', location: 'EU', maximum_bytes_billed: 1000, labels: { team: 'growth' }, query_timeout_seconds: 300, connect_timeout_seconds: 30 });
  });

  it('has no place for a key, and says where an unknown or bad setting is', () => {
    const root = tempProject({ config: config('    project: p\n    private_key: "-----BEGIN PRIVATE KEY-----"\n    labels: { Team: growth }\n') });
    let err: unknown;
    try {
      loadProjectConfig(root);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ValidationError);
    const diags = (err as ValidationError).diagnostics;
    expect(diags.some((d) => d.file === 'exptrack.yaml' && d.line === 8 && /labels/.test(d.field))).toBe(true);
    expect(diags.some((d) => /private_key/.test(`${d.field} ${d.message}`))).toBe(true);
  });
});
