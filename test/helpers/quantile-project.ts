// The quantile-metric fixture used by the golden, matrix, cloud-fake and analyze tests: the demo's models
// plus four quantile metrics (one event-level) over the demo's web events, and two copies of checkout_redesign that use
// them (as secondary metrics, and as primary metric and guardrail). The demo itself is left as it is.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const QUANTILE_MODELS = `metrics:
  order_value_p50:
    label: Median order value of buyers (7 days)
    type: quantile
    quantile: 0.5
    ignore_zeros: true
    source: web_events
    value: amount
    filter: "event_name = 'order_completed' and amount > 0"
    window: { duration: 7d }
  order_value_p90:
    label: Order value of buyers, p90 (7 days)
    type: quantile
    quantile: 0.9
    ignore_zeros: true
    source: web_events
    value: amount
    filter: "event_name = 'order_completed' and amount > 0"
    window: { duration: 7d }
  order_value_event_p50:
    label: Median order value, over orders (7 days)
    type: quantile
    quantile: 0.5
    level: event
    source: web_events
    value: amount
    filter: "event_name = 'order_completed' and amount > 0"
    window: { duration: 7d }
  revenue_p90:
    label: Revenue per user, p90 (7 days)
    type: quantile
    quantile: 0.9
    source: web_events
    value: amount
    filter: "event_name = 'order_completed' and amount > 0"
    window: { duration: 7d }
`;

/** Adds models/quantile.yaml and the specs checkout_quantile and checkout_quantile_primary to a demo project copy. */
export function addQuantileSpecs(project: string): void {
  writeFileSync(join(project, 'models', 'quantile.yaml'), QUANTILE_MODELS);
  const base = readFileSync(join(project, 'specs', 'checkout_redesign.yaml'), 'utf8');
  writeFileSync(
    join(project, 'specs', 'checkout_quantile.yaml'),
    base.replace('id: checkout_redesign', 'id: checkout_quantile').replace('secondary: [revenue_per_user, revenue_per_order, page_views]', 'secondary: [order_value_p50, order_value_p90, revenue_p90, order_value_event_p50, revenue_per_user]'),
  );
  writeFileSync(
    join(project, 'specs', 'checkout_quantile_primary.yaml'),
    base
      .replace('id: checkout_redesign', 'id: checkout_quantile_primary')
      .replace('primary: order_completed', 'primary: revenue_p90')
      .replace('secondary: [revenue_per_user, revenue_per_order, page_views]', 'secondary: [order_value_p90]')
      .replace('- { metric: checkout_errors, max_relative_harm: 0.1 }', '- { metric: checkout_errors, max_relative_harm: 0.1 }\n    - { metric: order_value_p50, max_relative_harm: 0.1 }'),
  );
}
