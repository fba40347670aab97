"""The runner without a kernel: parameter spec, notebooks' parameter cells,
fingerprint, lock, atomic publish and recovery."""

from __future__ import annotations

import json
import os
import shutil
import threading
from pathlib import Path

import pytest

from coalition_workbook import config, labels, metrics, runner
from coalition_workbook.cli import main
from coalition_workbook.errors import ParameterError, RunLockedError

# --------------------------------------------------------------------------- spec

def test_spec_matches_the_library_values() -> None:
    assert runner.SPEC["lang"].choices == labels.LANGS
    assert runner.SPEC["bounds"].choices == metrics.BOUNDS
    assert runner.check_parameters({}) == runner.defaults()


@pytest.mark.parametrize(("given", "name", "words"), [
    ({"no_such_param": 1}, "no_such_param", "unknown"),
    ({"lang": 1}, "lang", "got int"),
    ({"decimals": "2"}, "decimals", "got str"),
    ({"decimals": True}, "decimals", "got bool"),
    ({"decimals": 1.5}, "decimals", "got float"),
    ({"lang": "xx"}, "lang", "not allowed"),
    ({"bounds": "ignore"}, "bounds", "not allowed"),
    ({"decimals": 7}, "decimals", "out of range"),
    ({"decimals": -1}, "decimals", "out of range"),
    ({"figures_path": "data/nowhere.csv"}, "figures_path", "no such file"),
], ids=["unknown", "str-as-int", "int-as-str", "bool-as-int", "float-as-int", "bad-lang",
        "bad-bounds", "too-many-decimals", "negative-decimals", "missing-figures"])
def test_bad_parameter_is_named(given: dict, name: str, words: str) -> None:
    with pytest.raises(ParameterError) as info:
        runner.check_parameters(given)
    assert info.value.parameter == name
    message = str(info.value)
    assert f"parameter {name}" in message and words in message
    assert "\n" not in message


def test_good_parameters_pass() -> None:
    params = runner.check_parameters({"lang": "ar", "bounds": "exclude", "decimals": 0,
                                      "figures_path": str(config.FIGURES_CSV)})
    assert params["lang"] == "ar" and params["decimals"] == 0


@pytest.mark.parametrize(("text", "value"), [
    ("1", 1), ("-2", -2), ("1.5", 1.5), ("True", True), ("False", False), ("None", None),
    ("ar", "ar"), ("data/figures.csv", "data/figures.csv"),
])
def test_cli_values_are_typed_like_papermill(text: str, value: object) -> None:
    got = runner.guess_type(text)
    assert got == value and type(got) is type(value)


def test_cli_pairs_and_yaml_merge_and_are_checked(tmp_path: Path) -> None:
    yml = tmp_path / "p.yaml"
    yml.write_text("lang: ar\ndecimals: 2\n", encoding="utf-8")
    params = runner.resolve_parameters([("decimals", "3")], yml)
    assert params["lang"] == "ar" and params["decimals"] == 3
    yml.write_text("decimals: '2'\n", encoding="utf-8")  # YAML typed it as a string
    with pytest.raises(ParameterError, match="parameter decimals"):
        runner.resolve_parameters([], yml)
    yml.write_text("- lang\n", encoding="utf-8")
    with pytest.raises(ParameterError, match="mapping"):
        runner.resolve_parameters([], yml)


@pytest.mark.parametrize(("args", "needle"), [
    (["-p", "no_such_param", "1"], "no_such_param"),
    (["-p", "lang", "xx"], "lang"),
    (["-p", "decimals", "many"], "decimals"),
    (["-p", "figures_path", "nope.csv"], "figures_path"),
])
def test_cli_refuses_bad_parameter_with_one_line_exit_2(capsys: pytest.CaptureFixture[str],
                                                        args: list[str], needle: str) -> None:
    assert main(["run", *args]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and needle in err[0], err


# --------------------------------------------------------------------------- notebooks

@pytest.mark.parametrize("name", runner.NOTEBOOKS)
def test_notebook_parameters_cell_declares_exactly_the_spec(name: str) -> None:
    path = runner.notebook_path(name)
    runner.check_notebook(path)
    declared = runner.notebook_parameters(path)
    assert declared == runner.defaults()
    assert list(declared) == list(runner.SPEC)


@pytest.mark.parametrize("name", runner.NOTEBOOKS)
def test_papermill_sees_the_same_parameters(name: str) -> None:
    papermill = pytest.importorskip("papermill")
    seen = papermill.inspect_notebook(str(runner.notebook_path(name)))
    assert list(seen) == list(runner.SPEC)
    for pname, p in runner.SPEC.items():  # papermill infers types only from annotations
        assert seen[pname]["default"] == repr(p.default).replace("'", '"')


def test_notebook_with_other_parameters_is_refused(tmp_path: Path) -> None:
    nb = json.loads(runner.notebook_path("trainees").read_text(encoding="utf-8"))
    cell = next(c for c in nb["cells"] if "parameters" in c["metadata"].get("tags", []))
    cell["source"] = 'lang = "en"\nbounds = "as_lower_bound"\nfigures_path = "x.csv"\nextra = 1'
    path = tmp_path / "bad.ipynb"
    path.write_text(json.dumps(nb), encoding="utf-8")
    with pytest.raises(ParameterError, match=r"missing: decimals; not in spec: extra"):
        runner.check_notebook(path)


# --------------------------------------------------------------------------- project copy

@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of data/ and notebooks/ that config (and so the runner) points at."""
    root = tmp_path / "project"
    shutil.copytree(config.DATA_DIR, root / "data")
    shutil.copytree(config.NOTEBOOKS_DIR, root / "notebooks",
                    ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    monkeypatch.setattr(config, "ROOT", root)
    monkeypatch.setattr(config, "DATA_DIR", root / "data")
    monkeypatch.setattr(config, "SOURCES_DIR", root / "data" / "sources")
    return root


def test_fingerprint_changes_with_any_input_parameter_or_notebook(project: Path) -> None:
    params = runner.defaults()
    base = runner.fingerprint(params, runner.NOTEBOOKS)
    assert runner.fingerprint(params, runner.NOTEBOOKS) == base
    assert runner.fingerprint({**params, "lang": "ar"}, runner.NOTEBOOKS) != base
    assert runner.fingerprint(params, runner.NOTEBOOKS[:2]) != base
    assert runner.fingerprint(params, runner.NOTEBOOKS, with_code=True) != base
    for rel in ("data/figures.csv", "data/relations.csv", "data/forces.csv",
                "data/sources/000_6b99b92fd73bce01.txt", "notebooks/aid.ipynb"):
        f = project / rel
        original = f.read_bytes()
        f.write_bytes(original + b"\n")
        assert runner.fingerprint(params, runner.NOTEBOOKS) != base, rel
        f.write_bytes(original)
    assert runner.fingerprint(params, runner.NOTEBOOKS) == base


def test_fingerprint_covers_the_library_source() -> None:
    files = {p.name for p in runner.library_files()}
    assert {"runner.py", "display.py", "charts.py", "metrics.py"} <= files


def test_second_run_is_refused_while_the_lock_is_held(tmp_path: Path) -> None:
    with runner.run_lock(tmp_path), pytest.raises(RunLockedError, match="--wait") as info, \
            runner.run_lock(tmp_path, wait=0):
        pass
    assert info.value.exit_code == 3
    assert str(os.getpid()) in str(info.value)


def test_second_run_waits_for_the_lock(tmp_path: Path) -> None:
    held = threading.Event()
    release = threading.Event()

    def first() -> None:
        with runner.run_lock(tmp_path):
            held.set()
            release.wait(5)

    t = threading.Thread(target=first)
    t.start()
    held.wait(5)
    threading.Timer(0.5, release.set).start()
    with runner.run_lock(tmp_path, wait=10):
        pass
    t.join()


def test_up_to_date_run_is_skipped(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    layout = runner.Layout(project / "reports")
    params = runner.defaults()
    staged = layout.staging / "r1"
    staged.mkdir(parents=True)
    (staged / "manifest.json").write_text(json.dumps(
        {"run_id": "r1", "status": "ok",
         "fingerprint": runner.fingerprint(params, runner.NOTEBOOKS)}), encoding="utf-8")
    runner.publish(layout, staged, "r1")
    outcome = runner.run(params)
    assert outcome.status == "skipped" and outcome.run_id == "r1"
    assert "up to date" in capsys.readouterr().out


# --------------------------------------------------------------------------- publish

def _stage(layout: runner.Layout, run_id: str, text: str) -> Path:
    d = layout.staging / run_id
    d.mkdir(parents=True)
    (d / "manifest.json").write_text(text, encoding="utf-8")
    return d


def test_publish_swaps_latest_and_keeps_the_previous_run(tmp_path: Path) -> None:
    layout = runner.Layout(tmp_path / "reports")
    runner.publish(layout, _stage(layout, "r1", "one"), "r1")
    assert (layout.latest / "manifest.json").read_text() == "one"
    runner.publish(layout, _stage(layout, "r2", "two"), "r2")
    assert layout.latest.is_symlink()
    assert (layout.latest / "manifest.json").read_text() == "two"
    assert (layout.history / "r1" / "manifest.json").read_text() == "one"
    assert not (layout.runs / "r1").exists()
    assert not list(layout.reports.glob(".latest.tmp-*"))


def test_recover_after_a_run_killed_mid_publish(tmp_path: Path) -> None:
    layout = runner.Layout(tmp_path / "reports")
    runner.publish(layout, _stage(layout, "r1", "one"), "r1")
    # killed after the rename into runs/ and the temp symlink, before the swap
    _stage(layout, "r2", "two").rename(layout.runs / "r2")
    os.symlink("runs/r2", layout.reports / ".latest.tmp-r2")
    _stage(layout, "r3", "three")  # and a staging folder of a run killed earlier
    assert (layout.latest / "manifest.json").read_text() == "one"
    done = runner.recover(layout)
    assert len(done) == 3, done
    assert (layout.latest / "manifest.json").read_text() == "one"
    assert not list(layout.reports.glob(".latest.tmp-*"))
    assert not list(layout.staging.iterdir())
    assert (layout.history / "r2").is_dir()
    runner.publish(layout, _stage(layout, "r4", "four"), "r4")
    assert (layout.latest / "manifest.json").read_text() == "four"


def test_recover_adopts_a_plain_latest_folder(tmp_path: Path) -> None:
    layout = runner.Layout(tmp_path / "reports")
    layout.latest.mkdir(parents=True)
    (layout.latest / "metrics.csv").write_text("old", encoding="utf-8")
    runner.recover(layout)
    assert layout.latest.is_symlink()
    assert (layout.latest / "metrics.csv").read_text() == "old"
    runner.publish(layout, _stage(layout, "r1", "one"), "r1")
    assert next(p.name for p in layout.history.iterdir()).startswith("legacy-")


def test_history_is_pruned(tmp_path: Path) -> None:
    layout = runner.Layout(tmp_path / "reports")
    for i in range(runner.KEEP_HISTORY + 3):
        runner.publish(layout, _stage(layout, f"r{i:02d}", str(i)), f"r{i:02d}")
    assert len(list(layout.history.iterdir())) == runner.KEEP_HISTORY


def test_progress_is_plain_lines_off_a_terminal() -> None:
    import io

    out = io.StringIO()
    p = runner.Progress(["a"], stream=out, tty=False)
    p.start("a")
    p.finish("a", "ok", 1.25)
    lines = out.getvalue().splitlines()
    assert lines[0].endswith("workbook: a: started")
    assert lines[1].endswith("workbook: a: ok (1.2 s)") or lines[1].endswith("(1.3 s)")
    assert "\r" not in out.getvalue()


@pytest.mark.parametrize(("content", "words"), [
    (b"\xff\xfelang: ar\n", "not UTF-8"),
    (b"lang: [ar\n", "not valid YAML at line"),
])
def test_unreadable_parameters_file_is_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                content: bytes, words: str) -> None:
    yml = tmp_path / "p.yaml"
    yml.write_bytes(content)
    assert main(["run", "--parameters", str(yml)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and words in err[0] and err[0].count(str(yml)) == 1, err
