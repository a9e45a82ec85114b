#!/usr/bin/python3
"""Writes NetworkX 2.8's small-world sigma and omega of a few graphs, for the
Go tests of package network to compare against (loosely: both are random).
Run by hand with Debian's python3-networkx:

    /usr/bin/python3 network/testdata/gen_smallworld.py

and commit the JSON files it writes in testdata/smallworld/.
"""
import json
import os
import time

import networkx as nx

HERE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "smallworld")
NITER, NRAND, SEED = 5, 5, 42


def graphs():
    yield "watts_strogatz", nx.connected_watts_strogatz_graph(100, 6, 0.1, seed=7)
    yield "ring_lattice", nx.watts_strogatz_graph(100, 6, 0.0, seed=7)
    er = nx.gnm_random_graph(100, 300, seed=7)
    yield "erdos_renyi", er.subgraph(max(nx.connected_components(er), key=len)).copy()


def main():
    os.makedirs(HERE, exist_ok=True)
    for name, g in graphs():
        start = time.time()
        sigma = nx.sigma(g, niter=NITER, nrand=NRAND, seed=SEED)
        omega = nx.omega(g, niter=NITER, nrand=NRAND, seed=SEED)
        out = {
            "name": name,
            "nodes": sorted(g.nodes()),
            "edges": sorted([min(a, b), max(a, b)] for a, b in g.edges()),
            "niter": NITER,
            "nrand": NRAND,
            "sigma": sigma,
            "omega": omega,
            "seconds": round(time.time() - start, 1),
        }
        with open(os.path.join(HERE, name + ".json"), "w") as f:
            json.dump(out, f, indent=1, sort_keys=True)
            f.write("\n")
        print(name, sigma, omega, out["seconds"])


if __name__ == "__main__":
    main()
