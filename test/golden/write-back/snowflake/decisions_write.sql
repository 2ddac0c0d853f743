-- exptrack experiment checkout_redesign, step decisions write
-- Results and decisions back in the warehouse (src/warehouse-results). One MERGE keyed on the run's
-- (or the decision's) key: writing the same package or record again replaces its rows, never adds.
CREATE SCHEMA IF NOT EXISTS "analytics_out"
;
-- exptrack experiment checkout_redesign, step decisions write
-- Results and decisions back in the warehouse (src/warehouse-results). One MERGE keyed on the run's
-- (or the decision's) key: writing the same package or record again replaces its rows, never adds.
CREATE TABLE IF NOT EXISTS "analytics_out"."exptrack_decisions" (
  "experiment" VARCHAR,
  "sequence" FLOAT,
  "decision" VARCHAR,
  "variant" VARCHAR,
  "decided_by" VARCHAR,
  "note" VARCHAR,
  "decided_at" TIMESTAMP_NTZ,
  "package_run_id" VARCHAR,
  "package_digest" VARCHAR,
  "recommendation" VARCHAR,
  "recommended_variant" VARCHAR,
  "acknowledgement" VARCHAR,
  "record_sha256" VARCHAR
)
;
-- exptrack experiment checkout_redesign, step decisions write
-- Results and decisions back in the warehouse (src/warehouse-results). One MERGE keyed on the run's
-- (or the decision's) key: writing the same package or record again replaces its rows, never adds.
MERGE INTO "analytics_out"."exptrack_decisions" AS t
USING (
SELECT CAST('checkout_redesign' AS VARCHAR) AS "experiment", CAST('1' AS FLOAT) AS "sequence", CAST('ship' AS VARCHAR) AS "decision", CAST('treatment' AS VARCHAR) AS "variant", CAST('Ana' AS VARCHAR) AS "decided_by", CAST('two\\nlines' AS VARCHAR) AS "note", '2026-11-02 09:30:00.000'::TIMESTAMP_NTZ AS "decided_at", CAST('20261101T000000.000Z-abc123' AS VARCHAR) AS "package_run_id", CAST('ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff' AS VARCHAR) AS "package_digest", CAST('ship' AS VARCHAR) AS "recommendation", CAST('treatment' AS VARCHAR) AS "recommended_variant", CAST(NULL AS VARCHAR) AS "acknowledgement", CAST('aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa' AS VARCHAR) AS "record_sha256"
) AS s
ON "t"."experiment" = "s"."experiment" AND "t"."sequence" = "s"."sequence"
WHEN MATCHED THEN UPDATE SET "decision" = "s"."decision", "variant" = "s"."variant", "decided_by" = "s"."decided_by", "note" = "s"."note", "decided_at" = "s"."decided_at", "package_run_id" = "s"."package_run_id", "package_digest" = "s"."package_digest", "recommendation" = "s"."recommendation", "recommended_variant" = "s"."recommended_variant", "acknowledgement" = "s"."acknowledgement", "record_sha256" = "s"."record_sha256"
WHEN NOT MATCHED THEN INSERT ("experiment", "sequence", "decision", "variant", "decided_by", "note", "decided_at", "package_run_id", "package_digest", "recommendation", "recommended_variant", "acknowledgement", "record_sha256")
VALUES ("s"."experiment", "s"."sequence", "s"."decision", "s"."variant", "s"."decided_by", "s"."note", "s"."decided_at", "s"."package_run_id", "s"."package_digest", "s"."recommendation", "s"."recommended_variant", "s"."acknowledgement", "s"."record_sha256")
