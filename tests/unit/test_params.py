"""The parameter spec, typing of -p values, YAML files and the notebooks' parameters cells."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from coalition_workbook.cli import main
from coalition_workbook.data import config
from coalition_workbook.data.errors import ParameterError
from coalition_workbook.run import params


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
        params.check_parameters(given)
    assert info.value.parameter == name
    message = str(info.value)
    assert f"parameter {name}" in message and words in message
    assert "\n" not in message


def test_defaults_pass_and_good_parameters_pass() -> None:
    assert params.check_parameters({}) == params.defaults()
    got = params.check_parameters({"lang": "ar", "bounds": "exclude", "decimals": 0,
                                   "figures_path": str(config.FIGURES_CSV)})
    assert got["lang"] == "ar" and got["decimals"] == 0


@pytest.mark.parametrize(("text", "value"), [
    ("1", 1), ("-2", -2), ("1.5", 1.5), ("True", True), ("False", False), ("None", None),
    ("ar", "ar"), ("data/figures.csv", "data/figures.csv"),
])
def test_cli_values_are_typed_like_papermill(text: str, value: object) -> None:
    got = params.guess_type(text)
    assert got == value and type(got) is type(value)


def test_cli_pairs_and_yaml_merge_and_are_checked(tmp_path: Path) -> None:
    yml = tmp_path / "p.yaml"
    yml.write_text("lang: ar\ndecimals: 2\n", encoding="utf-8")
    got = params.resolve_parameters([("decimals", "3")], yml)
    assert got["lang"] == "ar" and got["decimals"] == 3
    yml.write_text("decimals: '2'\n", encoding="utf-8")  # YAML typed it as a string
    with pytest.raises(ParameterError, match="parameter decimals"):
        params.resolve_parameters([], yml)
    yml.write_text("- lang\n", encoding="utf-8")
    with pytest.raises(ParameterError, match="mapping"):
        params.resolve_parameters([], yml)


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


@pytest.mark.parametrize("name", params.NOTEBOOKS)
def test_notebook_parameters_cell_declares_exactly_the_spec(name: str) -> None:
    path = params.notebook_path(name)
    params.check_notebook(path)
    declared = params.notebook_parameters(path)
    assert declared == params.defaults()
    assert list(declared) == list(params.SPEC)


@pytest.mark.parametrize("name", params.NOTEBOOKS)
def test_papermill_sees_the_same_parameters(name: str) -> None:
    papermill = pytest.importorskip("papermill")
    seen = papermill.inspect_notebook(str(params.notebook_path(name)))
    assert list(seen) == list(params.SPEC)
    for pname, p in params.SPEC.items():  # papermill infers types only from annotations
        assert seen[pname]["default"] == repr(p.default).replace("'", '"')


def test_notebook_with_other_parameters_is_refused(tmp_path: Path) -> None:
    nb = json.loads(params.notebook_path("trainees").read_text(encoding="utf-8"))
    cell = next(c for c in nb["cells"] if "parameters" in c["metadata"].get("tags", []))
    cell["source"] = 'lang = "en"\nbounds = "as_lower_bound"\nfigures_path = "x.csv"\nextra = 1'
    path = tmp_path / "bad.ipynb"
    path.write_text(json.dumps(nb), encoding="utf-8")
    with pytest.raises(ParameterError, match=r"missing: decimals; not in spec: extra"):
        params.check_notebook(path)


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
