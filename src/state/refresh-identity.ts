import type { Results } from '../run/results.js';
import { canonicalJson } from '../util/digest.js';

/**
 * The part of results.json an incremental refresh must reproduce byte for byte: everything but the
 * run's identity and times, the audit chain, the refresh record, and the input fingerprints (an
 * incremental run does not rescan every row to hash it, so it takes none; see README).
 */
export function statisticsJson(r: Results): string {
  const { run: _run, audit: _audit, refresh: _refresh, dataDigest: _digest, data, ...rest } = r;
  const { fingerprints: _fp, ...kept } = data;
  return canonicalJson({ ...rest, data: kept });
}

/** The first differing path between two results' statistics, or null when they are identical. */
export function firstDifference(a: Results, b: Results): string | null {
  const x = JSON.parse(statisticsJson(a)) as unknown;
  const y = JSON.parse(statisticsJson(b)) as unknown;
  const walk = (p: unknown, q: unknown, path: string): string | null => {
    if (p !== null && q !== null && typeof p === 'object' && typeof q === 'object') {
      const keys = [...new Set([...Object.keys(p), ...Object.keys(q)])];
      for (const k of keys) {
        const d = walk((p as Record<string, unknown>)[k], (q as Record<string, unknown>)[k], `${path}.${k}`);
        if (d) return d;
      }
      return null;
    }
    return JSON.stringify(p) === JSON.stringify(q) ? null : `${path}: ${JSON.stringify(p)} vs ${JSON.stringify(q)}`;
  };
  return walk(x, y, '$');
}
