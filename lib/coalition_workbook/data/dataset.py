"""Where figures enter: load every curated table and run every check at once.

``load_dataset`` is the one door into the data. It reads ``figures.csv`` plus
its dimension tables (``forces.csv``, ``relations.csv``), each against its
schema, then the cross-table checks (foreign keys) and the quote checks from
``provenance``. All problems are gathered and raised together.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

import pandas as pd

from . import config, provenance, schema, slots, sources
from .errors import Problem, TableValidationError


@dataclass(frozen=True)
class Dataset:
    """The validated curated tables."""

    figures: pd.DataFrame
    forces: pd.DataFrame
    relations: pd.DataFrame
    figures_path: Path
    sources_dir: Path

    def input_files(self) -> list[Path]:
        """Every file the tables were read from (``schema.table_files``) and the sources
        the figures cite with their sidecars, for manifests and change detection."""
        files = [p for p in schema.table_files(self.figures_path) if p.exists()]
        texts = sorted({self.sources_dir / s for s in self.figures["source"].unique()})
        return files + texts + [sources.sidecar_path(t) for t in texts]

    def actors(self) -> list[str]:
        """The actors that have figures, in the order of ``actors.csv``: the first is the
        one the reports are about, each further one gets sections of its own."""
        present = set(self.figures["actor"])
        return [a for a in schema.vocabulary_keys("actors", self.figures_path.parent)
                if a in present]

    def for_actor(self, actor: str = "") -> Dataset:
        """The same tables with only one actor's figures (default: the first actor) and
        the relations between them: what a total of that actor may add."""
        actor = actor or next(iter(self.actors()), "")
        return replace(self, figures=_of_actor(self.figures, actor),
                       relations=_between(self.relations, _of_actor(self.figures, actor)))

    def sources(self) -> list[str]:
        """The articles the figures come from, in the order they first appear."""
        return list(dict.fromkeys(self.figures["source"]))


def _of_actor(figures: pd.DataFrame, actor: str) -> pd.DataFrame:
    return figures[figures["actor"] == actor]


def _between(relations: pd.DataFrame, figures: pd.DataFrame) -> pd.DataFrame:
    """The relations whose two figures are both in ``figures``."""
    ids = figures["id"]
    return relations[relations["figure_id"].isin(ids) & relations["other_id"].isin(ids)]


_QUOTE_COLUMNS = {"source", "paragraph", "quote", "value", "qualifier"}


def load_dataset(figures_path: str | Path | None = None) -> Dataset:
    """Load and validate the curated tables.

    Args:
        figures_path: A figures CSV; defaults to ``data/figures.csv``. Its
            ``forces.csv``, ``relations.csv`` and ``sources/`` are taken from
            the same folder when present, else from the project's ``data/``.

    Returns:
        The validated tables.

    Raises:
        TableValidationError: Every problem in every table, each located.
    """
    figures_path = Path(figures_path) if figures_path else config.FIGURES_CSV
    return _load(figures_path)


def _load(figures_path: Path) -> Dataset:
    problems: list[Problem] = []
    tables: dict[str, pd.DataFrame] = {}
    for table, path in (("figures", figures_path),
                        ("forces", config.beside_figures(figures_path, "forces.csv")),
                        ("relations", config.beside_figures(figures_path, "relations.csv"))):
        try:
            tables[table] = schema.load_table(path, table, collect=problems)
        except TableValidationError as exc:
            problems.extend(exc.problems)
    if "figures" in tables:
        figures = tables["figures"]
        # Quote checks run on every row whose own quote cells are sound, so one
        # run reports a bad unit and a bad quote together.
        unsound = {p.row for p in problems
                   if p.file == figures.attrs["file"] and p.column in _QUOTE_COLUMNS}
        sound = figures.drop(index=list(unsound), errors="ignore")
        sources_dir = config.beside_figures(figures_path, "sources")
        problems += provenance.check_quotes(sound, sources_dir)
        problems += sources.check_sources(set(sound["source"].unique()), sources_dir)
    for optional in ("ignored", "kinds"):  # checked here so `validate` covers every table
        path = config.beside_figures(figures_path, f"{optional}.csv")
        if path.is_file():
            try:
                schema.load_table(path, optional, collect=problems)
            except TableValidationError as exc:  # a damaged file: its structural problems
                problems.extend(exc.problems)
    problems += schema.check_foreign_keys(tables)
    if "figures" in tables and "relations" in tables and not problems:
        # Only on sound tables: the slot rule (slots.py) needs valid ids. Figures of
        # different actors never share a slot: the rule holds actor by actor.
        figures, relations = tables["figures"], tables["relations"]
        for actor in figures["actor"].unique():
            mine = _of_actor(figures, actor)
            problems += slots.slot_problems(mine, _between(relations, mine))
        tables["relations"] = slots.canonical_relations(tables["relations"])
    if problems:  # in the order a reader fixes them: file by file, row by row
        raise TableValidationError(problems=sorted(problems, key=lambda p: (p.file,
                                                                             p.row or 0)))
    return Dataset(tables["figures"], tables["forces"], tables["relations"],
                   figures_path, config.beside_figures(figures_path, "sources"))
