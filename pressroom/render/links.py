"""What each link does, in words in the edition's language, for the Link
annotations' /Contents in the screen PDF (WeasyPrint writes the raw target
there: "tel:+1-800-541-5454", "related").

A link's ``title`` attribute in the layouts says it ("Call NORD at
203-744-0100"); a link without one (in the publication's own text) is
described from its target and its visible text.
"""

from __future__ import annotations

import gettext
from urllib.parse import unquote, urlsplit


def _text(box) -> str:
    parts = [getattr(b, "text", "") for b in box.descendants()] if hasattr(box, "descendants") else []
    return " ".join("".join(parts).split())


def site_name(url: str) -> str:
    """An address as people say it: no scheme, no trailing slash."""
    parts = urlsplit(url)
    return (parts.netloc + parts.path).rstrip("/") if parts.netloc else url


def describe(target: str, text: str, words: gettext.NullTranslations) -> str:
    """A link without a title, in words."""
    scheme = urlsplit(target).scheme.lower()
    if scheme == "tel":
        return words.gettext("Call %(number)s") % {"number": target[4:].removeprefix("+1-")}
    if scheme == "mailto":
        return words.gettext("Email %(address)s") % {"address": unquote(target[7:])}
    if scheme in ("http", "https"):
        site = site_name(target)
        shown = text.rstrip("/").lower().removeprefix("www.")
        if not text or shown == site.lower().removeprefix("www."):
            return words.gettext("Web site: %(site)s") % {"site": text or site}
        return words.gettext("%(text)s (web site: %(site)s)") % {"text": text, "site": site}
    return words.gettext("Go to the section %(heading)s") % {"heading": text or target}


def link_descriptions(pages, words: gettext.NullTranslations) -> dict[str, str]:
    """Link target (address, or anchor name) -> what the link does, over
    WeasyPrint's laid-out pages; the first link to a target names it."""
    found: dict[str, str] = {}
    for page in pages:
        for link_type, target, _rectangle, box in page.links:
            if link_type not in ("internal", "external") or target in found:
                continue
            element = getattr(box, "element", None)
            title = " ".join((element.get("title") or "").split()) if element is not None else ""
            found[target] = title or describe(target, _text(box), words)
    return found
