"""``reports/index.html``: one page linking every brief in both languages.

The page is plain HTML with inline CSS and relative links, so the whole ``reports/``
folder can be copied to a USB stick and opened offline.
"""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from hilir.brief.texts import say
from hilir.fileio import atomic_write_text

#: Kinds of output per brief and language, in the order of the index columns.
KINDS: tuple[str, ...] = ("policymaker", "analyst", "pdf", "annex", "data")


@dataclass
class BriefEntry:
    """The files of one brief.

    Attributes
    ----------
    name : str
        Notebook name (``01_coffee``).
    titles : dict
        Title by language.
    files : dict
        ``files[lang][kind]`` = path relative to the index (kinds in :data:`KINDS`).
    """

    name: str
    titles: dict[str, str] = field(default_factory=dict)
    files: dict[str, dict[str, str]] = field(default_factory=dict)


_CSS = """
body { font-family: "Segoe UI", "Helvetica Neue", Arial, "Noto Sans", sans-serif; color: #1a1a1a;
  max-width: 64rem; margin: 0 auto; padding: 1.5rem; }
h1 { font-size: 1.7rem; margin-bottom: 0.2rem; }
p.sub { color: #555; margin-top: 0; }
table { border-collapse: collapse; width: 100%; margin: 1rem 0 2rem; font-size: 0.95rem; }
th, td { border-bottom: 1px solid #e3e3e3; padding: 0.45rem 0.5rem; text-align: left;
  vertical-align: top; }
th { background: #f5f5f5; }
td.links a { margin-right: 0.8rem; white-space: nowrap; color: #0b5394; }
span.missing { color: #999; margin-right: 0.8rem; }
p.notice { color: #7a4b00; }
footer { font-size: 0.8rem; color: #666; border-top: 1px solid #e0e0e0; padding-top: 0.6rem; }
"""


def index_html(
    entries: Sequence[BriefEntry],
    *,
    langs: Sequence[str] = ("id", "en"),
    notices: Sequence[str] = (),
    notice_keys: Sequence[str] = (),
    today: dt.date | None = None,
) -> str:
    """The index page as HTML text (both languages on one page, Indonesian first).

    Parameters
    ----------
    entries : sequence of BriefEntry
    langs : sequence of str, default ("id", "en")
    notices : sequence of str, optional
        Texts for the footer, as given.
    notice_keys : sequence of str, optional
        Catalogue keys of notices (``index.notice.no_pdf``), said under each language's
        table in that language.
    today : datetime.date, optional
        Build date (default today).
    """
    from hilir.i18n.dates import format_date
    from hilir.version import __version__

    day = today or dt.date.today()
    parts = [
        "<!DOCTYPE html>",
        '<html lang="id">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1.0">',
        f"<title>{html.escape(say('index.title', 'id'))} / "
        f"{html.escape(say('index.title', 'en'))}</title>",
        f"<style>{_CSS}</style>",
        "</head>",
        "<body>",
    ]
    for lang in langs:
        parts.append(f'<section lang="{lang}">')
        parts.append(f"<h1>{html.escape(say('index.title', lang))}</h1>")
        parts.append(f'<p class="sub">{html.escape(say("index.subtitle", lang))}</p>')
        parts.append(
            f"<table><thead><tr><th>{html.escape(say('index.col_brief', lang))}</th>"
            f"<th>{html.escape(say('index.col_files', lang))}</th></tr></thead><tbody>"
        )
        for e in entries:
            title = e.titles.get(lang) or e.name
            files = e.files.get(lang, {})
            cells = []
            for kind in KINDS:
                label = html.escape(say(f"index.kind.{kind}", lang))
                if kind in files:
                    cells.append(f'<a href="{html.escape(files[kind])}">{label}</a>')
                else:
                    cells.append(f'<span class="missing">{label}: -</span>')
            parts.append(
                f'<tr><td>{html.escape(title)}</td><td class="links">{"".join(cells)}</td></tr>'
            )
        parts.append("</tbody></table>")
        parts += [f'<p class="notice">{html.escape(say(k, lang))}</p>' for k in notice_keys]
        parts.append("</section>")
    parts.append("<footer>")
    for note in notices:
        parts.append(f"<p>{html.escape(note)}</p>")
    parts.append(
        "<p>"
        + html.escape(
            say("index.footer", "id", version=__version__, date=format_date(day, "id"))
            + " / "
            + say("index.footer", "en", version=__version__, date=format_date(day, "en"))
        )
        + "</p>"
    )
    parts += ["</footer>", "</body>", "</html>", ""]
    return "\n".join(parts)


def write_index(
    folder: str | Path,
    entries: Sequence[BriefEntry],
    *,
    langs: Sequence[str] = ("id", "en"),
    notices: Sequence[str] = (),
    notice_keys: Sequence[str] = (),
) -> Path:
    """Write ``index.html`` into ``folder`` (atomically) and return its path."""
    path = Path(folder) / "index.html"
    page = index_html(entries, langs=langs, notices=notices, notice_keys=notice_keys)
    out = atomic_write_text(path, page)
    out.chmod(0o644)
    return out


def scan_entries(
    folder: str | Path, titles: Mapping[str, Mapping[str, str]], langs: Sequence[str]
) -> list[BriefEntry]:
    """Entries for every brief found in ``folder/<lang>/`` (after a partial rebuild too).

    Parameters
    ----------
    folder : str or pathlib.Path
        The reports folder.
    titles : mapping
        ``titles[name][lang]``; names without a title use the file stem.
    langs : sequence of str
    """
    root = Path(folder)
    names: set[str] = set()
    for lang in langs:
        d = root / lang
        if d.is_dir():
            names |= {p.stem for p in d.glob("*.html") if not p.stem.endswith("_analyst")}
    out = []
    for name in sorted(names):
        entry = BriefEntry(name, titles={k: v for k, v in (titles.get(name) or {}).items()})
        for lang in langs:
            files = {}
            for kind, file in output_names(name).items():
                if (root / lang / file).is_file():
                    files[kind] = f"{lang}/{file}"
            if files:
                entry.files[lang] = files
        out.append(entry)
    return out


def output_names(name: str) -> dict[str, str]:
    """File names of a brief's outputs inside ``reports/<lang>/``, by kind."""
    return {
        "policymaker": f"{name}.html",
        "analyst": f"{name}_analyst.html",
        "pdf": f"{name}.pdf",
        "annex": f"{name}_annex.xlsx",
        "data": f"{name}_data.zip",
    }
