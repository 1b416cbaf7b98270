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
  config: ["tfjson", "addon-defaults"],
  // One AWS or Kubernetes capability per file; never a stack.
  constructs: ["config", "addon-defaults", "tfjson", "addons", "addon-catalog"],
  addons: ["config", "addon-defaults", "tfjson", "constructs", "addon-catalog"],
  // Each add-on's defaults (pinned chart versions, sizes): constants with no imports, which the schema reads.
  "addon-defaults": [],
  // Each add-on's pure data (charts, pinned versions, `enabled` rule): files inside addons/, see FILE_LAYERS.
  "addon-catalog": ["config", "tfjson", "addon-defaults"],
  // Wiring of one deployment unit.
  stacks: ["config", "addon-defaults", "tfjson", "constructs", "addons", "addon-catalog"],
  // The audit reads synthesized JSON: never our stacks, constructs or add-on constructs; it iterates the add-on catalog.
  audit: ["config", "addon-defaults", "tfjson", "addon-catalog"],
  // On top: the review, the npm commands and the app.
  review: ["config", "addon-defaults", "tfjson", "constructs", "addons", "addon-catalog", "stacks", "audit"],
  scripts: ["config", "addon-defaults", "tfjson", "constructs", "addons", "addon-catalog", "stacks", "audit", "review"],
  test: ["config", "addon-defaults", "tfjson", "constructs", "addons", "addon-catalog", "stacks", "audit", "review", "scripts"],
};
// main.ts, the app, sits on top and is not a layer of its own: nothing imports it.

/**
 * Layers that are a set of files inside another layer's folder: an add-on's
 * defaults and catalog live next to its constructs (addons/<name>/defaults.ts,
 * catalog.ts), so that one folder holds the whole add-on, while the schema
 * reads the defaults and the audit the catalog. Every other layer is its folder.
 */
export const FILE_LAYERS = { "addon-defaults": "addons/**/defaults.ts", "addon-catalog": "addons/**/catalog.ts" };

const fileLayers = Object.keys(FILE_LAYERS);
const elements = Object.keys(LAYERS)
  .filter((layer) => !fileLayers.includes(layer))
  .map((layer) => ({ type: layer, pattern: `${layer}/**`, partialMatch: false }));
// Every file gets a category (a `noneOf` over categories never matches a file without one).
const files = [...Object.entries(FILE_LAYERS).map(([layer, pattern]) => ({ category: layer, pattern })), { category: "source", pattern: "**/*" }];

/** A layer's files, and what lies outside what it may import (files of an allowed file layer are inside). */
function policyOf(layer, allowed) {
  const isFileLayer = fileLayers.includes(layer);
  const from = isFileLayer ? { file: { categories: { anyOf: [layer] } } } : { element: { type: layer } };
  const allowedFileLayers = [layer, ...allowed].filter((l) => fileLayers.includes(l));
  const folderLayers = [layer, ...allowed].filter((l) => !fileLayers.includes(l));
  const outside = { element: { types: { noneOf: folderLayers } } };
  if (allowedFileLayers.length > 0) outside.file = { categories: { noneOf: allowedFileLayers } };
  return {
    from,
    disallow: { to: outside },
    message: `${isFileLayer ? layer : `${layer}/`} may import only ${[layer, ...allowed].join(", ")} (layers in eslint.config.mjs)`,
  };
}

export default tseslint.config(
  { ignores: ["node_modules/**", "cdktf.out/**", ".gen/**", "coverage/**", "**/*.js", "**/*.mjs"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ["**/*.ts"],
    plugins: { boundaries },
    settings: {
      "boundaries/elements": elements,
      "boundaries/files": files,
      "import/resolver": { node: { extensions: [".ts", ".js", ".json"] } },
    },
    rules: {
      "boundaries/dependencies": [
        "error",
        {
          default: "allow",
          policies: Object.entries(LAYERS).map(([layer, allowed]) => policyOf(layer, allowed)),
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
