"""What the command tells an analyst: `--version`, and `serve` without a Prefect server."""

from __future__ import annotations

import http.server
import os
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator

import duckdb
import pytest
from builds import ROOT, SEEDS

from strikewatch import __version__, cli, preflight
from strikewatch.extract import EXTRACTOR_VERSION


def test_version_names_the_package_rules_and_duckdb(capsys):
    with pytest.raises(SystemExit) as exited:
        cli.main(["--version"])
    assert exited.value.code == 0
    line = capsys.readouterr().out.strip()
    assert line.startswith(f"strikewatch {__version__} ")
    assert f"extraction rules {EXTRACTOR_VERSION}" in line
    assert f"DuckDB {duckdb.__version__}" in line and "storage v1.0.0" in line


def serve(tmp_path, api_url: str | None) -> subprocess.CompletedProcess[str]:
    """`strikewatch serve` in a fresh process, as a user starts it, with PREFECT_API_URL as given
    and a Prefect home of its own (no profile pointing anywhere)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_")}
    env["STRIKEWATCH_PREFECT_HOME"] = str(tmp_path / "prefect-home")
    if api_url:
        env["PREFECT_API_URL"] = api_url
    args = ["serve", "--source", str(SEEDS), "--warehouse", str(tmp_path / "w.duckdb")]
    return subprocess.run(
        [sys.executable, "-m", "strikewatch.cli", *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=120,
    )


def closed_port_url() -> str:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}/api"  # nothing listens once the socket is closed


@pytest.mark.parametrize("api_url", [None, "closed port"])
def test_serve_without_a_reachable_server_exits_2_with_how_to_start_one(tmp_path, api_url):
    url = closed_port_url() if api_url else None
    result = serve(tmp_path, url)
    assert result.returncode == 2, result.stdout + result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in result.stderr
    assert str(ROOT / "scripts/start_prefect_server.sh") in lines[0]
    assert "prefect server start" in lines[0] and "export PREFECT_API_URL=" in lines[0]
    if url:
        assert f"no Prefect server answers at PREFECT_API_URL={url}" in lines[0]
    else:
        assert "PREFECT_API_URL is not set" in lines[0]
    assert not (tmp_path / "w.duckdb").exists()


class _Health(http.server.BaseHTTPRequestHandler):
    def do_GET(self) -> None:  # noqa: N802 (the name http.server calls)
        self.send_response(200 if self.path == "/api/health" else 404)
        self.end_headers()
        self.wfile.write(b"true")

    def log_message(self, *args) -> None:
        pass


@pytest.fixture
def answering_server() -> Iterator[str]:
    server = http.server.HTTPServer(("127.0.0.1", 0), _Health)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/api"
    finally:
        server.shutdown()
        server.server_close()


def test_a_server_that_answers_is_accepted(answering_server, monkeypatch):
    monkeypatch.setenv("PREFECT_API_URL", answering_server)
    assert preflight.prefect_server_for_schedules() == answering_server
