"""A real ``cordiale serve`` in a subprocess on a free loopback port, for the API tests."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

REPO = Path(__file__).resolve().parent.parent


def cli_env(**extra: str) -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(REPO / "src") + os.pathsep + env.get("PYTHONPATH", "")
    env.pop("CORDIALE_TOKEN", None)
    env.update(extra)
    return env


def cordiale(*args: str, env: dict[str, str] | None = None,
             check: bool = True) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "cordiale.cli", *args], capture_output=True,
                          text=True, env=env or cli_env(), timeout=300, check=check)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def running_server(db: Path, *args: str, token: str | None = None,
                   **env_extra: str) -> Iterator[str]:
    """Start ``cordiale serve`` on ``db``; yield its base URL; stop it (this process only)."""
    port = free_port()
    env = cli_env(**({"CORDIALE_TOKEN": token} if token else {}), **env_extra)
    proc = subprocess.Popen(
        [sys.executable, "-m", "cordiale.cli", "serve", "--db", str(db), "--port", str(port),
         "--log-level", "warning", *args],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            if proc.poll() is not None:
                said = proc.stdout.read() if proc.stdout else ""
                raise RuntimeError(f"cordiale serve exited: {said}")
            try:
                if httpx.get(base + "/openapi.json", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError("cordiale serve did not answer within 60 s")
            time.sleep(0.2)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
