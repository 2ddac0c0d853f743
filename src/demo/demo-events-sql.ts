import { DEMO_TRUTH } from './demo-truth.js';
import { minusSeconds, num, plusSeconds, ts } from './demo-units-sql.js';

const DAY = 86_400;
const AS_OF = ts(DEMO_TRUTH.asOf);
/** Seconds from a user's first exposure to as-of: the room later rows can be spread over. */
const TO_AS_OF = `date_diff('second', first_at, ${AS_OF})`;

/** The warehouse tables, as the models (models/sources.yaml) read them. */
export const TABLE_DDL: Readonly<Record<string, string>> = {
  exposures: `CREATE TABLE main.exposures (user_id VARCHAR, experiment_key VARCHAR, variant VARCHAR,
    exposed_at TIMESTAMP, loaded_at TIMESTAMP, country VARCHAR, platform VARCHAR, is_employee BOOLEAN)`,
  web_events: `CREATE TABLE main.web_events (user_id VARCHAR, event_name VARCHAR, amount DOUBLE,
    event_at TIMESTAMP, loaded_at TIMESTAMP)`,
  app_events: `CREATE TABLE main.app_events (user_id VARCHAR, event_name VARCHAR, event_at TIMESTAMP, loaded_at TIMESTAMP)`,
};

/** Load time = event time + a uniform whole-minute-range delay, drawn per event (`tag`, `k` identify it). */
function loadedAt(eventAt: string, tag: string, k: string, [lo, hi]: readonly [number, number]): string {
  return plusSeconds(eventAt, `${num(lo * 60)} + u01(user_id, ${tag}, ${k}) * ${num((hi - lo) * 60 + 1)}`);
}

/**
 * Event time for page views and errors: mostly after first exposure (up to as-of), a share up to two days
 * before it, which the metric windows must ignore.
 */
function spreadEventAt(tag: string, k: string): string {
  const pre = `u01(user_id, '${tag}_pre', ${k}) < ${num(DEMO_TRUTH.web.preExposureEventShare)}`;
  const draw = `u01(user_id, '${tag}_at', ${k})`;
  return `CASE WHEN ${pre} THEN ${minusSeconds('first_at', `60 + ${draw} * ${2 * DAY}`)}
      ELSE ${plusSeconds('first_at', `${draw} * ${TO_AS_OF}`)} END`;
}

/** Lognormal order amount with the truth's mean (Box-Muller normal; 1 - u keeps ln() away from 0). */
function orderAmount(k: number, afterExposure = false): string {
  const { mean, logSigma } = DEMO_TRUTH.revenuePerOrder;
  const z = `sqrt(-2 * ln(1 - u01(user_id, 'amount_r', ${k}))) * cos(2 * pi() * u01(user_id, 'amount_t', ${k}))`;
  // The arm's amount factor (1 for most arms, and x * 1 is x exactly) acts only after exposure.
  const factor = afterExposure ? ' * amount_factor' : '';
  return `round(exp(${num(Math.log(mean) - (logSigma * logSigma) / 2)} + ${num(logSigma)} * ${z})${factor}, 2)`;
}

function maxVisits(): number {
  return Math.max(...Object.keys(DEMO_TRUTH.visitShares).map(Number));
}

/**
 * Exposure rows: the first at first_at, repeat visits (same variant) anywhere up to as-of so the source
 * stays fresh, plus for cross-variant users one row in the other variant within a week. Rows not yet
 * loaded at as-of are not in the warehouse.
 */
export function exposuresSql(): string {
  const cross = plusSeconds('first_at', `60 + u01(user_id, 'cross_at', 0) * ${7 * DAY - 60}`);
  return `INSERT INTO main.exposures
SELECT user_id, experiment_key, variant, exposed_at, loaded_at, country, platform, is_employee
FROM (
  SELECT *, ${loadedAt('exposed_at', "'exposure_load'", 'k', DEMO_TRUTH.exposureLoadDelayMinutes)} AS loaded_at
  FROM (
    SELECT user_id, experiment_key, variant, country, platform, is_employee, k,
      CASE WHEN k = 0 THEN first_at
        ELSE ${plusSeconds('first_at', `60 + u01(user_id, 'visit_at', k) * (${TO_AS_OF} - 60)`)} END AS exposed_at
    FROM demo_units, range(${maxVisits()}) AS v(k)
    WHERE logged AND k < n_visits
    UNION ALL
    SELECT user_id, experiment_key, other_variant, country, platform, is_employee, 99 AS k, ${cross}
    FROM demo_units
    WHERE logged AND cross_variant
  )
)
WHERE loaded_at < ${AS_OF}
ORDER BY experiment_key, user_id, exposed_at, variant, loaded_at, country, platform, is_employee`;
}

/** Web events for the web experiments' users (exposed or not: lost exposure logging does not stop behaviour). */
export function webEventsSql(): string {
  const w = DEMO_TRUTH.web;
  const windowEnd = `window_days * ${DAY}`;
  const kinds = [
    // Page views: 0..pageViewsMax per user.
    `SELECT user_id, 'page_view' AS event_name, CAST(NULL AS DOUBLE) AS amount, ${spreadEventAt('pv', 'j')} AS event_at, 'pv' AS ltag, j AS k
    FROM web_units, range(${w.pageViewsMax}) AS p(j)
    WHERE j < floor(u01(user_id, 'pv_n', 0) * ${w.pageViewsMax + 1})`,
    // Checkout errors: two independent chances per user, same in every arm, so the guardrail sees no harm.
    `SELECT user_id, 'checkout_error', NULL, ${spreadEventAt('err', 'j')}, 'err', j
    FROM web_units, range(2) AS e(j)
    WHERE u01(user_id, 'err', j) < ${num(w.checkoutErrorsPerUser / 2)}`,
    // The planted conversion: inside the window, at least 30 s after first exposure and an hour before its end.
    `SELECT user_id, 'order_completed', ${orderAmount(0, true)},
      ${plusSeconds('first_at', `30 + u01(user_id, 'order_at', 0) * (${windowEnd} - 3600)`)}, 'order', 0
    FROM web_units WHERE converts`,
    // Repeat buyers: revenue, but no extra conversions.
    `SELECT user_id, 'order_completed', ${orderAmount(1, true)},
      ${plusSeconds('first_at', `30 + u01(user_id, 'order_at', 1) * (${TO_AS_OF} - 30)`)}, 'order', 1
    FROM web_units WHERE converts AND u01(user_id, 'order2', 0) < ${num(w.secondOrderShare)}`,
    // Late orders (after the window) and orders before exposure: noise the window must exclude.
    `SELECT user_id, 'order_completed', ${orderAmount(2)},
      ${plusSeconds('first_at', `${windowEnd} + 3600 + u01(user_id, 'order_at', 2) * (${TO_AS_OF} - ${windowEnd} - 3600)`)}, 'order', 2
    FROM web_units WHERE u01(user_id, 'late_order', 0) < ${num(w.lateOrderShare)}`,
    `SELECT user_id, 'order_completed', ${orderAmount(3)},
      ${minusSeconds('first_at', `60 + u01(user_id, 'order_at', 3) * ${3 * DAY}`)}, 'order', 3
    FROM web_units
    WHERE u01(user_id, 'pre_order', 0) < CASE WHEN u01(user_id, 'convert', 0) < ${num(w.preExposureOrders.habitualShare)}
      THEN ${num(w.preExposureOrders.habitual)} ELSE ${num(w.preExposureOrders.others)} END`,
  ];
  return `INSERT INTO main.web_events
WITH web_units AS (SELECT * FROM demo_units WHERE source = 'web_events'),
events AS (
  ${kinds.join('\n  UNION ALL\n  ')}
),
loaded AS (
  SELECT *, ${loadedAt('event_at', "'web_load_' || ltag", 'k', DEMO_TRUTH.eventLoadDelayMinutes)} AS loaded_at FROM events
)
SELECT user_id, event_name, amount, event_at, loaded_at
FROM loaded
WHERE loaded_at < ${AS_OF}
-- Every column: a user's two orders in the same second would otherwise tie, and tied rows land in a
-- thread-dependent order, so two builds from one seed differed in row order (never in content).
ORDER BY user_id, event_at, event_name, amount, loaded_at`;
}

/**
 * App events for the app experiment's users. The app pipeline stopped at appEventsStoppedAt: nothing
 * loaded after it exists, which also cuts every event from then on (the data latency check must fire).
 */
export function appEventsSql(): string {
  const a = DEMO_TRUTH.app;
  const windowEnd = `window_days * ${DAY}`;
  const kinds = [
    `SELECT user_id, 'onboarding_completed' AS event_name,
      ${plusSeconds('first_at', `30 + u01(user_id, 'onboard_at', 0) * (${windowEnd} - 3600)`)} AS event_at, 'onboard' AS ltag, 0 AS k
    FROM app_units WHERE converts`,
    // Slow finishers complete after the window: must not count.
    `SELECT user_id, 'onboarding_completed',
      ${plusSeconds('first_at', `${windowEnd} + 3600 + u01(user_id, 'onboard_at', 1) * ${10 * DAY}`)}, 'onboard', 1
    FROM app_units WHERE NOT converts AND u01(user_id, 'late_onboard', 0) < ${num(a.lateCompletionShare)}`,
    // App opens: the first just before the exposure (opening the app shows the onboarding), the rest later.
    `SELECT user_id, 'app_open',
      CASE WHEN j = 0 THEN ${minusSeconds('first_at', `u01(user_id, 'open_at', j) * 300`)}
        ELSE ${plusSeconds('first_at', `u01(user_id, 'open_at', j) * ${TO_AS_OF}`)} END, 'open', j
    FROM app_units, range(${a.appOpensMax}) AS o(j)
    WHERE j <= floor(u01(user_id, 'open_n', 0) * ${a.appOpensMax})`,
  ];
  return `INSERT INTO main.app_events
WITH app_units AS (SELECT * FROM demo_units WHERE source = 'app_events'),
events AS (
  ${kinds.join('\n  UNION ALL\n  ')}
),
loaded AS (
  SELECT *, ${loadedAt('event_at', "'app_load_' || ltag", 'k', DEMO_TRUTH.eventLoadDelayMinutes)} AS loaded_at FROM events
)
SELECT user_id, event_name, event_at, loaded_at
FROM loaded
WHERE loaded_at < ${ts(DEMO_TRUTH.appEventsStoppedAt)}
ORDER BY user_id, event_at, event_name, loaded_at`;
}
