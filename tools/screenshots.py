"""Screenshots of every HTML view for the README, generated, never hand-made.

    .venv/bin/python tools/screenshots.py [--out docs/screenshots]

Exports each view of the shipped data (as `cse-graph export html` does) to a temporary folder,
opens it in Debian's Chromium (headless, every request outside file:// blocked) at 1440x900 (and
the lineage at 390x844, as on a phone), waits until the page says it is ready, and saves a PNG
per view. A page that makes a request or logs a console error stops the script (exit 1).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

ID = "https://w3id.org/cse-graph/id/"
SHOTS = [  # (file name, view, focus, hash, viewport)
    ("lineage-jay-report.png", "lineage", "report:jay-2014", "", (1440, 900)),
    ("timeline.png", "timeline", None, "", (1440, 900)),
    ("overview.png", "overview", None, "", (1440, 900)),
    ("path-jay-to-stovewood.png", "overview", None,
     "#path=" + quote(ID + "report/jay-2014", safe="") + "~" + quote(ID + "operation/stovewood", safe=""), (1440, 900)),
    ("missed.png", "missed", None, "", (1440, 900)),
    ("lineage-jay-report-phone.png", "lineage", "report:jay-2014", "", (390, 844)),
]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    args = ap.parse_args()
    from playwright.sync_api import sync_playwright

    from cse_graph.export.html import make_view, write_html
    from cse_graph.graph import projection
    from cse_graph.store import open_store

    store = open_store(None, progress=None)
    proj = projection(store)
    args.out.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="cse-graph-shots-"))
    pages: dict[tuple, Path] = {}
    failed = False
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox", "--disable-gpu"])
        for name, view, focus, hash_, (w, h) in SHOTS:
            key = (view, focus)
            if key not in pages:
                v = make_view(store, view, focus=focus, proj=proj)
                pages[key] = write_html(store, v, work / f"{view}-{(focus or 'all').replace(':', '-')}.html")[0]
            ctx = browser.new_context(viewport={"width": w, "height": h}, is_mobile=w < 600, has_touch=w < 600)
            page = ctx.new_page()
            outside, errors = [], []
            ctx.route("**/*", lambda r: r.continue_() if r.request.url.startswith("file:")
                      else (outside.append(r.request.url), r.abort()))
            page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
            page.on("pageerror", lambda e: errors.append(str(e)))
            page.goto(pages[key].as_uri() + hash_)
            page.wait_for_selector("html[data-ready='true']", state="attached", timeout=60_000)
            page.wait_for_timeout(300)
            page.screenshot(path=str(args.out / name))
            print(f"{args.out / name}  ({w}x{h})")
            if outside or errors:
                print(f"  {name}: {len(outside)} outside requests, console errors {errors[:3]}", file=sys.stderr)
                failed = True
            ctx.close()
        browser.close()
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
