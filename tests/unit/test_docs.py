"""The generated docs stay in step with the code that declares them."""

import re

from coalition_workbook import config, schema


def test_data_dictionary_is_current() -> None:
    committed = (config.ROOT / "docs" / "data-dictionary.md").read_text(encoding="utf-8")
    stale = "docs/data-dictionary.md is stale: run `make docs`"
    assert committed == schema.data_dictionary(), stale


def test_data_dictionary_lists_every_declared_column() -> None:
    text = schema.data_dictionary()
    for table, meta in schema.TABLES.items():
        assert f"data/{table}.csv" in text
        for col in meta["fields"]:
            assert f"| `{col}` |" in text


def test_readme_layout_names_every_module() -> None:
    """A newcomer finds each module in the README's layout, and no module that is gone."""
    readme = (config.ROOT / "README.md").read_text(encoding="utf-8")
    layout = readme.split("## Layout", 1)[1].split("```")[1]
    listed = set(re.findall(r"^\s+(\w+\.py)\s", layout, flags=re.MULTILINE))
    package = config.ROOT / "lib" / "coalition_workbook"
    modules = {p.name for p in package.glob("*.py")} - {"__init__.py"}
    assert modules - listed == set(), "modules missing from README's layout"
    assert listed - modules == set(), "README's layout names modules that do not exist"
