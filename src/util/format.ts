/** Number formats shared by reports, decision reasons and check messages, so they read the same. */

export const count = (n: number): string => Math.round(n).toLocaleString('en-US');

export const pct = (x: number): string => `${(x * 100).toFixed(1)}%`;

export const signedPct = (x: number): string => `${x > 0 ? '+' : ''}${(x * 100).toFixed(1)}%`;

export const pval = (p: number): string => (p < 0.001 ? 'p < 0.001' : `p = ${p.toFixed(3)}`);

/**
 * The p-value of one estimate. A one-sided sequential p-value at the reference engine's 0.4999 cap
 * (pValueExact set) is only known to be at least 0.5; "p = 0.500" would read as a measured value.
 */
export const pvalOf = (e: { pValue: number; pValueExact?: number; wrongDirection?: boolean }): string =>
  e.pValueExact === undefined ? pval(e.pValue) : `p ≥ 0.5${e.wrongDirection ? ' (effect in the wrong direction)' : ''}`;

/** Four significant digits; exponent form for very small or very large magnitudes. */
export const fmt = (x: number): string => {
  if (!Number.isFinite(x)) return String(x);
  const a = Math.abs(x);
  if (a !== 0 && (a < 0.001 || a >= 1e6)) return x.toExponential(3);
  return x.toLocaleString('en-US', { maximumSignificantDigits: 4, minimumSignificantDigits: 1 });
};
