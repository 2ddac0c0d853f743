/**
 * Number and time formats for report.md: percentages and percentage points for proportions, plain
 * decimals with four significant digits for everything else (exponent form only for magnitudes no
 * ordinary metric has), and instants to the minute in UTC.
 */
const MINUS = '−';

const sign = (x: number) => (x > 0 ? '+' : x < 0 ? MINUS : '');

/** 4 significant digits, grouped, never in exponent form between 1e-9 and 1e12. */
export function plain(x: number, digits = 4): string {
  if (!Number.isFinite(x)) return String(x);
  const a = Math.abs(x);
  if (a === 0) return '0';
  if (a < 1e-9 || a >= 1e12) return x.toExponential(digits - 1).replace('-', MINUS);
  const s = a.toLocaleString('en-US', { maximumSignificantDigits: digits });
  return x < 0 ? `${MINUS}${s}` : s;
}

export const signedPlain = (x: number): string => (x === 0 ? '0' : `${sign(x)}${plain(Math.abs(x))}`);

/** A share as a percentage, one decimal. */
export const percent = (x: number): string => `${(x * 100).toFixed(1)}%`;

/** A relative change with its sign (Unicode minus), one decimal. */
export const signedPercent = (x: number): string => {
  const s = (Math.abs(x) * 100).toFixed(1);
  return s === '0.0' ? '0.0%' : `${sign(x)}${s}%`;
};

/** A difference of two proportions, in percentage points. */
export const points = (x: number, unit = 'pp'): string => {
  const s = (Math.abs(x) * 100).toFixed(1);
  return `${s === '0.0' ? '' : sign(x)}${s} ${unit}`;
};

/** ISO instant -> '2026-10-04 00:00 UTC'. */
export const minute = (iso: string | null | undefined): string => (iso ? `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC` : '—');

/** An interval; a null end is unbounded (one-sided test). */
export function span(ci: [number | null, number | null], f: (x: number) => string): string {
  return `${ci[0] === null ? '−∞' : f(ci[0])} to ${ci[1] === null ? '+∞' : f(ci[1])}`;
}
