"""Where pages sit in a run folder, and the links between them."""

from __future__ import annotations

from pathlib import Path

#: Subfolder of a run folder holding the source pages.
SOURCES_SUBDIR = "sources"


def page_name(source: str) -> str:
    """``sources/<stem>.html``: where a source's page goes in a run folder (and links).

    Examples:
        >>> page_name("000_6b99b92fd73bce01.txt")
        'sources/000_6b99b92fd73bce01.html'
    """
    return f"{SOURCES_SUBDIR}/{Path(source).stem}.html"


def figure_href(source: str, figure_id: str) -> str:
    """A link from a report in the run folder to a figure's quote on its source page."""
    return f"{page_name(source)}#fig-{figure_id}"
