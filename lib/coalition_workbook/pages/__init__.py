"""Pages made: HTML tables and text (``display``), Altair charts, the widget explorer,
the offline HTML export of a run's notebooks (``html_export``), the index
(``landing``) and run record (``record``) of a published edition, the article's
source pages, the frame every page shares (``frame``: top bar and footer; ``style``:
the one stylesheet), and the one escaper for text and JSON in HTML (``escaping``)."""

from . import (
    charts,
    display,
    escaping,
    explorer,
    frame,
    html_export,
    landing,
    record,
    sourceview,
    style,
)
from .escaping import escape_html

__all__ = ["charts", "display", "escape_html", "escaping", "explorer", "frame",
           "html_export", "landing", "record", "sourceview", "style"]
