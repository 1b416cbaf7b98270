/**
 * A strict reader for the subset of Mermaid flowchart syntax the review
 * emits: every line must be a header, a subgraph start/end, a node
 * declaration or an edge. Returns the problems found (empty when plausible).
 */
export function mermaidProblems(text: string): string[] {
  const problems: string[] = [];
  const lines = text.split("\n");
  if (!/^flowchart (TB|TD|BT|RL|LR)$/.test(lines[0] ?? "")) problems.push(`first line is "${lines[0]}", expected "flowchart <direction>"`);
  const declared = new Set<string>();
  const referenced: string[] = [];
  let depth = 0;
  const label = `"[^"]*"`;
  const nodeLine = new RegExp(`^\\s*([A-Za-z][A-Za-z0-9_]*)(\\[${label}\\]|\\(${label}\\)|\\[\\(${label}\\)\\]|\\(\\(${label}\\)\\))$`);
  const subgraphLine = new RegExp(`^\\s*subgraph ([A-Za-z][A-Za-z0-9_]*)\\[${label}\\]$`);
  const edgeLine = new RegExp(`^\\s*([A-Za-z][A-Za-z0-9_]*) (-->|-\\.->)(\\|${label}\\|)? ([A-Za-z][A-Za-z0-9_]*)$`);
  for (const [i, line] of lines.slice(1).entries()) {
    let m: RegExpExecArray | null;
    if ((m = subgraphLine.exec(line))) {
      depth++;
      declare(m[1]);
    } else if (/^\s*end$/.test(line)) {
      depth--;
      if (depth < 0) problems.push(`line ${i + 2}: "end" without a subgraph`);
    } else if ((m = nodeLine.exec(line))) declare(m[1]);
    else if ((m = edgeLine.exec(line))) referenced.push(m[1], m[4]);
    else problems.push(`line ${i + 2}: not a node, edge or subgraph: ${line}`);
  }
  if (depth !== 0) problems.push(`${depth} subgraph(s) not closed`);
  for (const id of referenced) if (!declared.has(id)) problems.push(`edge uses undeclared node ${id}`);
  return problems;

  function declare(id: string) {
    if (id === "end" || id === "subgraph") problems.push(`node id ${id} is a keyword`);
    if (declared.has(id)) problems.push(`node ${id} declared twice`);
    declared.add(id);
  }
}
