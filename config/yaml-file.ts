/**
 * Reading environment and values files: a size limit, YAML parsing that turns
 * every parser failure (syntax, unresolved aliases, alias bombs) into one
 * ConfigError naming the file and the line, and the source text of scalars so
 * a message can quote what the user actually wrote (`1.30`, not `1.3`).
 */
import * as fs from "node:fs";
import { Alias, Document, LineCounter, isScalar, parseDocument, visit } from "yaml";
import { ConfigError } from "./errors";

/**
 * Largest environment or values file accepted. The real files are a few KiB;
 * a file this big is generated or broken (AWS allows 50 tags per resource, so
 * no legitimate setting needs thousands of lines).
 */
export const MAX_CONFIG_FILE_BYTES = 256 * 1024;

/**
 * Aliases a file may hold, and nodes they may expand to (the yaml library's
 * default, which stops a "billion laughs" document before it allocates).
 * Real files use none.
 */
const MAX_ALIAS_COUNT = 100;

const sources = new WeakMap<object, Document>();

function formatSize(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MiB` : `${Math.ceil(bytes / 1024)} KiB`;
}

function tooLarge(file: string, bytes: number): ConfigError {
  return new ConfigError(file, [
    {
      path: "",
      found: `a file of ${formatSize(bytes)}`,
      expected: `at most ${formatSize(MAX_CONFIG_FILE_BYTES)}: environment and values files are hand-written settings`,
    },
  ]);
}

/**
 * Reads a configuration file, refusing one over the size limit before reading
 * it. Returns undefined when the file does not exist.
 */
export function readConfigFile(fullPath: string, shown: string): string | undefined {
  let size: number;
  try {
    size = fs.statSync(fullPath).size;
  } catch {
    return undefined;
  }
  if (size > MAX_CONFIG_FILE_BYTES) throw tooLarge(shown, size);
  try {
    return fs.readFileSync(fullPath, "utf8");
  } catch {
    throw new ConfigError(shown, [{ path: "", found: "a file that cannot be read", expected: `a readable file at ${shown}` }]);
  }
}

/** Whether a quote or bracket at `i` starts a value (after `: `, `- `, `[`, `{`, `,` or at the line's start). */
function startsValue(line: string, i: number): boolean {
  const before = line.slice(0, i).trimEnd();
  return before === "" || /[:\-[{,]$/.test(before);
}

interface ScanState {
  readonly quote?: string;
  /** Open flow brackets (`[`, `{`). */
  readonly depth: number;
  /** The deepest the brackets went on this line. */
  readonly deepest?: number;
}

/** Quote and bracket state at the end of a line, given the state at its start. */
function scanLine(line: string, state: ScanState): ScanState {
  let { quote, depth } = state;
  let deepest = depth;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (quote === '"') {
      if (ch === "\\") i++;
      else if (ch === '"') quote = undefined;
    } else if (quote === "'") {
      if (ch === "'") quote = undefined; // '' (an escaped quote) closes and reopens
    } else if (ch === "#" && (i === 0 || /\s/.test(line[i - 1]))) {
      break;
    } else if ((ch === '"' || ch === "'") && (depth > 0 || startsValue(line, i))) {
      quote = ch;
    } else if ((ch === "[" || ch === "{") && (depth > 0 || startsValue(line, i))) {
      depth++;
      deepest = Math.max(deepest, depth);
    } else if ((ch === "]" || ch === "}") && depth > 0) {
      depth--;
    }
  }
  return { quote, depth, deepest };
}

/**
 * The key path in effect at a 1-based line, from indentation: good enough to
 * tell the reader which setting a syntax error is in, even though the
 * document did not parse. Lines inside an unclosed quote or bracket belong to
 * the setting where it was opened, which is where the mistake is.
 */
export function keyPathAtLine(text: string, line: number): string {
  // A key at its column, or a list item (`- `) at its dash's column with its index.
  const stack: Array<{ indent: number; key?: string; index?: number }> = [];
  const pushKey = (indent: number, key: string) => {
    while (stack.length > 0 && stack[stack.length - 1].indent >= indent) stack.pop();
    stack.push({ indent, key: key.replace(/^["']|["']$/g, "") });
  };
  let state: ScanState = { depth: 0 };
  for (const raw of text.split("\n").slice(0, line)) {
    if (state.quote === undefined && state.depth === 0) {
      const item = /^(\s*)-(\s+|$)/.exec(raw);
      const rest = item ? raw.slice(item[0].length) : raw;
      if (item) {
        const dash = item[1].length;
        // A list may sit at its parent key's column (`keys:` then `- name: a`), so only deeper entries end here.
        while (stack.length > 0 && stack[stack.length - 1].indent > dash) stack.pop();
        const top = stack[stack.length - 1];
        if (top && top.index !== undefined && top.indent === dash) stack[stack.length - 1] = { indent: dash, index: top.index + 1 };
        else stack.push({ indent: dash, index: 0 });
      }
      const m = /^(\s*)("[^"]*"|'[^']*'|[^\s:#'"{}[\],\-][^:#{}[\]]*?|-[^\s:#{}[\],][^:#{}[\]]*?)\s*:(\s|$)/.exec(rest);
      if (m) pushKey(raw.length - rest.length + m[1].length, m[2]);
    }
    state = scanLine(raw, state);
  }
  return stack.map((s, i) => (s.key === undefined ? `[${s.index}]` : `${i === 0 ? "" : "."}${s.key}`)).join("");
}

/**
 * Flow brackets a file may nest. The parser recurses once per level, and
 * thousands of levels exhaust the stack (which can abort the process rather
 * than throw); real files nest two or three.
 */
const MAX_FLOW_DEPTH = 32;

/** The first line where flow brackets nest deeper than the limit, and how deep. */
function tooDeep(text: string): { line: number; depth: number } | undefined {
  let state: ScanState = { depth: 0 };
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    state = scanLine(lines[i], state);
    if ((state.deepest ?? 0) > MAX_FLOW_DEPTH) return { line: i + 1, depth: state.deepest! };
  }
  return undefined;
}

/** Parses YAML text into plain data (null for an empty file), or throws one ConfigError naming the line. */
export function parseYamlFile(text: string, file: string): unknown {
  const bytes = Buffer.byteLength(text, "utf8");
  if (bytes > MAX_CONFIG_FILE_BYTES) throw tooLarge(file, bytes);
  const deep = tooDeep(text);
  if (deep) {
    throw new ConfigError(file, [
      {
        path: keyPathAtLine(text, deep.line),
        found: `brackets nested ${deep.depth} levels deep at line ${deep.line}`,
        expected: `at most ${MAX_FLOW_DEPTH} levels of [ ] and { }`,
      },
    ]);
  }
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { uniqueKeys: true, prettyErrors: true, lineCounter });
  if (doc.errors.length > 0) {
    // Only the first error: the parser's later ones are consequences of it.
    const e = doc.errors[0];
    const { line, col } = e.linePos?.[0] ?? lineCounter.linePos(e.pos[0]);
    const reason = e.message.split("\n")[0].replace(/ at line \d+, column \d+:?$/, "");
    throw new ConfigError(file, [
      {
        path: keyPathAtLine(text, line),
        found: `invalid YAML at line ${line}, column ${col}: ${reason}`,
        expected: "valid YAML (check indentation, quotes and closing brackets on that line and the one before)",
      },
    ]);
  }
  const aliases: Alias[] = [];
  visit(doc, { Alias: (_key, node) => void aliases.push(node) });
  // Counted before any is resolved: resolving walks the document, so thousands of aliases would take minutes.
  if (aliases.length > MAX_ALIAS_COUNT) {
    throw new ConfigError(file, [
      {
        path: "",
        found: `${aliases.length} YAML aliases (*name)`,
        expected: `at most ${MAX_ALIAS_COUNT}: settings written out rather than repeated through anchors`,
      },
    ]);
  }
  const unresolvedAlias = aliases.find((node) => node.resolve(doc) === undefined);
  const unresolved = unresolvedAlias && { name: unresolvedAlias.source, line: lineCounter.linePos(unresolvedAlias.range?.[0] ?? 0).line };
  if (unresolved) {
    throw new ConfigError(file, [
      {
        path: keyPathAtLine(text, unresolved.line),
        found: `the alias *${unresolved.name} at line ${unresolved.line}, with no anchor &${unresolved.name} before it`,
        expected: `an anchor &${unresolved.name} defined earlier in the same file, or the value written out`,
      },
    ]);
  }
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (e) {
    if (!(e instanceof ReferenceError)) throw e;
    throw new ConfigError(file, [
      {
        path: "",
        found: `YAML aliases that expand past ${MAX_ALIAS_COUNT} nodes (an alias bomb: ${e.message})`,
        expected: "settings written out, or a few aliases that each expand to little",
      },
    ]);
  }
  if (data !== null && typeof data === "object") sources.set(data, doc);
  return data;
}

/**
 * What the file said at `path` of data returned by parseYamlFile, exactly as
 * written (`1.30` where the parsed number is 1.3); undefined for data that
 * did not come from a file or a path that is not a scalar.
 */
export function sourceTextAt(root: unknown, path: readonly PropertyKey[]): string | undefined {
  if (root === null || typeof root !== "object") return undefined;
  const doc = sources.get(root);
  const node = doc?.getIn(path as unknown[], true);
  return isScalar(node) && typeof node.source === "string" ? node.source : undefined;
}
