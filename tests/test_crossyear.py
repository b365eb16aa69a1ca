"""Checks between one office's reports of consecutive years."""

import copy

from conftest import codes

from validator import synth
from validator.check.crossyear import check
from validator.pipeline import lint_paths
from validator.rules import rulebook

OFFICE = "青山区民政局"


def chain(years):
    """Tables for consecutive years whose 表三 carry-over and 表二 现行有效件数 chain correctly."""
    out, prev = {}, None
    for i, year in enumerate(years):
        fmt = "2019" if year <= 2020 else "2021"
        t = synth.figures(fmt, seed=10 + i)
        t3 = t["t3"]
        if prev is not None:
            for c in synth.T3_COLS[:-1]:
                t3["carried_over"][c] = prev["t3"]["carry_forward"][c]
                t3["new"][c] = t3["total"][c] + t3["carry_forward"][c] - t3["carried_over"][c]
                if t3["new"][c] < 0:
                    t3["carry_forward"][c] -= t3["new"][c]
                    t3["new"][c] = 0
            for r in ("new", "carried_over", "carry_forward"):
                t3[r]["total"] = sum(t3[r][c] for c in synth.T3_COLS[:-1])
            if fmt == "2021" and prev is not None and "in_force" in prev["t2"]["regulations"]:
                for r in ("regulations", "normative_documents"):
                    row = t["t2"][r]
                    row["in_force"] = prev["t2"][r]["in_force"] + row["issued"] - row["repealed"]
        out[year], prev = t, t
    return out


def write(tmp_path, name, year, tables, office=OFFICE):
    fmt = "2019" if year <= 2020 else "2021"
    path = tmp_path / f"{name}.html"
    path.write_text(synth.render(fmt, tables, "html", year=year, office=office), encoding="utf-8")
    return str(path)


def run(paths):
    book = rulebook.load()
    return {r.path: r for r in check(book, list(lint_paths(paths, book)))}


def xy(result):
    return [c for c in codes(result) if c[0].startswith("XY-")]


def test_a_consistent_series_has_no_cross_year_findings(tmp_path):
    tables = chain([2019, 2020, 2021, 2022])
    paths = [write(tmp_path, str(y), y, t) for y, t in tables.items()]
    results = run(paths)
    assert all(r.status == "pass" for r in results.values()), {p: codes(r) for p, r in results.items()}
    assert all(xy(r) == [] for r in results.values())


def test_broken_carry_over_across_the_format_change_is_found_column_by_column(tmp_path):
    tables = chain([2020, 2021])
    t3 = tables[2021]["t3"]
    t3["carried_over"]["natural"] += 2  # balance and row total kept: only the chain breaks
    t3["carried_over"]["total"] += 2
    t3["new"]["natural"] -= 2
    t3["new"]["total"] -= 2
    assert t3["new"]["natural"] >= 0
    earlier, later = write(tmp_path, "a", 2020, tables[2020]), write(tmp_path, "b", 2021, tables[2021])
    results = run([earlier, later])
    assert xy(results[earlier]) == []
    assert xy(results[later]) == [("XY-CARRY-OVER", None, "natural"), ("XY-CARRY-OVER", None, "total")]
    f = next(f for f in results[later].findings if f.code == "XY-CARRY-OVER")
    assert earlier in f.message and f.severity == "error"
    assert (f.reported, f.computed) == (t3["carried_over"]["natural"], tables[2020]["t3"]["carry_forward"]["natural"])
    # both cells are named, the earlier one with its file
    assert {(c.row, c.path) for c in f.cells} == {("carried_over", None), ("carry_forward", earlier)}
    assert results[later].status == "fail"


def test_in_force_chain_is_a_soft_check(tmp_path):
    tables = chain([2021, 2022])
    tables[2022]["t2"]["normative_documents"]["in_force"] += 3
    paths = [write(tmp_path, "a", 2021, tables[2021]), write(tmp_path, "b", 2022, tables[2022])]
    results = run(paths)
    assert xy(results[paths[1]]) == [("XY-IN-FORCE", "normative_documents", None)]
    assert results[paths[1]].status == "pass"  # a warning


def test_a_copied_report_is_flagged(tmp_path):
    tables = chain([2022])[2022]
    paths = [write(tmp_path, "a", 2022, tables), write(tmp_path, "b", 2023, copy.deepcopy(tables))]
    results = run(paths)
    assert ("XY-COPIED", None, None) in xy(results[paths[1]])


def test_two_reports_of_one_office_and_year_are_reported_not_merged(tmp_path):
    tables = chain([2021, 2022])
    paths = [write(tmp_path, "a", 2021, tables[2021]), write(tmp_path, "b", 2022, tables[2022]),
             write(tmp_path, "c", 2022, tables[2022])]
    results = run(paths)
    for p in paths[1:]:
        assert xy(results[p]) == [("XY-DUPLICATE", None, None)]
    assert xy(results[paths[0]]) == []


def test_many_copies_of_one_report_name_three_paths_and_the_count(tmp_path):
    # 5,000 copies once made each copy's message list all 5,000 paths (545 MB of text).
    tables = chain([2022])[2022]
    paths = [write(tmp_path, f"copy{i}", 2022, tables) for i in range(8)]
    results = run(paths)
    messages = set()
    for p in paths:
        (f,) = [f for f in results[p].findings if f.code == "XY-DUPLICATE"]
        messages.add(f.message)
    (message,) = messages  # one message, the same for every copy
    assert sum(p in message for p in paths) == 3
    assert all(p in message for p in paths[:3])
    assert "出现了 8 份" in message and f"{paths[2]} 等 8 个文件；" in message
    # a few copies are all named, without a count
    few = run(paths[:3])
    f = next(f for f in few[paths[0]].findings if f.code == "XY-DUPLICATE")
    assert all(p in f.message for p in paths[:3]) and "等" not in f.message


def test_different_offices_are_not_paired_and_a_longer_name_is_the_same_office(tmp_path):
    tables = chain([2020, 2021])
    tables[2021]["t3"]["carried_over"]["natural"] += 1
    tables[2021]["t3"]["carried_over"]["total"] += 1
    tables[2021]["t3"]["new"]["natural"] -= 1
    tables[2021]["t3"]["new"]["total"] -= 1
    other = [write(tmp_path, "a", 2020, tables[2020], office="白云区民政局"), write(tmp_path, "b", 2021, tables[2021])]
    assert all(xy(r) == [] for r in run(other).values())
    same = [write(tmp_path, "c", 2020, tables[2020], office="某市" + OFFICE), write(tmp_path, "d", 2021, tables[2021])]
    assert ("XY-CARRY-OVER", None, "natural") in xy(run(same)[same[1]])
    # a longer name that is not the same place (东城区人民政府 is not 城区人民政府)
    near = [write(tmp_path, "e", 2020, tables[2020], office="东城区人民政府"),
            write(tmp_path, "f", 2021, tables[2021], office="城区人民政府")]
    assert all(xy(r) == [] for r in run(near).values())


def test_office_names_from_the_configuration_pair_reports_with_different_titles(tmp_path):
    from validator import config as configs
    from validator import pipeline as runs

    tables = chain([2020, 2021])
    tables[2021]["t3"]["carried_over"]["legal"] += 1
    tables[2021]["t3"]["carried_over"]["total"] += 1
    tables[2021]["t3"]["new"]["legal"] -= 1
    tables[2021]["t3"]["new"]["total"] -= 1
    (tmp_path / "qingshan").mkdir()
    paths = [write(tmp_path / "qingshan", "2020", 2020, tables[2020], office="青山区政务公开办"),
             write(tmp_path / "qingshan", "2021", 2021, tables[2021], office="青山区民政局")]
    book = rulebook.load()
    plain = runs.execute(book, configs.Config(root=tmp_path), paths, [])
    assert all(xy(r) == [] for r in plain.results)
    cfg = configs.parse({"offices": {"qingshan/*": "青山区"}}, book.codes(), tmp_path)
    mapped = runs.execute(book, cfg, paths, [])
    assert xy(mapped.results[1]) == [("XY-CARRY-OVER", None, "legal"), ("XY-CARRY-OVER", None, "total")]
    # the office the checks used is the office every output shows
    assert [r.office for r in plain.results] == ["青山区政务公开办", "青山区民政局"]
    assert [r.office for r in mapped.results] == ["青山区", "青山区"]
