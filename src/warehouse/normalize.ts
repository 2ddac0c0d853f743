import type { Cell } from './types.js';

/**
 * A decimal or integer that a driver hands over as text (BigQuery INT64/NUMERIC, Postgres NUMERIC and
 * BIGINT, Snowflake NUMBER) -> a JS number when the conversion loses nothing that matters, else the
 * exact text.
 *
 * - Integers become numbers only inside the safe range (|x| <= 2^53 - 1); larger ones stay text.
 * - Decimals with at most 15 significant digits become the nearest double, which prints back as the
 *   same decimal (15 digits always round-trip through a double). Longer ones stay text.
 * Text cells are parsed again by the analysis with Number(), a visible, deliberate step.
 */
export function normalizeNumericText(text: string): Cell {
  const t = text.trim();
  const m = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/.exec(t);
  if (!m || (m[2] === '' && (m[3] ?? '') === '')) throw new Error(`not a decimal number: ${JSON.stringify(text)}`);
  const intPart = m[2];
  const frac = (m[3] ?? '').replace(/0+$/, '');
  const exp = m[4] ? Number(m[4]) : 0;
  if (frac === '' && exp === 0) {
    const value = Number(t);
    return Number.isSafeInteger(value) ? value : t;
  }
  const digits = `${intPart}${frac}`.replace(/^0+/, '');
  return digits.length <= 15 ? Number(t) : t;
}

/** Reads back a cell that should be a number: numbers pass, numeric text is parsed, null stays null. */
export function cellNumber(cell: Cell | undefined): number | null {
  if (cell === null || cell === undefined) return null;
  if (typeof cell === 'number') return cell;
  if (typeof cell === 'string' && cell.trim() !== '' && !Number.isNaN(Number(cell))) return Number(cell);
  throw new Error(`expected a number, got ${JSON.stringify(cell)}`);
}
