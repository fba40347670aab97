"""Analyst workbook over Arabic news articles on the anti-ISIS coalition in Iraq.

The package is grouped by stage, and each stage imports only the ones before it:

* ``data``: the curated tables, their schema, and every check on them (where a figure
  enters and is checked against its quote);
* ``figures``: metrics, findings and the words pages use (where figures are summed);
* ``pages``: tables, charts, the explorer, HTML export and source pages (where they are shown);
* ``run``: parameters, kernels, papermill runs, publishing and exports (where reports are made);
* ``cli``: the ``workbook`` command on top.

Each stage's ``__init__`` names its public API; import from there.
"""
