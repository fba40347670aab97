"""Pages made: HTML tables and text (``display``), Altair charts, the widget explorer,
the offline HTML export of a run's notebooks, the article's source pages, and the one
escaper for text and JSON in HTML (``escaping``)."""

from . import charts, display, escaping, explorer, footer, html_export, sourceview
from .escaping import escape_html

__all__ = ["charts", "display", "escape_html", "escaping", "explorer", "footer",
           "html_export", "sourceview"]
