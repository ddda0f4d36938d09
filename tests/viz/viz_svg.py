"""Reading the SVG that Graphviz renders: nodes, edges and their attributes."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass, field

SVG = "{http://www.w3.org/2000/svg}"
XLINK = "{http://www.w3.org/1999/xlink}"


@dataclass
class SvgNode:
    """A node of a rendered drawing."""

    name: str
    classes: set[str]
    shapes: list[str]  # tags of the drawn outline elements: path, polygon, ellipse, polyline
    fills: list[str]
    texts: list[str]
    tooltip: str | None = None
    strokes: list[str] = field(default_factory=list)

    @property
    def fill(self) -> str:
        """The fill of the outer shape."""
        return next(fill for fill in self.fills if fill not in ("none", "transparent"))

    @property
    def text(self) -> str:
        """All label text, lines joined by spaces."""
        return " ".join(self.texts)


def _classes(element: ET.Element) -> set[str]:
    return set(element.get("class", "").split())


def _node(group: ET.Element) -> SvgNode:
    title = group.find(f"{SVG}title")
    shapes, fills, strokes, texts = [], [], [], []
    tooltip = None
    for element in group.iter():
        tag = element.tag.replace(SVG, "")
        if tag in ("path", "polygon", "ellipse", "polyline"):
            shapes.append(tag)
            fills.append(element.get("fill", ""))
            strokes.append(element.get("stroke", ""))
        elif tag == "text":
            texts.append("".join(element.itertext()))
        elif tag == "a" and tooltip is None:
            tooltip = element.get(f"{XLINK}title")
    return SvgNode(title.text or "", _classes(group), shapes, fills, texts, tooltip, strokes)


def parse(svg: str) -> tuple[dict[str, SvgNode], list[tuple[str, str]], ET.Element]:
    """``(nodes by name, edges as (tail, head) titles split on '->', root)``.

    Edge titles are ``tail->head`` with the node names as given; pass names without '->'.
    """
    root = ET.fromstring(svg)
    nodes: dict[str, SvgNode] = {}
    edges: list[tuple[str, str]] = []
    for group in root.iter(f"{SVG}g"):
        classes = _classes(group)
        if "node" in classes:
            node = _node(group)
            nodes[node.name] = node
        elif "edge" in classes:
            title = group.find(f"{SVG}title").text or ""
            tail, _, head = title.partition("->")
            edges.append((tail, head))
    return nodes, edges, root


def task_nodes(nodes: dict[str, SvgNode]) -> dict[str, SvgNode]:
    """The nodes that draw tasks or groups (not the legend)."""
    return {
        name: node for name, node in nodes.items() if {"floto-task", "floto-group"} & node.classes
    }


def cluster_labels(root: ET.Element) -> dict[str, str]:
    """Cluster name -> its label text (Graphviz writes clusters apart from their nodes)."""
    labels = {}
    for group in root.iter(f"{SVG}g"):
        if "cluster" in _classes(group):
            text = " ".join("".join(t.itertext()) for t in group.iter(f"{SVG}text"))
            labels[group.find(f"{SVG}title").text or ""] = text
    return labels
