import type { GaussianPrior, BayesianEstimate } from './bayesian-effect.js';
import type { EffectEstimate, Sides, TestOptions } from './effect-test.js';
import type { ArmSufficientStats, ArmSummary } from './sufficient-stats.js';

export interface AnalysisOptions extends TestOptions {
  /** Use the covariate (CUPED) when both arms carry it; default true. */
  cuped?: boolean;
  /** Prior on the relative lift (absolute: rescaled by |control mean|); default flat. */
  prior?: GaussianPrior;
}

export interface TreatmentComparison {
  kind: ArmSufficientStats['kind'];
  alpha: number;
  sides: Sides;
  /** Tuning parameter when sequential, else null. */
  sequentialTuning: number | null;
  /** Unadjusted arm estimates. */
  control: ArmSummary;
  treatment: ArmSummary;
  /** CUPED details when applied, else null. */
  cuped: { theta: number; varianceReduction: number; controlMean: number; treatmentMean: number } | null;
  absolute: EffectEstimate;
  relative: EffectEstimate;
  bayesian: { prior: GaussianPrior; absolute: BayesianEstimate; relative: BayesianEstimate };
}

export function compareTreatment(_control: ArmSufficientStats, _treatment: ArmSufficientStats, _options?: AnalysisOptions): TreatmentComparison {
  throw new Error('not implemented');
}

export interface NamedArm {
  variant: string;
  stats: ArmSufficientStats;
}

export interface VariantComparisons {
  control: string;
  comparisons: Array<{ variant: string } & TreatmentComparison>;
}

/** Every treatment arm against control (the arm named controlVariant, default the first). */
export function compareVariants(_arms: NamedArm[], _options?: AnalysisOptions & { controlVariant?: string }): VariantComparisons {
  throw new Error('not implemented');
}
