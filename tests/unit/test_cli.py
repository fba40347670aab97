"""The workbook command: exit codes and one clear message, never a traceback."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from coalition_workbook import cli
from coalition_workbook.figures import metrics


def test_validate_exits_0(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["validate"]) == 0
    assert "all checks passed" in capsys.readouterr().out


def test_metrics_to_stdout(capsys: pytest.CaptureFixture[str], tables) -> None:
    assert cli.main(["metrics", "--figures", str(tables.figures)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == ",".join(metrics.METRIC_COLUMNS)
    assert any(line.startswith("trainees_total,") for line in out)


def test_broken_table_exits_2_in_process(capsys: pytest.CaptureFixture[str], tables) -> None:
    row = tables.set(3, "unit", "parsecs")
    assert cli.main(["validate", "--figures", str(tables.figures)]) == 2
    assert f"{tables.figures}:{row}:unit: " in capsys.readouterr().err


def run(*args: str, cwd=None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONWARNINGS": "ignore"}
    return subprocess.run([sys.executable, "-m", "coalition_workbook.cli", *args],
                          capture_output=True, text=True, timeout=120, env=env, cwd=cwd)


@pytest.mark.slow
def test_validate_command_exits_0() -> None:
    done = run("validate")
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""


@pytest.mark.slow
def test_broken_table_exits_2_with_location_and_no_traceback(tables) -> None:
    unit_row = tables.set(3, "unit", "parsecs")
    value_row = tables.set(8, "value", "lots")
    done = run("validate", "--figures", str(tables.figures))
    assert done.returncode == 2
    assert f"{tables.figures}:{unit_row}:unit: " in done.stderr
    assert f"{tables.figures}:{value_row}:value: " in done.stderr
    assert "2 problems found" in done.stderr
    assert "Traceback" not in done.stderr
    assert done.stdout == ""


@pytest.mark.slow
def test_missing_figures_file_exits_2(tmp_path) -> None:
    done = run("validate", "--figures", str(tmp_path / "figures.csv"))
    assert done.returncode == 2
    assert "file not found" in done.stderr
    assert "Traceback" not in done.stderr


@pytest.mark.parametrize("target", ["dir", "missing_parent"])
def test_metrics_out_to_a_bad_place_is_one_line_exit_2(tmp_path, capsys, target) -> None:
    out = tmp_path if target == "dir" else tmp_path / "nowhere" / "metrics.csv"
    assert cli.main(["metrics", "--out", str(out)]) == 2
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0 and str(out) in err
    assert not (tmp_path / "nowhere").exists()


def test_validate_a_folder_says_so(tmp_path, capsys) -> None:
    assert cli.main(["validate", "--figures", str(tmp_path)]) == 2
    assert f"{tmp_path}: is a folder" in capsys.readouterr().err


def test_every_command_and_option_explains_itself() -> None:
    """`workbook --help` and each command's help: a description, and help on every option."""
    import argparse

    from coalition_workbook.cli import EPILOG, build_parser

    parser = build_parser()
    assert "exit codes" in EPILOG and "README" in EPILOG
    commands = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    for name, command in commands.choices.items():
        assert command.description, f"workbook {name} has no description"
        for action in command._actions:
            if not isinstance(action, argparse._HelpAction):
                assert action.help, f"workbook {name} {action.dest} has no help"


def test_version_names_the_package_version_and_commit(capsys) -> None:
    from importlib import metadata

    from coalition_workbook.cli import main

    assert main(["--version"]) == 0
    out = capsys.readouterr().out
    assert metadata.version("coalition-workbook") in out and "commit" in out
