"""The authoring kit the notebooks call: the brief page, sentences, tables and recipes.

* :mod:`hilir.brief.page` - :class:`Brief` (header, sections, generated prose, charts with
  their data, tables, data vintage);
* :mod:`hilir.brief.narrative` - sentences with numbers, generated from the data in
  Bahasa Indonesia or English, so the prose never drifts from the charts;
* :mod:`hilir.brief.overview` - cross-chain tables and recipes of the overview brief;
* :mod:`hilir.brief.lampung` - the Lampung profile's tables and recipes;
* :mod:`hilir.brief.texts` - the sentence catalogue of the briefs;
* :mod:`hilir.brief.payload` - chart and table data carried in the executed notebook;
* :mod:`hilir.brief.gate` - the plausibility checks a headline number passes before
  policymakers see it (thresholds in ``hilir/refdata/plausibility.csv``).
"""

from __future__ import annotations

from hilir.brief.blocks import separate_citations
from hilir.brief.page import Brief

__all__ = ["Brief", "separate_citations"]
