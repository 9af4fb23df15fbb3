#!/usr/bin/env python3
"""Writes bench/designs/fifty-boxes.json: a design drawn by hand at the
size issue 19's speed goal names, 50 boxes (8 load balancers, 36 web
servers, 6 MySQL servers; plus the user, DNS, 3 firewalls and the
monitoring service: 56 nodes), at 100,000 QPS, for bench/frames --drag.

The boxes are sized so that every request is served (the CLI's `run
--scenario` reports no timeout), so the frame carries the full 100,000
requests a second. Each box is 176 x 134 board units and 50 of them cover
more than the 1000 x 600 board, so each tier is a cascade: rows overlap
but every box's name, at its top, stays visible. Positions are on the
editor's 10-unit grid.

    python3 bench/designs/fifty_boxes.py   # rewrites the JSON beside it
"""
import json
import os

LBS, WEB_COLUMNS, WEB_ROWS, DBS = 8, 3, 12, 6


def spread(first, last, n):
    """n centres from first to last, on the 10-unit grid."""
    return [round((first + (last - first) * i / (n - 1)) / 10) * 10 for i in range(n)]


def design():
    lbs = [f"lb-{i + 1}" for i in range(LBS)]
    webs = [f"server-{i + 1}" for i in range(WEB_COLUMNS * WEB_ROWS)]
    dbs = [f"db-{i + 1}" for i in range(DBS)]
    nodes = [
        {"id": "user", "kind": "user", "zone": "internet", "x": 70, "y": 330},
        {"id": "dns", "kind": "dns", "zone": "internet", "x": 70, "y": 140},
    ]
    # Load balancers: 100 units tall, eight in one column.
    for id, y in zip(lbs, spread(80, 550, LBS)):
        nodes.append({"id": id, "kind": "load-balancer", "zone": "edge", "x": 240, "y": y,
                      "agent": True, "cores": 16})
    # Web servers (Nginx and the app on one box): three columns of twelve,
    # 135 units apart so a column's boxes leave the names of the one on its
    # left uncovered.
    ys = spread(100, 530, WEB_ROWS)
    for i, id in enumerate(webs):
        col, row = divmod(i, WEB_ROWS)
        nodes.append({"id": id, "kind": "server", "zone": "app", "x": 440 + 135 * col,
                      "y": ys[row], "agent": True, "components": ["nginx", "app"], "cores": 4})
    for i, (id, y) in enumerate(zip(dbs, spread(100, 530, DBS))):
        role = "mysql-primary" if i == 0 else "mysql-replica"
        nodes.append({"id": id, "kind": "server", "zone": "data", "x": 910, "y": y,
                      "agent": True, "components": [role], "cores": 16})
    # Under the user, in the Internet's column (the ops zone then draws no
    # band of its own).
    nodes.append({"id": "monitoring", "kind": "monitoring", "zone": "ops", "x": 80, "y": 520})
    # The firewalls last, so that they and their names are drawn over the
    # boxes' edges rather than under them.
    nodes += [
        {"id": "fw-1", "kind": "firewall", "zone": "edge", "x": 140, "y": 320,
         "guards": lbs[0], "also_guards": lbs[1:]},
        {"id": "fw-2", "kind": "firewall", "zone": "app", "x": 340, "y": 320,
         "guards": webs[0], "also_guards": webs[1:]},
        {"id": "fw-3", "kind": "firewall", "zone": "data", "x": 810, "y": 320,
         "guards": dbs[0], "also_guards": dbs[1:]},
    ]
    return {
        "name": "fifty-boxes",
        "nodes": nodes,
        "traffic": {"rate_qps": 100000, "write_share": 0.02},
        "lb_pair": {"mode": "active-active"},
        "dns": {"ttl_s": 60},
        "database": {"failover": "auto"},
    }


if __name__ == "__main__":
    d = design()
    boxes = sum(n["kind"] in ("server", "load-balancer") for n in d["nodes"])
    assert boxes == 50, boxes
    out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "fifty-boxes.json")
    with open(out, "w") as f:
        f.write("{\n")
        f.write(f'  "name": {json.dumps(d["name"])},\n  "nodes": [\n')
        f.write(",\n".join("    " + json.dumps(n) for n in d["nodes"]))
        f.write("\n  ],\n")
        rest = [k for k in d if k not in ("name", "nodes")]
        f.write(",\n".join(f"  {json.dumps(k)}: {json.dumps(d[k])}" for k in rest))
        f.write("\n}\n")
    print(f"{out}: {boxes} boxes, {len(d['nodes'])} nodes")
