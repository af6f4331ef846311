"""The deployments on a real ``prefect server`` (127.0.0.1): prefect.yaml + a process worker,
and ``mtclean serve``. Each registers, a run is triggered, finishes, and its outputs are checked.
The server, worker and serve processes are stopped whatever happens.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from cli_run import mtclean

from cleaners import manifest as mf

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "corpora" / "sample"
BIN = Path(sys.executable).parent
POOL = "mtclean"
pytestmark = pytest.mark.slow


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _start(cmd: list[str], env: dict[str, str], log: Path, cwd: Path = ROOT) -> subprocess.Popen:
    fh = log.open("wb")
    return subprocess.Popen(
        cmd, env=env, cwd=cwd, stdout=fh, stderr=subprocess.STDOUT, start_new_session=True
    )


def _stop(proc: subprocess.Popen) -> None:
    """SIGINT twice (a worker ignores the first), then SIGKILL the whole group."""
    for sig in (signal.SIGINT, signal.SIGINT, signal.SIGKILL):
        if proc.poll() is not None:
            break
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, sig)
        with contextlib.suppress(subprocess.TimeoutExpired):
            proc.wait(timeout=10)
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGKILL)  # children left behind (flow-run subprocesses)
    proc.wait(timeout=10)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, dict[str, str]]]:
    home = tmp_path_factory.mktemp("prefect-server")
    port = _free_port()
    api = f"http://127.0.0.1:{port}/api"
    base = {
        k: v for k, v in os.environ.items() if not k.startswith("PREFECT_") or k == "PREFECT_HOME"
    }
    env = {
        **base,
        "PREFECT_HOME": str(home),
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
        "DO_NOT_TRACK": "1",
        "PREFECT_LOGGING_LEVEL": "INFO",
    }
    proc = _start(
        [str(BIN / "prefect"), "server", "start", "--host", "127.0.0.1", "--port", str(port)],
        env,
        home / "server.log",
    )
    try:
        deadline = time.monotonic() + 120
        while True:
            if proc.poll() is not None:
                pytest.fail("prefect server exited:\n" + (home / "server.log").read_text())
            with contextlib.suppress(httpx.HTTPError):
                if httpx.get(f"{api}/health", timeout=2).status_code == 200:
                    break
            if time.monotonic() > deadline:
                pytest.fail("prefect server not healthy after 120 s")
            time.sleep(0.5)
        yield api, {**env, "PREFECT_API_URL": api}
    finally:
        _stop(proc)


def _prefect(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    r = subprocess.run(
        [str(BIN / "prefect"), *args],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert r.returncode == 0, f"prefect {' '.join(args)}:\n{r.stdout}\n{r.stderr}"
    return r


def _deployment(api: str, name: str, timeout: float = 60) -> dict:
    deadline = time.monotonic() + timeout
    while True:
        r = httpx.get(f"{api}/deployments/name/build-corpus/{name}", timeout=10)
        if r.status_code == 200:
            return r.json()
        if time.monotonic() > deadline:
            pytest.fail(f"deployment build-corpus/{name} not registered: {r.text}")
        time.sleep(0.5)


def _trigger(api: str, deployment_id: str, params: dict) -> str:
    # The server answers 503 while its SQLite database is busy (seen on a loaded
    # 2-core machine): a client retries that, as Prefect's own client does.
    deadline = time.monotonic() + 60
    while True:
        r = httpx.post(
            f"{api}/deployments/{deployment_id}/create_flow_run",
            json={"parameters": params, "state": {"type": "SCHEDULED"}},
            timeout=10,
        )
        if r.status_code != 503 or time.monotonic() > deadline:
            break
        time.sleep(1)
    assert r.status_code in (200, 201), r.text
    return r.json()["id"]


def _wait(api: str, run_id: str, logs: list[Path], timeout: float = 300) -> dict:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        run = httpx.get(f"{api}/flow_runs/{run_id}", timeout=10).json()
        if run["state_type"] in ("COMPLETED", "FAILED", "CRASHED", "CANCELLED"):
            return run
        time.sleep(1)
    pytest.fail(f"flow run not finished in {timeout} s:\n" + _tails(logs))


def _tails(logs: list[Path]) -> str:
    return "\n".join(f"--- {p.name}\n{p.read_text(errors='replace')[-3000:]}" for p in logs)


def _inputs(tmp: Path) -> Path:
    src = tmp / "in"
    shutil.copytree(SAMPLE, src)
    return src


def _same_corpus_as_a_run(src: Path, out: Path, env: dict[str, str]) -> None:
    """A deployment's run gives the corpus ``mtclean run`` gives on the same folder, byte for
    byte (README: the same input and config give byte-identical corpus files)."""
    plain = out.parent / "plain-run"
    done = mtclean("run", str(src), "--out", str(plain), env=env, timeout=300)
    assert done.returncode == 0, done.stderr
    for name in (*mf.CORPUS_FILES, "edits.jsonl"):
        assert (out / name).read_bytes() == (plain / name).read_bytes(), name


def _check_outputs(out: Path) -> None:
    found = mf.scan_results(out)
    assert found and all(len(v) == 1 for v in found.values())
    assert mf.read_manifest(out)["state"] == "finished"
    for name in (*mf.CORPUS_FILES, "report.md", "report.html"):
        assert (out / name).is_file(), name
    assert (
        (out / "corpus.ru").read_text().count("\n")
        == (out / "corpus.en").read_text().count("\n")
        > 0
    )


def test_prefect_yaml_deployment_with_a_process_worker(server, tmp_path: Path) -> None:
    api, env = server
    _prefect(env, "work-pool", "create", POOL, "--type", "process", "--overwrite")
    _prefect({**env, "PWD": str(ROOT)}, "--no-prompt", "deploy", "--all")
    dep = _deployment(api, "nightly")
    # Nightly cron schedule, and a typed parameter form (the PipelineConfig model).
    crons = [s["schedule"].get("cron") for s in dep["schedules"]]
    assert "0 2 * * *" in crons
    schema = json.dumps(dep["parameter_openapi_schema"])
    assert "PipelineConfig" in schema and "batch_size" in schema
    assert dep["entrypoint"] == "flows/pipeline.py:build_corpus"

    src, out = _inputs(tmp_path), tmp_path / "out"
    run_id = _trigger(api, dep["id"], {"input_dir": str(src), "out_dir": str(out)})
    worker_log = tmp_path / "worker.log"
    worker = _start(
        [str(BIN / "prefect"), "worker", "start", "--pool", POOL, "--type", "process"],
        env,
        worker_log,
    )
    try:
        run = _wait(api, run_id, [worker_log])
    finally:
        _stop(worker)
    assert run["state_type"] == "COMPLETED", _tails([worker_log])
    _check_outputs(out)
    # The run's markdown artifact holds the run's table.
    arts = httpx.post(
        f"{api}/artifacts/filter",
        json={"artifacts": {"flow_run_id": {"any_": [run_id]}}},
        timeout=10,
    ).json()
    assert any("Edits by rule" in (a.get("data") or "") for a in arts)
    _same_corpus_as_a_run(src, out, env)


def test_mtclean_serve(server, tmp_path: Path) -> None:
    api, env = server
    src, out = _inputs(tmp_path), tmp_path / "out"
    log = tmp_path / "serve.log"
    serve = _start(
        [
            sys.executable,
            "-m",
            "flows.cli",
            "serve",
            str(src),
            "--out",
            str(out),
            "--name",
            "serve-test",
            "--cron",
            "30 3 * * *",
        ],
        env,
        log,
    )
    try:
        dep = _deployment(api, "serve-test", timeout=120)
        assert [s["schedule"].get("cron") for s in dep["schedules"]] == ["30 3 * * *"]
        run_id = _trigger(api, dep["id"], {})  # the served defaults: src → out
        run = _wait(api, run_id, [log])
    finally:
        _stop(serve)
    assert run["state_type"] == "COMPLETED", _tails([log])
    _check_outputs(out)
