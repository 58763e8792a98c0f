// Reads a GEXF file with graphology-gexf (the parser of Gephi Lite) and prints what the Python
// tests compare with networkx: node and edge counts, labels, attribute values and the declared
// attribute types. Usage: node tests/js/read-gexf.mjs FILE
import { readFileSync } from "node:fs";
import Graph from "graphology";
import gexf from "graphology-gexf";

const text = readFileSync(process.argv[2], "utf-8");
const graph = gexf.parse(Graph, text, { allowUndeclaredAttributes: true, addMissingNodes: false });
const nodes = {};
graph.forEachNode((key, attributes) => {
  nodes[key] = attributes;
});
const edges = [];
graph.forEachEdge((key, attributes, source, target) => {
  edges.push({ source, target, ...attributes });
});
process.stdout.write(
  JSON.stringify({ type: graph.type, multi: graph.multi, order: graph.order, size: graph.size, nodes, edges }),
);
