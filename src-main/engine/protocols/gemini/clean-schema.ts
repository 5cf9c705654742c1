import { isRecord } from './json';

/**
 * JSON Schema → the subset Gemini function declarations accept (PROTOCOLS.md §3.15). Clients
 * send full JSON Schema (Claude Code, MCP servers: `$ref`, `anyOf`, `const`, type arrays,
 * `additionalProperties`…) and Gemini answers 400 for most of it. What cannot be expressed is
 * not silently lost: constraints move into `description` as hints the model can still read.
 */
export interface CleanSchemaOptions {
  /** Antigravity refuses object schemas without properties: give them a placeholder one. */
  placeholderForEmptyObjects?: boolean;
}

type Schema = Record<string, unknown>;

const DROP = new Set([
  '$schema',
  '$id',
  '$comment',
  '$defs',
  'definitions',
  '$anchor',
  'additionalProperties',
  'patternProperties',
  'unevaluatedProperties',
  'unevaluatedItems',
  'propertyNames',
  'dependentRequired',
  'dependentSchemas',
  'dependencies',
  'if',
  'then',
  'else',
  'not',
  'contains',
  'minContains',
  'maxContains',
  'readOnly',
  'writeOnly',
  'deprecated',
  'strict',
  'examples',
  'title',
  'contentEncoding',
  'contentMediaType',
  'prefixItems',
  'additionalItems',
]);

/** Constraints Gemini may refuse; kept as text in the description. */
const HINTS = [
  'pattern',
  'format',
  'minLength',
  'maxLength',
  'minimum',
  'maximum',
  'exclusiveMinimum',
  'exclusiveMaximum',
  'multipleOf',
  'minItems',
  'maxItems',
  'uniqueItems',
  'minProperties',
  'maxProperties',
  'default',
];

const MAX_DEPTH = 32;

export function cleanSchemaForGemini(schema: unknown, options: CleanSchemaOptions = {}): Schema {
  const root = isRecord(schema) ? schema : {};
  const defs = { ...(isRecord(root.definitions) ? root.definitions : {}), ...(isRecord(root.$defs) ? root.$defs : {}) };
  // A tool's parameters are always an object, even when the client left the type out.
  const typed = root.type === undefined && !root.$ref && !root.anyOf && !root.oneOf && !root.allOf ? { type: 'object', ...root } : root;
  const out = clean(typed, { defs, options, seen: [] }, 0);
  if (out.type === undefined) out.type = 'object';
  if (out.type === 'object' && out.properties === undefined) out.properties = {};
  return out;
}

interface State {
  defs: Record<string, unknown>;
  options: CleanSchemaOptions;
  /** $ref names being expanded on the current path, to cut cycles. */
  seen: string[];
}

function clean(input: Schema, st: State, depth: number): Schema {
  if (depth > MAX_DEPTH) return { type: 'object', description: 'nested schema truncated' };
  let s = input;

  if (typeof s.$ref === 'string') {
    const name = /^#\/(?:\$defs|definitions)\/(.+)$/.exec(s.$ref)?.[1];
    const target = name !== undefined ? st.defs[decodeURIComponent(name)] : undefined;
    if (!name || !isRecord(target) || st.seen.includes(name)) {
      return withDescription({ type: 'object' }, joinText(s.description, name ? `Recursive reference to ${name}` : undefined));
    }
    const { $ref: _ref, ...rest } = s;
    const inner = clean(target, { ...st, seen: [...st.seen, name] }, depth + 1);
    return mergeSiblings(inner, clean(rest, st, depth + 1));
  }

  if (Array.isArray(s.allOf)) {
    const { allOf, ...rest } = s;
    s = (allOf as unknown[]).filter(isRecord).reduce<Schema>((acc, part) => mergeSchemas(acc, part), rest);
  }

  let nullable = s.nullable === true;
  const hints: string[] = [];

  for (const key of ['anyOf', 'oneOf'] as const) {
    const alts = s[key];
    if (!Array.isArray(alts)) continue;
    const options = alts.filter(isRecord);
    const nonNull = options.filter((o) => o.type !== 'null');
    if (nonNull.length < options.length) nullable = true;
    const { [key]: _drop, ...rest } = s;
    if (nonNull.length === 0) {
      s = rest;
      continue;
    }
    // Gemini takes one shape per field: the first object-like branch (richest), else the first.
    const pick = nonNull.find((o) => o.type === 'object' || isRecord(o.properties)) ?? nonNull[0];
    if (nonNull.length > 1) hints.push(`Accepts: ${nonNull.map(describeType).join(' | ')}`);
    s = mergeSchemas(rest, pick);
  }

  const out: Schema = {};
  let type = s.type;
  if (Array.isArray(type)) {
    const types = type.filter((t): t is string => typeof t === 'string');
    if (types.includes('null')) nullable = true;
    const nonNullTypes = types.filter((t) => t !== 'null');
    if (nonNullTypes.length > 1) hints.push(`Accepts: ${nonNullTypes.join(' | ')}`);
    type = nonNullTypes[0] ?? 'string';
  }
  if (type === undefined && isRecord(s.properties)) type = 'object';
  if (type === undefined && s.items !== undefined) type = 'array';

  let enumValues: unknown[] | undefined = Array.isArray(s.enum) ? s.enum : undefined;
  if (s.const !== undefined) enumValues = [s.const];
  if (enumValues) {
    const strings = enumValues.filter((v) => v !== null).map((v) => (typeof v === 'string' ? v : JSON.stringify(v)));
    if (enumValues.includes(null)) nullable = true;
    out.enum = strings;
    // Gemini accepts enums on strings only; the values were stringified above.
    type = 'string';
  }

  if (typeof type === 'string') out.type = type;
  for (const key of HINTS) {
    if (s[key] === undefined) continue;
    if (key === 'format' && type === 'string' && (s.format === 'enum' || s.format === 'date-time')) {
      out.format = s.format;
      continue;
    }
    hints.push(`${key}: ${JSON.stringify(s[key])}`);
  }
  const description = joinText(typeof s.description === 'string' ? s.description : undefined, hints.length ? hints.join('; ') : undefined);
  if (description) out.description = description;
  if (nullable) out.nullable = true;

  if (isRecord(s.properties)) {
    const props: Schema = {};
    for (const [name, value] of Object.entries(s.properties)) {
      props[name] = clean(isRecord(value) ? value : {}, st, depth + 1);
    }
    out.properties = props;
  }
  if (Array.isArray(s.required) && isRecord(out.properties)) {
    const props = out.properties;
    const required = [...new Set(s.required.filter((r): r is string => typeof r === 'string' && r in props))];
    if (required.length) out.required = required;
  }
  if (out.type === 'array') {
    const items = Array.isArray(s.items) ? s.items.find(isRecord) : s.items;
    out.items = isRecord(items) ? clean(items, st, depth + 1) : { type: 'string' };
  }
  if (out.type === 'object' && st.options.placeholderForEmptyObjects && (!isRecord(out.properties) || !Object.keys(out.properties).length)) {
    out.properties = { _placeholder: { type: 'boolean', description: 'Placeholder; leave unset.' } };
  }
  for (const [key, value] of Object.entries(s)) {
    if (key in out || DROP.has(key) || HINTS.includes(key) || key.startsWith('x-') || key.startsWith('$')) continue;
    if (['type', 'enum', 'const', 'description', 'nullable', 'properties', 'required', 'items', 'anyOf', 'oneOf', 'allOf'].includes(key)) continue;
    if (key === 'propertyOrdering' && Array.isArray(value)) out.propertyOrdering = value;
  }
  return out;
}

/** allOf members and $ref siblings: properties and required lists are unioned. */
function mergeSchemas(a: Schema, b: Schema): Schema {
  const out: Schema = { ...b, ...a };
  if (isRecord(a.properties) || isRecord(b.properties)) {
    out.properties = { ...(isRecord(b.properties) ? b.properties : {}), ...(isRecord(a.properties) ? a.properties : {}) };
  }
  const req = [...(Array.isArray(b.required) ? b.required : []), ...(Array.isArray(a.required) ? a.required : [])];
  if (req.length) out.required = req;
  if (out.type === undefined && b.type !== undefined) out.type = b.type;
  return out;
}

function mergeSiblings(resolved: Schema, siblings: Schema): Schema {
  const out = { ...resolved };
  if (typeof siblings.description === 'string') out.description = siblings.description;
  if (siblings.nullable) out.nullable = true;
  return out;
}

function withDescription(s: Schema, description: string | undefined): Schema {
  return description ? { ...s, description } : s;
}

function joinText(a: unknown, b: string | undefined): string | undefined {
  const first = typeof a === 'string' && a ? a : undefined;
  if (first && b) return `${first} (${b})`;
  return first ?? b;
}

function describeType(s: Schema): string {
  if (Array.isArray(s.enum)) return s.enum.map((v) => JSON.stringify(v)).join(' | ');
  if (s.const !== undefined) return JSON.stringify(s.const);
  return typeof s.type === 'string' ? s.type : 'object';
}
