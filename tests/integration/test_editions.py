"""One published set, declared once (``[tool.workbook]`` in pyproject.toml): plain
``workbook run`` builds every edition, ad-hoc runs never replace one, and every
``workbook run`` command line that README.md and docs/scheduling.md show leaves the
published set whole."""

from __future__ import annotations

import json
import os
import re
import shlex
from pathlib import Path

import pytest

from coalition_workbook.data import config
from coalition_workbook.run import editions
from tests.conftest import copy_project, workbook

pytestmark = pytest.mark.slow
DOCS = (config.ROOT / "README.md", config.ROOT / "docs" / "scheduling.md")
COMMAND = re.compile(r"(?:/srv/coalition-workbook/)?\.venv/bin/workbook (run[^\n#;}|>]*)")


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory,
            published_editions: dict[str, Path]) -> Path:
    """A copy of the project after the session's plain ``workbook run`` (its reports too),
    for the documented commands to run in."""
    return copy_project(tmp_path_factory.mktemp("editions") / "project",
                        published_editions["en"].parents[1])


def _published(root: Path) -> dict[str, dict]:
    """Each declared edition's published manifest, by language."""
    out = {}
    for e in editions.declared(root):
        latest = root / e.reports / "latest"
        out[e.lang] = json.loads((latest / "manifest.json").read_text(encoding="utf-8"))
    return out


def _assert_whole(root: Path) -> None:
    declared = editions.declared(root)
    assert len(declared) >= 2, "the project declares its editions"
    for e, (lang, manifest) in zip(declared, _published(root).items(), strict=True):
        assert manifest["parameters"]["lang"] == lang == e.lang
        latest = root / e.reports / "latest"
        index = (latest / "index.html").read_text(encoding="utf-8")
        for label, href, _ in editions.links(e, declared):
            assert label in index, (e.lang, label)
            assert f'href="{href}"' in index, (e.lang, href)
            # a browser resolves it lexically, not through the latest/ symlink
            assert Path(os.path.normpath(latest / href)).is_file(), (e.lang, href)
        if e.screenshots:
            assert manifest["screenshots"], f"{e.lang}: no screenshots"


def test_plain_run_builds_every_declared_edition(project: Path) -> None:
    _assert_whole(project)


@pytest.mark.parametrize("args", [("-p", "lang", "ar"), ("--notebook", "summary", "--with-code"),
                                  ("-p", "bounds", "exclude")])
def test_an_ad_hoc_run_never_replaces_an_edition(project: Path, args: tuple[str, ...]) -> None:
    before = _published(project)
    done = workbook(project, "run", *args)
    assert done.returncode == 2 and "--reports" in done.stderr, done.stderr
    assert "Traceback" not in done.stderr
    assert _published(project) == before


def test_every_documented_run_command_leaves_the_published_set_whole(project: Path) -> None:
    (project / "params.yaml").write_text("bounds: exclude\n", encoding="utf-8")
    commands = [shlex.split(m) for doc in DOCS
                for m in COMMAND.findall(doc.read_text(encoding="utf-8"))]
    assert len(commands) >= 4, commands
    for command in commands:
        done = workbook(project, *command)
        assert done.returncode == 0, (command, done.stdout + done.stderr)
        _assert_whole(project)
