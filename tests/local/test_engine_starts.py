"""The engine starts as a process, answers boto3, and the same server answers S3."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

from floto.local import LocalEngine, ensure_engine, is_reachable


def test_engine_answers_swf_and_s3(local_engine: LocalEngine) -> None:
    swf = local_engine.client("swf")
    swf.register_domain(name="starts", workflowExecutionRetentionPeriodInDays="1")
    names = [d["name"] for d in swf.list_domains(registrationStatus="REGISTERED")["domainInfos"]]
    assert "starts" in names
    s3 = local_engine.client("s3")
    s3.create_bucket(Bucket="floto-examples")
    s3.put_object(Bucket="floto-examples", Key="k", Body=b"v")
    assert s3.get_object(Bucket="floto-examples", Key="k")["Body"].read() == b"v"


def test_startup_is_fast_and_stop_ends_the_process() -> None:
    engine = LocalEngine(poll_wait=1).start()
    try:
        assert engine.startup_seconds is not None and engine.startup_seconds < 5
        assert is_reachable(engine.endpoint_url or "")
        process = engine.process
    finally:
        engine.stop()
    assert process is not None and process.poll() is not None


def test_cli_prints_the_endpoint_and_stops_on_sigterm(tmp_path) -> None:
    port_file = tmp_path / "port"
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "floto.local",
            "--port",
            "0",
            "--port-file",
            str(port_file),
            "--poll-wait",
            "1",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        line = proc.stdout.readline() if proc.stdout else ""
        deadline = time.monotonic() + 10
        while not port_file.exists() and time.monotonic() < deadline:
            time.sleep(0.01)
        port = int(port_file.read_text())
        assert f"http://127.0.0.1:{port}" in line
        assert f"export AWS_ENDPOINT_URL_SWF=http://127.0.0.1:{port}" in line
    finally:
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=10) == 0


def test_ensure_engine_attaches_to_a_running_engine(local_engine: LocalEngine, monkeypatch) -> None:
    monkeypatch.setenv("AWS_ENDPOINT_URL_SWF", local_engine.endpoint_url or "")
    engine = ensure_engine()
    assert engine.endpoint_url == local_engine.endpoint_url
    assert engine.process is None
    engine.stop()  # attached: leaves the engine running
    assert is_reachable(local_engine.endpoint_url or "")
    assert os.environ["AWS_ENDPOINT_URL_SWF"] == local_engine.endpoint_url
