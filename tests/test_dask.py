"""`govreport lint --dask ADDRESS` on a LocalCluster of 2 worker processes gives exactly the
serial results, the workers reading the files from their paths or, with --ship-files, getting
their bytes; a cluster whose environment differs refuses the work."""

import json
import sys

import pytest
from conftest import ROOT, mixed_reports, run_cli, usage_error
from test_stream import archive


try:
    import distributed
except ImportError:  # the optional extra govreport[dask] is not installed
    distributed = None

needs_dask = pytest.mark.skipif(distributed is None, reason="dask.distributed is not installed")


def serial_json(*args) -> dict:
    proc = run_cli("lint", "--no-cache", "-j", "1", "--format", "json", *args)
    assert proc.returncode in (0, 1, 2), proc.stderr
    return json.loads(proc.stdout)


def test_ship_files_needs_dask(tmp_path):
    assert "--dask" in usage_error(run_cli("lint", "--ship-files", ROOT / "samples"))


def test_without_the_extra_the_message_names_it(monkeypatch):
    monkeypatch.setitem(sys.modules, "distributed", None)  # as if not installed
    assert "govreport[dask]" in usage_error(run_cli("lint", "--dask", "tcp://127.0.0.1:1", ROOT / "samples"))


@pytest.fixture(scope="module")
def cluster():
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as c:
        yield c.scheduler_address


@pytest.fixture(scope="module")
def reports(tmp_path_factory):
    folder = tmp_path_factory.mktemp("dask")
    archive(folder / "archive", offices=10)  # cross-year pairs
    mixed_reports(folder, 249)  # 300 files in all
    (folder / "empty.txt").write_text("")  # unreadable: said the same way by the workers
    return folder


@pytest.fixture(scope="module")
def serial(reports) -> dict:
    return serial_json(reports)


@needs_dask
@pytest.mark.parametrize("ship", [False, True])
def test_cluster_run_equals_the_serial_run(cluster, reports, serial, ship):
    assert len(serial["files"]) == 301 and serial["summary"]["errors"] == 1
    proc = run_cli("lint", "--no-cache", "--format", "json", "--dask", cluster, *(["--ship-files"] if ship else []),
                   reports)
    assert proc.returncode == 2, proc.stderr  # the empty file
    assert json.loads(proc.stdout) == serial


@needs_dask
def test_cluster_run_fills_and_uses_the_cache(cluster, reports, serial, tmp_path):
    first = run_cli("lint", "--format", "json", "--cache-dir", tmp_path, "--dask", cluster, reports)
    assert json.loads(first.stdout) == serial
    again = run_cli("lint", "--format", "json", "--cache-dir", tmp_path, "-j", "1", reports)
    assert again.stdout == first.stdout


@needs_dask
def test_workers_of_another_environment_refuse(cluster, reports, monkeypatch):
    from validator import cache as caches

    real = caches.environment()
    monkeypatch.setattr(caches, "environment", lambda: {**real, "govreport": "99.0"})  # this machine differs
    message = usage_error(run_cli("lint", "--no-cache", "--format", "json", "--dask", cluster, reports))
    assert "运行环境与本机不同" in message
