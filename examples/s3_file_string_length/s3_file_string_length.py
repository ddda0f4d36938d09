"""The seed README's generator example: the length of each weekday's file under an S3 prefix.

    python examples/s3_file_string_length/s3_file_string_length.py
    python examples/s3_file_string_length/s3_file_string_length.py --aws --bucket MY_BUCKET

A DynamicDecider runs the tasks the workflow input carries: one generator, ``weekDays``. It
returns, for each weekday between ``from_date`` and ``to_date``, a ``copyFile`` task (copy
``<prefix>/<date>.txt`` to ``<prefix>-copies/``) and a ``fileLength`` task requiring it (the
copy's length), each with three instant retries. The run's result holds every length.

S3 is the local engine's (it serves S3 on the same port) unless ``--aws``; the script first
writes a file for each day of the week of 2024-01-01 under ``s3://BUCKET/floto-example/``.
The activities find the bucket in ``FLOTO_EXAMPLE_BUCKET`` (set here, inherited by the
worker processes): the seed's generator gives copyFile only the date.
"""

from __future__ import annotations

import datetime as dt
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import _support  # connect, run pollers, wait: see examples/_support.py
import boto3

import floto
import floto.api
from floto.decider import DynamicDecider
from floto.specs import DeciderSpec
from floto.specs.retry_strategy import InstantRetry
from floto.specs.task import ActivityTask, Generator

DOMAIN = "floto_test"
WORKFLOW_TYPE = ("s3_files_example", "1")
PREFIX = "floto-example"
BUCKET_VARIABLE = "FLOTO_EXAMPLE_BUCKET"
FROM_DATE, TO_DATE = "2024-01-01", "2024-01-07"  # Monday to Sunday: five weekdays


@floto.generator(name="weekDays", version="1")
def week_days(context):
    from_date_iso = context.workflow_input["from_date"]
    to_date_iso = context.workflow_input["to_date"]
    from_date = dt.datetime.strptime(from_date_iso, "%Y-%m-%d").date()
    to_date = dt.datetime.strptime(to_date_iso, "%Y-%m-%d").date()
    days = [from_date + dt.timedelta(days=n) for n in range(0, (to_date - from_date).days + 1)]
    week_days = [day for day in days if day.weekday() < 5]

    def get_tasks(date):
        rs = InstantRetry(retries=3)
        copy_file = ActivityTask(
            name="copyFile", version="1", input=date.isoformat(), retry_strategy=rs
        )
        length = ActivityTask(
            name="fileLength", version="1", requires=[copy_file], retry_strategy=rs
        )
        return [copy_file, length]

    tasks = [get_tasks(date) for date in week_days]
    return [t for sublist in tasks for t in sublist]


@floto.activity(name="copyFile", version="1")
def copy_file(context):
    """Copy the day's file to the copies prefix; the copy's key is the result."""
    bucket, date = os.environ[BUCKET_VARIABLE], context.input
    source, target = f"{PREFIX}/{date}.txt", f"{PREFIX}-copies/{date}.txt"
    boto3.client("s3").copy_object(
        Bucket=bucket, Key=target, CopySource={"Bucket": bucket, "Key": source}
    )
    return {"bucket": bucket, "key": target}


@floto.activity(name="fileLength", version="1")
def file_length(context):
    """The length of the text of the file copyFile wrote (its result is in the context)."""
    copied = context.result("copyFile")
    body = boto3.client("s3").get_object(Bucket=copied["bucket"], Key=copied["key"])["Body"]
    return len(body.read().decode("utf-8"))


def put_files(bucket: str) -> None:
    """One text file per day of the week, under ``PREFIX``."""
    s3 = boto3.client("s3")
    if not _support.ON_AWS:
        s3.create_bucket(Bucket=bucket)
    first = dt.date.fromisoformat(FROM_DATE)
    for n in range(7):
        day = first + dt.timedelta(days=n)
        text = f"{day:%A}: " + "floto " * (n + 1)
        s3.put_object(Bucket=bucket, Key=f"{PREFIX}/{day.isoformat()}.txt", Body=text.encode())


def register(swf: floto.api.Swf) -> None:
    swf.domains.register_domain(DOMAIN)
    name, version = WORKFLOW_TYPE
    swf.register_workflow_type(
        floto.api.WorkflowType(
            domain=DOMAIN,
            name=name,
            version=version,
            default_task_start_to_close_timeout=30,
        )
    )
    for activity in ("weekDays", "copyFile", "fileLength"):
        swf.register_activity_type(
            floto.api.ActivityType(
                domain=DOMAIN,
                name=activity,
                version="1",
                default_task_start_to_close_timeout=60,
            )
        )


def run_decider(spec_json: str) -> None:
    DynamicDecider(decider_spec=spec_json).run()


def run_worker(task_list: str) -> None:
    floto.ActivityWorker(domain=DOMAIN, task_list=task_list).run()


def main() -> int:
    swf = _support.connect()
    bucket = sys.argv[sys.argv.index("--bucket") + 1] if "--bucket" in sys.argv else None
    if _support.ON_AWS and bucket is None:
        print("on AWS, give a bucket of yours: --bucket NAME", file=sys.stderr)
        return 2
    bucket = os.environ[BUCKET_VARIABLE] = bucket or "floto-examples"
    put_files(bucket)
    register(swf)
    spec = DeciderSpec(
        domain=DOMAIN,
        task_list=_support.task_list("s3_files"),
        default_activity_task_list=_support.task_list("s3_files_activities"),
    )
    activity_tasks = [Generator(name="weekDays", version="1")]
    workflow_args = {
        "domain": DOMAIN,
        "workflow_type_name": WORKFLOW_TYPE[0],
        "workflow_type_version": WORKFLOW_TYPE[1],
        "task_list": spec.task_list,
        "workflow_id": "s3_files",
        "input": {"activity_tasks": activity_tasks, "from_date": FROM_DATE, "to_date": TO_DATE},
    }
    run = (run_decider, (spec.to_json(),)), (run_worker, (spec.default_activity_task_list,))
    with _support.pollers(*run, (run_worker, (spec.default_activity_task_list,))) as processes:
        run_id = swf.start_workflow_execution(**workflow_args)["runId"]
        outcome = _support.wait(swf, DOMAIN, "s3_files", run_id, processes)
    return _support.report(outcome)


if __name__ == "__main__":
    sys.exit(main())
