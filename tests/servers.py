"""Start real servers as subprocesses on free loopback ports, wait until they answer, stop them."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_http(url: str, proc: subprocess.Popen, timeout: float = 60.0) -> None:
    deadline = time.time() + timeout
    while time.time() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited with {proc.returncode}: {proc.stderr.read() if proc.stderr else ''}")
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            time.sleep(0.2)
    raise TimeoutError(f"{url} did not answer within {timeout} s")


def start_cse_graph(*args: str, new_session: bool = False) -> tuple[subprocess.Popen, str]:
    """`cse-graph serve` on a free port; returns (process, base URL). With new_session the server
    leads its own process group, so a test can send it a terminal's Ctrl-C (killpg SIGINT)."""
    port = free_port()
    proc = subprocess.Popen([str(BIN / "cse-graph"), "serve", "--port", str(port), "--quiet", *args],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=dict(os.environ),
                            start_new_session=new_session)
    base = f"http://127.0.0.1:{port}"
    wait_http(base + "/health", proc)
    return proc, base


def start_oxigraph(location: Path) -> tuple[subprocess.Popen, str]:
    """A real, writable Oxigraph server (the `oxigraph` PyPI package) on a free port."""
    port = free_port()
    proc = subprocess.Popen([str(BIN / "oxigraph"), "serve", "--location", str(location), "--bind", f"127.0.0.1:{port}"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    base = f"http://127.0.0.1:{port}"
    wait_http(base + "/query?query=ASK%7B%7D", proc)
    return proc, base


def stop(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
