-- exptrack experiment checkout_redesign, step decisions write
-- Results and decisions back in the warehouse (src/warehouse-results). One MERGE keyed on the run's
-- (or the decision's) key: writing the same package or record again replaces its rows, never adds.
CREATE SCHEMA IF NOT EXISTS "analytics_out"
;
-- exptrack experiment checkout_redesign, step decisions write
-- Results and decisions back in the warehouse (src/warehouse-results). One MERGE keyed on the run's
-- (or the decision's) key: writing the same package or record again replaces its rows, never adds.
CREATE TABLE IF NOT EXISTS "analytics_out"."exptrack_decisions" (
  "experiment" TEXT,
  "sequence" DOUBLE PRECISION,
  "decision" TEXT,
  "variant" TEXT,
  "decided_by" TEXT,
  "note" TEXT,
  "decided_at" TIMESTAMP,
  "package_run_id" TEXT,
  "package_digest" TEXT,
  "recommendation" TEXT,
  "recommended_variant" TEXT,
  "acknowledgement" TEXT,
  "record_sha256" TEXT
)
;
-- exptrack experiment checkout_redesign, step decisions write
-- Results and decisions back in the warehouse (src/warehouse-results). One MERGE keyed on the run's
-- (or the decision's) key: writing the same package or record again replaces its rows, never adds.
-- A transaction-scoped advisory lock per table: writers on other machines take turns instead of racing
-- on CREATE TABLE IF NOT EXISTS, which Postgres does not make safe under concurrency.
SELECT 1 AS locked FROM (SELECT pg_advisory_xact_lock(58654174911968)) AS l
;
-- exptrack experiment checkout_redesign, step decisions write
-- Results and decisions back in the warehouse (src/warehouse-results). One MERGE keyed on the run's
-- (or the decision's) key: writing the same package or record again replaces its rows, never adds.
MERGE INTO "analytics_out"."exptrack_decisions" AS t
USING (
SELECT CAST('checkout_redesign' AS TEXT) AS "experiment", CAST('1' AS DOUBLE PRECISION) AS "sequence", CAST('ship' AS TEXT) AS "decision", CAST('treatment' AS TEXT) AS "variant", CAST('Ana' AS TEXT) AS "decided_by", CAST('two\nlines' AS TEXT) AS "note", TIMESTAMP '2026-11-02 09:30:00.000' AS "decided_at", CAST('20261101T000000.000Z-abc123' AS TEXT) AS "package_run_id", CAST('ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff' AS TEXT) AS "package_digest", CAST('ship' AS TEXT) AS "recommendation", CAST('treatment' AS TEXT) AS "recommended_variant", CAST(NULL AS TEXT) AS "acknowledgement", CAST('aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa' AS TEXT) AS "record_sha256"
) AS s
ON "t"."experiment" = "s"."experiment" AND "t"."sequence" = "s"."sequence"
WHEN MATCHED THEN UPDATE SET "decision" = "s"."decision", "variant" = "s"."variant", "decided_by" = "s"."decided_by", "note" = "s"."note", "decided_at" = "s"."decided_at", "package_run_id" = "s"."package_run_id", "package_digest" = "s"."package_digest", "recommendation" = "s"."recommendation", "recommended_variant" = "s"."recommended_variant", "acknowledgement" = "s"."acknowledgement", "record_sha256" = "s"."record_sha256"
WHEN NOT MATCHED THEN INSERT ("experiment", "sequence", "decision", "variant", "decided_by", "note", "decided_at", "package_run_id", "package_digest", "recommendation", "recommended_variant", "acknowledgement", "record_sha256")
VALUES ("s"."experiment", "s"."sequence", "s"."decision", "s"."variant", "s"."decided_by", "s"."note", "s"."decided_at", "s"."package_run_id", "s"."package_digest", "s"."recommendation", "s"."recommended_variant", "s"."acknowledgement", "s"."record_sha256")
