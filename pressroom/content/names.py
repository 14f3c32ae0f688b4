"""The patterns of names, defined once: slugs (publication folders, layout
names), language codes, text file names and publication numbers. Light on
purpose: the build planner and `list` read them without the content model."""

from __future__ import annotations

import re

# The language the texts are written in first: translations are compared with
# it, and the layouts' own words are written in it.
SOURCE_LANGUAGE = "en"

SLUG_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*$"
LANG_PATTERN = r"^[a-z]{2}$"
PUBLICATION_NUMBER_PATTERN = r"^\d{2}-[A-Z]{2,3}-\d{4}$"

SLUG = re.compile(SLUG_PATTERN)
EDITION_FILE = re.compile(r"^([a-z]{2})\.md$")  # <lang>.md
