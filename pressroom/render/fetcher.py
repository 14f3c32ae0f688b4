"""The only way WeasyPrint reads anything: local project files and data: URLs.

WeasyPrint catches fetch errors and only logs them, so the fetcher also
records every refusal; the renderer turns those into a build error that
names the source file and the URL.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit
from urllib.request import url2pathname

from weasyprint.urls import URLFetcher, URLFetcherResponse

MIME_TYPES = {
    ".css": "text/css",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".woff2": "font/woff2",
    ".woff": "font/woff",
    ".ttf": "font/ttf",
    ".otf": "font/otf",
    ".icc": "application/vnd.iccprofile",
}


class FetchRefused(ValueError):
    pass


class RenderStopped(BaseException):
    """Raised at the first refused fetch. WeasyPrint catches every Exception a
    fetch raises and carries on without the file, so only a BaseException
    stops the layout there (the renderer catches it)."""


class SandboxedFetcher(URLFetcher):
    """Serves ``file:`` URLs below the allowed folders and ``data:`` URLs; refuses everything else
    (other schemes, paths outside, links that escape).

    The first refusal is recorded and stops the document (RenderStopped).
    """

    def __init__(self, allowed_dirs: list[Path]):
        super().__init__(allowed_protocols=("file", "data"), allow_redirects=False)
        self.allowed_dirs = [d.resolve() for d in allowed_dirs]
        self.refused: list[tuple[str, str]] = []  # (url, reason)

    def fetch(self, url, headers=None):
        scheme = urlsplit(url).scheme.lower()
        if scheme == "data":
            return super().fetch(url, headers)
        try:
            path = self.resolve(url)
        except FetchRefused as exc:
            self.refused.append((url, str(exc)))
            raise RenderStopped(url) from exc
        mime = MIME_TYPES.get(path.suffix.lower(), "application/octet-stream")
        return URLFetcherResponse(path.as_uri(), path.read_bytes(), {"Content-Type": mime})

    def resolve(self, url: str) -> Path:
        parts = urlsplit(url)
        if parts.scheme.lower() != "file":
            raise FetchRefused(f"only local files and data: URLs may be used, not {parts.scheme or 'relative'} URLs")
        if parts.netloc not in ("", "localhost"):
            raise FetchRefused("file URLs on other hosts are not allowed")
        path = Path(url2pathname(parts.path)).resolve()
        if not any(path.is_relative_to(d) for d in self.allowed_dirs):
            raise FetchRefused("the file is outside the project's layouts/ and sources/ folders")
        if not path.is_file():
            raise FetchRefused("file not found")
        return path
