"""Settings and helpers shared by the cvm DAGs (cvm_nightly, cvm_retrain).

Not a DAG itself (listed in .airflowignore); the DAG files import it, which works because Airflow puts the DAGs
folder on sys.path.

Every deployment setting comes from ONE Airflow Variable, ``cvm_settings``: a JSON object holding any subset of the
keys of DEFAULTS below. Keys it does not set keep their default; a key that is not in DEFAULTS makes the DAG files
fail to import with the key's name (a likely typo, shown under "Import errors" in the UI), the same rule cvm applies
to its own config. The Variable is read once per parse of a DAG file. It can also come from the environment
(``AIRFLOW_VAR_CVM_SETTINGS``) or a secrets backend, which costs no metadata-database query.

The jar and the cvm config file are also DAG params (``cvm_jar``, ``cvm_conf``) whose defaults are the settings, so
one manual run or backfill can override them with ``--conf '{"cvm_conf": "..."}'``.
"""
from __future__ import annotations

import copy
import json
from datetime import datetime, timedelta, timezone

# The business date of a run: the (UTC) date on which the run's data interval ends. cvm's run date is an exclusive
# as-of date (features use events strictly before it; ingest quarantines events after it), so the run whose
# interval covers day D-1 and closes at D 00:00-ish is the run for run date D: every event of D-1 is then in.
# Backfill and catch-up runs carry their own data interval, so each re-runs exactly its own date.
RUN_DATE = "{{ data_interval_end | ds }}"
# The jar and the cvm config file of a run, from the DAG params (defaults: the settings "jar" and "conf").
JAR = "{{ params.cvm_jar }}"
CONF = "{{ params.cvm_conf }}"
MAIN_CLASS = "dev.cvm.Main"

SETTINGS_VARIABLE = "cvm_settings"

DEFAULTS = {
    # Airflow connection of type Spark: host = master (yarn, k8s://..., spark://...), extra = {"deploy-mode": ...}.
    "spark_conn_id": "spark_default",
    # The cvm jar (jobs/target/cvm.jar), as spark-submit sees it: a path on the Airflow worker, or hdfs://, s3a://,
    # local:// (already on every node).
    "jar": "/opt/cvm/cvm.jar",
    # The value of cvm's --conf. In client deploy mode: a path on the Airflow worker. In cluster deploy mode: ship
    # the file with "files" and give its base name here (e.g. files "/opt/cvm/conf/cluster.conf", conf "cluster.conf").
    "conf": "/opt/cvm/conf/cluster.conf",
    # spark-submit --files (comma separated), or null.
    "files": None,
    # Extra spark-submit --conf properties, e.g. {"spark.dynamicAllocation.enabled": "true"}.
    "spark_conf": {},
    "executor_memory": "4g",
    "executor_cores": 2,
    "driver_memory": "2g",
    # null: let the cluster decide (dynamic allocation).
    "num_executors": None,
    # The cvm.warehouse of the config; only used to name the Datasets (<warehouse>/delta/<table>).
    "warehouse": "hdfs:///data/cvm/warehouse",
    # Extra Dataset URIs per task id, for outputs outside the warehouse, e.g. {"publish": ["postgresql://..."]}.
    "extra_outlets": {},
    # Cron expressions in UTC. The nightly must fire once a day (the retrain DAG finds the nightly run of its date
    # from this expression).
    "nightly_schedule": "0 2 * * *",
    "retrain_schedule": "0 6 * * 0",
    # First data interval (UTC, YYYY-MM-DD). With catchup on, Airflow schedules every interval since then.
    "start_date": "2026-01-01",
    "catchup": False,
    # Runs of one DAG at a time: catch-up and backfill dates run one after the other, oldest first.
    "max_active_runs": 1,
    "owner": "cvm",
    # Retries with exponential back-off: retry_delay, 2x, 4x, ... capped at max_retry_delay. Safe because every
    # stage replaces its run date in one Delta commit (a re-run never appends twice).
    "retries": 3,
    "retry_delay_minutes": 5,
    "max_retry_delay_minutes": 60,
    # execution_timeout per task id; a task past its timeout is killed (and its Spark application with it).
    "timeout_minutes": {
        "ingest": 60,
        "features": 90,
        "value_map": 30,
        "clv": 90,
        "score": 60,
        "segment": 60,
        "publish": 30,
        "report": 30,
        "monitor": 30,
        "features_training": 240,
        "train": 240,
        "models_list": 15,
        "promote": 15,
        "rollback": 15,
    },
    # How long cvm_retrain waits for the nightly features of its date before failing.
    "nightly_wait_minutes": 720,
}


def settings() -> dict:
    """DEFAULTS overridden by the Variable cvm_settings; unknown keys are an error."""
    from airflow.models import Variable

    raw = Variable.get(SETTINGS_VARIABLE, default_var=None)
    return merge_settings(json.loads(raw) if raw else {})


def merge_settings(overrides: dict) -> dict:
    if not isinstance(overrides, dict):
        raise ValueError(f"Variable {SETTINGS_VARIABLE} must be a JSON object, got {type(overrides).__name__}")
    unknown = sorted(set(overrides) - set(DEFAULTS))
    if unknown:
        raise ValueError(f"Variable {SETTINGS_VARIABLE}: unknown keys {unknown}; known: {sorted(DEFAULTS)}")
    s = copy.deepcopy(DEFAULTS)
    for key, value in overrides.items():
        if isinstance(DEFAULTS[key], dict):
            if not isinstance(value, dict):
                raise ValueError(f"Variable {SETTINGS_VARIABLE}: {key} must be a JSON object")
            s[key].update(value)
        else:
            s[key] = value
    datetime.strptime(s["start_date"], "%Y-%m-%d")  # fail at parse time, with the value in the message
    return s


def start_date(s: dict):
    import pendulum

    d = datetime.strptime(s["start_date"], "%Y-%m-%d")
    return pendulum.datetime(d.year, d.month, d.day, tz="UTC")


def default_args(s: dict) -> dict:
    return {
        "owner": s["owner"],
        "depends_on_past": False,
        "retries": s["retries"],
        "retry_delay": timedelta(minutes=s["retry_delay_minutes"]),
        "retry_exponential_backoff": True,
        "max_retry_delay": timedelta(minutes=s["max_retry_delay_minutes"]),
    }


def timeout(s: dict, task_id: str) -> timedelta:
    minutes = s["timeout_minutes"].get(task_id)
    if minutes is None:
        raise ValueError(f"no timeout_minutes entry for task {task_id}")
    return timedelta(minutes=minutes)


def run_params(s: dict) -> dict:
    from airflow.models.param import Param

    return {
        "cvm_jar": Param(s["jar"], type="string", description="The cvm jar spark-submit runs."),
        "cvm_conf": Param(s["conf"], type="string", description="The value of cvm's --conf (config file)."),
    }


def spark_kwargs(s: dict) -> dict:
    """SparkSubmitOperator arguments other than application, java_class and application_args."""
    return {
        "conn_id": s["spark_conn_id"],
        "conf": dict(s["spark_conf"]) or None,
        "files": s["files"],
        "executor_memory": s["executor_memory"],
        "executor_cores": s["executor_cores"],
        "driver_memory": s["driver_memory"],
        "num_executors": s["num_executors"],
        "name": "cvm-{{ task.task_id }}-" + RUN_DATE,
    }


def table_datasets(s: dict, *tables: str) -> list:
    """The Delta tables a task writes, as Datasets named <warehouse>/delta/<table> (cvm's own layout)."""
    from airflow.datasets import Dataset

    root = s["warehouse"].rstrip("/")
    return [Dataset(f"{root}/delta/{t}") for t in tables]


def extra_datasets(s: dict, task_id: str) -> list:
    from airflow.datasets import Dataset

    return [Dataset(uri) for uri in s["extra_outlets"].get(task_id, [])]


def nightly_logical_date_fn(nightly_schedule: str):
    """For ExternalTaskSensor(execution_date_fn=...): the logical date of the cvm_nightly run with this run's date.

    A nightly run's run date is the UTC date its data interval ends on (RUN_DATE), and its logical date is the
    interval start: the nightly cron tick before the first tick of that date. The sensing run's own run date comes
    from its data_interval_end too, so both DAGs agree on what "the run for date D" is, for scheduled, catch-up and
    backfill runs alike. The first argument (the sensing run's logical date) is not used.
    """

    def logical_date(_dttm, data_interval_end, **_context):
        from croniter import croniter

        end = data_interval_end.astimezone(timezone.utc)
        day = datetime(end.year, end.month, end.day, tzinfo=timezone.utc)
        first_tick = croniter(nightly_schedule, day - timedelta(seconds=1)).get_next(datetime)
        if first_tick.date() != day.date():
            raise ValueError(f"nightly_schedule {nightly_schedule!r} has no run on {day.date()}")
        return croniter(nightly_schedule, first_tick).get_prev(datetime)

    return logical_date
