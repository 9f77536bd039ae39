"""cvm_nightly: the nightly cvm chain, one spark-submit per stage, for the run date of the data interval.

    ingest >> features >> {value-map, clv, score};  {clv, score} >> segment >> publish >> monitor >> report
    value-map >> publish (publish and report see every table of the run date; the report shows the night's drift)

Each task runs ``spark-submit --class dev.cvm.Main <jar> <command> --conf <conf> --run-date <date>``, the same
jar and command line as by hand (README.md, "Running on a cluster"). The run date is the UTC date of
``data_interval_end`` (see cvm_common.RUN_DATE); a backfill or catch-up run re-runs exactly its own date, and since
every stage replaces its run date in one Delta commit, re-running a date is safe. Settings: Variable cvm_settings
(airflow/README.md).
"""
from __future__ import annotations

from airflow import DAG
from airflow.providers.apache.spark.operators.spark_submit import SparkSubmitOperator

import cvm_common as cvm

S = cvm.settings()

with DAG(
    dag_id="cvm_nightly",
    description="cvm nightly chain: ingest, features, value map, CLV, scores, segments, publish, monitor, report",
    schedule=S["nightly_schedule"],
    start_date=cvm.start_date(S),
    catchup=S["catchup"],
    max_active_runs=S["max_active_runs"],
    default_args=cvm.default_args(S),
    params=cvm.run_params(S),
    doc_md=__doc__,
    tags=["cvm"],
) as dag:
    ingest = SparkSubmitOperator(
        task_id="ingest",
        application=cvm.JAR,
        java_class=cvm.MAIN_CLASS,
        application_args=["ingest", "--conf", cvm.CONF, "--run-date", cvm.RUN_DATE],
        outlets=cvm.table_datasets(S, "accounts", "transactions", "usage", "holdings", "campaign_contacts",
                                   "support_events", "surveys", "survey_ratings", "quarantine"),
        execution_timeout=cvm.timeout(S, "ingest"),
        **cvm.spark_kwargs(S),
    )

    features = SparkSubmitOperator(
        task_id="features",
        application=cvm.JAR,
        java_class=cvm.MAIN_CLASS,
        application_args=["features", "--conf", cvm.CONF, "--run-date", cvm.RUN_DATE],
        outlets=cvm.table_datasets(S, "account_features", "account_labels"),
        execution_timeout=cvm.timeout(S, "features"),
        **cvm.spark_kwargs(S),
    )

    value_map = SparkSubmitOperator(
        task_id="value_map",
        application=cvm.JAR,
        java_class=cvm.MAIN_CLASS,
        application_args=["value-map", "--conf", cvm.CONF, "--run-date", cvm.RUN_DATE],
        outlets=cvm.table_datasets(S, "value_map_attributes", "value_map_segments"),
        execution_timeout=cvm.timeout(S, "value_map"),
        **cvm.spark_kwargs(S),
    )

    clv = SparkSubmitOperator(
        task_id="clv",
        application=cvm.JAR,
        java_class=cvm.MAIN_CLASS,
        application_args=["clv", "--conf", cvm.CONF, "--run-date", cvm.RUN_DATE],
        outlets=cvm.table_datasets(S, "clv_params", "customer_clv"),
        execution_timeout=cvm.timeout(S, "clv"),
        **cvm.spark_kwargs(S),
    )

    score = SparkSubmitOperator(
        task_id="score",
        application=cvm.JAR,
        java_class=cvm.MAIN_CLASS,
        application_args=["score", "--conf", cvm.CONF, "--run-date", cvm.RUN_DATE],
        outlets=cvm.table_datasets(S, "account_propensity"),
        execution_timeout=cvm.timeout(S, "score"),
        **cvm.spark_kwargs(S),
    )

    segment = SparkSubmitOperator(
        task_id="segment",
        application=cvm.JAR,
        java_class=cvm.MAIN_CLASS,
        application_args=["segment", "--conf", cvm.CONF, "--run-date", cvm.RUN_DATE],
        outlets=cvm.table_datasets(S, "customer_scores", "campaign_targets", "segment_summary"),
        execution_timeout=cvm.timeout(S, "segment"),
        **cvm.spark_kwargs(S),
    )

    # publish and report write outside the warehouse; declare those targets with the setting extra_outlets.
    publish = SparkSubmitOperator(
        task_id="publish",
        application=cvm.JAR,
        java_class=cvm.MAIN_CLASS,
        application_args=["publish", "--conf", cvm.CONF, "--run-date", cvm.RUN_DATE],
        outlets=cvm.extra_datasets(S, "publish"),
        execution_timeout=cvm.timeout(S, "publish"),
        **cvm.spark_kwargs(S),
    )

    report = SparkSubmitOperator(
        task_id="report",
        application=cvm.JAR,
        java_class=cvm.MAIN_CLASS,
        application_args=["report", "--conf", cvm.CONF, "--run-date", cvm.RUN_DATE],
        outlets=cvm.extra_datasets(S, "report"),
        execution_timeout=cvm.timeout(S, "report"),
        **cvm.spark_kwargs(S),
    )

    monitor = SparkSubmitOperator(
        task_id="monitor",
        application=cvm.JAR,
        java_class=cvm.MAIN_CLASS,
        application_args=["monitor", "--conf", cvm.CONF, "--run-date", cvm.RUN_DATE],
        outlets=cvm.table_datasets(S, "drift") + cvm.extra_datasets(S, "monitor"),
        execution_timeout=cvm.timeout(S, "monitor"),
        **cvm.spark_kwargs(S),
    )

    ingest >> features >> [value_map, clv, score]
    [clv, score] >> segment
    [segment, value_map] >> publish >> monitor >> report
