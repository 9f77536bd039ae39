"""cvm_retrain: weekly retraining of the propensity models, and the manual promote / rollback path.

Scheduled (and manual with action=retrain):

    choose_action >> wait_for_nightly >> features_training >> train >> models_list

``features --training`` builds the training snapshots of the run date, ``train --model all`` trains every model and
promotes a new version only if it passes the promotion gate inside cvm, ``models list`` logs the registry. The run
date is the UTC date of data_interval_end, as in cvm_nightly; the sensor waits for the nightly ``features`` task
of that same date, since training reads the tables ingested for it (params: wait_for_nightly=false skips the wait).

Manual ("Trigger DAG w/ config"), action=promote or action=rollback with model (and version for promote):

    choose_action >> promote | rollback >> models_list

promote and rollback are never retried: a second rollback would roll back one version further.
"""
from __future__ import annotations

from airflow import DAG
from airflow.models.param import Param
from airflow.operators.empty import EmptyOperator
from airflow.operators.python import BranchPythonOperator
from airflow.providers.apache.spark.operators.spark_submit import SparkSubmitOperator
from airflow.sensors.external_task import ExternalTaskSensor

import cvm_common as cvm

S = cvm.settings()

ACTIONS = ["retrain", "promote", "rollback"]


def choose_action(**context):
    """The branch to run, from the run's params; bad combinations fail here, before any Spark job starts."""
    params = context["params"]
    action = params["action"]
    if action == "retrain":
        return "wait_for_nightly" if params["wait_for_nightly"] else "skip_wait"
    if action == "promote":
        if not str(params["version"]).strip():
            raise ValueError("action=promote needs a version (see the models_list log for the versions)")
        return "promote"
    if action == "rollback":
        return "rollback"
    raise ValueError(f"action must be one of {ACTIONS}, got {action!r}")


with DAG(
    dag_id="cvm_retrain",
    description="cvm retraining (features --training, train --model all, models list); manual promote/rollback",
    schedule=S["retrain_schedule"],
    start_date=cvm.start_date(S),
    catchup=S["catchup"],
    max_active_runs=1,
    default_args=cvm.default_args(S),
    params={
        **cvm.run_params(S),
        "action": Param("retrain", enum=ACTIONS, description="retrain (the scheduled path), promote or rollback."),
        "model": Param("churn", enum=["churn", "upsell"], description="Model to promote or roll back."),
        "version": Param("", type="string", description="Version to promote (models_list shows them)."),
        "wait_for_nightly": Param(True, type="boolean",
                                  description="retrain: wait for cvm_nightly's features task of the run date."),
    },
    doc_md=__doc__,
    tags=["cvm"],
) as dag:
    choose = BranchPythonOperator(task_id="choose_action", python_callable=choose_action, retries=0)

    wait_for_nightly = ExternalTaskSensor(
        task_id="wait_for_nightly",
        external_dag_id="cvm_nightly",
        external_task_id="features",
        execution_date_fn=cvm.nightly_logical_date_fn(S["nightly_schedule"]),
        allowed_states=["success"],
        failed_states=["failed", "upstream_failed"],
        check_existence=True,
        mode="reschedule",
        poke_interval=300,
        timeout=S["nightly_wait_minutes"] * 60,
        retries=0,
    )
    skip_wait = EmptyOperator(task_id="skip_wait")

    features_training = SparkSubmitOperator(
        task_id="features_training",
        application=cvm.JAR,
        java_class=cvm.MAIN_CLASS,
        application_args=["features", "--training", "--conf", cvm.CONF, "--run-date", cvm.RUN_DATE],
        outlets=cvm.table_datasets(S, "account_features", "account_labels"),
        execution_timeout=cvm.timeout(S, "features_training"),
        trigger_rule="none_failed_min_one_success",
        **cvm.spark_kwargs(S),
    )

    train = SparkSubmitOperator(
        task_id="train",
        application=cvm.JAR,
        java_class=cvm.MAIN_CLASS,
        application_args=["train", "--model", "all", "--conf", cvm.CONF, "--run-date", cvm.RUN_DATE],
        outlets=cvm.table_datasets(S, "model_registry"),
        execution_timeout=cvm.timeout(S, "train"),
        **cvm.spark_kwargs(S),
    )

    promote = SparkSubmitOperator(
        task_id="promote",
        application=cvm.JAR,
        java_class=cvm.MAIN_CLASS,
        application_args=["models", "promote", "{{ params.model }}", "{{ params.version }}", "--conf", cvm.CONF],
        outlets=cvm.table_datasets(S, "model_registry"),
        execution_timeout=cvm.timeout(S, "promote"),
        retries=0,
        **cvm.spark_kwargs(S),
    )

    rollback = SparkSubmitOperator(
        task_id="rollback",
        application=cvm.JAR,
        java_class=cvm.MAIN_CLASS,
        application_args=["models", "rollback", "{{ params.model }}", "--conf", cvm.CONF],
        outlets=cvm.table_datasets(S, "model_registry"),
        execution_timeout=cvm.timeout(S, "rollback"),
        retries=0,
        **cvm.spark_kwargs(S),
    )

    models_list = SparkSubmitOperator(
        task_id="models_list",
        application=cvm.JAR,
        java_class=cvm.MAIN_CLASS,
        application_args=["models", "list", "--conf", cvm.CONF],
        execution_timeout=cvm.timeout(S, "models_list"),
        trigger_rule="none_failed_min_one_success",
        **cvm.spark_kwargs(S),
    )

    choose >> [wait_for_nightly, skip_wait] >> features_training >> train >> models_list
    choose >> [promote, rollback] >> models_list
