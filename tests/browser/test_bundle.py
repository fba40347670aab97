"""`workbook bundle`: one zip of the declared editions whose links all work once it is
unpacked anywhere. The zip is unpacked into a temporary folder and every page is opened
offline in Chromium; every link on it must lead to a file of the bundle (and its anchor
to an element there)."""

from __future__ import annotations

import zipfile
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from coalition_workbook.run.bundle import TOP
from tests.browser import pages as probes
from tests.conftest import workbook

pytestmark = [pytest.mark.browser, pytest.mark.slow]

LINKS = "() => [...document.querySelectorAll('a[href]')].map(a => a.href)"


@pytest.fixture(scope="module")
def unpacked(published_editions, tmp_path_factory) -> Path:
    root = published_editions["en"].parents[1]  # the project copy holding reports/
    out = tmp_path_factory.mktemp("bundle") / "shared.zip"
    done = workbook(root, "bundle", "--out", str(out))
    assert done.returncode == 0, done.stdout + done.stderr
    where = tmp_path_factory.mktemp("elsewhere")
    with zipfile.ZipFile(out) as z:
        z.extractall(where)
    return where / TOP


def test_the_bundle_holds_both_editions(unpacked: Path) -> None:
    for edition in ("latest", "ar/latest"):
        assert (unpacked / edition / "index.html").is_file(), edition
        assert (unpacked / edition / "datapackage.json").is_file(), edition
        assert list((unpacked / edition / "sources").glob("*.html")), edition


def test_every_link_of_every_page_works_where_the_bundle_is_unpacked(unpacked: Path) -> None:
    pages = sorted(unpacked.rglob("*.html"))
    assert len(pages) >= 12
    broken, followed = [], 0
    for html, page, report in probes.each_page(pages):
        assert not report.external_requests, (html, report.external_requests)
        for href in page.evaluate(LINKS):
            parts = urlsplit(href)
            if parts.scheme != "file":
                continue
            target = Path(unquote(parts.path))
            followed += 1
            if not target.is_file() or unpacked not in target.parents:
                broken.append(f"{html.relative_to(unpacked)}: {href}")
            elif parts.fragment and target.suffix == ".html" and \
                    f'id="{parts.fragment}"' not in target.read_text("utf-8"):
                broken.append(f"{html.relative_to(unpacked)}: #{parts.fragment}")
    assert followed > 50
    assert not broken, "\n".join(broken)
