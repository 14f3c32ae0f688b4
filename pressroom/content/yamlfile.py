"""YAML files that remember the line of every value, for diagnostics."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml


class YamlSyntaxError(Exception):
    def __init__(self, line: int, message: str):
        self.line = line
        super().__init__(message)


@dataclass
class YamlFile:
    path: Path
    data: Any
    root: yaml.Node | None

    @classmethod
    def read(cls, path: Path) -> "YamlFile":
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError as exc:
            raise YamlSyntaxError(1, f"not UTF-8 text (byte {exc.start})") from None
        try:
            root = yaml.compose(text, Loader=yaml.SafeLoader)
            data = yaml.load(text, Loader=yaml.SafeLoader)
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark or exc.context_mark
            line = mark.line + 1 if mark else 1
            raise YamlSyntaxError(line, f"invalid YAML: {exc.problem or exc}") from None
        return cls(path, data, root)

    def line_of(self, location: tuple[Any, ...] = ()) -> int:
        """Line of the value at ``location`` (keys and indexes, as pydantic reports
        them); the nearest existing ancestor when the value is missing."""
        node = self.root
        if node is None:
            return 1
        line = node.start_mark.line + 1
        for part in location:
            child = None
            if isinstance(node, yaml.MappingNode):
                for key, value in node.value:
                    if str(key.value) == str(part):
                        child = value
                        break
            elif isinstance(node, yaml.SequenceNode) and isinstance(part, int):
                if 0 <= part < len(node.value):
                    child = node.value[part]
            if child is None:
                break
            node = child
            line = node.start_mark.line + 1
        return line
