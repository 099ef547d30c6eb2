"""The summary box a brief opens with: three to five findings, then what they mean for Lampung.

The box is HTML (a ``<section class="hilir-summary">``) so that the page, its print CSS
and the table of contents can find it; every text in it is generated and escaped.
"""

from __future__ import annotations

import html
from collections.abc import Sequence

from hilir.brief.texts import say

__all__ = ["SUMMARY_ID", "summary_html"]

#: Anchor of the summary box (the table of contents and the tests look for it).
SUMMARY_ID = "summary"


def summary_html(
    findings: Sequence[str], lampung: Sequence[str], *, lang: str, scope: Sequence[str] = ()
) -> tuple[str, str]:
    """HTML and plain text of the summary box.

    Parameters
    ----------
    findings : sequence of str
        One sentence each, in the order the brief gives them.
    lampung : sequence of str
        Sentences of "what this means for Lampung"; the paragraph is left out when empty.
    lang : {"id", "en"}
    scope : sequence of str, optional
        Sentences on what the data do not cover, under the findings.

    Returns
    -------
    (str, str)
        The ``<section>`` element and its plain-text form (for ``text/plain``).
    """
    heading = say("section.summary", lang)
    items = "".join(f"<li>{html.escape(s)}</li>" for s in findings)
    parts = [
        f'<section class="hilir-summary" id="{SUMMARY_ID}">',
        f"<h2>{html.escape(heading)}</h2>",
        f'<ul class="hilir-findings">{items}</ul>' if findings else "",
    ]
    plain = [heading, *(f"- {s}" for s in findings)]
    if scope:
        parts.append(f'<p class="hilir-scope">{html.escape(" ".join(scope))}</p>')
        plain.append(" ".join(scope))
    if lampung:
        sub = say("summary.lampung_heading", lang)
        text = " ".join(lampung)
        parts += [
            f'<div class="hilir-meaning"><h3>{html.escape(sub)}</h3>',
            f"<p>{html.escape(text)}</p></div>",
        ]
        plain += [sub, text]
    parts.append("</section>")
    return "".join(parts), "\n".join(plain)
