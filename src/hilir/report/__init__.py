"""Reports: run the brief notebooks and publish them as HTML, PDF and data annexes.

* :mod:`hilir.brief.page` - what a notebook calls: :class:`~hilir.brief.page.Brief`
  (header, sections, generated prose, charts with their data, tables, data vintage);
* :mod:`hilir.brief.narrative` - sentences with numbers, generated from the data in
  Bahasa Indonesia or English, so the prose never drifts from the charts;
* :mod:`hilir.report.execute` - run notebooks in parallel, each in its own kernel with a
  timeout, and check the executed notebooks for errors;
* :mod:`hilir.report.export` - self-contained HTML (policymaker and analyst editions);
* :mod:`hilir.report.annex` - Excel annex and ZIP of CSVs with metadata;
* :mod:`hilir.report.pdf` - PDF of the policymaker edition with headless Chromium;
* :mod:`hilir.report.index` - ``reports/index.html``;
* :mod:`hilir.report.build` - :func:`~hilir.report.build.build_report`, the whole build
  (``hilir report``).
"""

from __future__ import annotations

from hilir.report.execute import ReportError

__all__ = ["ReportError", "build_report"]


def build_report(*args: object, **kwargs: object) -> object:
    """Run the brief notebooks and write the reports (:func:`hilir.report.build.build_report`)."""
    from hilir.report.build import build_report as _build

    return _build(*args, **kwargs)  # type: ignore[arg-type]
