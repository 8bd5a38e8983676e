"""Regenerate the docs' pictures and output examples from the current code, or check them.

    python scripts/docs_examples.py           # write docs/img/*.png and the marked blocks
    python scripts/docs_examples.py --check   # exit 1 naming every stale one (the suite)

Pictures are made from the library's own output (the HTML a notebook shows, the meeting
report, a drawing, the scorecard's heat map) rendered in headless Chromium or matplotlib;
``docs/img/pictures.json`` keeps a fingerprint of the output each picture shows, so the
check needs no browser and no pixels: when the output changes, the picture is stale.
A fenced block under a ``<!-- generated: NAME -->`` line in a docs page is NAME's output.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
MANIFEST = DOCS / "img" / "pictures.json"
PAGE = ("<!doctype html><html><head><meta charset='utf-8'><style>body{font-family:"
        "'DejaVu Sans',sans-serif;font-size:14px;margin:8px}"
        ".jp-RenderedHTMLCommon td,.jp-RenderedHTMLCommon th{text-align:right}</style>"
        "</head><body><div class='jp-RenderedHTMLCommon'>{}</div></body></html>")


# --- what each picture shows --------------------------------------------------------------

def _html_report_repr() -> str:
    import mtss_core as mc
    return mc.validate(mc.example())._repr_html_()


def _html_graph() -> str:
    import mtss_core as mc
    g = mc.example()
    return g._repr_html_() + g.describe("t-cedar-elem-k")._repr_html_()


def _meeting_report() -> str:
    import mtss_core as mc
    return mc.html_report(mc.example(), root="dist-cedar")


def _scorecard_html() -> str:
    import mtss_core as mc
    return mc.alignment_scorecard(mc.example())._repr_html_()


def _figure_text(ax: Any) -> str:
    """What a drawing says: its title, every text and legend entry, in order."""
    texts = [ax.figure.get_suptitle(), ax.get_title()]
    texts += [t.get_text() for t in ax.texts]
    texts += [t.get_text() for t in ax.get_xticklabels() + ax.get_yticklabels()]
    legend = ax.get_legend()
    if legend is not None:
        texts += [t.get_text() for t in legend.get_texts()]
    return "\n".join(texts)


def _draw_cedar() -> Any:
    import mtss_core as mc
    g = mc.example()
    return mc.draw(g, "dist-cedar", report=mc.validate(g))


def _scorecard_plot() -> Any:
    import mtss_core as mc
    return mc.alignment_scorecard(mc.example()).plot()


#: picture -> (what makes its source, how it is rendered, viewport or figure options)
HTML_PICTURES: dict[str, tuple[Callable[[], str], bool, tuple[int, int]]] = {
    # name: (source, wrap in a notebook-like page, viewport)
    "html-report.png": (_html_report_repr, True, (1150, 900)),
    "html-graph.png": (_html_graph, True, (1150, 900)),
    "report.png": (_meeting_report, False, (1100, 900)),
    "scorecard-html.png": (_scorecard_html, True, (1150, 700)),
}
FIGURES: dict[str, Callable[[], Any]] = {
    "draw-cedar.png": _draw_cedar,
    "scorecard-heatmap.png": _scorecard_plot,
}


# --- generated blocks in pages ------------------------------------------------------------

def _report_shape() -> str:
    import mtss_core as mc
    data = mc.validate(mc.example()).to_dict()
    by_code = dict(list(data["counts"]["by_code"].items())[:1])
    first = data["findings"][0]
    shape = {
        "verdict": data["verdict"], "as_of": data["as_of"],
        "rules": [*data["rules"][:1], "..."], "skipped": data["skipped"],
        "counts": {"by_severity": data["counts"]["by_severity"],
                   "by_code": {**by_code, "...": 0}},
        "root": data["root"], "notices": data["notices"][:1],
        "progress": data["progress"][:1] + (["..."] if len(data["progress"]) > 1 else []),
        "findings": [{**{k: first[k] for k in ("code", "name", "severity", "subject",
                                               "related") if k in first},
                      "message": "...", "hint": "...", "fix": "..."}],
        "waived": data["waived"], "baselined": data["baselined"],
    }
    return json.dumps(shape, indent=2, ensure_ascii=False)


def _cli_help() -> str:
    """``mtss --help`` and every command's ``--help``, 88 columns wide."""
    import contextlib
    import io
    import os

    from mtss_core.cli import main

    def helped(*argv: str) -> str:
        out = io.StringIO()
        with contextlib.suppress(SystemExit), contextlib.redirect_stdout(out):
            main([*argv, "--help"], stdout=out, stderr=io.StringIO())
        return out.getvalue().rstrip()

    old = os.environ.get("COLUMNS")
    os.environ["COLUMNS"] = "88"
    try:
        from mtss_core.cli._main import COMMANDS
        parts = [f"$ mtss --help\n{helped()}"]
        for c in COMMANDS:
            parts.append(f"$ mtss {c.NAME} --help\n{helped(c.NAME)}")
            for action in getattr(c, "ACTIONS", ()):  # a command of commands (mtss store)
                parts.append(f"$ mtss {c.NAME} {action} --help\n{helped(c.NAME, action)}")
    finally:
        if old is None:
            del os.environ["COLUMNS"]
        else:
            os.environ["COLUMNS"] = old
    return "\n\n".join(parts)


BLOCKS: dict[str, Callable[[], str]] = {"report-shape": _report_shape, "cli-help": _cli_help}
_BLOCK = re.compile(r"(<!-- generated: (?P<name>[\w-]+) -->\n```(?P<lang>\w*)\n)(?P<body>.*?)"
                    r"(\n```)", re.S)


def _pages() -> list[Path]:
    return sorted(p for p in DOCS.glob("*.md") if "<!-- generated:" in p.read_text("utf-8"))


def refreshed(text: str) -> str:
    """``text`` with every generated block rewritten from the current output."""
    return _BLOCK.sub(lambda m: m.group(1) + BLOCKS[m.group("name")]() + m.group(5), text)


# --- fingerprints -------------------------------------------------------------------------

def fingerprints() -> dict[str, str]:
    """Each picture's fingerprint: a hash of the output it shows."""
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    out = {name: hashlib.sha256(make().encode()).hexdigest()[:16]
           for name, (make, _, _) in HTML_PICTURES.items()}
    for name, draw in FIGURES.items():
        ax = draw()
        out[name] = hashlib.sha256(_figure_text(ax).encode()).hexdigest()[:16]
        plt.close(ax.figure)
    return out


def stale() -> list[str]:
    """Every picture and generated block that no longer shows the current output."""
    recorded = json.loads(MANIFEST.read_text("utf-8")) if MANIFEST.exists() else {}
    now = fingerprints()
    found = [f"docs/img/{n}" for n in now if recorded.get(n) != now[n]
             or not (DOCS / "img" / n).exists()]
    for page in _pages():
        text = page.read_text("utf-8")
        if refreshed(text) != text:
            found.append(str(page.relative_to(ROOT)))
    return found


# --- writing ------------------------------------------------------------------------------

def _screenshots() -> None:
    from playwright.sync_api import sync_playwright
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=_chromium(), args=["--no-sandbox"])
        for name, (make, notebook, (width, height)) in HTML_PICTURES.items():
            page = browser.new_page(viewport={"width": width, "height": height})
            html = make()
            page.set_content(PAGE.replace("{}", html) if notebook else html)
            page.screenshot(path=str(DOCS / "img" / name))
            page.close()
        browser.close()


def _chromium() -> str:
    import shutil
    for name in ("chromium", "chromium-browser"):
        found = shutil.which(name)
        if found:
            return found
    sys.exit("headless Chromium is needed: apt-get install chromium")


def write() -> None:
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    _screenshots()
    for name, draw in FIGURES.items():
        ax = draw()
        ax.figure.savefig(DOCS / "img" / name, dpi=80, bbox_inches="tight",
                          metadata={"Software": None})
        plt.close(ax.figure)
    for page in _pages():
        page.write_text(refreshed(page.read_text("utf-8")), encoding="utf-8")
    MANIFEST.write_text(json.dumps(fingerprints(), indent=1, sort_keys=True) + "\n",
                        encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true",
                        help="only check; exit 1 naming what is stale")
    args = parser.parse_args(argv)
    if args.check:
        found = stale()
        for name in found:
            print(f"stale: {name} (run python scripts/docs_examples.py)")
        return 1 if found else 0
    write()
    return 0


if __name__ == "__main__":
    sys.exit(main())
