"""The generated docs stay in step with the code that declares them."""

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
