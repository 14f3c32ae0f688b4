"""YAML files that remember the line of every value, for diagnostics.

A file is parsed once: libyaml's events are composed into nodes here, without
recursion, counting as they come every node as often as aliases and merge
keys (``<<``) would repeat it, and how deep it nests. Going over a bound
(see bounds.py) stops there, before any value is built, so an alias bomb
costs no more than its own bytes. The values are then built from the same
nodes.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from yaml.composer import ComposerError
from yaml.constructor import ConstructorError
from yaml.events import (AliasEvent, DocumentEndEvent, MappingEndEvent, MappingStartEvent, ScalarEvent,
                         SequenceEndEvent, SequenceStartEvent, StreamEndEvent)
from yaml.nodes import MappingNode, ScalarNode, SequenceNode

from .bounds import YAML_DEPTH, YAML_FILE, YAML_NODES, Bound
from .files import read_source

class YamlSyntaxError(Exception):
    def __init__(self, line: int, message: str):
        self.line = line
        super().__init__(message)


class _SafeValues:
    def construct_object(self, node, deep=False):
        # Values PyYAML's safe constructors take but Python refuses (a date
        # 2026-13-45, an integer of 5,000 digits) are errors at their node.
        try:
            return super().construct_object(node, deep)
        except (ValueError, TypeError, OverflowError) as exc:
            raise ConstructorError(None, None, f"cannot read this value: {exc}", node.start_mark) from None


class _Loader(_SafeValues, yaml.SafeLoader):
    """PyYAML's own parser: the clearest messages."""


class _FastLoader(_SafeValues, getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
    """libyaml's parser, for scans that read every file (the build's key scan)."""


class _Frame:
    """A sequence or mapping being composed, and what it has counted so far."""

    __slots__ = ("node", "anchor", "key", "size", "depth")

    def __init__(self, node, anchor: str | None):
        self.node, self.anchor, self.key, self.size, self.depth = node, anchor, None, 1, 1


def _bounded(bound: Bound, mark, count: int) -> None:
    if count > bound.limit:
        raise YamlSyntaxError(mark.line + 1, bound.message(count, "nodes" if bound is YAML_NODES else "levels"))


class _Composer:
    """Composes the nodes of one document from the loader's events, without
    recursion, counting each node as often as aliases and merge keys repeat
    it (an anchor remembers its expanded size and depth)."""

    def __init__(self, loader):
        self.loader = loader
        self.anchors: dict[str, tuple[yaml.Node, int, int]] = {}  # anchor -> (node, expanded size, depth)
        self.open_ids: set[int] = set()
        self.stack: list[_Frame] = []
        self.root: yaml.Node | None = None

    def _tag(self, kind, event) -> str:
        if event.tag not in (None, "!"):
            return event.tag
        return self.loader.resolve(kind, getattr(event, "value", None), event.implicit)

    def open(self, event) -> None:
        kind = SequenceNode if isinstance(event, SequenceStartEvent) else MappingNode
        frame = _Frame(kind(self._tag(kind, event), [], event.start_mark, None, flow_style=event.flow_style),
                       event.anchor)
        _bounded(YAML_DEPTH, event.start_mark, len(self.stack) + 1)
        if event.anchor is not None:
            self.anchors[event.anchor] = (frame.node, 0, 0)  # completed when the collection ends
        self.stack.append(frame)
        self.open_ids.add(id(frame.node))

    def close(self, event) -> tuple[yaml.Node, int, int]:
        frame = self.stack.pop()
        self.open_ids.discard(id(frame.node))
        frame.node.end_mark = event.end_mark
        if frame.anchor is not None and self.anchors[frame.anchor][0] is frame.node:
            self.anchors[frame.anchor] = (frame.node, frame.size, frame.depth)
        return frame.node, frame.size, frame.depth

    def alias(self, event) -> tuple[yaml.Node, int, int]:
        if event.anchor not in self.anchors:
            raise ComposerError(None, None, f"found undefined alias {event.anchor!r}", event.start_mark)
        found = self.anchors[event.anchor]
        if id(found[0]) in self.open_ids:
            raise YamlSyntaxError(event.start_mark.line + 1,
                                  f"alias *{event.anchor} is inside the value it names (a loop)")
        return found

    def scalar(self, event) -> tuple[yaml.Node, int, int]:
        node = ScalarNode(self._tag(ScalarNode, event), event.value, event.start_mark, event.end_mark,
                          style=event.style)
        if event.anchor is not None:
            self.anchors[event.anchor] = (node, 1, 1)
        return node, 1, 1

    def attach(self, node: yaml.Node, size: int, depth: int, mark) -> None:
        if not self.stack:
            self.root = node
            return
        parent = self.stack[-1]
        parent.size += size
        parent.depth = max(parent.depth, depth + 1)
        _bounded(YAML_NODES, mark, sum(f.size for f in self.stack))
        _bounded(YAML_DEPTH, mark, len(self.stack) + depth)
        if isinstance(parent.node, SequenceNode):
            parent.node.value.append(node)
        elif parent.key is None:
            parent.key = node
        else:
            parent.node.value.append((parent.key, node))
            parent.key = None

    def document(self) -> yaml.Node | None:
        loader = self.loader
        loader.get_event()  # stream start
        if loader.check_event(StreamEndEvent):
            return None
        loader.get_event()  # document start
        while not loader.check_event(DocumentEndEvent):
            event = loader.get_event()
            if isinstance(event, (SequenceStartEvent, MappingStartEvent)):
                self.open(event)
                continue
            if isinstance(event, (SequenceEndEvent, MappingEndEvent)):
                found = self.close(event)
            elif isinstance(event, AliasEvent):
                found = self.alias(event)
            else:
                assert isinstance(event, ScalarEvent)
                found = self.scalar(event)
            self.attach(*found, event.start_mark)
        loader.get_event()  # document end
        if not loader.check_event(StreamEndEvent):
            raise ComposerError("expected a single document in the stream", None, "but found another document",
                                loader.get_event().start_mark)
        return self.root


def parse_yaml(text: str | bytes, fast: bool = False) -> tuple[Any, yaml.Node | None]:
    """The values and the root node of one YAML document, within the bounds;
    YamlSyntaxError at the line of the first problem."""
    loader = None
    try:
        loader = (_FastLoader if fast else _Loader)(text)  # the reader checks the characters here
        root = _Composer(loader).document()
        data = loader.construct_document(root) if root is not None else None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 1
        raise YamlSyntaxError(line, f"invalid YAML: {exc.problem or exc}") from None
    except yaml.YAMLError as exc:  # e.g. a character YAML does not allow, found by the reader
        raise YamlSyntaxError(1, f"invalid YAML: {str(exc).splitlines()[0]}") from None
    finally:
        if loader is not None:
            loader.dispose()
    return data, root


@dataclass
class YamlFile:
    path: Path
    data: Any
    root: yaml.Node | None

    @classmethod
    def read(cls, path: Path, fast: bool = True) -> "YamlFile":
        """Raises YamlSyntaxError, or a LocatedError for a file that is not
        a regular file or is over its size bound. ``fast``: libyaml's parser
        (a file it refuses is read again by PyYAML's, whose messages are clearer)."""
        raw = read_source(path, YAML_FILE)
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            line = raw[:exc.start].count(b"\n") + 1
            raise YamlSyntaxError(line, f"not UTF-8 text (byte {exc.start})") from None
        try:
            data, root = parse_yaml(text, fast)
        except YamlSyntaxError:
            if not fast:
                raise
            data, root = parse_yaml(text)
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
