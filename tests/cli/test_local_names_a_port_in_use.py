"""`floto local` on a port something listens on says so in its own words, in one line
(werkzeug used to print its message, without `floto local:`)."""

from __future__ import annotations

import socket
import subprocess
import sys


def test_a_port_in_use_is_one_line_and_exit_2():
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        done = subprocess.run(
            [sys.executable, "-m", "floto.cli", "local", "--port", str(port)],
            capture_output=True,
            text=True,
            timeout=60,
        )
    assert done.returncode == 2
    assert done.stderr.splitlines() == [
        f"floto local: port {port} on 127.0.0.1 is in use (another floto local?): stop that "
        "program, or give another --port"
    ]
    assert "ready" not in done.stdout
