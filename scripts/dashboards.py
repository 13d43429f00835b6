"""The four dashboards, from one definition: dashboards/dashboards.yml (layout) and
dashboards/datasets/*.sql (one query per dataset, over analytics_marts).

    python scripts/dashboards.py lvdash           # write dashboards/<name>.lvdash.json
    python scripts/dashboards.py lvdash --check   # exit 1 when a committed file is stale
    python scripts/dashboards.py html             # render target/dashboards.html (`make dashboard`)

The .lvdash.json files are Databricks AI/BI (Lakeview) dashboards, deployed by the bundle
(resources/patreon_dashboards.yml) with the target's catalog as the datasets' default
catalog. The HTML file renders the same widgets from the local DuckDB warehouse with plotly;
its JavaScript is inlined, so it opens without a network connection.
"""

from __future__ import annotations

import argparse
import html
import json
import os
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd
import yaml

REPO = Path(__file__).resolve().parent.parent
DASHBOARDS_DIR = REPO / "dashboards"
SPEC_FILE = DASHBOARDS_DIR / "dashboards.yml"
DATASETS_DIR = DASHBOARDS_DIR / "datasets"
DEFAULT_HTML = REPO / "target" / "dashboards.html"
GRID_COLUMNS = 6
WIDGET_HEIGHTS = {
    "text": 2,
    "counter": 3,
    "line": 6,
    "bar": 6,
    "table": 7,
    "waterfall": 6,
    "heatmap": 9,
}
# Lakeview widget-spec versions per widget type, as in Databricks' exported dashboards (the
# table's version 1 carries per-column type, format and alignment).
SPEC_VERSIONS = {"counter": 2, "line": 3, "bar": 3, "table": 1, "waterfall": 1, "heatmap": 3}
# Widget types drawn as plotly charts on the local page.
CHART_TYPES = ("line", "bar", "waterfall", "heatmap")
# Databricks' default visualization palette; Lakeview names a colour by its position (1-based,
# {"themeColorType": "visualizationColors", "position": n}), so it follows the theme.
THEME_PALETTE = [
    "#077A9D",
    "#FFAB00",
    "#00A972",
    "#FF3621",
    "#8BCAE7",
    "#AB4057",
    "#99DDB4",
    "#FCA4A1",
    "#919191",
    "#BF7080",
]
BAND_POSITIONS = {"healthy": 3, "warning": 2, "critical": 4}
BAND_COLOURS = {band: THEME_PALETTE[position - 1] for band, position in BAND_POSITIONS.items()}
SERIES_COLOURS = [
    "#1f5fa8",
    "#e4572e",
    "#17a398",
    "#8e44ad",
    "#f2a900",
    "#5d6d7e",
    "#c0392b",
    "#6ab04c",
]


@dataclass(frozen=True)
class Widget:
    """One tile of a dashboard, reading one dataset."""

    type: str
    dataset: str
    title: str
    width: int
    value: str | None = None
    x: str | None = None
    y: tuple[str, ...] = ()
    color: str | None = None
    bands: bool = False
    columns: tuple[str, ...] = ()

    @property
    def fields(self) -> tuple[str, ...]:
        """The dataset columns the widget reads, in order."""
        if self.type == "counter":
            return (str(self.value),)
        if self.type == "table":
            return self.columns
        return tuple(name for name in (self.x, *self.y, self.color) if name)


@dataclass(frozen=True)
class Page:
    """One page of a dashboard: a title, a description and its widgets in reading order."""

    name: str
    title: str
    description: str
    widgets: tuple[Widget, ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class Dashboard:
    """A named dashboard: its pages, the first of which carries the dashboard's own name,
    title and description."""

    name: str
    title: str
    description: str
    pages: tuple[Page, ...] = field(default_factory=tuple)

    @property
    def widgets(self) -> tuple[Widget, ...]:
        """Every widget of every page, in reading order."""
        return tuple(widget for page in self.pages for widget in page.widgets)

    @property
    def datasets(self) -> list[str]:
        """The datasets the widgets read, in first-use order."""
        return list(dict.fromkeys(widget.dataset for widget in self.widgets))


WIDGET_KEYS = frozenset(
    {"type", "dataset", "title", "width", "value", "x", "y", "color", "bands", "columns"}
)


def parse_widget(raw: dict[str, Any]) -> Widget:
    unknown = set(raw) - WIDGET_KEYS
    if unknown:
        raise ValueError(f"widget {raw.get('title')!r}: unknown keys {sorted(map(str, unknown))}")
    y = raw.get("y", ())
    return Widget(
        type=raw["type"],
        dataset=raw["dataset"],
        title=raw["title"],
        width=int(raw["width"]),
        value=raw.get("value"),
        x=raw.get("x"),
        y=tuple([y] if isinstance(y, str) else y),
        color=raw.get("color"),
        bands=bool(raw.get("bands", False)),
        columns=tuple(raw.get("columns", ())),
    )


def parse_page(raw: dict[str, Any], dashboard_name: str) -> Page:
    """A page, checked for unknown widget types and widths."""
    widgets = tuple(parse_widget(widget) for widget in raw["widgets"])
    for widget in widgets:
        if widget.type not in SPEC_VERSIONS:
            raise ValueError(f"{dashboard_name}: unknown widget type {widget.type!r}")
        if not 1 <= widget.width <= GRID_COLUMNS:
            raise ValueError(f"{dashboard_name}: width {widget.width} of {widget.title!r}")
    return Page(raw["name"], raw["title"], raw["description"], widgets)


def load_dashboards(spec_file: Path = SPEC_FILE) -> list[Dashboard]:
    """The dashboards of the spec file: the first page from the dashboard's own `widgets`,
    more from its `pages`."""
    spec = yaml.safe_load(spec_file.read_text())
    dashboards = []
    for raw in spec["dashboards"]:
        first = parse_page({**raw, "widgets": raw["widgets"]}, raw["name"])
        more = tuple(parse_page(page, raw["name"]) for page in raw.get("pages", ()))
        dashboards.append(Dashboard(raw["name"], raw["title"], raw["description"], (first, *more)))
    return dashboards


def dataset_file(name: str) -> Path:
    return DATASETS_DIR / f"{name}.sql"


def dataset_sql(name: str) -> str:
    """A dataset's query, the single definition both renderings use."""
    return dataset_file(name).read_text()


def label(column: str) -> str:
    """A column's display name: `gross_mrr_usd` -> `Gross MRR (USD)`."""
    unit = ""
    for suffix, name in (("_usd", " (USD)"), ("_pct", " (%)")):
        if column.endswith(suffix):
            column, unit = column.removesuffix(suffix), name
    words = column.replace("_", " ").replace("mrr", "MRR").replace("kpis", "KPIs")
    return words[:1].upper() + words[1:] + unit


# ---------------------------------------------------------------------------------------
# Databricks AI/BI (Lakeview) definitions
# ---------------------------------------------------------------------------------------


def positions(page: Page) -> list[dict[str, int]]:
    """Grid positions: widgets flow left to right in rows of six, below a title row."""
    placed, x, y, row_height = [], 0, WIDGET_HEIGHTS["text"], 0
    for widget in page.widgets:
        height = WIDGET_HEIGHTS[widget.type]
        if x + widget.width > GRID_COLUMNS:
            x, y, row_height = 0, y + row_height, 0
        placed.append({"x": x, "y": y, "width": widget.width, "height": height})
        x, row_height = x + widget.width, max(row_height, height)
    return placed


def axis(column: str) -> dict[str, Any]:
    scale = "temporal" if column.endswith("_date") else "categorical"
    return {"fieldName": column, "scale": {"type": scale}, "displayName": label(column)}


# Column kinds by name (house style: _usd and _pct numerics, _date/_at times, ids and labels
# text, other columns counts): Lakeview type, how it is shown, number format, alignment.
STRING_SUFFIXES = ("_id", "_name", "_category", "_subcategory", "_type", "_status", "_health")
COLUMN_KINDS = {
    "string": ("string", "string", None, "left"),
    "money": ("float", "number", "$0,0.00", "right"),
    "rate": ("float", "number", "0.00", "right"),
    "count": ("integer", "number", "0,0", "right"),
    "datetime": ("datetime", "datetime", None, "right"),
}


def column_kind(column: str) -> str:
    if column.endswith(STRING_SUFFIXES):
        return "string"
    if column.endswith("_usd"):
        return "money"
    if column.endswith("_pct"):
        return "rate"
    if column.endswith(("_date", "_at")):
        return "datetime"
    return "count"


def theme_colour(position: int) -> dict[str, Any]:
    return {"themeColorType": "visualizationColors", "position": position}


def table_column(column: str, order: int) -> dict[str, Any]:
    """A table column as Databricks exports it (spec version 1); a health band column shows
    its band in the band's colour."""
    kind, display, number_format, align = COLUMN_KINDS[column_kind(column)]
    spec: dict[str, Any] = {
        "fieldName": column,
        "displayName": label(column),
        "title": label(column),
        "type": kind,
        "displayAs": display,
        "visible": True,
        "order": 100000 + order,
        "alignContent": align,
        "allowSearch": False,
        "allowHTML": False,
        "highlightLinks": False,
        "useMonospaceFont": False,
        "preserveWhitespace": False,
        "booleanValues": ["false", "true"],
        "imageUrlTemplate": "{{ @ }}",
        "imageTitleTemplate": "{{ @ }}",
        "imageWidth": "",
        "imageHeight": "",
        "linkUrlTemplate": "{{ @ }}",
        "linkTextTemplate": "{{ @ }}",
        "linkTitleTemplate": "{{ @ }}",
        "linkOpenInNewTab": True,
    }
    if number_format:
        spec["numberFormat"] = number_format
    if kind == "datetime":
        spec["dateTimeFormat"] = "YYYY-MM-DD"
    if column.endswith("_health"):
        spec["cellFormat"] = {
            "default": {},
            "rules": [
                {
                    "if": {"column": column, "fn": "=", "literal": band},
                    "value": {"foregroundColor": BAND_COLOURS[band]},
                }
                for band in BAND_POSITIONS
            ],
        }
    return spec


def encodings(widget: Widget) -> dict[str, Any]:
    """The widget spec's encodings: which field drives which visual channel."""
    if widget.type == "counter":
        return {"value": {"fieldName": widget.value, "displayName": widget.title}}
    if widget.type == "waterfall":
        return {
            "x": {"fieldName": widget.x, "scale": {"type": "categorical"}},
            "y": {
                "fieldName": widget.y[0],
                "scale": {"type": "quantitative"},
                "displayName": label(widget.y[0]),
            },
        }
    if widget.type == "heatmap":
        return {
            "x": {"fieldName": widget.x, "scale": {"type": "categorical"}},
            "y": {"fieldName": widget.y[0], "scale": {"type": "categorical"}},
            "color": {
                "fieldName": widget.color,
                "scale": {"type": "quantitative"},
                "displayName": label(str(widget.color)),
            },
        }
    if widget.type == "table":
        return {
            "columns": [table_column(column, order) for order, column in enumerate(widget.columns)]
        }
    quantitative = {"type": "quantitative"}
    if len(widget.y) == 1:
        y: dict[str, Any] = {
            "fieldName": widget.y[0],
            "scale": quantitative,
            "displayName": label(widget.y[0]),
        }
    else:
        y = {
            "fields": [{"fieldName": name, "displayName": label(name)} for name in widget.y],
            "scale": quantitative,
        }
    result: dict[str, Any] = {"x": axis(str(widget.x)), "y": y}
    if widget.color:
        colour: dict[str, Any] = {
            "fieldName": widget.color,
            "scale": {"type": "categorical"},
            "displayName": label(widget.color),
        }
        if widget.bands:
            colour["scale"]["mappings"] = [
                {"value": band, "color": theme_colour(position)}
                for band, position in BAND_POSITIONS.items()
            ]
        result["color"] = colour
    return result


# Table settings of an exported version-1 table, beside its columns.
TABLE_SETTINGS = {
    "invisibleColumns": [],
    "allowHTMLByDefault": False,
    "itemsPerPage": 25,
    "paginationSize": "default",
    "condensed": True,
    "withRowNumber": False,
}


def lakeview_widget(page_name: str, index: int, widget: Widget) -> dict[str, Any]:
    return {
        "name": f"{page_name}_{index:02d}_{widget.type}",
        "queries": [
            {
                "name": "main_query",
                "query": {
                    "datasetName": widget.dataset,
                    "fields": [{"name": name, "expression": f"`{name}`"} for name in widget.fields],
                    "disaggregated": True,
                },
            }
        ],
        "spec": {
            "version": SPEC_VERSIONS[widget.type],
            "widgetType": widget.type,
            "encodings": encodings(widget),
            **(TABLE_SETTINGS if widget.type == "table" else {}),
            "frame": {"showTitle": True, "title": widget.title},
        },
    }


def lakeview_page(name: str, page: Page) -> dict[str, Any]:
    """One canvas page: a title row, then the widgets in rows of six."""
    header = {
        "widget": {
            "name": f"{name}_00_title",
            "multilineTextboxSpec": {
                "lines": [f"## {page.title}\n", "\n", f"{page.description}\n"]
            },
        },
        "position": {"x": 0, "y": 0, "width": GRID_COLUMNS, "height": WIDGET_HEIGHTS["text"]},
    }
    layout = [header] + [
        {"widget": lakeview_widget(name, index, widget), "position": position}
        for index, (widget, position) in enumerate(
            zip(page.widgets, positions(page), strict=True), start=1
        )
    ]
    return {
        "name": name,
        "displayName": page.title,
        "pageType": "PAGE_TYPE_CANVAS",
        "layout": layout,
    }


def lakeview(dashboard: Dashboard) -> dict[str, Any]:
    """The dashboard as a serialized Lakeview dashboard (.lvdash.json). The first page is
    named after the dashboard, the others `<dashboard>_<page>`."""
    page_names = [dashboard.name] + [
        f"{dashboard.name}_{page.name}" for page in dashboard.pages[1:]
    ]
    return {
        "datasets": [
            {
                "name": name,
                "displayName": label(name.split("__", 1)[1]),
                "queryLines": dataset_sql(name).splitlines(keepends=True),
            }
            for name in dashboard.datasets
        ],
        "pages": [
            lakeview_page(name, page)
            for name, page in zip(page_names, dashboard.pages, strict=True)
        ],
    }


def lvdash_file(dashboard: Dashboard) -> Path:
    return DASHBOARDS_DIR / f"{dashboard.name}.lvdash.json"


def lvdash_text(dashboard: Dashboard) -> str:
    return json.dumps(lakeview(dashboard), indent=2) + "\n"


def write_lvdash(check: bool) -> int:
    """Write every .lvdash.json file, or with check list the stale ones and return 1."""
    stale = []
    for dashboard in load_dashboards():
        path, text = lvdash_file(dashboard), lvdash_text(dashboard)
        if path.exists() and path.read_text() == text:
            continue
        stale.append(path.name)
        if not check:
            path.write_text(text)
    if check and stale:
        print(f"stale: {', '.join(stale)}; run: python scripts/dashboards.py lvdash")
        return 1
    action = "checked" if check else f"wrote {len(stale)} of"
    print(f"dashboards: {action} {len(load_dashboards())} .lvdash.json files")
    return 0


# ---------------------------------------------------------------------------------------
# Local HTML rendering
# ---------------------------------------------------------------------------------------


def run_datasets(warehouse: Path, names: Sequence[str]) -> dict[str, pd.DataFrame]:
    """Each dataset's result on the DuckDB warehouse (read-only; its catalog is the default)."""
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return {name: con.execute(dataset_sql(name)).df() for name in names}


def formatted(column: str, value: Any) -> str:
    """A cell or tile value: money with a dollar sign, rates with a percent sign."""
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return "-"
    if isinstance(value, (date, pd.Timestamp)):
        return pd.Timestamp(value).strftime("%b %Y")
    if isinstance(value, str):
        return value
    if column.endswith("_pct"):
        return f"{float(value):,.2f} %"
    if column.endswith("_usd"):
        return f"${float(value):,.0f}"
    return f"{float(value):,.0f}"


def month_note(frame: pd.DataFrame) -> str:
    """`Sep 2026` when a one-row dataset names its month, else nothing."""
    if "month_start_date" in frame.columns and len(frame) == 1:
        return formatted("month_start_date", frame["month_start_date"].iloc[0])
    return ""


def counter_html(widget: Widget, frame: pd.DataFrame) -> str:
    value = frame[widget.value].iloc[0] if len(frame) else None
    note = month_note(frame)
    return (
        '<div class="tile counter">'
        f'<div class="value">{html.escape(formatted(str(widget.value), value))}</div>'
        f'<div class="title">{html.escape(widget.title)}</div>'
        f'<div class="note">{html.escape(note)}</div></div>'
    )


def table_html(widget: Widget, frame: pd.DataFrame) -> str:
    head = "".join(f"<th>{html.escape(label(column))}</th>" for column in widget.columns)
    rows = []
    for record in frame[list(widget.columns)].itertuples(index=False):
        cells = []
        for column, value in zip(widget.columns, record, strict=True):
            css = f' class="band {value}"' if column.endswith("_health") and value else ""
            numeric = "" if isinstance(value, str) else ' style="text-align:right"'
            cells.append(f"<td{css}{numeric}>{html.escape(formatted(column, value))}</td>")
        rows.append(f"<tr>{''.join(cells)}</tr>")
    return (
        f'<div class="tile table"><h3>{html.escape(widget.title)}</h3>'
        f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table></div>"
    )


def series(widget: Widget, frame: pd.DataFrame) -> list[tuple[str, pd.DataFrame, str, str]]:
    """The chart's series: (name, rows, y column, colour), one per y column or colour group.

    Health bands always come in band order with their band colours, present or not.
    """
    if not widget.color:
        return [
            (label(column), frame, column, SERIES_COLOURS[index % len(SERIES_COLOURS)])
            for index, column in enumerate(widget.y)
        ]
    groups = list(BAND_COLOURS) if widget.bands else sorted(frame[widget.color].unique())
    return [
        (
            str(group),
            frame[frame[widget.color] == group],
            widget.y[0],
            BAND_COLOURS[group] if widget.bands else SERIES_COLOURS[index % len(SERIES_COLOURS)],
        )
        for index, group in enumerate(groups)
    ]


def waterfall_trace(widget: Widget, frame: pd.DataFrame) -> Any:
    """The steps as a waterfall: the first an absolute total, the others changes, and a
    last bar for the total they add up to."""
    import plotly.graph_objects as go

    # The steps are numbered so that every chart keeps their order; the number is not shown.
    steps = [str(step).split(" ", 1)[-1] for step in frame[str(widget.x)]]
    values = [float(value) for value in frame[widget.y[0]]]
    return go.Waterfall(
        x=[*steps, "Closing MRR"],
        y=[*values, 0],
        measure=["absolute", *["relative"] * (len(values) - 1), "total"],
        increasing={"marker": {"color": SERIES_COLOURS[2]}},
        decreasing={"marker": {"color": SERIES_COLOURS[1]}},
        totals={"marker": {"color": SERIES_COLOURS[0]}},
        name=label(widget.y[0]),
    )


def heatmap_trace(widget: Widget, frame: pd.DataFrame) -> Any:
    """One cell per (x, y) pair, coloured by the value (missing pairs stay empty)."""
    import plotly.graph_objects as go

    grid = frame.pivot(index=widget.y[0], columns=str(widget.x), values=str(widget.color))
    return go.Heatmap(
        z=grid.astype(float).to_numpy(),
        x=[str(column) for column in grid.columns],
        y=[formatted(widget.y[0], row) for row in grid.index],
        colorscale="Blues",
        colorbar={"title": {"text": label(str(widget.color))}},
        hoverongaps=False,
    )


def chart_figure(widget: Widget, frame: pd.DataFrame) -> Any:
    """A plotly figure: a line or (stacked) bar trace per series, a waterfall or a heat map."""
    import plotly.graph_objects as go

    figure = go.Figure()
    if widget.type in ("waterfall", "heatmap"):
        trace = waterfall_trace if widget.type == "waterfall" else heatmap_trace
        figure.add_trace(trace(widget, frame))
        if widget.type == "waterfall" and len(frame):
            # Movements are small next to the totals: the axis starts near the lowest level.
            levels = frame[widget.y[0]].astype(float).cumsum()
            figure.update_yaxes(range=[0.9 * levels.min(), 1.02 * levels.max()])
        figure.update_layout(
            title={"text": widget.title, "font": {"size": 15}},
            height=340 if widget.type == "waterfall" else 520,
            margin={"l": 80, "r": 20, "t": 50, "b": 40},
            showlegend=False,
            template="plotly_white",
        )
        return figure
    for name, rows, column, colour in series(widget, frame):
        x, y = rows[str(widget.x)], rows[column]
        if widget.type == "line":
            figure.add_trace(go.Scatter(x=x, y=y, name=name, line={"color": colour}))
        else:
            figure.add_trace(go.Bar(x=x, y=y, name=name, marker={"color": colour}))
    figure.update_layout(
        title={"text": widget.title, "font": {"size": 15}},
        barmode="stack",
        height=340,
        margin={"l": 50, "r": 20, "t": 50, "b": 40},
        legend={"orientation": "h", "y": -0.15, "traceorder": "normal"},
        showlegend=len(figure.data) > 1,
        template="plotly_white",
    )
    return figure


def chart_html(widget: Widget, frame: pd.DataFrame) -> str:
    figure = chart_figure(widget, frame)
    body = figure.to_html(
        full_html=False,
        include_plotlyjs=False,
        config={"displayModeBar": False, "responsive": True},
    )
    return f'<div class="tile chart">{body}</div>'


def widget_html(widget: Widget, frame: pd.DataFrame) -> str:
    if widget.type == "counter":
        inner = counter_html(widget, frame)
    elif widget.type == "table":
        inner = table_html(widget, frame)
    else:
        inner = chart_html(widget, frame)
    return f'<div class="cell" style="grid-column: span {widget.width}">{inner}</div>'


STYLE = """
body { font-family: -apple-system, "Segoe UI", Roboto, Helvetica, Arial, sans-serif;
       margin: 0; background: #f4f6f8; color: #1d2733; }
header { background: #1d2733; color: #fff; padding: 14px 28px; }
header h1 { margin: 0; font-size: 22px; }
header nav a { color: #cfe0f5; margin-right: 18px; text-decoration: none; font-size: 14px; }
section { padding: 8px 28px 24px; }
section h2 { margin: 18px 0 2px; }
section h3 { margin: 22px 0 2px; }
section p.description { margin: 0 0 12px; color: #52606d; }
.grid { display: grid; grid-template-columns: repeat(6, minmax(0, 1fr)); gap: 12px; }
.tile { background: #fff; border-radius: 8px; box-shadow: 0 1px 3px rgba(0,0,0,.12);
        padding: 12px 14px; height: 100%; box-sizing: border-box; }
.counter .value { font-size: 28px; font-weight: 600; color: #1f5fa8; }
.counter .title { font-size: 14px; margin-top: 4px; }
.counter .note { font-size: 12px; color: #7b8794; }
.table h3 { font-size: 15px; margin: 0 0 8px; font-weight: 500; }
table { border-collapse: collapse; width: 100%; font-size: 13px; }
th { text-align: left; border-bottom: 2px solid #d9e2ec; padding: 4px 6px; }
td { border-bottom: 1px solid #eef2f6; padding: 4px 6px; }
td.band { color: #fff; font-weight: 600; text-align: center; }
#js-errors:empty { display: none; }
#js-errors { background: #fde8e8; color: #c62828; padding: 8px 28px; }
"""

# Health band cells in the band colours the AI/BI dashboards use.
BAND_STYLE = "\n".join(
    f"td.band.{band} {{ background: {colour}; }}" for band, colour in BAND_COLOURS.items()
)

# Records JavaScript errors in the page itself, so a headless browser's DOM dump shows them;
# `#only=<dashboard>` in the address shows that dashboard alone (for links and screenshots).
PAGE_SCRIPT = """
window.addEventListener("error", function (event) {
  var box = document.getElementById("js-errors");
  var failed = event.target && (event.target.src || event.target.href);
  box.textContent += (failed ? "failed to load: " + failed : "JS error: " + event.message) + "\\n";
}, true);
document.addEventListener("DOMContentLoaded", function () {
  var only = window.location.hash.match(/^#only=(\\w+)$/);
  if (!only) { return; }
  document.querySelectorAll("section").forEach(function (section) {
    if (section.id !== only[1]) { section.style.display = "none"; }
  });
});
"""


def render_html(warehouse: Path, dashboards: Sequence[Dashboard]) -> str:
    """The dashboards, every page of each, as one self-contained HTML page."""
    from plotly.offline import get_plotlyjs

    names = list(dict.fromkeys(name for dashboard in dashboards for name in dashboard.datasets))
    frames = run_datasets(warehouse, names)
    nav = "".join(f'<a href="#{d.name}">{html.escape(d.title)}</a>' for d in dashboards)
    sections = []
    for dashboard in dashboards:
        pages = []
        for index, page in enumerate(dashboard.pages):
            tiles = "".join(widget_html(w, frames[w.dataset]) for w in page.widgets)
            heading = "" if index == 0 else f"<h3>{html.escape(page.title)}</h3>"
            pages.append(
                f'{heading}<p class="description">{html.escape(page.description)}</p>'
                f'<div class="grid">{tiles}</div>'
            )
        sections.append(
            f'<section id="{dashboard.name}"><h2>{html.escape(dashboard.title)}</h2>'
            f"{''.join(pages)}</section>"
        )
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        "<title>Patreon Analytics dashboards</title>"
        f"<style>{STYLE}{BAND_STYLE}</style><script>{PAGE_SCRIPT}</script>"
        f'<script type="text/javascript">{get_plotlyjs()}</script></head><body>'
        "<header><h1>Patreon Analytics</h1>"
        f"<nav>{nav}</nav></header>"
        f'<pre id="js-errors"></pre>{"".join(sections)}</body></html>\n'
    )


def default_warehouse() -> Path:
    return REPO / os.environ.get("DBT_DUCKDB_PATH", "patreon_dev.duckdb")


def write_html(warehouse: Path, out: Path) -> int:
    if not warehouse.exists():
        print(f"no warehouse at {warehouse}: run `make build` first", file=sys.stderr)
        return 1
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(render_html(warehouse, load_dashboards()))
    print(f"dashboards: {out} ({out.stat().st_size / 1e6:.1f} MB, self-contained)")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    lvdash_parser = commands.add_parser("lvdash", help="write dashboards/*.lvdash.json")
    lvdash_parser.add_argument("--check", action="store_true", help="fail when a file is stale")
    html_parser = commands.add_parser("html", help="render the dashboards into one HTML file")
    html_parser.add_argument("--warehouse", type=Path, default=default_warehouse())
    html_parser.add_argument("--out", type=Path, default=DEFAULT_HTML)
    args = parser.parse_args(argv)
    if args.command == "lvdash":
        return write_lvdash(args.check)
    return write_html(args.warehouse, args.out)


if __name__ == "__main__":
    sys.exit(main())
