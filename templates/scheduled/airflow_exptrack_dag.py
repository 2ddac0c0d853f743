"""Airflow DAG: a daily incremental exptrack refresh, with a weekly full rebuild of the state.

The project (exptrack.yaml with a target that has write_schema) lives in EXPTRACK_PROJECT. Exit code 1
means an error-severity check failed: packages were written, and the task fails so someone looks.
"""
from datetime import datetime

from airflow import DAG
from airflow.operators.bash import BashOperator

EXPTRACK_PROJECT = "/opt/experiments"

with DAG(
    dag_id="exptrack_daily",
    start_date=datetime(2026, 10, 1),
    schedule="15 6 * * *",
    catchup=False,
    max_active_runs=1,  # the warehouse-side lock would serialise runs anyway; this avoids the wait
) as dag:
    BashOperator(
        task_id="exptrack_run_incremental",
        # --as-of pins the analysis to the schedule's logical time, so a re-run of a day is reproducible.
        bash_command="cd {{ params.project }} && npx exptrack run --incremental --as-of '{{ data_interval_end.isoformat() }}' --json",
        params={"project": EXPTRACK_PROJECT},
        env={"EXPTRACK_PG_PASSWORD": "{{ var.value.exptrack_pg_password }}"},
        append_env=True,
    )
