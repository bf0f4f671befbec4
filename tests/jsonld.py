"""Reads the JSON-LD graph from a rendered page and checks it against the schema.org vocabulary."""

import json
from functools import cache
from pathlib import Path

from bs4 import BeautifulSoup

VOCABULARY = Path(__file__).resolve().parent / "fixtures" / "schemaorg-vocabulary.json"
KEYWORDS = {"@context", "@type", "@id", "@graph"}


def graph_from(response):
    scripts = BeautifulSoup(response.content, "html.parser").find_all("script", type="application/ld+json")
    assert len(scripts) == 1, f"expected one JSON-LD block, found {len(scripts)}"
    data = json.loads(scripts[0].string)
    assert data["@context"] == "https://schema.org"
    return data["@graph"]


def nodes_by_type(graph, type_name):
    """The nodes of `type_name`, those with several types among them."""
    return [
        node
        for node in graph
        if type_name in (node["@type"] if isinstance(node.get("@type"), list) else [node.get("@type")])
    ]


@cache
def _vocabulary():
    return json.loads(VOCABULARY.read_text())


def ancestors(type_name):
    types = _vocabulary()["types"]
    seen, stack = set(), [type_name]
    while stack:
        current = stack.pop()
        if current not in seen:
            seen.add(current)
            stack.extend(types.get(current, []))
    return seen


def schema_problems(node, path="node"):
    """Unknown types, unknown properties and properties used on a type outside their domain."""
    vocabulary = _vocabulary()
    problems = []
    if isinstance(node, list):
        for index, item in enumerate(node):
            problems += schema_problems(item, f"{path}[{index}]")
        return problems
    if not isinstance(node, dict):
        return problems
    # A node may have several types (a Person who is also an IndividualPhysician): its properties
    # may come from any of them.
    type_name = node.get("@type")
    type_names = type_name if isinstance(type_name, list) else [type_name] if type_name else []
    problems += [f"{path}: unknown type {name}" for name in type_names if name not in vocabulary["types"]]
    lineage = set().union(*(ancestors(name) for name in type_names))
    for key, value in node.items():
        if key in KEYWORDS:
            continue
        domains = vocabulary["properties"].get(key)
        if domains is None:
            problems.append(f"{path}: unknown property {key}")
        elif type_name and not lineage & set(domains):
            problems.append(f"{path}: {key} is not a property of {type_name}")
        problems += schema_problems(value, f"{path}.{key}")
    return problems


def referenced_ids(value):
    if isinstance(value, list):
        return {ref for item in value for ref in referenced_ids(item)}
    if isinstance(value, dict):
        refs = {value["@id"]} if set(value) == {"@id"} else set()
        return refs | {ref for key, item in value.items() if key != "@id" for ref in referenced_ids(item)}
    return set()


def check_graph(testcase, graph):
    """The rules every page's graph obeys."""
    defined = [node["@id"] for node in graph if "@id" in node]
    testcase.assertEqual(len(defined), len(set(defined)), "an @id is defined twice")
    testcase.assertLessEqual(referenced_ids(graph), set(defined), "an @id is referenced but not defined")
    testcase.assertEqual(schema_problems(graph, "graph"), [])
    testcase.assertEqual(len(nodes_by_type(graph, "WebSite")), 1)
    testcase.assertEqual(len(nodes_by_type(graph, "MedicalOrganization")), 1)
    testcase.assertEqual(len(nodes_by_type(graph, "BreadcrumbList")), 1)
