"""The result cache: a second run over unchanged reports reads none of them and prints the same
bytes; a changed file is read again, alone, and cross-year checks still see every year; a
corrupt or foreign entry, other rules or another version, a folder that cannot be written and
two runs at once never give another result than a run without cache."""

import json
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT, put, run_cli, subprocess_env, usage_error
from test_stream import CORPUS, archive

from validator import pipeline, synth

PROVINCE_RULE = """\
rules:
  - code: FJ-T3-DENIED
    severity: {severity}
    table: t3
    for_each: column
    expr: 'denied.* <= total'
    label: 不予公开不超过总计
    message: '{{scope}}：不予公开各项之和为 {{lhs}}，超过（七）总计 {{rhs}}'
    summary: 'the denied rows of a column sum to at most its total (a province rule)'
"""


@pytest.fixture
def reads(monkeypatch) -> list:
    """The files the run reads (every file read goes through pipeline.load_report)."""
    seen = []
    real = pipeline.load_report

    def load(item, book):
        seen.append(item if isinstance(item, str) else item[0])
        return real(item, book)

    monkeypatch.setattr(pipeline, "load_report", load)
    return seen


def lint(*args, cwd=ROOT, code=(0, 1)):
    proc = run_cli("lint", "--format", "json", "-j", "1", *args, cwd=cwd)
    assert proc.returncode in code, proc.stderr
    return proc


def entries(cache: Path) -> list[Path]:
    return sorted(p for p in cache.glob("??/*") if not p.name.endswith(".tmp"))


def test_second_run_over_the_corpus_and_samples_reads_no_file(tmp_path, reads):
    paths = [ROOT / "samples"] + ([CORPUS] if CORPUS.is_dir() else [])
    cache = tmp_path / "cache"
    plain = lint("--no-cache", *paths)
    assert not cache.exists()
    reads.clear()
    first = lint("--cache-dir", cache, *paths)
    n = len(reads)
    assert n == len(json.loads(plain.stdout)["files"]) and len(entries(cache)) == n
    second = lint("--cache-dir", cache, *paths)
    assert len(reads) == n  # not one file read again
    assert second.stdout == first.stdout == plain.stdout  # byte for byte
    assert (cache / "CACHEDIR.TAG").is_file() and (cache / ".gitignore").read_text().strip().endswith("*")


def test_one_changed_file_is_read_again_alone_and_cross_year_checks_see_every_year(tmp_path, reads):
    paths = archive(tmp_path / "reports", offices=4)
    cache = tmp_path / "cache"
    lint("--cache-dir", cache, tmp_path / "reports")
    changed = next(p for p in paths if p.name.startswith("o000_2021"))
    tables = synth.figures("2021", seed=2021)
    tables["t3"]["carry_forward"]["natural"] += 3  # 2022's 上年结转 no longer follows
    synth.balance(tables, "2021")
    changed.write_text(synth.render("2021", tables, "html" if changed.suffix == ".html" else "rows"
                                    if changed.suffix == ".md" else "cells", year=2021, office="云溪县第0局"),
                       encoding="utf-8")
    reads.clear()
    cached = lint("--cache-dir", cache, tmp_path / "reports")
    assert reads == [str(changed)]
    assert cached.stdout == lint("--no-cache", tmp_path / "reports").stdout
    files = {Path(f["path"]).name: f for f in json.loads(cached.stdout)["files"]}
    later = next(f for name, f in files.items() if name.startswith("o000_2022"))
    assert any(f["code"] == "XY-CARRY-OVER" for f in later["findings"])  # found in a file not read


def test_settings_applied_after_checking_read_nothing_again(tmp_path, reads):
    archive(tmp_path / "reports", offices=3)
    lint("--cache-dir", tmp_path / "cache", "reports", cwd=tmp_path)
    put(tmp_path, "govreport.toml", 'ignore = ["XY-IN-FORCE"]\n[severity]\n"T3" = "warning"\n'
                                    '[offices]\n"reports/o001_*" = "云溪县第0局"\n')
    reads.clear()
    cached = lint("--cache-dir", tmp_path / "cache", "--select", "T3,XY", "reports", cwd=tmp_path)
    assert reads == []
    assert cached.stdout == lint("--no-cache", "--select", "T3,XY", "reports", cwd=tmp_path).stdout
    assert "XY-DUPLICATE" in cached.stdout  # the offices joined by the configuration


def test_a_corrupt_entry_is_ignored_and_rewritten(tmp_path, reads):
    archive(tmp_path / "reports", offices=2)
    cache = tmp_path / "cache"
    plain = lint("--no-cache", tmp_path / "reports").stdout
    lint("--cache-dir", cache, tmp_path / "reports")
    broken = entries(cache)
    broken[0].write_bytes(broken[0].read_bytes()[:-40])  # cut short, as by a crash
    data = bytearray(broken[1].read_bytes())
    data[-20] ^= 1  # one bit flipped: its checksum no longer holds
    broken[1].write_bytes(bytes(data))
    broken[2].write_bytes(b"\x00" * 10)
    reads.clear()
    assert lint("--cache-dir", cache, tmp_path / "reports").stdout == plain
    assert len(reads) == 3
    reads.clear()
    assert lint("--cache-dir", cache, tmp_path / "reports").stdout == plain
    assert reads == []  # rewritten whole


def test_a_foreign_entry_is_ignored_and_rewritten(tmp_path, reads):
    archive(tmp_path / "reports", offices=2)
    cache = tmp_path / "cache"
    plain = lint("--no-cache", tmp_path / "reports").stdout
    lint("--cache-dir", cache, tmp_path / "reports")
    one, other = entries(cache)[:2]
    other.write_bytes(one.read_bytes())  # another file's entry, whole and valid, under this key
    reads.clear()
    assert lint("--cache-dir", cache, tmp_path / "reports").stdout == plain
    assert len(reads) == 1
    reads.clear()
    lint("--cache-dir", cache, tmp_path / "reports")
    assert reads == []


def test_another_version_reads_every_file_again(tmp_path, reads, monkeypatch):
    from validator import cache as caches

    paths = archive(tmp_path / "reports", offices=2)
    lint("--cache-dir", tmp_path / "cache", tmp_path / "reports")
    real = caches.environment()
    monkeypatch.setattr(caches, "environment", lambda: {**real, "govreport": "99.0"})
    reads.clear()
    lint("--cache-dir", tmp_path / "cache", tmp_path / "reports")
    assert len(reads) == len(paths)


def severities(proc, code: str) -> set[str]:
    return {f["severity"] for r in json.loads(proc.stdout)["files"] for f in r["findings"] if f["code"] == code}


def test_other_rules_read_every_file_again(tmp_path, reads):
    from validator.rules import rulebook

    paths = archive(tmp_path / "reports", offices=2)
    tables = synth.figures("2021", seed=5)
    tables["t3"]["denied.state_secret"]["natural"] += 1000
    put(tmp_path / "reports", "denied.html", synth.render("2021", tables, "html", office="另一机关"))
    n = len(paths) + 1
    lint("--cache-dir", "cache", "reports", cwd=tmp_path)
    put(tmp_path, "fj.yaml", PROVINCE_RULE.format(severity="error"))
    put(tmp_path, "govreport.toml", 'rules = ["fj.yaml"]\n')
    reads.clear()
    proc = lint("--cache-dir", "cache", "reports", cwd=tmp_path)
    assert len(reads) == n and severities(proc, "FJ-T3-DENIED") == {"error"}
    put(tmp_path, "fj.yaml", PROVINCE_RULE.format(severity="warning"))  # the rule file edited
    rulebook.load.cache_clear()  # as a new run would read it
    reads.clear()
    proc = lint("--cache-dir", "cache", "reports", cwd=tmp_path)
    assert len(reads) == n and severities(proc, "FJ-T3-DENIED") == {"warning"}
    reads.clear()
    assert lint("--cache-dir", "cache", "reports", cwd=tmp_path).stdout == proc.stdout and reads == []


def test_a_folder_that_cannot_be_written_gives_one_warning_and_the_same_results(tmp_path, reads, monkeypatch):
    from validator import cache as caches

    archive(tmp_path / "reports", offices=2)
    plain = lint("--no-cache", tmp_path / "reports").stdout

    def refuse(*_, **__):  # what a read-only folder answers (root is not refused by file modes)
        raise PermissionError(13, "Permission denied")

    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o555)
    monkeypatch.setattr(caches.tempfile, "mkstemp", refuse)
    proc = lint("--cache-dir", locked / "cache", tmp_path / "reports")
    assert proc.stdout == plain
    warnings = [line for line in proc.stderr.splitlines() if "警告" in line]
    assert len(warnings) == 1 and "无法写入" in warnings[0], proc.stderr
    monkeypatch.undo()
    (tmp_path / "file").write_text("not a folder")
    proc = lint("--cache-dir", tmp_path / "file" / "cache", tmp_path / "reports")
    assert proc.stdout == plain and proc.stderr.count("无法写入") == 1


def test_two_runs_at_once_share_the_cache(tmp_path, reads):
    archive(tmp_path / "reports", offices=10)
    cache = tmp_path / "cache"
    plain = lint("--no-cache", tmp_path / "reports").stdout
    argv = [sys.executable, "-m", "validator", "lint", "--format", "json", "--cache-dir", str(cache),
            str(tmp_path / "reports")]
    runs = [subprocess.Popen(argv + ["-j", str(j)], cwd=ROOT, env=subprocess_env(), stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True, encoding="utf-8") for j in (1, 2)]
    for proc in runs:
        out, err = proc.communicate(timeout=600)
        assert proc.returncode == 1 and out == plain, err
    reads.clear()
    assert lint("--cache-dir", cache, tmp_path / "reports").stdout == plain
    assert reads == []
    assert not list(cache.glob("??/*.tmp"))


def test_cache_off_and_where_it_goes(tmp_path):
    put(tmp_path / "reports", "r.html", synth.render("2021", synth.figures("2021", 1), "html"))
    lint("--no-cache", "reports", cwd=tmp_path)
    assert not (tmp_path / ".govreport_cache").exists()
    lint("reports", cwd=tmp_path)  # on by default, beside the configuration or here
    assert len(entries(tmp_path / ".govreport_cache")) == 1
    put(tmp_path, "govreport.toml", "cache = false\n")
    lint("r.html", cwd=tmp_path / "reports")  # found upward; its folder is the root
    assert not (tmp_path / "reports" / ".govreport_cache").exists()
    put(tmp_path, "govreport.toml", 'cache-dir = "build/cache"\n')
    lint("r.html", cwd=tmp_path / "reports")
    assert len(entries(tmp_path / "build" / "cache")) == 1
    # the entries are never picked up as reports of a folder being checked
    doc = json.loads(lint(".", cwd=tmp_path).stdout)
    assert [Path(f["path"]).name for f in doc["files"]] == ["r.html"]


@pytest.mark.parametrize("value", ['"yes"', "1"])
def test_cache_must_be_a_boolean(tmp_path, value):
    put(tmp_path, "govreport.toml", f"cache = {value}\n")
    put(tmp_path, "r.html", synth.render("2021", synth.figures("2021", 1), "html"))
    assert "govreport.toml.cache" in usage_error(run_cli("lint", "r.html", cwd=tmp_path))


@pytest.mark.parametrize("value", ['""', "3", "[\"a\"]"])
def test_cache_dir_must_be_a_path(tmp_path, value):
    put(tmp_path, "govreport.toml", f"cache-dir = {value}\n")
    put(tmp_path, "r.html", synth.render("2021", synth.figures("2021", 1), "html"))
    assert "govreport.toml.cache-dir" in usage_error(run_cli("lint", "r.html", cwd=tmp_path))


def test_parallel_run_with_the_cache_equals_the_serial_run(tmp_path):
    from validator.cache import Cache
    from validator.rules import rulebook

    paths = [str(p) for p in archive(tmp_path / "reports", offices=6)]
    book = rulebook.load()
    cache = Cache(tmp_path / "cache", book)
    serial = list(pipeline.lint_paths(paths, book, jobs=1))
    assert list(pipeline.lint_paths(paths, book, jobs=2, cache=cache)) == serial
    assert cache.written == len(paths) and cache.hits == 0
    again = list(pipeline.lint_paths(paths, book, jobs=2, cache=cache))
    assert again == serial and [r.facts for r in again] == [r.facts for r in serial]
    assert cache.hits == len(paths)
