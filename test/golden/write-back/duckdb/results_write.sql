-- exptrack experiment checkout_redesign, step results write
-- Results and decisions back in the warehouse (src/warehouse-results). One MERGE keyed on the run's
-- (or the decision's) key: writing the same package or record again replaces its rows, never adds.
-- The state file attached as exptrack_state always has its main schema.;
CREATE TABLE IF NOT EXISTS "exptrack_state"."main"."exptrack_results" (
  "experiment" VARCHAR,
  "run_id" VARCHAR,
  "row_key" VARCHAR,
  "as_of" TIMESTAMP,
  "metric" VARCHAR,
  "metric_kind" VARCHAR,
  "metric_role" VARCHAR,
  "dimension" VARCHAR,
  "dimension_value" VARCHAR,
  "variant" VARCHAR,
  "is_control" BOOLEAN,
  "units" DOUBLE PRECISION,
  "mean" DOUBLE PRECISION,
  "variance" DOUBLE PRECISION,
  "absolute_lift" DOUBLE PRECISION,
  "absolute_ci_low" DOUBLE PRECISION,
  "absolute_ci_high" DOUBLE PRECISION,
  "absolute_p_value" DOUBLE PRECISION,
  "relative_lift" DOUBLE PRECISION,
  "relative_ci_low" DOUBLE PRECISION,
  "relative_ci_high" DOUBLE PRECISION,
  "relative_p_value" DOUBLE PRECISION,
  "relative_p_value_adjusted" DOUBLE PRECISION,
  "estimate_ok" BOOLEAN,
  "chance_to_win" DOUBLE PRECISION,
  "recommendation" VARCHAR,
  "recommended_variant" VARCHAR,
  "package_digest" VARCHAR,
  "tool_version" VARCHAR
)
;
-- exptrack experiment checkout_redesign, step results write
-- Results and decisions back in the warehouse (src/warehouse-results). One MERGE keyed on the run's
-- (or the decision's) key: writing the same package or record again replaces its rows, never adds.
-- The state file attached as exptrack_state always has its main schema.;
MERGE INTO "exptrack_state"."main"."exptrack_results" AS t
USING (
SELECT CAST('checkout_redesign' AS VARCHAR) AS "experiment", CAST('20261101T000000.000Z-abc123' AS VARCHAR) AS "run_id", CAST('k1' AS VARCHAR) AS "row_key", TIMESTAMP '2026-11-01 00:00:00.000' AS "as_of", CAST('conversion' AS VARCHAR) AS "metric", CAST('proportion' AS VARCHAR) AS "metric_kind", CAST('primary' AS VARCHAR) AS "metric_role", CAST(NULL AS VARCHAR) AS "dimension", CAST(NULL AS VARCHAR) AS "dimension_value", CAST('control' AS VARCHAR) AS "variant", TRUE AS "is_control", CAST('5012' AS DOUBLE PRECISION) AS "units", CAST('0.1' AS DOUBLE PRECISION) AS "mean", CAST('0.09000000000000001' AS DOUBLE PRECISION) AS "variance", CAST(NULL AS DOUBLE PRECISION) AS "absolute_lift", CAST(NULL AS DOUBLE PRECISION) AS "absolute_ci_low", CAST(NULL AS DOUBLE PRECISION) AS "absolute_ci_high", CAST(NULL AS DOUBLE PRECISION) AS "absolute_p_value", CAST(NULL AS DOUBLE PRECISION) AS "relative_lift", CAST(NULL AS DOUBLE PRECISION) AS "relative_ci_low", CAST(NULL AS DOUBLE PRECISION) AS "relative_ci_high", CAST(NULL AS DOUBLE PRECISION) AS "relative_p_value", CAST(NULL AS DOUBLE PRECISION) AS "relative_p_value_adjusted", CAST(NULL AS BOOLEAN) AS "estimate_ok", CAST(NULL AS DOUBLE PRECISION) AS "chance_to_win", CAST('ship' AS VARCHAR) AS "recommendation", CAST('treatment' AS VARCHAR) AS "recommended_variant", CAST('ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff' AS VARCHAR) AS "package_digest", CAST('0.1.0' AS VARCHAR) AS "tool_version"
UNION ALL
SELECT CAST('checkout_redesign' AS VARCHAR) AS "experiment", CAST('20261101T000000.000Z-abc123' AS VARCHAR) AS "run_id", CAST('k2' AS VARCHAR) AS "row_key", TIMESTAMP '2026-11-01 00:00:00.000' AS "as_of", CAST('conversion' AS VARCHAR) AS "metric", CAST('proportion' AS VARCHAR) AS "metric_kind", CAST('primary' AS VARCHAR) AS "metric_role", CAST(NULL AS VARCHAR) AS "dimension", CAST(NULL AS VARCHAR) AS "dimension_value", CAST('treatment' AS VARCHAR) AS "variant", FALSE AS "is_control", CAST('4988' AS DOUBLE PRECISION) AS "units", CAST('0.11729' AS DOUBLE PRECISION) AS "mean", CAST('1e-300' AS DOUBLE PRECISION) AS "variance", CAST('0.017290000000000003' AS DOUBLE PRECISION) AS "absolute_lift", CAST('-0.0012' AS DOUBLE PRECISION) AS "absolute_ci_low", CAST('0.0357' AS DOUBLE PRECISION) AS "absolute_ci_high", CAST('0.06' AS DOUBLE PRECISION) AS "absolute_p_value", CAST('0.1729' AS DOUBLE PRECISION) AS "relative_lift", CAST('-0.012' AS DOUBLE PRECISION) AS "relative_ci_low", CAST('0.357' AS DOUBLE PRECISION) AS "relative_ci_high", CAST('2.2250738585072014e-308' AS DOUBLE PRECISION) AS "relative_p_value", CAST('0.12' AS DOUBLE PRECISION) AS "relative_p_value_adjusted", TRUE AS "estimate_ok", CAST('0.97' AS DOUBLE PRECISION) AS "chance_to_win", CAST('ship' AS VARCHAR) AS "recommendation", CAST('treatment' AS VARCHAR) AS "recommended_variant", CAST('ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff' AS VARCHAR) AS "package_digest", CAST('0.1.0' AS VARCHAR) AS "tool_version"
UNION ALL
SELECT CAST('checkout_redesign' AS VARCHAR) AS "experiment", CAST('20261101T000000.000Z-abc123' AS VARCHAR) AS "run_id", CAST('k3' AS VARCHAR) AS "row_key", TIMESTAMP '2026-11-01 00:00:00.000' AS "as_of", CAST('conversion' AS VARCHAR) AS "metric", CAST('proportion' AS VARCHAR) AS "metric_kind", CAST('primary' AS VARCHAR) AS "metric_role", CAST('country' AS VARCHAR) AS "dimension", CAST('O''Brien \ co' AS VARCHAR) AS "dimension_value", CAST('treatment' AS VARCHAR) AS "variant", FALSE AS "is_control", CAST('12' AS DOUBLE PRECISION) AS "units", CAST('123456789.12345679' AS DOUBLE PRECISION) AS "mean", CAST(NULL AS DOUBLE PRECISION) AS "variance", CAST(NULL AS DOUBLE PRECISION) AS "absolute_lift", CAST(NULL AS DOUBLE PRECISION) AS "absolute_ci_low", CAST(NULL AS DOUBLE PRECISION) AS "absolute_ci_high", CAST(NULL AS DOUBLE PRECISION) AS "absolute_p_value", CAST(NULL AS DOUBLE PRECISION) AS "relative_lift", CAST(NULL AS DOUBLE PRECISION) AS "relative_ci_low", CAST(NULL AS DOUBLE PRECISION) AS "relative_ci_high", CAST(NULL AS DOUBLE PRECISION) AS "relative_p_value", CAST(NULL AS DOUBLE PRECISION) AS "relative_p_value_adjusted", FALSE AS "estimate_ok", CAST(NULL AS DOUBLE PRECISION) AS "chance_to_win", CAST('ship' AS VARCHAR) AS "recommendation", CAST('treatment' AS VARCHAR) AS "recommended_variant", CAST('ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff' AS VARCHAR) AS "package_digest", CAST('0.1.0' AS VARCHAR) AS "tool_version"
) AS s
ON "t"."run_id" = "s"."run_id" AND "t"."row_key" = "s"."row_key"
WHEN MATCHED THEN UPDATE SET "experiment" = "s"."experiment", "as_of" = "s"."as_of", "metric" = "s"."metric", "metric_kind" = "s"."metric_kind", "metric_role" = "s"."metric_role", "dimension" = "s"."dimension", "dimension_value" = "s"."dimension_value", "variant" = "s"."variant", "is_control" = "s"."is_control", "units" = "s"."units", "mean" = "s"."mean", "variance" = "s"."variance", "absolute_lift" = "s"."absolute_lift", "absolute_ci_low" = "s"."absolute_ci_low", "absolute_ci_high" = "s"."absolute_ci_high", "absolute_p_value" = "s"."absolute_p_value", "relative_lift" = "s"."relative_lift", "relative_ci_low" = "s"."relative_ci_low", "relative_ci_high" = "s"."relative_ci_high", "relative_p_value" = "s"."relative_p_value", "relative_p_value_adjusted" = "s"."relative_p_value_adjusted", "estimate_ok" = "s"."estimate_ok", "chance_to_win" = "s"."chance_to_win", "recommendation" = "s"."recommendation", "recommended_variant" = "s"."recommended_variant", "package_digest" = "s"."package_digest", "tool_version" = "s"."tool_version"
WHEN NOT MATCHED THEN INSERT ("experiment", "run_id", "row_key", "as_of", "metric", "metric_kind", "metric_role", "dimension", "dimension_value", "variant", "is_control", "units", "mean", "variance", "absolute_lift", "absolute_ci_low", "absolute_ci_high", "absolute_p_value", "relative_lift", "relative_ci_low", "relative_ci_high", "relative_p_value", "relative_p_value_adjusted", "estimate_ok", "chance_to_win", "recommendation", "recommended_variant", "package_digest", "tool_version")
VALUES ("s"."experiment", "s"."run_id", "s"."row_key", "s"."as_of", "s"."metric", "s"."metric_kind", "s"."metric_role", "s"."dimension", "s"."dimension_value", "s"."variant", "s"."is_control", "s"."units", "s"."mean", "s"."variance", "s"."absolute_lift", "s"."absolute_ci_low", "s"."absolute_ci_high", "s"."absolute_p_value", "s"."relative_lift", "s"."relative_ci_low", "s"."relative_ci_high", "s"."relative_p_value", "s"."relative_p_value_adjusted", "s"."estimate_ok", "s"."chance_to_win", "s"."recommendation", "s"."recommended_variant", "s"."package_digest", "s"."tool_version")
