"""HTTP as caches, link checkers and download managers use it: every GET
route answers HEAD, and If-None-Match compares entity tags weakly (RFC 9110)."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient
from starlette.routing import Mount

from conftest import catalog_settings, csrf_of
from pressroom.catalog.staff_auth import add_staff
from pressroom.catalog.web import create_app

PDF = "pdf/en/paraneoplastic-syndromes.fact-sheet.pdf"
VALUES = {"slug": "paraneoplastic-syndromes", "lang": "en", "path": PDF, "batch_id": "1", "item_id": "1", "number": "PR-AAAAAAAA",
          "run_id": "1"}


@pytest.fixture
def staff_client(database_url, samples):
    app = create_app(catalog_settings(database_url, samples.output))
    with app.state.sessions() as session:
        add_staff(session, "staff@example.gov", "correct horse battery")
    with TestClient(app, follow_redirects=False) as client:
        csrf = csrf_of(client.get("/staff/login").text)
        assert client.post("/staff/login", data={"csrf_token": csrf, "email": "staff@example.gov",
                                                 "password": "correct horse battery"}).status_code == 303
        client.app_under_test = app
        yield client
    app.state.engine.dispose()


def routes_of(routes):
    for route in routes:
        included = getattr(route, "original_router", None)  # an included APIRouter (no prefix of its own here)
        yield from routes_of(included.routes) if included is not None else [route]


def get_paths(app) -> list[str]:
    """Every GET route of the app with its parameters filled in, and a file of each mount."""
    paths = []
    for route in routes_of(app.routes):
        if isinstance(route, Mount):
            paths.append({"/static": "/static/site.css"}.get(route.path, route.path + "/OFL.txt"))
        elif "GET" in getattr(route, "methods", ()):
            paths.append(re.sub(r"\{(\w+)(:path)?\}", lambda m: VALUES[m[1]], route.path))
    return paths


def test_every_get_route_answers_head(staff_client, samples):
    if not (samples.output / "thumbs").exists():
        pytest.fail("the sample build made no thumbnails")
    paths = get_paths(staff_client.app_under_test)
    assert "/files/" + PDF in paths and "/staff/orders.csv" in paths and len(paths) > 15
    for path in paths:
        got = staff_client.get(path)
        head = staff_client.head(path)
        assert head.status_code == got.status_code != 405, path
        assert head.content == b"", path
        assert head.headers.get("content-type") == got.headers.get("content-type"), path
        if "content-length" in got.headers and got.status_code == 200 and path.startswith(("/files", "/static")):
            assert head.headers["content-length"] == got.headers["content-length"], path


def test_head_of_a_download_has_its_length_and_etag(staff_client, samples):
    head = staff_client.head(f"/files/{PDF}")
    assert head.status_code == 200 and head.content == b""
    assert int(head.headers["content-length"]) == (samples.output / PDF).stat().st_size
    assert head.headers["etag"] and head.headers["accept-ranges"] == "bytes"


@pytest.mark.parametrize("header, status", [
    ("{etag}", 304), ("W/{etag}", 304), ('"other", W/{etag}', 304), ("*", 304),
    ('"other"', 200), ('W/"other"', 200),
])
def test_if_none_match_uses_weak_comparison(staff_client, header, status):
    etag = staff_client.get(f"/files/{PDF}").headers["etag"]
    answer = staff_client.get(f"/files/{PDF}", headers={"If-None-Match": header.format(etag=etag)})
    assert answer.status_code == status
    thumb = "/thumbs/thumbs/en/paraneoplastic-syndromes.fact-sheet.png"
    thumb_etag = staff_client.get(thumb).headers["etag"]
    assert staff_client.get(thumb, headers={"If-None-Match": f"W/{thumb_etag}"}).status_code == 304
