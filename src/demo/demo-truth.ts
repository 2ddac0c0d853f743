/**
 * What the demo warehouse contains on purpose. The SQL generator reads its rates and shares from here, so
 * the documented truth and the generated data cannot drift apart; tests and docs compare results against it.
 */

/** The demo's analysis time (exptrack.yaml pins the same as_of). Every row lies strictly before it. */
export const DEMO_AS_OF = '2026-11-01T00:00:00.000Z';
/** First day of every demo experiment (the specs' `start`). */
export const DEMO_START = '2026-10-04T00:00:00.000Z';
export const DEFAULT_DEMO_SEED = 20261101;

export interface DemoExperimentTruth {
  /** User id prefix: ids look like `cr-000123` and are unique per experiment. */
  prefix: string;
  /** Users assigned at scale 1 (before any exposure logging loss). */
  units: number;
  /** Variant keys and their planned assignment weights (same order); two or more arms. */
  variants: readonly string[];
  weights: readonly number[];
  /** Primary metric the planted rates refer to, its source table and its window after first exposure. */
  metric: 'order_completed' | 'onboarding_completed';
  source: 'web_events' | 'app_events';
  windowDays: number;
  /** Planted probability, per variant, that a user has the metric event inside the window. */
  rates: Readonly<Record<string, number>>;
  /** Per variant, the share of assigned users whose exposures are never logged (a sample ratio mismatch). */
  exposureLoss: Readonly<Record<string, number>>;
  /** Share of users who also get one exposure row in the other variant (multiple exposure). */
  crossVariantShare: number;
  platformShares: Readonly<Record<string, number>>;
  /**
   * Hash assignment (exptrack/assignment's md5_shards with this salt and shard count) instead of fixed arm
   * sizes, with a planted share of units whose logged variant (and experience) is the other one, as an
   * SDK bug or a stale cache would leave it; the assignment audit must find them.
   */
  assignment?: { salt: string; shards: number; mismatchShare: number };
  /**
   * Per variant, a factor on the amount of the orders placed after first exposure (1 when absent): a
   * shift of a skewed value that the rank test (Mann-Whitney) must find. Earlier orders are unchanged.
   */
  amountFactor?: Readonly<Record<string, number>>;
}

export interface DemoTruth {
  asOf: string;
  start: string;
  /** First exposures are uniform in [start, firstExposureEnd): as-of minus 8 days, so 7-day windows are complete. */
  firstExposureEnd: string;
  /** The app_events pipeline stopped here: nothing with event_at or loaded_at at/after it. */
  appEventsStoppedAt: string;
  employeeShare: number;
  countryShares: Readonly<Record<string, number>>;
  /** Exposure rows per user (repeat visits, same variant). */
  visitShares: Readonly<Record<number, number>>;
  exposureLoadDelayMinutes: readonly [number, number];
  eventLoadDelayMinutes: readonly [number, number];
  /** Order amounts: lognormal with this mean and log-scale sigma, identical in every arm. */
  revenuePerOrder: { mean: number; logSigma: number };
  web: {
    pageViewsMax: number;
    /** Expected checkout_error events per user, identical in every arm. */
    checkoutErrorsPerUser: number;
    /** Share of page views / checkout errors placed before the user's first exposure (must not count). */
    preExposureEventShare: number;
    /** Converters who place a second order (any time up to as-of): adds revenue, not conversions. */
    secondOrderShare: number;
    /** Users with an order after their 7-day window (noise the window must exclude). */
    lateOrderShare: number;
    /**
     * Orders in the days before first exposure (the metric window must exclude them; CUPED uses them).
     * Habitual buyers (the share of users whose conversion draw is below `habitualShare`, whatever
     * their variant) order before exposure more often, so the pre-period predicts conversion.
     */
    preExposureOrders: { habitualShare: number; habitual: number; others: number };
  };
  app: {
    appOpensMax: number;
    /** Non-completers who finish onboarding only after the 3-day window. */
    lateCompletionShare: number;
  };
  experiments: Readonly<Record<string, DemoExperimentTruth>>;
}

const WEB_PLATFORMS = { web: 0.5, ios: 0.25, android: 0.25 };

export const DEMO_TRUTH: DemoTruth = {
  asOf: DEMO_AS_OF,
  start: DEMO_START,
  firstExposureEnd: '2026-10-24T00:00:00.000Z',
  appEventsStoppedAt: '2026-10-30T00:00:00.000Z',
  employeeShare: 0.01,
  countryShares: { US: 0.4, IN: 0.2, DE: 0.15, BR: 0.15, FR: 0.1 },
  visitShares: { 1: 0.5, 2: 0.3, 3: 0.2 },
  exposureLoadDelayMinutes: [5, 90],
  eventLoadDelayMinutes: [10, 180],
  revenuePerOrder: { mean: 60, logSigma: 0.6 },
  web: {
    pageViewsMax: 12,
    checkoutErrorsPerUser: 0.05,
    preExposureEventShare: 0.08,
    secondOrderShare: 0.15,
    lateOrderShare: 0.05,
    preExposureOrders: { habitualShare: 0.12, habitual: 0.4, others: 0.04 },
  },
  app: { appOpensMax: 8, lateCompletionShare: 0.08 },
  experiments: {
    checkout_redesign: {
      prefix: 'cr',
      units: 10_000,
      variants: ['control', 'one_page'],
      weights: [0.5, 0.5],
      metric: 'order_completed',
      source: 'web_events',
      windowDays: 7,
      rates: { control: 0.12, one_page: 0.16 },
      exposureLoss: {},
      crossVariantShare: 0.003,
      platformShares: WEB_PLATFORMS,
    },
    homepage_aa: {
      prefix: 'aa',
      units: 10_000,
      variants: ['a', 'b'],
      weights: [0.5, 0.5],
      metric: 'order_completed',
      source: 'web_events',
      windowDays: 7,
      rates: { a: 0.12, b: 0.12 },
      exposureLoss: {},
      crossVariantShare: 0,
      platformShares: WEB_PLATFORMS,
    },
    pricing_banner: {
      prefix: 'pb',
      units: 10_000,
      variants: ['control', 'banner'],
      weights: [0.5, 0.5],
      metric: 'order_completed',
      source: 'web_events',
      windowDays: 7,
      rates: { control: 0.12, banner: 0.12 },
      exposureLoss: { banner: 0.1 },
      crossVariantShare: 0,
      platformShares: WEB_PLATFORMS,
    },
    mobile_onboarding: {
      prefix: 'mo',
      units: 6_000,
      variants: ['five_screens', 'three_screens'],
      weights: [0.5, 0.5],
      metric: 'onboarding_completed',
      source: 'app_events',
      windowDays: 3,
      rates: { five_screens: 0.4, three_screens: 0.46 },
      exposureLoss: {},
      crossVariantShare: 0,
      platformShares: { ios: 0.5, android: 0.5 },
    },
    recommendation_carousel: {
      prefix: 'rc',
      units: 10_000,
      variants: ['control', 'carousel'],
      weights: [0.5, 0.5],
      metric: 'order_completed',
      source: 'web_events',
      windowDays: 7,
      rates: { control: 0.12, carousel: 0.12 },
      exposureLoss: {},
      crossVariantShare: 0,
      platformShares: WEB_PLATFORMS,
      assignment: { salt: 'recommendation_carousel', shards: 10_000, mismatchShare: 0.02 },
    },
    // Round two of the statistics (issue #12): one experiment per method, each with a planted effect.
    upsell_widget: {
      prefix: 'uw',
      units: 10_000,
      variants: ['control', 'widget'],
      weights: [0.5, 0.5],
      metric: 'order_completed',
      source: 'web_events',
      windowDays: 7,
      // Same conversion; the widget raises the (log-normal) order amounts by 15%.
      rates: { control: 0.3, widget: 0.3 },
      exposureLoss: {},
      crossVariantShare: 0,
      platformShares: WEB_PLATFORMS,
      amountFactor: { widget: 1.15 },
    },
    checkout_layout_copy: {
      prefix: 'lc',
      units: 16_000,
      variants: ['control', 'new_layout', 'new_copy', 'layout_and_copy'],
      weights: [0.25, 0.25, 0.25, 0.25],
      metric: 'order_completed',
      source: 'web_events',
      windowDays: 7,
      // A 2x2 design: each change alone +2 points, both together +9 points, so the interaction is +5 points.
      rates: { control: 0.1, new_layout: 0.12, new_copy: 0.12, layout_and_copy: 0.19 },
      exposureLoss: {},
      crossVariantShare: 0,
      platformShares: WEB_PLATFORMS,
    },
    homepage_hero: {
      prefix: 'hh',
      units: 12_000,
      variants: ['control', 'hero_video', 'hero_reviews'],
      weights: [0.34, 0.33, 0.33],
      metric: 'order_completed',
      source: 'web_events',
      windowDays: 7,
      // Three arms for the bandit advice: two better than control, close to each other.
      rates: { control: 0.12, hero_video: 0.14, hero_reviews: 0.15 },
      exposureLoss: {},
      crossVariantShare: 0,
      platformShares: WEB_PLATFORMS,
    },
  },
};
