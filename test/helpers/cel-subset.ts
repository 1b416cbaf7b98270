/**
 * A small evaluator for the subset of CEL that Kubernetes CRD validation
 * rules (`x-kubernetes-validations`) in Karpenter's CRDs use: literals,
 * `self`, field access and indexing, `has()`, `size()`, `int()`, the `all`,
 * `exists` and `filter` macros, `in`, comparison, `&&`, `||`, `!`, `?:`, and
 * the string functions `startsWith`, `endsWith`, `matches`, `split` and the
 * Kubernetes regex library's `find`.
 *
 * No CEL library is installed; anything outside this subset throws, so a
 * rule that cannot be evaluated fails the test instead of passing silently.
 */

type Value = unknown;
type Token = { kind: "num" | "str" | "id" | "op"; text: string; value?: unknown };

const OPERATORS = ["&&", "||", "==", "!=", ">=", "<=", "(", ")", "[", "]", ",", ".", "!", "?", ":", ">", "<", "+", "-"];

function tokenize(src: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i];
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (c === "'" || c === '"') {
      let j = i + 1;
      let text = "";
      while (j < src.length && src[j] !== c) {
        if (src[j] === "\\") {
          text += src[j + 1];
          j += 2;
        } else text += src[j++];
      }
      if (j >= src.length) throw new Error(`unterminated string in ${src}`);
      out.push({ kind: "str", text, value: text });
      i = j + 1;
      continue;
    }
    if (/\d/.test(c)) {
      let j = i;
      while (j < src.length && /\d/.test(src[j])) j++;
      out.push({ kind: "num", text: src.slice(i, j), value: Number(src.slice(i, j)) });
      i = j;
      continue;
    }
    if (/[A-Za-z_]/.test(c)) {
      let j = i;
      while (j < src.length && /[\w]/.test(src[j])) j++;
      out.push({ kind: "id", text: src.slice(i, j) });
      i = j;
      continue;
    }
    const op = OPERATORS.find((o) => src.startsWith(o, i));
    if (!op) throw new Error(`unsupported CEL syntax at "${src.slice(i)}"`);
    out.push({ kind: "op", text: op });
    i += op.length;
  }
  return out;
}

type Node =
  | { t: "lit"; v: Value }
  | { t: "id"; name: string }
  | { t: "list"; items: Node[] }
  | { t: "member"; obj: Node; name: string }
  | { t: "index"; obj: Node; index: Node }
  | { t: "call"; target?: Node; name: string; args: Node[] }
  | { t: "unary"; op: string; arg: Node }
  | { t: "binary"; op: string; left: Node; right: Node }
  | { t: "cond"; test: Node; then: Node; else: Node };

class Parser {
  private pos = 0;
  constructor(
    private readonly tokens: Token[],
    private readonly src: string,
  ) {}

  parse(): Node {
    const node = this.conditional();
    if (this.pos !== this.tokens.length) throw new Error(`unexpected "${this.tokens[this.pos].text}" in ${this.src}`);
    return node;
  }
  private peek(text?: string): Token | undefined {
    const tok = this.tokens[this.pos];
    return tok && (text === undefined || (tok.kind === "op" || tok.kind === "id" ? tok.text === text : false)) ? tok : undefined;
  }
  private eat(text: string): void {
    if (!this.peek(text)) throw new Error(`expected "${text}" in ${this.src}`);
    this.pos++;
  }
  private conditional(): Node {
    const test = this.or();
    if (this.peek("?")) {
      this.pos++;
      const then = this.conditional();
      this.eat(":");
      return { t: "cond", test, then, else: this.conditional() };
    }
    return test;
  }
  private or(): Node {
    let left = this.and();
    while (this.peek("||")) {
      this.pos++;
      left = { t: "binary", op: "||", left, right: this.and() };
    }
    return left;
  }
  private and(): Node {
    let left = this.relation();
    while (this.peek("&&")) {
      this.pos++;
      left = { t: "binary", op: "&&", left, right: this.relation() };
    }
    return left;
  }
  private relation(): Node {
    let left = this.unary();
    for (;;) {
      const tok = this.tokens[this.pos];
      if (tok && ((tok.kind === "op" && ["==", "!=", ">=", "<=", ">", "<"].includes(tok.text)) || (tok.kind === "id" && tok.text === "in"))) {
        this.pos++;
        left = { t: "binary", op: tok.text, left, right: this.unary() };
      } else return left;
    }
  }
  private unary(): Node {
    if (this.peek("!")) {
      this.pos++;
      return { t: "unary", op: "!", arg: this.unary() };
    }
    return this.postfix();
  }
  private postfix(): Node {
    let node = this.primary();
    for (;;) {
      if (this.peek(".")) {
        this.pos++;
        const name = this.tokens[this.pos++]?.text;
        if (this.peek("(")) node = { t: "call", target: node, name, args: this.args() };
        else node = { t: "member", obj: node, name };
      } else if (this.peek("[")) {
        this.pos++;
        const index = this.conditional();
        this.eat("]");
        node = { t: "index", obj: node, index };
      } else return node;
    }
  }
  private args(): Node[] {
    this.eat("(");
    const args: Node[] = [];
    while (!this.peek(")")) {
      args.push(this.conditional());
      if (this.peek(",")) this.pos++;
    }
    this.eat(")");
    return args;
  }
  private primary(): Node {
    const tok = this.tokens[this.pos++];
    if (!tok) throw new Error(`unexpected end of ${this.src}`);
    if (tok.kind === "num" || tok.kind === "str") return { t: "lit", v: tok.value };
    if (tok.kind === "id") {
      if (tok.text === "true" || tok.text === "false") return { t: "lit", v: tok.text === "true" };
      if (this.peek("(")) return { t: "call", name: tok.text, args: this.args() };
      return { t: "id", name: tok.text };
    }
    if (tok.text === "(") {
      const inner = this.conditional();
      this.eat(")");
      return inner;
    }
    if (tok.text === "[") {
      const items: Node[] = [];
      while (!this.peek("]")) {
        items.push(this.conditional());
        if (this.peek(",")) this.pos++;
      }
      this.eat("]");
      return { t: "list", items };
    }
    throw new Error(`unsupported CEL syntax "${tok.text}" in ${this.src}`);
  }
}

const isMap = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === "object" && !Array.isArray(v);
const elements = (v: unknown): unknown[] => (Array.isArray(v) ? v : isMap(v) ? Object.keys(v) : fail(`cannot iterate ${JSON.stringify(v)}`));

function fail(message: string): never {
  throw new Error(message);
}

function evaluate(node: Node, scope: Record<string, unknown>): Value {
  switch (node.t) {
    case "lit":
      return node.v;
    case "id":
      if (!(node.name in scope)) fail(`unknown identifier ${node.name}`);
      return scope[node.name];
    case "list":
      return node.items.map((n) => evaluate(n, scope));
    case "member": {
      const obj = evaluate(node.obj, scope);
      if (!isMap(obj) || !(node.name in obj)) fail(`no such key: ${node.name}`);
      return obj[node.name];
    }
    case "index": {
      const obj = evaluate(node.obj, scope);
      const index = evaluate(node.index, scope);
      if (Array.isArray(obj) && typeof index === "number") return index < obj.length ? obj[index] : fail(`index ${index} out of range`);
      if (isMap(obj) && typeof index === "string") return index in obj ? obj[index] : fail(`no such key: ${index}`);
      return fail(`cannot index ${JSON.stringify(obj)}`);
    }
    case "unary":
      return !truthy(evaluate(node.arg, scope));
    case "cond":
      return truthy(evaluate(node.test, scope)) ? evaluate(node.then, scope) : evaluate(node.else, scope);
    case "binary": {
      if (node.op === "&&") return truthy(evaluate(node.left, scope)) && truthy(evaluate(node.right, scope));
      if (node.op === "||") return truthy(evaluate(node.left, scope)) || truthy(evaluate(node.right, scope));
      const l = evaluate(node.left, scope);
      const r = evaluate(node.right, scope);
      switch (node.op) {
        case "==":
          return JSON.stringify(l) === JSON.stringify(r);
        case "!=":
          return JSON.stringify(l) !== JSON.stringify(r);
        case ">=":
          return (l as number) >= (r as number);
        case "<=":
          return (l as number) <= (r as number);
        case ">":
          return (l as number) > (r as number);
        case "<":
          return (l as number) < (r as number);
        case "in":
          return Array.isArray(r) ? r.some((x) => JSON.stringify(x) === JSON.stringify(l)) : isMap(r) ? (l as string) in r : fail("in needs a list or map");
      }
      return fail(`unsupported operator ${node.op}`);
    }
    case "call":
      return call(node, scope);
  }
}

function truthy(v: unknown): boolean {
  if (typeof v !== "boolean") fail(`expected a bool, got ${JSON.stringify(v)}`);
  return v;
}

function call(node: Extract<Node, { t: "call" }>, scope: Record<string, unknown>): Value {
  const { name, args } = node;
  if (!node.target) {
    if (name === "has") {
      const arg = args[0];
      if (arg?.t !== "member") fail("has() needs a field selection");
      const obj = evaluate(arg.obj, scope);
      return isMap(obj) && arg.name in obj;
    }
    if (name === "size") return sizeOf(evaluate(args[0], scope));
    if (name === "int") {
      const v = evaluate(args[0], scope);
      const n = typeof v === "string" ? Number.parseInt(v, 10) : Number(v);
      return Number.isNaN(n) ? fail(`int(${JSON.stringify(v)})`) : n;
    }
    return fail(`unsupported function ${name}()`);
  }
  if (["all", "exists", "filter"].includes(name)) {
    if (args[0]?.t !== "id") fail(`${name}() needs a variable`);
    const variable = args[0].name;
    const items = elements(evaluate(node.target, scope));
    const test = (x: unknown) => truthy(evaluate(args[1], { ...scope, [variable]: x }));
    if (name === "all") return items.every(test);
    if (name === "exists") return items.some(test);
    return items.filter(test);
  }
  if (!["size", "startsWith", "endsWith", "matches", "find", "split"].includes(name)) fail(`unsupported method ${name}()`);
  const target = evaluate(node.target, scope);
  const a = args.map((n) => evaluate(n, scope));
  if (name === "size") return sizeOf(target);
  if (typeof target !== "string") return fail(`${name}() on a non-string`);
  switch (name) {
    case "startsWith":
      return target.startsWith(a[0] as string);
    case "endsWith":
      return target.endsWith(a[0] as string);
    case "matches":
      return new RegExp(a[0] as string).test(target);
    case "find":
      return new RegExp(a[0] as string).exec(target)?.[0] ?? "";
    case "split":
      return target.split(a[0] as string);
  }
  return fail(`unsupported method ${name}()`);
}

function sizeOf(v: unknown): number {
  if (typeof v === "string" || Array.isArray(v)) return v.length;
  if (isMap(v)) return Object.keys(v).length;
  return fail(`size() of ${JSON.stringify(v)}`);
}

/** Whether a rule only applies on update (transition rules compare with `oldSelf`). */
export function isTransitionRule(rule: string): boolean {
  return /\boldSelf\b/.test(rule);
}

/** Evaluates a CRD validation rule against `self`; throws on syntax outside the subset. */
export function evaluateRule(rule: string, self: unknown): boolean {
  return truthy(evaluate(new Parser(tokenize(rule), rule).parse(), { self }));
}

/** Parses a rule without evaluating it; throws on syntax outside the subset. */
export function parseRule(rule: string): void {
  new Parser(tokenize(rule), rule).parse();
}
