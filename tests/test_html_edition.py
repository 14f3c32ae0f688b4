"""The HTML edition of every sample edition, as a reader's browser gets it:
served from the output folder by a plain static file server, opened in
Debian's Chromium and checked with axe-core (axe-playwright-python) at a
desktop and a phone width, with no sideways scrolling on the phone."""

from __future__ import annotations

import functools
import json
import re
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

import pytest
from axe_playwright_python.sync_playwright import Axe

WIDTHS = (1280, 390)


def html_entries(output) -> list[dict]:
    manifest = json.loads((output / "manifest.json").read_text(encoding="utf-8"))
    return [e for e in manifest["files"] if e["variant"] == "html"]


@pytest.fixture
def static_site(samples):
    """The output folder over HTTP, as any web server would serve it."""
    class Quiet(SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    handler = functools.partial(Quiet, directory=str(samples.output))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    thread.join(timeout=10)


def test_one_html_page_per_edition_with_its_images(samples):
    entries = html_entries(samples.output)
    editions = {(e["slug"], e["lang"]) for e in json.loads((samples.output / "manifest.json").read_text())["files"]
                if e["variant"] == "screen"}
    assert sorted((e["slug"], e["lang"]) for e in entries) == sorted(editions)
    for entry in entries:
        assert entry["path"] == f"html/{entry['lang']}/{entry['slug']}/index.html"
        page = (samples.output / entry["path"]).read_text(encoding="utf-8")
        assert f'<html lang="{entry["lang"]}">' in page
        assert "<script" not in page and "file:" not in page
        for src in re.findall(r'<img src="([^"]+)"', page):
            assert (samples.output / entry["path"]).parent.joinpath(src).is_file(), src
    page = (samples.output / "html/en/cerebellar-degeneration/index.html").read_text(encoding="utf-8")
    assert page.count("<figure") == 2 and page.count("<figcaption>") == 2
    page = (samples.output / "html/en/stiff-person-syndrome/index.html").read_text(encoding="utf-8")
    assert "<dl>" in page and page.count("<dt>") == page.count("<dd>") > 3
    # A comparison: an empty corner, a header per column and one per row.
    page = (samples.output / "html/en/lambert-eaton-myasthenic-syndrome/index.html").read_text(encoding="utf-8")
    assert "<th>" not in page and "<td></td>" in page
    assert page.count('<th scope="col"') == 2 and page.count('<th scope="row">Reflexes</th>') == 1 and page.count('<th scope="row"') == 6


@pytest.mark.parametrize("width", WIDTHS)
def test_html_pages_pass_axe_and_fit_the_screen(chromium, static_site, samples, width):
    axe = Axe()
    context = chromium.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    problems = []
    try:
        for entry in html_entries(samples.output):
            response = page.goto(f"{static_site}/{entry['path']}")
            assert response.ok, entry["path"]
            page.evaluate("document.fonts.ready")
            fonts = page.evaluate("[...document.fonts].filter(f => f.status === 'loaded').map(f => f.family)")
            assert {'"Public Sans"', '"Merriweather"'} <= set(fonts) or {"Public Sans", "Merriweather"} <= set(fonts)
            results = axe.run(page)
            if results.violations_count:
                problems.append(f"{entry['path']} at {width} px:\n{results.generate_report()}")
            scroll = page.evaluate("document.documentElement.scrollWidth")
            if width < 1000 and scroll > width:
                problems.append(f"{entry['path']} scrolls sideways at {width} px ({scroll} px wide)")
    finally:
        context.close()
    assert not problems, "\n".join(problems)


def test_skip_link_moves_focus_to_the_text(chromium, static_site, samples):
    context = chromium.new_context(viewport={"width": 390, "height": 800})
    page = context.new_page()
    try:
        page.goto(f"{static_site}/html/es/paraneoplastic-syndromes/index.html")
        page.keyboard.press("Tab")
        skip = page.evaluate("document.activeElement.getAttribute('href')")
        assert skip == "#main"
        page.keyboard.press("Enter")
        assert page.evaluate("document.activeElement.id") == "main"
        other = page.get_by_role("link", name=re.compile("English"))
        assert other.get_attribute("href") == "../../en/paraneoplastic-syndromes/index.html"
    finally:
        context.close()
