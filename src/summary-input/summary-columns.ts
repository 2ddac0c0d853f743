/**
 * Columns of a summary file (CSV header or JSON keys). One row = one arm of one metric.
 * The metric kind follows from which value columns a row fills: conversions -> proportion,
 * denominator_sum -> ratio, otherwise sum -> mean.
 */
export const LABEL_COLUMNS = ['metric', 'variant', 'control', 'higher_is_better'] as const;

/** Numeric column -> where it goes in the sufficient statistics. */
export const NUMBER_COLUMNS = {
  units: 'n',
  conversions: 'y.sum',
  sum: 'y.sum',
  sum_squares: 'y.sumSquares',
  denominator_sum: 'd.sum',
  denominator_sum_squares: 'd.sumSquares',
  numerator_denominator_sum: 'cross.yd',
  covariate_sum: 'x.sum',
  covariate_sum_squares: 'x.sumSquares',
  value_covariate_sum: 'cross.yx',
  covariate_denominator_sum: 'e.sum',
  covariate_denominator_sum_squares: 'e.sumSquares',
  value_covariate_denominator_sum: 'cross.ye',
  denominator_covariate_sum: 'cross.dx',
  denominator_covariate_denominator_sum: 'cross.de',
  covariate_covariate_denominator_sum: 'cross.xe',
  // Quantile metrics (--quantile q): the sample quantile and the order statistics bounding it (src/stats/quantile-estimate.ts).
  quantile: 'quantile.estimate',
  quantile_lower: 'quantile.lower',
  quantile_upper: 'quantile.upper',
} as const;

export type NumberColumn = keyof typeof NUMBER_COLUMNS;
export const KNOWN_COLUMNS: readonly string[] = [...LABEL_COLUMNS, ...Object.keys(NUMBER_COLUMNS)];

