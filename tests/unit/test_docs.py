"""The generated docs stay in step with the code that declares them."""

import re

from coalition_workbook.data import config, schema


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
    listed, folder = set(), ""
    for line in layout.splitlines():
        stage = re.match(r"^  (\w+)/\s", line)
        module = re.match(r"^ {2,4}(\w+\.py)\s", line)
        if stage:
            folder = stage.group(1) + "/"
        elif module:
            listed.add((folder if line.startswith("    ") else "") + module.group(1))
    package = config.ROOT / "lib" / "coalition_workbook"
    modules = {p.relative_to(package).as_posix() for p in package.rglob("*.py")
               if p.name != "__init__.py"}
    assert modules - listed == set(), "modules missing from README's layout"
    assert listed - modules == set(), "README's layout names modules that do not exist"
