import type { Row } from '../warehouse/types.js';
import type { FingerprintDefinition } from './fingerprint-sources.js';

export interface FingerprintCounts {
  rows: number;
  minEventAt: string | null;
  maxEventAt: string | null;
  /** XOR of the per-row 64-bit hashes, as 16 hex digits (0000000000000000 for no rows). */
  hash: string;
}

/** One source's fingerprint: what it covers, the whole read, and each UTC day. */
export interface SourceFingerprint extends FingerprintDefinition, FingerprintCounts {
  days: Record<string, FingerprintCounts>;
}

const hex64 = (text: unknown): string => {
  if (text === null || text === undefined || text === '') return '0'.repeat(16);
  // Signed or unsigned decimal text both map onto the same 64 bits.
  return BigInt.asUintN(64, BigInt(String(text))).toString(16).padStart(16, '0');
};
const str = (v: unknown) => (v === null || v === undefined ? null : String(v));

/** The fingerprints step's rows -> one fingerprint per source, in the definitions' order. */
export function parseFingerprints(rows: Row[], defs: FingerprintDefinition[]): SourceFingerprint[] {
  return defs.map((d) => {
    const mine = rows.filter((r) => r.source_name === d.source);
    const counts = (r: Row | undefined): FingerprintCounts => ({
      rows: Number(r?.row_count ?? 0),
      minEventAt: str(r?.min_event_at),
      maxEventAt: str(r?.max_event_at),
      hash: hex64(r?.content_xor),
    });
    const total = mine.find((r) => Number(r.is_total) === 1);
    const days = Object.fromEntries(
      mine
        .filter((r) => Number(r.is_total) === 0 && r.event_day !== null)
        .map((r) => [String(r.event_day).slice(0, 10), counts(r)] as const)
        .sort(([a], [b]) => a.localeCompare(b)),
    );
    return { ...d, ...counts(total), days };
  });
}

export interface FingerprintComparison {
  source: string;
  /** equal: same read and same counts; changed: differences named in `days` or the whole read; not_comparable: why in `note`. */
  status: 'equal' | 'changed' | 'not_comparable';
  /** How the two were compared. */
  scope: 'whole read' | 'common days' | 'none';
  changedDays: string[];
  note: string;
}

const DAY = 86_400_000;
const sameCounts = (a: FingerprintCounts, b: FingerprintCounts) => a.rows === b.rows && a.hash === b.hash;

/**
 * Compares two runs' fingerprints of a source. With identical reads (same rows selected, same bounds)
 * the whole read is compared. When only the bounds differ (typically a later as-of), each UTC day
 * that lies wholly inside every read of both runs is compared: a day's rows are then selected by the
 * same predicates in both runs, so a differing day means late, restated or deleted rows. Different
 * tables, columns or filters are not comparable.
 */
export function compareFingerprints(prev: SourceFingerprint, cur: SourceFingerprint): FingerprintComparison {
  const base = { source: cur.source, changedDays: [] as string[] };
  if (prev.shape !== cur.shape) return { ...base, status: 'not_comparable', scope: 'none', note: prev.rowHash !== cur.rowHash ? `the row hash changed (${prev.rowHash ?? 'unrecorded'} → ${cur.rowHash}); fingerprints cannot be compared` : 'the source is read differently (table, columns or filters changed)' };
  const bounds = (f: SourceFingerprint) => JSON.stringify(f.reads.map((r) => [r.start, r.end]));
  // An attribute table (no timestamp) is read whole whatever the bounds.
  if (bounds(prev) === bounds(cur) || cur.timestamp === null) {
    const changedDays = [...new Set([...Object.keys(prev.days), ...Object.keys(cur.days)])]
      .filter((d) => !sameCounts(prev.days[d] ?? { rows: 0, minEventAt: null, maxEventAt: null, hash: '0'.repeat(16) }, cur.days[d] ?? { rows: 0, minEventAt: null, maxEventAt: null, hash: '0'.repeat(16) }))
      .sort();
    const equal = sameCounts(prev, cur);
    return { ...base, status: equal ? 'equal' : 'changed', scope: 'whole read', changedDays, note: equal ? 'same rows' : `rows ${prev.rows} -> ${cur.rows}` };
  }
  const from = Math.max(...[...prev.reads, ...cur.reads].map((r) => Date.parse(r.start)));
  const to = Math.min(...[...prev.reads, ...cur.reads].map((r) => Date.parse(r.end)));
  const days: string[] = [];
  for (let d = Math.ceil(from / DAY) * DAY; d + DAY <= to; d += DAY) days.push(new Date(d).toISOString().slice(0, 10));
  if (days.length === 0) return { ...base, status: 'not_comparable', scope: 'none', note: 'the two runs share no whole day' };
  const empty: FingerprintCounts = { rows: 0, minEventAt: null, maxEventAt: null, hash: '0'.repeat(16) };
  const changedDays = days.filter((d) => !sameCounts(prev.days[d] ?? empty, cur.days[d] ?? empty));
  return {
    ...base,
    status: changedDays.length ? 'changed' : 'equal',
    scope: 'common days',
    changedDays,
    note: `${days.length} common day(s) ${days[0]} to ${days[days.length - 1]}`,
  };
}
