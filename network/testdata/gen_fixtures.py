#!/usr/bin/python3
"""Writes the NetworkX reference values the Go tests of package network
compare against. Run by hand with Debian's python3-networkx (2.8):

    /usr/bin/python3 network/testdata/gen_fixtures.py

and commit the JSON files it writes next to itself.
"""
import json
import os

import networkx as nx
from networkx.algorithms import community as nxc

HERE = os.path.dirname(os.path.abspath(__file__))
SEED = 42


def components_graph():
    g = nx.Graph()
    g.add_nodes_from(range(20))
    # Component 1: a cycle of 6 with a chord and a tail.
    g.add_edges_from([(0, 1), (1, 2), (2, 3), (3, 4), (4, 5), (5, 0), (0, 3), (5, 6)])
    # Component 2: two triangles sharing a cut vertex.
    g.add_edges_from([(7, 8), (8, 9), (9, 7), (9, 10), (10, 11), (11, 9)])
    # Component 3: a path of four.
    g.add_edges_from([(12, 13), (13, 14), (14, 15)])
    # 16..19 are isolated.
    return g


def demo_graph():
    """The reference demo network's graph, written by the Go test
    TestWriteDemoGraph (GRAPPE_WRITE_DEMO_GRAPH=1)."""
    with open(os.path.join(HERE, "input", "demo_graph.json")) as f:
        data = json.load(f)
    g = nx.Graph()
    g.add_nodes_from(data["nodes"])
    g.add_edges_from(tuple(e) for e in data["edges"])
    return g


def graphs():
    yield "demo", demo_graph()
    yield "watts_strogatz", nx.watts_strogatz_graph(60, 6, 0.1, seed=7)
    yield "components", components_graph()
    yield "star", nx.star_graph(9)
    yield "path", nx.path_graph(8)
    yield "barbell", nx.barbell_graph(5, 2)


def fixture(name, g):
    nodes = sorted(g.nodes())
    largest = g.subgraph(max(nx.connected_components(g), key=len))
    comms = nxc.louvain_communities(g, seed=SEED)
    out = {
        "name": name,
        "nodes": nodes,
        "edges": sorted([min(a, b), max(a, b)] for a, b in g.edges()),
        "degree": {str(v): d for v, d in g.degree()},
        "degree_centrality": {str(v): x for v, x in nx.degree_centrality(g).items()},
        "pagerank": {str(v): x for v, x in nx.pagerank(g, alpha=0.85, tol=1e-12, max_iter=10000).items()},
        "betweenness": {str(v): x for v, x in nx.betweenness_centrality(g, normalized=True).items()},
        "closeness": {str(v): x for v, x in nx.closeness_centrality(g, wf_improved=True).items()},
        "clustering": {str(v): x for v, x in nx.clustering(g).items()},
        "average_clustering": nx.average_clustering(g),
        "density": nx.density(g),
        "component_count": nx.number_connected_components(g),
        "largest_component_size": largest.number_of_nodes(),
        "average_degree": 2 * g.number_of_edges() / g.number_of_nodes(),
        "average_shortest_path": nx.average_shortest_path_length(largest),
        "diameter": nx.diameter(largest),
        "modularity": nxc.modularity(g, comms),
        "articulation_points": sorted(nx.articulation_points(g)),
        "isolated": sorted(nx.isolates(g)),
    }
    if g.number_of_nodes() <= 30:
        lengths = dict(nx.all_pairs_shortest_path_length(g))
        out["shortest_path_lengths"] = {
            str(a): {str(b): d for b, d in sorted(lengths[a].items())} for a in nodes
        }
    return out


def main():
    for name, g in graphs():
        with open(os.path.join(HERE, name + ".json"), "w") as f:
            json.dump(fixture(name, g), f, indent=1, sort_keys=True)
            f.write("\n")
    print("networkx", nx.__version__)


if __name__ == "__main__":
    main()
