# Copyright 2026 Relationship Marketing contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The paths a person meets in the web client, over the JSON-RPC that it uses.

Opening a window replays the calls Odoo 18's web client makes for it:
``/web/action/load``, ``get_views``, then per view type what its model loads
(kanban: ``web_read_group`` + ``read_progress_bar`` + ``web_search_read`` of
each open column, 40 cards; list: ``web_search_read`` of 80 rows, or
``web_read_group`` when grouped; graph: ``web_read_group`` lazy=False; pivot:
``read_group`` for each header combination). Each call's time is measured at
the client over the loopback interface, so it is the server's time plus a
fraction of a millisecond; the server's own log line of each request (query
count, SQL time, Python time) is kept as well.
"""

from __future__ import annotations

import ast
import itertools
import time
import xml.etree.ElementTree as ET

import requests

KANBAN_LIMIT = 40
LIST_LIMIT = 80
COUNT_LIMIT = 10_001
# Client actions that are dashboards: their tag and the model that serves their boxes.
CLIENT_DASHBOARDS = {"relationship_marketing_dashboard.dashboard": "relationship.dashboard"}


class RpcError(Exception):
    pass


class Client:
    def __init__(self, url, db, login, password):
        self.url = url.rstrip("/")
        self.db = db
        self.session = requests.Session()
        self.calls = []  # (path, seconds)
        self._ids = itertools.count(1)
        result = self.post(
            "/web/session/authenticate",
            {"db": db, "login": login, "password": password},
        )
        self.uid = result["uid"]
        self.context = result["user_context"]

    def post(self, path, params):
        payload = {"jsonrpc": "2.0", "method": "call", "id": next(self._ids), "params": params}
        start = time.perf_counter()
        response = self.session.post(self.url + path, json=payload, timeout=600)
        seconds = time.perf_counter() - start
        response.raise_for_status()
        body = response.json()
        self.calls.append((path, seconds))
        if body.get("error"):
            error = body["error"]
            raise RpcError(f"{path}: {error.get('data', {}).get('message') or error}")
        return body["result"]

    def call(self, model, method, *args, **kwargs):
        kwargs.setdefault("context", self.context)
        return self.post(
            f"/web/dataset/call_kw/{model}/{method}",
            {"model": model, "method": method, "args": list(args), "kwargs": kwargs},
        )

    def timed(self, fn, *args, **kwargs):
        """(result, seconds, calls) of a sequence of calls."""
        before = len(self.calls)
        start = time.perf_counter()
        result = fn(*args, **kwargs)
        seconds = time.perf_counter() - start
        return result, seconds, self.calls[before:]


# ---------------------------------------------------------------------------- views


def _spec(arch_fields, fields):
    spec = {}
    for name in arch_fields:
        field = fields.get(name)
        if field is None:
            continue
        if field["type"] in ("many2one", "many2many", "one2many"):
            spec[name] = {"fields": {"display_name": {}}}
            if field["type"] != "many2one":
                spec[name]["limit"] = 40
        else:
            spec[name] = {}
    return spec


def _arch_fields(root):
    """Field names of a view, without those of its inline sub-views."""
    names = []

    def walk(node, depth):
        for child in node:
            if child.tag == "field":
                names.append(child.get("name"))
                continue  # its own sub-views are not read here
            walk(child, depth + 1)

    walk(root, 0)
    return list(dict.fromkeys(names))


def _eval(text, default):
    if not text:
        return default
    try:
        return ast.literal_eval(text)
    except (ValueError, SyntaxError):
        return default


def _context_value(context_text, key):
    """A key of an action's context given as text (only literal values)."""
    context = _eval(context_text, {}) if isinstance(context_text, str) else context_text or {}
    return context.get(key) if isinstance(context, dict) else None


def open_action(client, xmlid, view_type=None, extra_domain=None, extra_context=None):
    """Open a window action as the web client does; return what its first view shows.

    ``xmlid`` may be an external id or an action id. A dashboard (a ``board``
    form view) opens each of its actions in turn, as the board does.
    """
    action = client.post("/web/action/load", {"action_id": xmlid, "context": client.context})
    if action.get("type") == "ir.actions.client" and action.get("tag") in CLIENT_DASHBOARDS:
        return _load_client_dashboard(client, CLIENT_DASHBOARDS[action["tag"]])
    if action.get("type") != "ir.actions.act_window":
        raise RpcError(f"{xmlid} is a {action.get('type')}, not a window action")
    model = action["res_model"]
    views = [list(v) for v in action["views"]]
    if view_type:
        views.sort(key=lambda v: v[1] != view_type)
        if views[0][1] != view_type:
            views.insert(0, [False, view_type])
    search_view = action.get("search_view_id")
    all_views = views + [[search_view[0] if search_view else False, "search"]]
    result = client.call(
        model,
        "get_views",
        views=all_views,
        options={"action_id": action["id"], "load_filters": True, "toolbar": True},
    )
    first = views[0][1]
    arch = result["views"][first]["arch"]
    fields = result["models"][model]
    fields = fields.get("fields", fields)
    domain = _literal(action.get("domain"), []) or []
    context = dict(client.context)
    action_context = _literal(action.get("context"), {}) or {}
    context.update(action_context if isinstance(action_context, dict) else {})
    context.update(extra_context or {})
    domain = list(domain) + list(extra_domain or [])
    domain += _search_defaults(result["views"].get("search", {}).get("arch"), context)
    root = ET.fromstring(arch)
    group_by = context.get("group_by")
    if isinstance(group_by, str):
        group_by = [group_by]
    loader = {
        "kanban": _load_kanban,
        "list": _load_list,
        "graph": _load_graph,
        "pivot": _load_pivot,
        "form": _load_form,
    }
    if first not in loader:
        raise RpcError(f"{xmlid}: no loader for a {first} view")
    return loader[first](client, model, root, fields, domain, context, group_by)


def _literal(value, default):
    if isinstance(value, str):
        return _eval(value, default)
    return value if value is not None else default


def _search_defaults(search_arch, context):
    """Domains of the filters that ``search_default_*`` keys switch on (literal ones).

    As in the web client's search model: filters of one group (consecutive
    filters, up to a separator or the end of a ``<group>``) are ORed, the
    groups are ANDed.
    """
    if not search_arch:
        return []
    wanted = {
        k[len("search_default_") :]
        for k, v in context.items()
        if k.startswith("search_default_") and v
    }
    groups: list[list] = [[]]

    def walk(node):
        for child in node:
            if child.tag == "filter":
                if child.get("name") in wanted and child.get("domain"):
                    value = _eval(child.get("domain"), None)
                    if isinstance(value, list):
                        groups[-1].append(value)
            elif child.tag == "separator":
                groups.append([])
            elif child.tag == "group":
                groups.append([])
                walk(child)
                groups.append([])

    walk(ET.fromstring(search_arch))
    domain = []
    for domains in filter(None, groups):
        domain += ["|"] * (len(domains) - 1)
        for value in domains:
            domain += _normalized(value)
    return domain


def _normalized(domain):
    """``domain`` with its implicit ANDs made explicit (prefix notation)."""
    terms, expected = 0, 0
    for token in domain:
        if expected == 0:
            terms += 1
            expected = 1
        if token == "!":
            continue
        expected += 1 if token in ("&", "|") else -1
    return ["&"] * (terms - 1) + list(domain) if domain else [(1, "=", 1)]


def _load_client_dashboard(client, model):
    """An OWL dashboard: its boxes from the server, then each box's embedded view,
    with the box's domain and context, as the component loads them."""
    dashboard = client.call(model, "get_dashboard")
    shown = []
    for box in dashboard["boxes"]:
        extra = dict(box.get("context") or {})
        for key in ("graph_groupbys", "pivot_row_groupby"):
            if key in extra and "group_by" not in extra:
                extra["group_by"] = extra[key]
        shown.append(
            open_action(
                client,
                box["action_id"],
                box.get("view_mode"),
                extra_domain=box.get("domain") or [],
                extra_context=extra,
            )
        )
    return {"actions": len(shown), "shown": shown}


def _load_form(client, model, root, fields, domain, context, group_by):
    """A dashboard: a board form whose actions each open their own view."""
    board = root.find(".//board")
    if board is None:
        raise RpcError(f"{model}: only board forms (dashboards) are opened here")
    shown = []
    for node in board.iter("action"):
        sub_context = _eval(node.get("context"), {})
        sub_domain = _eval(node.get("domain"), [])
        # The board's context keys for the embedded views, as the board passes them.
        extra = dict(sub_context) if isinstance(sub_context, dict) else {}
        for key, target in (("graph_groupbys", "group_by"), ("pivot_row_groupby", "group_by")):
            if key in extra and "group_by" not in extra:
                extra[target] = extra[key]
        try:
            action_id = int(node.get("name"))
        except (TypeError, ValueError):
            action_id = node.get("name")
        shown.append(
            open_action(
                client,
                action_id,
                node.get("view_mode"),
                extra_domain=sub_domain if isinstance(sub_domain, list) else [],
                extra_context=extra,
            )
        )
    return {"actions": len(shown), "shown": shown}


def _load_kanban(client, model, root, fields, domain, context, group_by):
    group_by = group_by or ([root.get("default_group_by")] if root.get("default_group_by") else [])
    spec = _spec(_arch_fields(root), fields)
    limit = int(root.get("limit") or KANBAN_LIMIT)
    if not group_by:
        data = client.call(
            model,
            "web_search_read",
            domain,
            spec,
            limit=limit,
            offset=0,
            order="",
            count_limit=COUNT_LIMIT,
        )
        return {"records": len(data["records"]), "length": data["length"]}
    progressbar = root.find("progressbar")
    aggregates = []
    if progressbar is not None and progressbar.get("sum_field"):
        sum_field = progressbar.get("sum_field")
        aggregates.append(f"{sum_field}:{fields[sum_field].get('aggregator', 'sum')}")
    data = client.call(
        model, "web_read_group", domain, aggregates, group_by[:1], lazy=True, orderby="", offset=0
    )
    if progressbar is not None:
        client.call(
            model,
            "read_progress_bar",
            domain=domain,
            group_by=group_by[0],
            progress_bar={
                "field": progressbar.get("field"),
                "colors": _eval(progressbar.get("colors"), {}),
                "sum_field": progressbar.get("sum_field"),
                "help": progressbar.get("help"),
            },
        )
    records = 0
    for group in data["groups"]:
        count = group.get(f"{group_by[0]}_count", group.get("__count", 0))
        if group.get("__fold") or not count or not group.get(group_by[0]):
            continue
        page = client.call(
            model,
            "web_search_read",
            group["__domain"],
            spec,
            limit=limit,
            offset=0,
            order="",
            count_limit=COUNT_LIMIT,
            context=dict(context, bin_size=True),
        )
        records += len(page["records"])
    return {"groups": len(data["groups"]), "records": records}


def _load_list(client, model, root, fields, domain, context, group_by):
    spec = _spec(_arch_fields(root), fields)
    if group_by:
        aggregates = [
            f"{name}:{fields[name]['aggregator']}"
            for name in _arch_fields(root)
            if name in fields
            and fields[name].get("aggregator")
            and fields[name]["type"] in ("integer", "float", "monetary")
        ]
        data = client.call(
            model,
            "web_read_group",
            domain,
            aggregates,
            group_by[:1],
            lazy=True,
            orderby="",
            offset=0,
            limit=80,
        )
        return {"groups": len(data["groups"])}
    data = client.call(
        model,
        "web_search_read",
        domain,
        spec,
        limit=LIST_LIMIT,
        offset=0,
        order="",
        count_limit=COUNT_LIMIT,
        context=dict(context, bin_size=True),
    )
    return {"records": len(data["records"]), "length": data["length"]}


def _measure(root, fields, tag="graph"):
    for node in root.iter("field"):
        if node.get("type") == "measure" and node.get("name") in fields:
            name = node.get("name")
            return f"{name}:{fields[name].get('aggregator') or 'sum'}"
    return None


def _row_col(root):
    rows, cols = [], []
    for node in root.iter("field"):
        kind = node.get("type")
        if kind in (None, "row"):
            if node.get("type") != "measure":
                rows.append(
                    node.get("name") + (f":{node.get('interval')}" if node.get("interval") else "")
                )
        elif kind == "col":
            cols.append(
                node.get("name") + (f":{node.get('interval')}" if node.get("interval") else "")
            )
    return rows, cols


def _load_graph(client, model, root, fields, domain, context, group_by):
    rows, cols = _row_col(root)
    measures = ["__count"]
    measure = _measure(root, fields)
    if context.get("graph_measure") in fields:
        name = context["graph_measure"]
        measure = f"{name}:{fields[name].get('aggregator') or 'sum'}"
    if context.get("graph_groupbys"):
        group_by = list(context["graph_groupbys"])
    if measure:
        measures.append(measure)
    groupby = group_by or (rows + cols)
    data = client.call(
        model,
        "web_read_group",
        domain,
        measures,
        groupby,
        lazy=False,
        context=dict(context, fill_temporal=True),
    )
    return {"groups": len(data["groups"])}


def _load_pivot(client, model, root, fields, domain, context, group_by):
    rows, cols = _row_col(root)
    rows = list(context.get("pivot_row_groupby") or group_by or rows)
    cols = list(context.get("pivot_column_groupby") or cols)
    names = context.get("pivot_measures") or [
        node.get("name") for node in root.iter("field") if node.get("type") == "measure"
    ]
    measures = ["__count"] + [
        f"{name}:{fields[name].get('aggregator') or 'sum'}"
        for name in names
        if name in fields and name != "__count"
    ]
    # One read_group per combination of a prefix of the rows and one of the columns.
    groups = 0
    for r in range(len(rows) + 1):
        for c in range(len(cols) + 1):
            data = client.call(
                model, "read_group", domain, measures, rows[:r] + cols[:c], lazy=False
            )
            groups += len(data)
    return {"groups": groups}
