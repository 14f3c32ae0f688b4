"""Hostile sources, each written into a fresh sources/ tree (big inputs are
made here, not stored). ``expect`` are texts that the output of both
``check`` and ``build`` must hold; both must exit with ``exit`` and never
print "internal error" or a traceback. bench/hostile.py times them."""

from __future__ import annotations

import base64
import os
import struct
import zlib
from dataclasses import dataclass, field
from typing import Callable

META = """\
title: {en: Sample Publication}
summary: {en: A sample used by the tests.}
number: 24-NS-9999
reviewed: 2026-11-01
audience: [patients]
layouts: [fact-sheet]
contacts: [nci]
"""
SECRET = "TOP SECRET TEXT FROM OUTSIDE THE PROJECT"


@dataclass(frozen=True)
class Case:
    name: str
    make: Callable  # (tree) -> None
    expect: tuple[str, ...]
    exit: int = 1
    args: tuple[str, ...] = field(default=())  # extra arguments for both commands


def _text(body: str) -> Callable:
    return lambda tree: tree.publication(text=body, meta=META)


def _meta(meta: str) -> Callable:
    return lambda tree: tree.publication(meta=meta)


def alias_bomb() -> str:
    lines = [META, "x0: &x0 {a: 1, b: 2}"]
    lines += [f"x{i}: &x{i} {{<<: [*x{i - 1}], l: *x{i - 1}, r: *x{i - 1}}}" for i in range(1, 40)]
    return "\n".join(lines) + "\n"


def png_header(width: int, height: int) -> bytes:
    """A PNG whose header claims width x height: a decompression bomb's face."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"\0" * 64)) + chunk(b"IEND", b"")


def _image(name: str, data: bytes | str, text: str | None = None) -> Callable:
    def make(tree):
        tree.publication(text=text or f"## Pictures\n\n![A picture]({name})\n", meta=META)
        path = tree.sources / "sample" / name
        path.write_bytes(data if isinstance(data, bytes) else data.encode())
    return make


def _outside_link(name: str, text: str) -> Callable:
    def make(tree):
        tree.publication(text=text, meta=META)
        secret = tree.root / "secret.txt"
        secret.write_text(f"## Secret\n\n{SECRET}\n")
        (tree.sources / "sample" / name).unlink(missing_ok=True)
        (tree.sources / "sample" / name).symlink_to(secret)
    return make


def _special(name: str, kind: str) -> Callable:
    def make(tree):
        tree.publication(meta=META)
        path = tree.sources / "sample" / name
        path.unlink(missing_ok=True)
        if kind == "fifo":
            os.mkfifo(path)
        elif kind == "dangling":
            path.symlink_to(tree.root / "nowhere")
        elif kind == "device":
            path.symlink_to("/dev/zero")
    return make


def _folder_link(tree):
    tree.publication(meta=META)
    (tree.root / "elsewhere").mkdir()
    (tree.sources / "sample").rename(tree.root / "elsewhere" / "sample")
    (tree.sources / "sample").symlink_to(tree.root / "elsewhere" / "sample")


def _related_to_broken(tree):
    tree.publication(meta=META + "related: [broken]\n")
    tree.write("broken/publication.yaml", "title: {en: [unclosed\n")
    tree.write("broken/en.md", "## A\n\nText.\n")


def _svg(body: str) -> str:
    return f'<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" ' \
           f'width="10" height="10">\n{body}\n</svg>\n'


CASES = [
    Case("yaml-merge-alias-bomb", _meta(alias_bomb()),
         ("sources/sample/publication.yaml:", "with every alias and merge key expanded, is over the bound of 50,000")),
    Case("yaml-deep-nesting", _meta(META + "x: " + "[" * 100_000 + "]" * 100_000 + "\n"),
         ("sources/sample/publication.yaml:8: error:", "nesting, with aliases expanded, is over the bound of 32")),
    Case("yaml-alias-loop", _meta(META + "x: &a [1, *a]\n"), ("alias *a is inside the value it names",)),
    Case("yaml-huge-file", _meta(META + "# " + "x" * 1_100_000 + "\n"),
         ("the YAML file is over the bound of 1,000,000 bytes",)),
    Case("yaml-bad-date", _meta(META.replace("2026-11-01", "2026-13-45")),
         ("publication.yaml:4: error: invalid YAML: cannot read this value: month must be in 1..12",)),
    Case("yaml-invalid-utf8", lambda tree: (tree.publication(meta=META),
                                            (tree.sources / "sample/publication.yaml").write_bytes(b"title: \xff\n")),
         ("sources/sample/publication.yaml:1: error: not UTF-8 text",)),
    Case("layout-name-with-path", _meta(META.replace("[fact-sheet]", '[fact-sheet, "../../x"]')),
         ("sources/sample/publication.yaml:6: error: layouts.1: String should match pattern",)),
    Case("related-to-broken", _related_to_broken,
         ("sources/sample/publication.yaml:8: error: related publication 'broken' cannot be read",
          "sources/broken/publication.yaml:")),
    Case("list-of-20000-items", _text("## Many\n\n" + "".join(f"- item {i}\n" for i in range(20_000))),
         ("sources/sample/en.md:2003: error: the number of list items in the text is over the bound of 2,000",)),
    Case("table-of-many-cells", _text("## Table\n\n| a | b |\n|---|---|\n" + "| x | y |\n" * 2_000),
         ("the number of table cells in the text is over the bound of 3,000",)),
    Case("many-blocks", _text("## Blocks\n\n" + "Para.\n\n" * 6_000),
         ("the number of blocks in the text is over the bound of 5,000",)),
    Case("many-sections", _text("".join(f"## S{i}\n\nText.\n\n" for i in range(400))),
         ("the number of sections in the text is over the bound of 300",)),
    Case("too-many-characters", _text("## Long\n\n" + ("word " * 70_000) + "\n"),
         ("sources/sample/en.md:1: error: the text is over the bound of 300,000 characters",)),
    Case("text-file-too-large", _text("## Long\n\n" + ("wordy " * 200_000) + "\n"),
         ("the text file is over the bound of 1,000,000 bytes",)),
    Case("deep-emphasis", _text("## Deep\n\n" + "*" * 3000 + "x" + "*" * 3000 + "\n"),
         ("sources/sample/en.md:3: error: the nesting of blocks, emphasis and links is over the bound of 16",)),
    Case("deep-quotes", _text("## Deep\n\n" + "> " * 40 + "x\n"), ("the nesting of blocks",)),
    # Quadratic for the old pattern (4 s at 24 kB, about 7 minutes here); linear now.
    Case("phone-pattern-243kb", _text("## Digits\n\n" + "1- " * 81_000 + "\n"), ("overflows the fact-sheet layout",)),
    Case("decompression-bomb-png", _image("bomb.png", png_header(30_000, 30_000)),
         ("sources/sample/en.md:3: error: image 'bomb.png' is 30,000 x 30,000 pixels",
          "over the bound of 40,000,000 pixels")),
    Case("not-a-png", _image("fake.png", b"GIF89a not a png"), ("image 'fake.png' is not a readable PNG or JPEG",)),
    Case("nul-in-image-name", _text("## Pictures\n\n![A picture](a%00b.png)\n"),
         ("image 'a%00b.png' has a control character or a backslash in its name",)),
    Case("huge-data-url", _text("## Pictures\n\n![A picture](data:image/png;base64," + "A" * 250_000 + ")\n"),
         ("must be a file in the publication folder, not a URL",)),
    Case("text-symlink-outside", _outside_link("en.md", "## A\n\nText.\n"),
         ("sources/sample/en.md:1: error: is a symbolic link",)),
    Case("image-symlink-outside", _outside_link("pic.svg", "## A\n\n![A picture](pic.svg)\n"),
         ("sources/sample/en.md:3: error: image 'pic.svg' is a symbolic link",)),
    Case("dangling-link-in-folder", _special("notes.txt", "dangling"),
         ("sources/sample/notes.txt:1: error: is a symbolic link to nothing",)),
    Case("fifo-as-text", _special("en.md", "fifo"), ("sources/sample/en.md:1: error: is a named pipe (FIFO)",)),
    Case("fifo-in-folder", _special("notes.txt", "fifo"), ("sources/sample/notes.txt:1: error: is a named pipe",)),
    Case("link-to-device", _special("en.md", "device"), ("sources/sample/en.md:1: error: is a symbolic link",)),
    Case("publication-folder-symlink", _folder_link, ("sources/sample:1: error: publication folder is a symbolic link",)),
    Case("svg-http-image", _image("pic.svg", _svg('<image xlink:href="http://127.0.0.1:9/x.png"/>')),
         ("sources/sample/pic.svg:2: error: <image xlink:href> refers to 'http://127.0.0.1:9/x.png'",)),
    Case("svg-file-image", _image("pic.svg", _svg('<image href="file:///etc/passwd"/>')),
         ("sources/sample/pic.svg:2: error: <image href> refers to 'file:///etc/passwd'",)),
    Case("svg-external-entity", _image("pic.svg", '<?xml version="1.0"?>\n<!DOCTYPE svg [<!ENTITY x SYSTEM '
                                                 '"file:///etc/passwd">]>\n' + _svg("<text>&x;</text>")),
         ("sources/sample/pic.svg:2: error: has a DOCTYPE",)),
    Case("svg-css-import", _image("pic.svg", _svg('<style>\n@import url("../../../etc/x.css");\n</style>')),
         ("sources/sample/pic.svg:", "<style> has '@import'")),
    Case("svg-in-data-url-reaching-out",
         _image("pic.svg", _svg('<image href="data:image/svg+xml;base64,' + base64.b64encode(
             _svg('<image href="file:///etc/passwd"/>').encode()).decode() + '"/>')),
         ("sources/sample/pic.svg:2: error: <image href> embeds an SVG (data: URL) that <image href> refers to "
          "'file:///etc/passwd'",)),
    Case("svg-climbing-use", _image("pic.svg", _svg('<use href="../../outside.svg#a"/>')),
         ("points outside the publication folder",)),
    Case("mailto-bcc", _text("## A\n\n[Write](mailto:info@example.gov?bcc=spy@example.com)\n"),
         ("link 'mailto:info@example.gov?bcc=spy@example.com' has 'bcc=spy@example.com' after the address",)),
    Case("url-credentials", _text("## A\n\n[Site](https://user:pass@example.gov/)\n"),
         ("no user names, passwords or backslashes",)),
    Case("backslash-host", _text("## A\n\n[Site](https://example.gov\\@evil.com/)\n"),
         ("no user names, passwords or backslashes",)),
    Case("control-character-in-title", _meta(META.replace("Sample Publication", '"Sample\\x01Publication"')),
         ("publication.yaml:1: error: title.en: holds a control character",)),
    Case("template-syntax-is-text", _text("## {{ 7 * 7 }} {% raw %}\n\n{{ config }} {# x #}\n"), (), exit=0),
]
