"""Shared fixtures: the sample publications built once per session, and small
source folders written into tmp_path for error cases."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import textwrap
import threading
import uuid
from dataclasses import dataclass
from pathlib import Path

import pytest

from pressroom.build import build
from pressroom.options import PROJECT_ROOT, BuildOptions

SOURCES = PROJECT_ROOT / "sources"
LAYOUTS = PROJECT_ROOT / "layouts"


def pytest_addoption(parser):
    parser.addoption("--update-baselines", action="store_true",
                     help="rewrite the approved PNGs under tests/baselines/ instead of comparing")


@pytest.fixture(scope="session")
def update_baselines(request) -> bool:
    return request.config.getoption("--update-baselines")


@dataclass
class SampleBuild:
    output: Path
    result: object

    def pdf(self, slug: str, layout: str = "fact-sheet", lang: str = "en") -> Path:
        return self.output / "pdf" / lang / f"{slug}.{layout}.pdf"


@pytest.fixture(scope="session")
def samples(tmp_path_factory) -> SampleBuild:
    """Every sample publication, built once into a temporary output folder."""
    output = tmp_path_factory.mktemp("output")
    result = build(BuildOptions(output_dir=output, quiet=True))
    assert not result.report.errors, "\n".join(map(str, result.report.errors))
    return SampleBuild(output, result)


MINIMAL_TEXT = """\
## About this

A short paragraph.
"""
TRIFOLD_META = """\
title: {en: Sample Publication}
summary: {en: A sample used by the tests.}
number: 24-NS-9999
reviewed: 2026-11-01
audience: [patients]
layouts: [trifold]
contacts: [nci]
"""
SPANISH_TEXT = """\
## Acerca de esto

Un párrafo corto.
"""


class SourceTree:
    """A tiny sources/ folder: shared data copied from the project, plus
    publications written by the test."""

    def __init__(self, root: Path):
        self.root = root
        self.sources = root / "sources"
        self.output = root / "output"
        self.sources.mkdir(parents=True)
        for name in ("office.yaml", "organizations.yaml", "topics.yaml"):
            shutil.copy(SOURCES / name, self.sources / name)

    def write(self, relative: str, text: str) -> Path:
        path = self.sources / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")
        return path

    def publication(self, slug: str = "sample", text: str = MINIMAL_TEXT, meta: str | None = None,
                    lang: str = "en") -> Path:
        self.write(f"{slug}/publication.yaml", meta or f"""\
            title: {{{lang}: Sample Publication}}
            summary: {{{lang}: A sample used by the tests.}}
            number: 24-NS-9999
            reviewed: 2026-11-01
            audience: [patients]
            topics: [cancer]
            layouts: [fact-sheet]
            contacts: [nci]
            """)
        return self.write(f"{slug}/{lang}.md", text)

    def bilingual(self, en_text: str = MINIMAL_TEXT, es_text: str = SPANISH_TEXT, other: str = "es") -> Path:
        """A publication in English and a second language (Spanish unless ``other``)."""
        self.publication(text=en_text, meta=f"""\
            title: {{en: Sample Publication, {other}: Publicación de muestra}}
            summary: {{en: A sample used by the tests., {other}: Una muestra para las pruebas.}}
            number: 24-NS-9999
            reviewed: 2026-11-01
            audience: [patients]
            layouts: [fact-sheet]
            contacts: [nci]
            """)
        return self.write(f"sample/{other}.md", es_text)

    def options(self, **overrides) -> BuildOptions:
        values = dict(sources_dir=self.sources, layouts_dir=LAYOUTS, output_dir=self.output, quiet=True)
        return BuildOptions(**{**values, **overrides})

    def run(self, *args: str) -> subprocess.CompletedProcess:
        """Run generate.py as a user would, against this tree."""
        command = [sys.executable, str(PROJECT_ROOT / "generate.py"), *args]
        for option, value in (("--sources", self.sources), ("--output", self.output)):
            if option not in args:
                command += [option, str(value)]
        return subprocess.run(command, capture_output=True, text=True, cwd=self.root, timeout=300)


@pytest.fixture
def tree(tmp_path) -> SourceTree:
    return SourceTree(tmp_path)


@pytest.fixture
def layouts_copy(tmp_path) -> Path:
    """The project's layouts in tmp_path/layouts, for a test to change."""
    return Path(shutil.copytree(LAYOUTS, tmp_path / "layouts"))


def pdf_text(source: Path | bytes, page: int | None = None) -> str:
    """A PDF's text, every page's (or just ``page``'s), runs of white space as
    one space; via pdfplumber."""
    import io

    import pdfplumber

    with pdfplumber.open(io.BytesIO(source) if isinstance(source, bytes) else source) as pdf:
        pages = pdf.pages if page is None else [pdf.pages[page]]
        return " ".join(" ".join((p.extract_text() or "").split()) for p in pages)


# --- catalog: databases, app, live server ----------------------------------------


PG_ADMIN_URL = os.environ.get(
    "PRESSROOM_TEST_POSTGRES", "postgresql+psycopg://pressroom_test:pressroom_test@127.0.0.1:5432/postgres")
ADDRESS = {"name": "Dana Example", "organization": "", "address1": "12 Main Street", "address2": "",
           "city": "Springfield", "state": "IL", "zip": "62701-1234", "email": "dana@example.com"}


@pytest.fixture
def postgres_url():
    """A fresh PostgreSQL database for one test. `make test` starts the server
    and creates the role; when it is not there the test fails, it does not skip."""
    from sqlalchemy import create_engine

    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    name = f"pressroom_test_{uuid.uuid4().hex[:12]}"
    with admin.connect() as connection:
        connection.exec_driver_sql(f'CREATE DATABASE "{name}"')
    url = PG_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"
    yield url
    with admin.connect() as connection:
        connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request, tmp_path):
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'catalog.db'}"
    return request.getfixturevalue("postgres_url")


def catalog_settings(database_url: str, output: Path, **overrides):
    from pressroom.catalog.settings import CatalogSettings

    values = dict(database_url=database_url, output_dir=output, secret_key="test-secret-key", order_rate_limit=0,
                  print_worker=False)  # tests run queued print runs themselves, or start the worker on purpose
    values.update(overrides)
    return CatalogSettings(**values)


@pytest.fixture
def catalog_app(samples, tmp_path):
    from pressroom.catalog.web import create_app

    return create_app(catalog_settings(f"sqlite:///{tmp_path / 'catalog.db'}", samples.output))


@pytest.fixture
def client(catalog_app):
    from fastapi.testclient import TestClient

    with TestClient(catalog_app, follow_redirects=False) as test_client:
        yield test_client


def csrf_of(html: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)


@pytest.fixture
def web(app):
    """A client of the module's ``app`` holding a CSRF token from a publication page."""
    from fastapi.testclient import TestClient

    with TestClient(app, follow_redirects=False) as client:
        client.csrf = csrf_of(client.get("/publications/paraneoplastic-syndromes/en").text)
        yield client


class LiveServer:
    """The app under uvicorn on a free loopback port, in a thread."""

    def __init__(self, app):
        import uvicorn

        # As `serve` runs it: forwarded headers are the app's to judge, not uvicorn's.
        self.server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=0, access_log=False,
                                                    proxy_headers=False, log_level="warning"))
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self) -> str:
        import time

        self.thread.start()
        deadline = time.monotonic() + 20
        while not self.server.started:
            if time.monotonic() > deadline:
                raise RuntimeError("the catalog server did not start")
            time.sleep(0.05)
        port = self.server.servers[0].sockets[0].getsockname()[1]
        return f"http://127.0.0.1:{port}"

    def __exit__(self, *exc):
        self.server.should_exit = True
        self.thread.join(timeout=10)


# --- Debian's Chromium through Playwright -----------------------------------------

CHROMIUM = "/usr/bin/chromium"


@pytest.fixture
def chromium():
    """A headless Chromium; missing is a failure (`make test` installs it)."""
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: `make test` installs Debian's chromium package")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run"])
        yield browser
        browser.close()
