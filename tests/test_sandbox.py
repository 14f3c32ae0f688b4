"""WeasyPrint reads only project files and data: URLs. A source or layout that
points anywhere else is a build error naming the source file and the URL."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest

from pressroom.render.fetcher import RenderStopped, SandboxedFetcher


@pytest.mark.parametrize("url, message", [
    ("/etc/passwd", "image '/etc/passwd' must be a relative path inside the publication folder"),
    ("file:///etc/passwd", "image 'file:///etc/passwd' must be a file in the publication folder, not a URL"),
    ("../../../etc/passwd.png", "image '../../../etc/passwd.png' points outside the publication folder"),
    ("http://127.0.0.1:9/x.png", "image 'http://127.0.0.1:9/x.png' must be a file in the publication folder, not a URL"),
])
def test_source_pointing_outside_is_a_build_error(tree, url, message):
    tree.publication(text=f"## Section\n\n![A picture]({url})\n")
    result = tree.run("build")
    assert result.returncode == 1
    assert f"sources/sample/en.md:3: error: {message}" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tree.output / "pdf").exists()


class _Recorder(BaseHTTPRequestHandler):
    hits: list[str] = []

    def do_GET(self):  # noqa: N802 (http.server's name)
        self.hits.append(self.path)
        self.send_response(200)
        self.end_headers()
        self.wfile.write(b"body { color: red }")

    def log_message(self, *args):
        pass


@pytest.fixture
def local_server():
    server = HTTPServer(("127.0.0.1", 0), _Recorder)
    _Recorder.hits = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


@pytest.mark.parametrize("make_url", [
    lambda server: "file:///etc/passwd",
    lambda server: "../../../../../../etc/passwd",
    lambda server: f"{server}/steal.css",
])
def test_layout_urls_go_through_the_sandbox(tree, local_server, make_url, layouts_copy):
    """Even a layout (not checked like sources) cannot make WeasyPrint fetch
    outside the project: the fetcher refuses and the build fails."""
    layouts = layouts_copy
    url = make_url(local_server)
    style = layouts / "fact-sheet" / "style.css"
    style.write_text(f'@import url("{url}");\n' + style.read_text())
    tree.publication()
    result = tree.run("build", "--layouts", str(layouts))
    assert result.returncode == 1, result.stderr
    assert "sources/sample/en.md:1: error: blocked fetch of '" in result.stderr
    assert "etc/passwd" in result.stderr or "steal.css" in result.stderr
    assert _Recorder.hits == []


def test_fetcher_allows_only_project_files_and_data(tmp_path):
    allowed = tmp_path / "allowed"
    allowed.mkdir()
    (allowed / "ok.css").write_text("p {}")
    (tmp_path / "secret.txt").write_text("secret")
    fetcher = SandboxedFetcher([allowed])
    assert fetcher.fetch((allowed / "ok.css").as_uri()).read() == b"p {}"
    assert fetcher.fetch("data:text/plain,hello").read() == b"hello"
    for url in [(tmp_path / "secret.txt").as_uri(), (allowed / ".." / "secret.txt").as_uri(),
                "http://127.0.0.1/", "https://example.org/x.css", "ftp://example.org/x",
                "file://otherhost/etc/passwd", (allowed / "missing.css").as_uri()]:
        with pytest.raises(RenderStopped):
            fetcher.fetch(url)
    assert len(fetcher.refused) == 7


def test_symlink_out_of_the_project_is_refused(tmp_path):
    allowed = tmp_path / "allowed"
    allowed.mkdir()
    (tmp_path / "secret.txt").write_text("secret")
    (allowed / "link.txt").symlink_to(tmp_path / "secret.txt")
    with pytest.raises(RenderStopped):
        SandboxedFetcher([allowed]).fetch((allowed / "link.txt").as_uri())
