"""The seed README's names are where it says they are; the export lists are pinned."""

import importlib
import subprocess
import sys

import pytest

import floto

SEED_NAMES = [
    ("floto", "activity"),
    ("floto", "generator"),
    ("floto", "ActivityWorker"),
    ("floto", "History"),
    ("floto.api", "Swf"),
    ("floto.api", "WorkflowType"),
    ("floto.api", "ActivityType"),
    ("floto.specs", "DeciderSpec"),
    ("floto.specs.task", "Task"),
    ("floto.specs.task", "ActivityTask"),
    ("floto.specs.task", "Generator"),
    ("floto.specs.task", "ChildWorkflow"),
    ("floto.specs.task", "Timer"),
    ("floto.specs.retry_strategy", "Strategy"),
    ("floto.specs.retry_strategy", "InstantRetry"),
    ("floto.decider", "Decider"),
    ("floto.decider", "DynamicDecider"),
    ("floto.decider", "Daemon"),
]


@pytest.mark.parametrize(("module", "name"), SEED_NAMES)
def test_seed_name_is_exported(module, name):
    imported = importlib.import_module(module)
    assert hasattr(imported, name)
    if hasattr(imported, "__all__") and module != "floto.specs.task":
        assert name in imported.__all__


def test_top_level_export_list_is_pinned():
    assert sorted(floto.__all__) == sorted(
        [
            "ActivityRegistry",
            "ActivityWorker",
            "History",
            "__version__",
            "activity",
            "api",
            "cancel_requested",
            "default_registry",
            "generator",
            "specs",
        ]
    )


def test_seed_attribute_paths_work_after_import_floto():
    code = (
        "import floto\n"
        "floto.specs.retry_strategy.InstantRetry(retries=3)\n"
        "floto.specs.task.ActivityTask(name='a', version='v1')\n"
        "assert floto.api.Swf\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_import_floto_does_not_load_optional_dependencies():
    code = (
        "import sys, floto, floto.dsl, floto.decider\n"
        "heavy = [m for m in ('moto', 'graphviz', 'ipywidgets', 'flask') if m in sys.modules]\n"
        "assert not heavy, heavy\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_the_engine_and_the_error_tree_load_without_boto3_or_networkx():
    code = (
        "import sys, floto, floto.local, floto.errors\n"
        "heavy = [m for m in ('boto3', 'botocore', 'networkx') if m in sys.modules]\n"
        "assert not heavy, heavy\n"
        "assert floto.activity and floto.api.Swf and 'boto3' in sys.modules  # on first use\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
