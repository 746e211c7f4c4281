// Checks a JSON value against a type declared in @portone/server-sdk's .d.ts files:
// required fields present, literals and string enums exact, unions resolved to a
// named variant (never to the SDK's catch-all "Unrecognized" case).
import { readFileSync, readdirSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";

const require = createRequire(import.meta.url);
// The package exports no package.json; its main entry is dist/index.cjs.
const generated = join(dirname(require.resolve("@portone/server-sdk")), "generated");

const files = new Map();
(function index(dir) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) index(path);
    else if (name.endsWith(".d.ts")) files.set(name.slice(0, -5), path);
  }
})(generated);

const cache = new Map();
function declaration(typeName) {
  if (cache.has(typeName)) return cache.get(typeName);
  const path = files.get(typeName);
  if (!path) throw new Error(`the SDK declares no type ${typeName}`);
  const text = readFileSync(path, "utf8").replace(/\/\*\*[\s\S]*?\*\//g, "");
  const match = text.match(new RegExp(`export type ${typeName} = ([\\s\\S]*?);\\n(?:export|$)`));
  if (!match) throw new Error(`cannot read the declaration of ${typeName}`);
  const body = match[1].trim();
  let decl;
  if (body.startsWith("{")) {
    const fields = [];
    for (const line of body.split("\n")) {
      const field = line.match(/^ {4}(?:readonly )?(\w+)(\??): (.+);$/);
      if (field) fields.push({ name: field[1], optional: field[2] === "?", type: field[3].trim() });
    }
    decl = { kind: "object", fields };
  } else {
    // A union: named variants or string literals; drop the catch-all "{ readonly x: Unrecognized }".
    const parts = body.replace(/\|\s*\{[\s\S]*?Unrecognized;?\s*\}/, "").split("|").map((p) => p.trim()).filter(Boolean);
    // "A" | "B" | string & {} is an open enum: the sandbox must still send a listed value.
    const literals = parts.filter((p) => p !== "string & {}");
    decl = literals.every((p) => p.startsWith('"'))
      ? { kind: "enum", values: literals.map((p) => JSON.parse(p)) }
      : { kind: "union", variants: parts };
  }
  cache.set(typeName, decl);
  return decl;
}

function checkTypeExpr(type, value, path, errors) {
  if (type.endsWith("[]")) {
    if (!Array.isArray(value)) return errors.push(`${path}: expected an array`);
    value.forEach((item, i) => checkTypeExpr(type.slice(0, -2), item, `${path}[${i}]`, errors));
    return;
  }
  if (type === "string") return typeof value === "string" || errors.push(`${path}: expected a string`);
  if (type === "number") return Number.isInteger(value) || errors.push(`${path}: expected an integer`);
  if (type === "boolean") return typeof value === "boolean" || errors.push(`${path}: expected a boolean`);
  if (type.startsWith('"')) return value === JSON.parse(type) || errors.push(`${path}: expected ${type}`);
  if (/^\w+$/.test(type) && files.has(type)) return checkNamed(type, value, path, errors);
  // Anything more exotic (records, inline objects) is accepted as JSON.
}

function checkNamed(typeName, value, path, errors) {
  const decl = declaration(typeName);
  if (decl.kind === "enum") {
    if (!decl.values.includes(value)) errors.push(`${path}: ${JSON.stringify(value)} is not a ${typeName}`);
    return;
  }
  if (decl.kind === "union") {
    const attempts = decl.variants.map((variant) => {
      const variantErrors = [];
      checkNamed(variant, value, path, variantErrors);
      return { variant, variantErrors };
    });
    const match = attempts.find((a) => a.variantErrors.length === 0);
    if (!match) {
      const best = attempts.sort((a, b) => a.variantErrors.length - b.variantErrors.length)[0];
      errors.push(`${path}: matches no ${typeName} variant; closest ${best.variant}: ${best.variantErrors.join("; ")}`);
    }
    return;
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    return errors.push(`${path}: expected an object (${typeName})`);
  }
  for (const field of decl.fields) {
    if (!(field.name in value)) {
      if (!field.optional) errors.push(`${path}.${field.name}: required by ${typeName}, missing`);
      continue;
    }
    checkTypeExpr(field.type, value[field.name], `${path}.${field.name}`, errors);
  }
}

/** Throws unless `value` is a valid `typeName` as the SDK declares it. */
export function assertSdkType(typeName, value) {
  const errors = [];
  checkNamed(typeName, value, typeName, errors);
  if (errors.length > 0) throw new Error(`not a valid ${typeName}:\n  ${errors.join("\n  ")}`);
}
