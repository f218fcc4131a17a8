"""Reply graphs drawn on the server as SVG, so who answers whom shows without script.

Commenters sit on a ring (an author page puts its author in the middle), each a
circle sized by their comments. An arrow runs from whoever answers to whoever is
answered, solid for replies and dashed for quotes, thicker for more. Each arrow bows
to its own right, and quotes further than replies, so A→B, B→A and a reply beside a
quote never lie on one line. The viewBox is fitted to what is drawn, so a graph of
two commenters is a short strip and one of thirty a full ring.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from indexer import ReplyGraph, fold_author

MAX_NODES = 30  # the busiest commenters drawn; the table beside the drawing has everyone
NODE_MIN, NODE_MAX = 5.0, 18.0  # circle radii for the fewest and the most comments
NODE_SPACING = 46.0  # ring length given to each commenter
RING_MIN = 110.0
LABEL_GAP = 6.0
LABEL_CHARS = 18  # a longer name is cut with "…" (its circle's title has it whole)
CHAR_WIDTH = 7.0  # an average label character at the stylesheet's 13px, to fit the viewBox
TEXT_HEIGHT = 16.0
PADDING = 6.0
ARROW_GAP = 2.0  # between an arrowhead's tip and the circle it points at
ARROW_TIP = 7.0  # how far the marker's tip reaches past the end of its path
STROKE_MIN, STROKE_MAX = 1.5, 5.0
BEND = {"reply": 0.12, "quote": 0.26}  # how far an arrow bows, as a share of its length
LOOP = {"reply": 36.0, "quote": 52.0}  # how far an answer to oneself loops out
PLURALS = {"reply": "replies", "quote": "quotes"}
CORNERS = ((-1, -1), (1, 1))  # of a circle's bounding square, enough to fit the viewBox

Point = tuple[float, float]


@dataclass(frozen=True)
class Node:
    """A commenter's circle and label; labels run outwards along the ring's radius."""

    name: str
    comments: int
    x: float
    y: float
    r: float
    outward: Point  # unit vector from the ring's centre; (0, 0) for the centre itself
    label: str
    label_x: float
    label_y: float
    anchor: str  # text-anchor
    angle: float  # the label's rotation in degrees, kept readable left to right


@dataclass(frozen=True)
class Arrow:
    source: str
    target: str
    kind: str  # "reply" or "quote"
    count: int
    path: str  # SVG path data
    width: float

    @property
    def title(self) -> str:
        noun = self.kind if self.count == 1 else PLURALS[self.kind]
        return f"{self.source} → {self.target}: {self.count} {noun}"


@dataclass(frozen=True)
class Drawing:
    nodes: list[Node]
    arrows: list[Arrow]
    box: tuple[float, float, float, float]  # the viewBox: left, top, width, height
    left_out: int  # commenters in the graph but not drawn

    @property
    def view_box(self) -> str:
        return " ".join(f"{value:.1f}" for value in self.box)


def cut_label(name: str) -> str:
    return name if len(name) <= LABEL_CHARS else name[: LABEL_CHARS - 1] + "…"


def node_radius(comments: int, most: int) -> float:
    """Area grows with comments, so a circle's size reads as its count."""
    return round(NODE_MIN + (NODE_MAX - NODE_MIN) * math.sqrt(comments / most), 1)


def coordinate(value: float) -> float:
    """A coordinate rounded for the page, never written "-0.0"."""
    return round(value, 1) + 0.0


def ring_node(name: str, comments: int, r: float, theta: float, ring: float) -> Node:
    ux, uy = math.cos(theta), math.sin(theta)
    x, y = ring * ux, ring * uy
    reach = r + LABEL_GAP
    angle = math.degrees(math.atan2(uy, ux))  # -180 to 180, 0 pointing right
    on_right = abs(angle) <= 90.001
    if not on_right:  # the left half's labels turn round to read left to right
        angle += -180 if angle > 0 else 180
    return Node(
        name=name,
        comments=comments,
        x=coordinate(x),
        y=coordinate(y),
        r=r,
        outward=(ux, uy),
        label=cut_label(name),
        label_x=coordinate(x + reach * ux),
        label_y=coordinate(y + reach * uy),
        anchor="start" if on_right else "end",
        angle=coordinate(angle),
    )


def centre_node(name: str, comments: int, r: float) -> Node:
    """The author of an author page, in the middle; the label goes underneath."""
    label_y = r + LABEL_GAP + TEXT_HEIGHT / 2
    return Node(name, comments, 0.0, 0.0, r, (0.0, 0.0), cut_label(name), 0.0, label_y, "middle", 0)


def place_nodes(middle: tuple[str, int] | None, ring: list[tuple[str, int]]) -> list[Node]:
    """`middle` in the middle, the rest round a ring that grows with their number."""
    middle_items = [middle] if middle else []
    most = max(count for _, count in middle_items + ring)
    radius = max(RING_MIN, len(ring) * NODE_SPACING / (2 * math.pi))
    step = 2 * math.pi / max(len(ring), 1)
    placed = [centre_node(name, count, node_radius(count, most)) for name, count in middle_items]
    placed += [
        ring_node(name, count, node_radius(count, most), math.pi + step * index, radius)
        for index, (name, count) in enumerate(ring)
    ]
    return placed


def towards(start: Node, point: Point, distance: float) -> Point:
    """The point `distance` from the node's centre in the direction of `point`."""
    dx, dy = point[0] - start.x, point[1] - start.y
    length = math.hypot(dx, dy) or 1.0
    return start.x + dx / length * distance, start.y + dy / length * distance


def curve(source: Node, target: Node, kind: str) -> tuple[str, Point]:
    """A bowed arrow from circle edge to circle edge, and its control point."""
    dx, dy = target.x - source.x, target.y - source.y
    bend = BEND[kind]
    control = ((source.x + target.x) / 2 - dy * bend, (source.y + target.y) / 2 + dx * bend)
    start = towards(source, control, source.r)
    end = towards(target, control, target.r + ARROW_GAP + ARROW_TIP)
    points = " ".join(f"{x:.1f},{y:.1f}" for x, y in (control, end))
    return f"M{start[0]:.1f},{start[1]:.1f} Q{points}", control


def loop(node: Node, kind: str) -> tuple[str, Point]:
    """An answer to oneself: a loop on the inner side, away from the label."""
    ux, uy = node.outward if node.outward != (0.0, 0.0) else (0.0, 1.0)
    inward = math.atan2(-uy, -ux)

    def at(turn: float, distance: float) -> Point:
        angle = inward + turn
        return node.x + math.cos(angle) * distance, node.y + math.sin(angle) * distance

    reach = node.r + LOOP[kind]
    start, c1, c2 = at(0.45, node.r), at(1.0, reach), at(-1.0, reach)
    end = at(-0.45, node.r + ARROW_GAP + ARROW_TIP)
    points = " ".join(f"{x:.1f},{y:.1f}" for x, y in (c1, c2, end))
    return f"M{start[0]:.1f},{start[1]:.1f} C{points}", at(0, reach)


def stroke_width(count: int, most: int) -> float:
    return round(STROKE_MIN + (STROKE_MAX - STROKE_MIN) * (count - 1) / max(most - 1, 1), 2)


def label_corners(node: Node) -> list[Point]:
    """Where a label reaches, by its estimated length: enough to fit the viewBox."""
    length = len(node.label) * CHAR_WIDTH
    if node.anchor == "middle":
        half = length / 2
        return [(node.x - half, node.label_y + TEXT_HEIGHT / 2), (node.x + half, node.label_y)]
    ux, uy = node.outward
    end = (node.label_x + ux * length, node.label_y + uy * length)
    return [(node.label_x, node.label_y), end]


def fitted_box(nodes: list[Node], bulges: list[Point]) -> tuple[float, float, float, float]:
    points = [p for node in nodes for p in label_corners(node)] + bulges
    points += [(node.x + node.r * sx, node.y + node.r * sy) for node in nodes for sx, sy in CORNERS]
    pad = PADDING + TEXT_HEIGHT / 2
    left = min(x for x, _ in points) - pad
    top = min(y for _, y in points) - pad
    width = max(x for x, _ in points) + pad - left
    height = max(y for _, y in points) + pad - top
    return round(left, 1), round(top, 1), round(width, 1), round(height, 1)


def draw_graph(graph: ReplyGraph, centre: str | None = None) -> Drawing:
    """The graph's busiest MAX_NODES commenters (and `centre`, always) and their arrows."""
    key = fold_author(centre) if centre else None
    middle = next((item for item in graph.nodes if fold_author(item[0]) == key), None)
    ring = [item for item in graph.nodes if item is not middle][: MAX_NODES - bool(middle)]
    nodes = place_nodes(middle, ring)
    by_name = {node.name: node for node in nodes}
    drawn = [
        (source, target, kind, count)
        for source, target, replies, quotes in graph.edges
        if source in by_name and target in by_name
        for kind, count in (("reply", replies), ("quote", quotes))
        if count
    ]
    most = max((count for *_, count in drawn), default=1)
    arrows, bulges = [], []
    for source, target, kind, count in drawn:
        a, b = by_name[source], by_name[target]
        path, bulge = loop(a, kind) if a is b else curve(a, b, kind)
        arrows.append(Arrow(source, target, kind, count, path, stroke_width(count, most)))
        bulges.append(bulge)
    return Drawing(nodes, arrows, fitted_box(nodes, bulges), len(graph.nodes) - len(nodes))


def busiest_pairs(graph: ReplyGraph) -> list[tuple[str, str, int, int]]:
    """The table beside the drawing: every pair, the most answers first."""
    return sorted(graph.edges, key=lambda edge: (-(edge[2] + edge[3]), edge[0], edge[1]))
