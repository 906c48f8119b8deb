"""Helpers to open exported pages in Debian's Chromium (Playwright, no browser download) with all
network access blocked and every request, console error and page error recorded."""

from __future__ import annotations

import shutil
from dataclasses import dataclass, field
from pathlib import Path

import pytest

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage"]


def chromium_path() -> str:
    path = shutil.which("chromium") or "/usr/bin/chromium"
    if not Path(path).exists():
        pytest.fail("Debian's chromium is not installed (apt-get install chromium); `make test` installs it")
    return path


@dataclass
class Opened:
    page: object
    blocked: list = field(default_factory=list)
    failed: list = field(default_factory=list)
    errors: list = field(default_factory=list)
    dialogs: list = field(default_factory=list)


def open_page(browser, path: Path, wait: bool = True, viewport: tuple[int, int] = (1400, 900), hash: str = "",
              touch: bool = False) -> Opened:
    ctx = browser.new_context(viewport={"width": viewport[0], "height": viewport[1]}, has_touch=touch, is_mobile=touch)
    o = Opened(ctx.new_page())

    def route(r):
        if r.request.url.startswith("file:"):
            r.continue_()
        else:
            o.blocked.append(r.request.url)
            r.abort()

    ctx.route("**/*", route)
    o.page.on("requestfailed", lambda r: o.failed.append(r.url))
    o.page.on("console", lambda m: o.errors.append(m.text) if m.type == "error" else None)
    o.page.on("pageerror", lambda e: o.errors.append(str(e)))
    o.page.on("dialog", lambda d: (o.dialogs.append(d.message), d.dismiss()))
    o.page.goto(path.resolve().as_uri() + hash)
    if wait:
        # a selector, not wait_for_function: polling a string predicate needs eval, which the
        # export's Content-Security-Policy rightly forbids
        o.page.wait_for_selector("html[data-ready='true']", state="attached", timeout=30000)
    return o
