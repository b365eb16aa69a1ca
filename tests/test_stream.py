"""jsonl, csv and github output is written as the files are checked: each file's own findings
when it is done, the cross-year findings (which need every file) at the end; together they are
exactly the findings of the whole run. Ctrl-C leaves whole lines and a summary of what was checked."""

import csv
import io
import json
from collections import Counter
from pathlib import Path

import pytest
from conftest import ROOT, put, run_cli

from validator import synth
from validator.report import github as github_format

CORPUS = ROOT.parent / "shared" / "corpus"
SUFFIX = {"cells": ".txt", "rows": ".md", "html": ".html", "crawler": ".txt"}


def archive(folder: Path, offices: int = 6, years=range(2019, 2024),
            layouts=("cells", "rows", "html", "crawler")) -> list[Path]:
    """An archive as an evaluator has it: each office's reports for consecutive years, in mixed
    layouts; even offices carry their figures over from year to year, odd ones do not (cross-year
    errors), the last office has two copies of one year (XY-DUPLICATE), every 7th report a wrong
    cell."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for o in range(offices):
        before = None
        for y in years:
            fmt = "2019" if y < 2021 else "2021"
            tables = synth.figures(fmt, seed=o * 100 + y)
            if o % 2 == 0 and before:
                tables["t3"]["carried_over"].update(before["t3"]["carry_forward"])
                synth.balance(tables, fmt)
            before = tables
            if (o * 5 + y) % 7 == 0:
                tables["t3"]["granted"]["natural"] += 1
            layout = layouts[(o + y) % len(layouts)]
            text = synth.render(fmt, tables, layout, year=y, office=f"云溪县第{o}局")
            paths.append(put(folder, f"o{o:03d}_{y}{SUFFIX[layout]}", text))
    copy = synth.render("2021", synth.figures("2021", 7), "html", year=years[-1], office=f"云溪县第{offices - 1}局")
    paths.append(put(folder, f"o{offices - 1:03d}_{years[-1]}_copy.html", copy))
    return sorted(paths)


def json_run(*args, cwd=ROOT) -> dict:
    proc = run_cli("lint", "--no-cache", "--format", "json", *args, cwd=cwd)
    assert proc.returncode in (0, 1), proc.stderr
    return json.loads(proc.stdout)


def streamed(fmt: str, *args, cwd=ROOT) -> str:
    proc = run_cli("lint", "--no-cache", "--format", fmt, *args, cwd=cwd)
    assert proc.returncode in (0, 1), proc.stderr
    return proc.stdout


@pytest.fixture(scope="module")
def folders(tmp_path_factory) -> list[str]:
    folder = tmp_path_factory.mktemp("archive")
    archive(folder)
    found = [str(folder), str(ROOT / "samples")]
    return found + ([str(CORPUS)] if CORPUS.is_dir() else [])


def test_jsonl_lines_add_up_to_the_whole_run(folders):
    whole = json_run(*folders)
    lines = [json.loads(line) for line in streamed("jsonl", *folders).splitlines()]
    files, crossyear, summary = lines[:len(whole["files"])], lines[len(whole["files"]):-1], lines[-1]
    assert [f["path"] for f in files] == [f["path"] for f in whole["files"]]  # input order
    assert crossyear and all(c["crossyear"] is True for c in crossyear)
    assert summary == {"summary": whole["summary"]}
    final = {f["path"]: dict(f) for f in files}
    for c in crossyear:  # own findings first, then the cross-year ones, as in the whole run
        final[c["path"]]["findings"] = final[c["path"]]["findings"] + c["findings"]
        final[c["path"]]["status"] = c["status"]
    assert list(final.values()) == whole["files"]
    changed = [c for c in crossyear if c["status"] != next(f for f in files if f["path"] == c["path"])["status"]]
    assert changed  # some files fail only for what cross-year checks found


def test_github_lines_are_those_of_the_whole_run(folders):
    from validator import config as configs
    from validator import pipeline
    from validator.rules import rulebook

    book = rulebook.load()
    files, missing = pipeline.files_for(folders, configs.Config(), None)
    whole = github_format.render(pipeline.execute(book, configs.Config(), files, missing).results)
    lines = streamed("github", "--isolated", *folders).splitlines()
    assert Counter(lines) == Counter(whole.splitlines())
    assert lines[-1] == whole.splitlines()[-1]  # the summary closes both
    assert any(line.startswith("::notice") for line in lines)  # crawler copies: 部分未核对


def test_csv_rows_are_the_findings_of_the_whole_run(folders):
    whole = json_run(*folders)
    rows = list(csv.DictReader(io.StringIO(streamed("csv", *folders))))
    found = Counter((r["path"], r["code"], r["message"]) for r in rows if r["code"])
    assert found == Counter((f["path"], g["code"], g["message"]) for f in whole["files"] for g in f["findings"])
    status = {f["path"]: f["status"] for f in whole["files"]}
    crossyear = [r for r in rows if r["code"].startswith("XY-")]
    assert crossyear and all(r["status"] == status[r["path"]] for r in crossyear)  # the final status


def test_configuration_and_baseline_apply_to_streamed_lines(tmp_path):
    archive(tmp_path / "reports", offices=4)
    # two offices named alike by the configuration: more cross-year pairs, and duplicates
    put(tmp_path, "govreport.toml", 'ignore = ["XY-IN-FORCE"]\n[offices]\n"reports/o001_*" = "云溪县第0局"\n')
    proc = run_cli("lint", "--no-cache", "--format", "json", "reports", "--write-baseline", "b.json", cwd=tmp_path)
    assert proc.returncode == 1
    baseline = json.loads((tmp_path / "b.json").read_text(encoding="utf-8"))
    baseline["findings"] = baseline["findings"][::2]  # half of today's findings are known
    assert any(e["code"].startswith("XY-") for e in baseline["findings"])
    gone = dict(baseline["findings"][0], fingerprint="0" * 20, code="T3-BALANCE")  # fixed since
    baseline["findings"].append(gone)
    (tmp_path / "b.json").write_text(json.dumps(baseline, ensure_ascii=False), encoding="utf-8")
    whole = json_run("reports", "--baseline", "b.json", cwd=tmp_path)
    assert whole["summary"]["suppressed"] > 0
    assert [e["fingerprint"] for e in whole["stale_baseline"]] == ["0" * 20]
    stale = stream_ending(tmp_path, "reports", "b.json").stale  # the cross-year entries are used, not stale
    assert [e.fingerprint for e in stale] == ["0" * 20]
    lines = [json.loads(x) for x in streamed("jsonl", "reports", "--baseline", "b.json", cwd=tmp_path).splitlines()]
    assert lines[-1] == {"summary": whole["summary"]}
    got = Counter((x["path"], f["code"], f["message"]) for x in lines[:-1] for f in x["findings"])
    assert got == Counter((x["path"], f["code"], f["message"]) for x in whole["files"] for f in x["findings"])
    assert "XY-DUPLICATE" in {code for _, code, _ in got} and "XY-IN-FORCE" not in {code for _, code, _ in got}


def stream_ending(cwd: Path, folder: str, baseline: str):
    from conftest import working_directory

    from validator import config as configs
    from validator import pipeline
    from validator.rules import rulebook
    from validator.stream import Stream

    with working_directory(cwd):
        book = rulebook.load()
        cfg = configs.load(None, book.codes())
        files, missing = pipeline.files_for([folder], cfg, None)
        stream = Stream(book, cfg, files, missing, baseline=baseline)
        for _ in stream:
            pass
        return stream.finish()


def test_lines_appear_as_the_files_are_checked(tmp_path, monkeypatch):
    from validator import pipeline

    paths = archive(tmp_path / "reports", offices=2)
    out = tmp_path / "out.jsonl"
    written = []
    real = pipeline._lint_batch

    def batch(items, book, keep=False):  # before each file is read: the lines of those before it
        written.append(out.read_text(encoding="utf-8").count("\n") if out.exists() else 0)
        return real(items, book, keep)

    monkeypatch.setattr(pipeline, "BATCH", 1)
    monkeypatch.setattr(pipeline, "_lint_batch", batch)
    run_cli("lint", "--no-cache", "-j", "1", "--format", "jsonl", "-o", out, tmp_path / "reports")
    assert written == list(range(len(paths)))
    assert out.read_text(encoding="utf-8").count("\n") > len(paths)  # the cross-year lines and the summary


@pytest.mark.parametrize("fmt", ["jsonl", "csv", "github"])
def test_ctrl_c_leaves_whole_lines_and_a_summary_of_what_was_checked(tmp_path, monkeypatch, fmt):
    from validator import pipeline

    archive(tmp_path / "reports", offices=4)
    calls = []
    real = pipeline._lint_batch

    def batch(items, book, keep=False):
        calls.append(len(items))
        if len(calls) == 4:
            raise KeyboardInterrupt
        return real(items, book, keep)

    monkeypatch.setattr(pipeline, "BATCH", 5)
    monkeypatch.setattr(pipeline, "_lint_batch", batch)
    proc = run_cli("lint", "--no-cache", "-j", "1", "--format", fmt, tmp_path / "reports")
    assert proc.returncode == 130
    assert "已中断" in proc.stderr and "已检查 15 个文件（共 21 个）" in proc.stderr
    assert proc.stdout.endswith("\n")
    if fmt == "jsonl":
        lines = [json.loads(x) for x in proc.stdout.splitlines()]  # every line whole
        assert len(lines) == 16
        assert lines[-1]["interrupted"] is True and lines[-1]["summary"]["files"] == 15
    elif fmt == "csv":
        rows = list(csv.DictReader(io.StringIO(proc.stdout)))
        assert len({r["path"] for r in rows}) == 15 and all(r["status"] for r in rows)
    else:
        assert proc.stdout.splitlines()[-1].startswith("已中断（Ctrl-C），以下为已检查的文件：检查文件 15 个：")


def test_records_spilled_to_a_temporary_file_give_the_same_run(tmp_path, monkeypatch):
    from validator import stream

    archive(tmp_path / "reports", offices=4)
    kept = streamed("jsonl", tmp_path / "reports")
    monkeypatch.setattr(stream, "SPILL_BYTES", 4000)  # a few records in memory, the rest on disk
    rolled = []
    real = stream._Records.add

    def add(self, record):
        real(self, record)
        rolled.append(self.file._rolled)

    monkeypatch.setattr(stream._Records, "add", add)
    assert streamed("jsonl", tmp_path / "reports") == kept
    assert rolled[0] is False and rolled[-1] is True
