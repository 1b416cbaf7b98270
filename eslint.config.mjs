// ESLint (flat config): typescript-eslint's recommended rules, kept pragmatic
// for infrastructure code, plus the import layers the README describes,
// enforced with eslint-plugin-boundaries (https://www.jsboundaries.dev/docs/rules/).
import js from "@eslint/js";
import tseslint from "typescript-eslint";
import boundaries from "eslint-plugin-boundaries";

/**
 * The layers, bottom to top. A layer may import itself and the layers it
 * lists; anything else of ours is a violation. External packages are not
 * restricted here (deep provider imports have their own test).
 */
export const LAYERS = {
  // Reading synthesized Terraform JSON: depends on nothing of ours.
  tfjson: [],
  // Schema, loader, rules and naming: the ground floor.
  config: ["tfjson"],
  // One AWS or Kubernetes capability per file; never a stack.
  constructs: ["config", "tfjson", "addons"],
  addons: ["config", "tfjson", "constructs"],
  // Wiring of one deployment unit.
  stacks: ["config", "tfjson", "constructs", "addons"],
  // The audit reads synthesized JSON: never our stacks or constructs.
  audit: ["config", "tfjson"],
  // On top: the review, the npm commands and the app.
  review: ["config", "tfjson", "constructs", "addons", "stacks", "audit"],
  scripts: ["config", "tfjson", "constructs", "addons", "stacks", "audit", "review"],
  test: ["config", "tfjson", "constructs", "addons", "stacks", "audit", "review", "scripts"],
};
// main.ts, the app, sits on top and is not a layer of its own: nothing imports it.

const elements = Object.keys(LAYERS).map((layer) => ({ type: layer, pattern: `${layer}/**`, partialMatch: false }));

export default tseslint.config(
  { ignores: ["node_modules/**", "cdktf.out/**", ".gen/**", "coverage/**", "**/*.js", "**/*.mjs"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ["**/*.ts"],
    plugins: { boundaries },
    settings: {
      "boundaries/elements": elements,
      "import/resolver": { node: { extensions: [".ts", ".js", ".json"] } },
    },
    rules: {
      "boundaries/dependencies": [
        "error",
        {
          default: "allow",
          policies: Object.entries(LAYERS).map(([layer, allowed]) => ({
            from: { element: { type: layer } },
            disallow: { to: { element: { types: { noneOf: [layer, ...allowed] } } } },
            message: `${layer}/ may import only ${[layer, ...allowed].join(", ")} (layers in eslint.config.mjs)`,
          })),
        },
      ],
      // Synthesized Terraform JSON and chart values are untyped data by nature.
      "@typescript-eslint/no-explicit-any": "off",
      // tsc's noUnusedLocals/noUnusedParameters already report these.
      "@typescript-eslint/no-unused-vars": "off",
      // Tests load CommonJS-only packages and JSON on demand.
      "@typescript-eslint/no-require-imports": "off",
      // Escapes such as `\/` in regular expressions read more clearly than they cost.
      "no-useless-escape": "off",
      // `let x = fallback; try { x = parse() } catch {}` is the idiom for tolerant parsing.
      "no-useless-assignment": "off",
    },
  },
);
