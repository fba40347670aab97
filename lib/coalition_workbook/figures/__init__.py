"""Figures derived: metrics as pure functions over a ``Dataset``, each report's finding
in words, and every label and page word in both languages (``labels``)."""

from . import findings, labels, metrics
from .findings import finding
from .metrics import compute_metrics

__all__ = ["compute_metrics", "finding", "findings", "labels", "metrics"]
