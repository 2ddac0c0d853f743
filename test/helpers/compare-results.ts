// Compares two results.json documents number by number, for the cross-warehouse semantics test.

/**
 * The run's ids, times and target differ between any two runs. Input fingerprints hash each row's text
 * with the warehouse's own hash and spelling (a double prints as 1.0 on one, 1 on another), so they,
 * the audit section built from them, and the data digest over all rows are per warehouse by design.
 * Everything else must agree.
 */
const RUN_FIELDS = new Set(['run', 'audit', 'dataDigest']);
const WAREHOUSE_SPECIFIC_DATA = new Set(['fingerprints']);

export interface Disagreement {
  path: string;
  a: unknown;
  b: unknown;
}

export interface Agreement {
  numbers: number;
  /** Largest |a - b| / max(|a|, |b|) over every pair of numbers compared. */
  maxRelativeDifference: number;
  disagreements: Disagreement[];
}

const asNumber = (v: unknown): number | null =>
  typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' && /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(v.trim()) ? Number(v) : null;

/** Warehouse rows come back in the engine's order (GROUPING SETS has none): compare them as sets. */
function rowKey(row: unknown): string {
  if (!row || typeof row !== 'object') return JSON.stringify(row);
  return JSON.stringify(Object.entries(row).filter(([, v]) => asNumber(v) === null));
}

/**
 * Walks both documents: numbers (or numeric text, as Postgres returns NUMERIC) must agree within a relative
 * tolerance, everything else exactly. Rows under `data` are matched by their non-numeric cells.
 */
export function compareResults(a: unknown, b: unknown, tolerance: number): Agreement {
  const out: Agreement = { numbers: 0, maxRelativeDifference: 0, disagreements: [] };
  const walk = (x: unknown, y: unknown, path: string, inData: boolean): void => {
    const nx = asNumber(x);
    const ny = asNumber(y);
    if (nx !== null && ny !== null && (typeof x === 'number' || typeof y === 'number' || inData)) {
      out.numbers++;
      const scale = Math.max(Math.abs(nx), Math.abs(ny));
      const rel = scale === 0 ? 0 : Math.abs(nx - ny) / scale;
      if (!(rel <= tolerance)) out.disagreements.push({ path, a: x, b: y });
      out.maxRelativeDifference = Math.max(out.maxRelativeDifference, rel);
      return;
    }
    if (Array.isArray(x) && Array.isArray(y)) {
      if (x.length !== y.length) return void out.disagreements.push({ path: `${path}.length`, a: x.length, b: y.length });
      const ys = inData ? [...y].sort((p, q) => rowKey(p).localeCompare(rowKey(q))) : y;
      const xs = inData ? [...x].sort((p, q) => rowKey(p).localeCompare(rowKey(q))) : x;
      xs.forEach((v, i) => walk(v, ys[i], `${path}[${i}]`, inData));
      return;
    }
    if (x && y && typeof x === 'object' && typeof y === 'object') {
      const keys = new Set([...Object.keys(x), ...Object.keys(y)]);
      for (const k of keys) {
        if (path === '' && RUN_FIELDS.has(k)) continue;
        if (path === 'data' && WAREHOUSE_SPECIFIC_DATA.has(k)) continue;
        walk((x as Record<string, unknown>)[k], (y as Record<string, unknown>)[k], path ? `${path}.${k}` : k, inData || (path === '' && k === 'data'));
      }
      return;
    }
    if (x !== y) out.disagreements.push({ path, a: x, b: y });
  };
  walk(a, b, '', false);
  return out;
}
