import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';

/**
 * Invalid requests for every operation of an app, derived from its committed OpenAPI document.
 *
 * Every case starts from a plausible body (the required fields, from the examples and the types)
 * and breaks exactly one rule of the schema, so the case is invalid by construction: a missing
 * required field, a value of another JSON type, null where the field is not nullable, a string
 * outside its enum, pattern, format or length, a number outside its bounds or a huge one, an
 * array with too many or too few items, a property the schema does not have, or a body that is
 * not an object at all. Query parameters get values outside their type, bounds, enum or format,
 * repeated values, garbage cursors and unknown parameters.
 */

export interface Schema {
  $ref?: string;
  allOf?: Schema[];
  oneOf?: Schema[];
  anyOf?: Schema[];
  type?: string;
  properties?: Record<string, Schema>;
  required?: string[];
  additionalProperties?: boolean | Schema;
  items?: Schema;
  enum?: unknown[];
  pattern?: string;
  format?: string;
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  minItems?: number;
  maxItems?: number;
  nullable?: boolean;
  example?: unknown;
  default?: unknown;
}

interface Parameter {
  in: 'query' | 'path' | 'header';
  name: string;
  required?: boolean;
  schema?: Schema;
}

interface OpenApiOperation {
  operationId?: string;
  parameters?: Parameter[];
  requestBody?: { content?: Record<string, { schema?: Schema }> };
  security?: Record<string, string[] | undefined>[];
}

interface OpenApiDocument {
  paths: Record<string, Record<string, OpenApiOperation>>;
  components?: { schemas?: Record<string, Schema> };
}

export interface Operation {
  method: string;
  /** As in the document, e.g. `/billing/v1/customers/{id}`. */
  path: string;
  bodySchema?: Schema;
  query: Parameter[];
  pathParams: Parameter[];
  /** The scopes the document says the operation needs. */
  scopes: string[];
}

export interface FuzzCase {
  label: string;
  query: [string, string][];
  /** The JSON body; `undefined` sends none. */
  body?: unknown;
  hasBody: boolean;
}

const METHODS = ['get', 'post', 'put', 'patch', 'delete'];

export function loadOpenApi(file: string): OpenApiDocument {
  return JSON.parse(
    readFileSync(join(__dirname, '..', '..', '..', 'openapi', file), 'utf8'),
  ) as OpenApiDocument;
}

/** Every operation of the API that needs a token (health, metrics and the issuer left out). */
export function operationsOf(doc: OpenApiDocument, basePath: string): Operation[] {
  const ops: Operation[] = [];
  for (const [path, item] of Object.entries(doc.paths)) {
    if (!path.startsWith(`/${basePath}/`)) continue;
    for (const method of METHODS) {
      const op = item[method] as OpenApiOperation | undefined;
      if (!op) continue;
      const params = op.parameters ?? [];
      const json = op.requestBody?.content?.['application/json']?.schema;
      ops.push({
        method: method.toUpperCase(),
        path,
        bodySchema: json,
        query: params.filter((p) => p.in === 'query'),
        pathParams: params.filter((p) => p.in === 'path'),
        scopes: (op.security ?? []).flatMap((s) => s.oauth2 ?? []),
      });
    }
  }
  return ops;
}

/** A plausible value for a path parameter (the cases are refused before it matters). */
export function pathValue(name: string): string {
  if (name === 'legalEntity') return 'US01';
  if (name === 'period') return '2026-01';
  if (name === 'id') return '00000000-0000-4000-8000-000000000001';
  return 'FUZZ-1';
}

export function concretePath(op: Operation, overrides: Record<string, string> = {}): string {
  return op.path.replace(/\{([^}]+)\}/g, (_m, name: string) =>
    encodeURIComponent(overrides[name] ?? pathValue(name)),
  );
}

/** Path values no object has: wrong shapes, injections, control characters, huge ones. */
export const HOSTILE_PATH_VALUES = [
  'not-a-uuid',
  '00000000-0000-0000-0000-000000000000',
  "'; drop table x; --",
  '../../etc/passwd',
  '\u0000',
  'a\u0000b',
  '%',
  '😀',
  '-1',
  '1e309',
  'US01\r\nX-Injected: 1',
  // The router's limit is 100 characters a parameter; past it see describeFrameworkErrors.
  'a'.repeat(100),
];

export interface PathCase {
  label: string;
  path: string;
  /** The parameter made hostile, and its value. */
  name: string;
  value: string;
}

/** One hostile value in one path parameter at a time (the others plausible). */
export function pathCases(op: Operation, runs: number, seed: number): PathCase[] {
  if (op.pathParams.length === 0) return [];
  const arb = fc
    .tuple(
      fc.constantFrom(...op.pathParams.map((p) => p.name)),
      fc.constantFrom(...HOSTILE_PATH_VALUES),
    )
    .map(([name, value]) => ({
      label: `path ${name}=${JSON.stringify(value).slice(0, 40)}`,
      path: concretePath(op, { [name]: value }),
      name,
      value,
    }));
  const seen = new Set<string>();
  return fc.sample(arb, { numRuns: runs, seed }).filter((c) => {
    if (seen.has(c.path)) return false;
    seen.add(c.path);
    return true;
  });
}

export class SchemaResolver {
  constructor(private readonly doc: OpenApiDocument) {}

  /** The schema with its $ref and allOf folded in (the outer keys, e.g. nullable, kept). */
  resolve(schema: Schema, depth = 0): Schema {
    if (depth > 20) return schema;
    let out: Schema = { ...schema };
    if (schema.$ref) {
      const name = schema.$ref.split('/').pop() ?? '';
      const target = this.doc.components?.schemas?.[name];
      if (!target) throw new Error(`unknown schema ${schema.$ref}`);
      const { $ref: _ref, ...own } = schema;
      out = { ...this.resolve(target, depth + 1), ...own };
    }
    if (out.allOf) {
      const { allOf, ...own } = out;
      out = allOf.reduce<Schema>(
        (acc, part) => {
          const r = this.resolve(part, depth + 1);
          return {
            ...r,
            ...acc,
            properties: { ...r.properties, ...acc.properties },
            required: [...(r.required ?? []), ...(acc.required ?? [])],
          };
        },
        { ...own },
      );
      if (out.properties && Object.keys(out.properties).length === 0) delete out.properties;
      if (out.required?.length === 0) delete out.required;
    }
    return out;
  }
}

const typeOf = (s: Schema): string | undefined =>
  s.type ?? (s.properties ? 'object' : s.items ? 'array' : s.enum ? 'string' : undefined);

const PATTERN_CANDIDATES = [
  'US01',
  'DE01',
  '2026-01',
  '2026-01-15',
  '100.00',
  '10',
  'ABC',
  'SW054000',
  'USD',
  'api_calls',
  'x',
];

/** A plausible (ideally valid) value: the example, a default or something of the right shape. */
export function plausible(resolver: SchemaResolver, raw: Schema, depth = 0): unknown {
  const s = resolver.resolve(raw);
  const type = typeOf(s);
  if (s.example !== undefined && type !== 'object' && type !== 'array') return s.example;
  if (s.enum && s.enum.length > 0) return s.enum[0];
  if (s.oneOf?.[0] ?? s.anyOf?.[0])
    return plausible(resolver, (s.oneOf ?? s.anyOf ?? [])[0], depth);
  switch (type) {
    case 'string': {
      if (s.format === 'date-time') return '2026-01-15T00:00:00.000Z';
      if (s.format === 'date') return '2026-01-15';
      if (s.format === 'uuid') return '00000000-0000-4000-8000-000000000002';
      if (s.format === 'email') return 'ap@acme.example';
      if (s.pattern) {
        const re = new RegExp(s.pattern);
        return PATTERN_CANDIDATES.find((c) => re.test(c)) ?? 'x';
      }
      return 'x'.repeat(Math.max(1, s.minLength ?? 1));
    }
    case 'number':
    case 'integer':
      return Math.min(Math.max(s.minimum ?? 1, 1), s.maximum ?? Number.MAX_SAFE_INTEGER);
    case 'boolean':
      return true;
    case 'array':
      return depth > 6 || !s.items ? [] : [plausible(resolver, s.items, depth + 1)];
    case 'object': {
      if (depth > 6 || !s.properties) return {};
      const out: Record<string, unknown> = {};
      for (const key of s.required ?? []) {
        const prop = s.properties[key] as Schema | undefined;
        if (prop) out[key] = plausible(resolver, prop, depth + 1);
      }
      return out;
    }
    default:
      return 'x';
  }
}

type Path = (string | number)[];
interface Slot {
  path: Path;
  schema: Schema;
  present: boolean;
  required: boolean;
}

/** The fields of `value` that the schema describes (present ones, and optional ones beside them). */
function slotsOf(resolver: SchemaResolver, raw: Schema, value: unknown, path: Path = []): Slot[] {
  const s = resolver.resolve(raw);
  const out: Slot[] = [];
  if (typeOf(s) === 'object' && s.properties && isRecord(value)) {
    for (const [key, propRaw] of Object.entries(s.properties)) {
      const prop = resolver.resolve(propRaw);
      const present = key in value;
      out.push({
        path: [...path, key],
        schema: prop,
        present,
        required: (s.required ?? []).includes(key),
      });
      if (present) out.push(...slotsOf(resolver, prop, value[key], [...path, key]));
    }
  } else if (typeOf(s) === 'array' && s.items && Array.isArray(value) && value.length > 0) {
    out.push(...slotsOf(resolver, s.items, value[0], [...path, 0]));
  }
  return out;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

const pointerOf = (path: Path): string => (path.length === 0 ? '/' : `/${path.join('/')}`);

function setAt(base: unknown, path: Path, value: unknown): unknown {
  const copy = structuredClone(base);
  let node: unknown = copy;
  for (const key of path.slice(0, -1)) node = (node as Record<string | number, unknown>)[key];
  (node as Record<string | number, unknown>)[path[path.length - 1]] = value;
  return copy;
}

function deleteAt(base: unknown, path: Path): unknown {
  const copy = structuredClone(base);
  let node: unknown = copy;
  for (const key of path.slice(0, -1)) node = (node as Record<string | number, unknown>)[key];
  // eslint-disable-next-line @typescript-eslint/no-dynamic-delete -- removing one field is the case
  delete (node as Record<string | number, unknown>)[path[path.length - 1]];
  return copy;
}

const HUGE = [1e308, Number.MAX_SAFE_INTEGER * 1024, -1e308];

function wrongTypeValues(type: string): unknown[] {
  switch (type) {
    case 'string':
      return [12345, true, {}, [], ['x'], 1e308];
    case 'number':
    case 'integer':
      return ['12', 'not-a-number', true, {}, [], [1]];
    case 'boolean':
      return ['true', 1, 0, 'yes', {}];
    case 'array':
      return ['x', 1, { 0: 'x' }, true];
    case 'object':
      return ['x', 1, [], true];
    default:
      return [];
  }
}

const NASTY_STRINGS = [
  '',
  ' ',
  '\u0000',
  "'; drop table x; --",
  '../../etc/passwd',
  '1e5',
  'NaN',
  '-0',
  '<script>',
  '😀'.repeat(3),
];

/** Values breaking a constraint of the field other than its type, or [] when it has none. */
function violations(s: Schema): fc.Arbitrary<unknown>[] {
  const type = typeOf(s);
  const out: fc.Arbitrary<unknown>[] = [];
  if (type === 'string') {
    if (s.enum && s.enum.length > 0) {
      const allowed = new Set(s.enum);
      out.push(
        fc
          .oneof(
            fc.constant(String(s.enum[0]).toUpperCase()),
            fc.constant(`${String(s.enum[0])} `),
            fc.string(),
          )
          .filter((v) => !allowed.has(v)),
      );
    }
    if (s.pattern) {
      const re = new RegExp(s.pattern);
      out.push(
        fc
          .oneof(fc.constantFrom(...NASTY_STRINGS), fc.string({ maxLength: 40 }))
          .filter((v) => !re.test(v)),
      );
    }
    if (s.format === 'date-time' || s.format === 'date')
      out.push(fc.constantFrom('not-a-date', '2026/01/15', '2026-13-45', 'yesterday', ''));
    if (s.format === 'uuid') out.push(fc.constantFrom('not-a-uuid', '123', '', '00000000-0000'));
    if (s.format === 'email') out.push(fc.constantFrom('no-at-sign', 'a@', '@b', ''));
    if (s.maxLength !== undefined) {
      const max = s.maxLength;
      out.push(fc.integer({ min: max + 1, max: max + 64 }).map((n) => 'a'.repeat(n)));
    }
    if (s.minLength !== undefined && s.minLength > 0)
      out.push(fc.constant('a'.repeat(s.minLength - 1)));
  }
  if (type === 'number' || type === 'integer') {
    if (s.maximum !== undefined) {
      out.push(fc.constantFrom(s.maximum + 1, ...HUGE.filter((h) => h > (s.maximum ?? 0))));
    }
    if (s.minimum !== undefined) out.push(fc.constantFrom(s.minimum - 1, -1e308));
    if (type === 'integer') out.push(fc.constantFrom(1.5, 1e308));
  }
  if (type === 'array') {
    if (s.maxItems !== undefined && s.items) {
      const over = s.maxItems + 1;
      out.push(fc.constant(over));
    }
    if (s.minItems !== undefined && s.minItems > 0) out.push(fc.constant([]));
  }
  return out;
}

const EXTRA_NAMES = [
  'id',
  'version',
  'createdAt',
  'updatedAt',
  'status',
  'isAdmin',
  'legal_entities',
  'tenantId',
  'secret',
];

/** The arbitrary of invalid requests for one operation (none when it takes no input). */
export function fuzzCases(
  resolver: SchemaResolver,
  op: Operation,
): fc.Arbitrary<FuzzCase> | undefined {
  const arbs: fc.Arbitrary<FuzzCase>[] = [];
  const bodyCase = (label: string, body: unknown): FuzzCase => ({
    label,
    query: [],
    body,
    hasBody: true,
  });

  if (op.bodySchema) {
    const root = resolver.resolve(op.bodySchema);
    const base = plausible(resolver, root);
    const slots = slotsOf(resolver, root, base);
    const plausibleItem = (s: Schema): unknown => (s.items ? plausible(resolver, s.items) : 'x');

    arbs.push(
      fc
        .constantFrom<unknown>([], 'text', 42, true, null, [base])
        .map((v) => bodyCase(`body is ${JSON.stringify(v).slice(0, 40)}`, v)),
    );

    const objects: { path: Path; schema: Schema }[] = [];
    if (isRecord(base) && root.properties && root.additionalProperties === undefined)
      objects.push({ path: [], schema: root });
    for (const slot of slots)
      if (
        slot.present &&
        typeOf(slot.schema) === 'object' &&
        slot.schema.properties &&
        slot.schema.additionalProperties === undefined
      )
        objects.push({ path: slot.path, schema: slot.schema });
    if (objects.length > 0)
      arbs.push(
        fc
          .tuple(
            fc.constantFrom(...objects),
            fc.oneof(
              fc.constantFrom(...EXTRA_NAMES),
              fc.stringMatching(/^[a-z][a-zA-Z0-9_]{0,15}$/),
            ),
            fc.oneof(fc.jsonValue({ maxDepth: 2 }), fc.constant('x')),
          )
          .filter(([o, name]) => !(name in (o.schema.properties ?? {})))
          .map(([o, name, value]) =>
            bodyCase(
              `unknown field ${pointerOf([...o.path, name])}`,
              setAt(base, [...o.path, name], value),
            ),
          ),
      );

    const required = slots.filter((s) => s.required && s.present);
    if (required.length > 0)
      arbs.push(
        fc
          .constantFrom(...required)
          .map((s) => bodyCase(`missing required ${pointerOf(s.path)}`, deleteAt(base, s.path))),
      );

    const typed = slots.filter((s) => wrongTypeValues(typeOf(s.schema) ?? '').length > 0);
    if (typed.length > 0)
      arbs.push(
        fc
          .constantFrom(...typed)
          .chain((s) =>
            fc
              .constantFrom(...wrongTypeValues(typeOf(s.schema) ?? ''))
              .map((v) =>
                bodyCase(
                  `wrong type ${JSON.stringify(v)} at ${pointerOf(s.path)}`,
                  setAt(base, s.path, v),
                ),
              ),
          ),
      );

    // On a create, class-validator's @IsOptional() reads null as "absent" in every app (reported,
    // not asserted); null where a field is required, or in a PATCH, must be refused.
    const notNullable = slots.filter(
      (s) => s.schema.nullable !== true && (s.required || op.method === 'PATCH'),
    );
    if (notNullable.length > 0)
      arbs.push(
        fc
          .constantFrom(...notNullable)
          .map((s) => bodyCase(`null at ${pointerOf(s.path)}`, setAt(base, s.path, null))),
      );

    const constrained = slots
      .map((s) => ({ slot: s, arbs: violations(s.schema) }))
      .filter((c) => c.arbs.length > 0);
    if (constrained.length > 0)
      arbs.push(
        fc.constantFrom(...constrained).chain(({ slot, arbs: values }) =>
          fc.oneof(...values).map((v) => {
            // maxItems violations are given as a count: that many plausible items.
            const value =
              typeof v === 'number' && typeOf(slot.schema) === 'array'
                ? Array.from({ length: v }, () => plausibleItem(slot.schema))
                : v;
            const shown =
              Array.isArray(value) && value.length > 3
                ? `${value.length} items`
                : JSON.stringify(value).slice(0, 40);
            return bodyCase(
              `out of constraints ${shown} at ${pointerOf(slot.path)}`,
              setAt(base, slot.path, value),
            );
          }),
        ),
      );
  }

  if (op.query.length > 0) {
    const known = new Set(op.query.map((p) => p.name));
    const queryCase = (label: string, query: [string, string][]): FuzzCase => ({
      label,
      query,
      body: op.bodySchema ? plausible(resolver, op.bodySchema) : undefined,
      hasBody: op.bodySchema !== undefined,
    });
    arbs.push(
      fc
        .tuple(
          fc.oneof(
            fc.constantFrom('color', 'isAdmin', 'sort', 'debug', 'legalEntities', 'customer_id'),
            fc.stringMatching(/^[a-z][a-zA-Z]{0,12}$/),
          ),
          fc.constantFrom('1', 'x', 'true'),
        )
        .filter(([name]) => !known.has(name))
        .map(([name, value]) => queryCase(`unknown query parameter ${name}`, [[name, value]])),
    );
    const perParam: fc.Arbitrary<FuzzCase>[] = [];
    for (const param of op.query) {
      const s = resolver.resolve(param.schema ?? {});
      const type = typeOf(s);
      const values: fc.Arbitrary<string>[] = [];
      if (type === 'number' || type === 'integer') {
        // Not '0x10' nor ' 16 ': list parameters are read with Number(), which takes them as 16
        // (lenient, harmless, reported as an observation rather than asserted).
        values.push(fc.constantFrom('abc', '12abc', '1e400', 'NaN', 'Infinity', '1,5'));
        if (s.maximum !== undefined) values.push(fc.constantFrom(String(s.maximum + 1), '1e308'));
        if (s.minimum !== undefined) values.push(fc.constantFrom(String(s.minimum - 1), '-1e308'));
      }
      if (type === 'boolean') values.push(fc.constantFrom('maybe', '2', 'yes please'));
      if (s.enum && s.enum.length > 0) {
        const allowed = new Set(s.enum.map(String));
        values.push(
          fc
            .oneof(fc.constant(String(s.enum[0]).toUpperCase()), fc.string({ minLength: 1 }))
            .filter((v) => !allowed.has(v)),
        );
      }
      if (s.format === 'date-time' || s.format === 'date')
        values.push(fc.constantFrom('not-a-date', '2026-13-45', 'yesterday', '0'));
      if (s.format === 'uuid') values.push(fc.constantFrom('not-a-uuid', '123', "' or 1=1 --"));
      if (s.pattern) {
        const re = new RegExp(s.pattern);
        values.push(
          fc
            .oneof(fc.constantFrom(...NASTY_STRINGS), fc.string({ minLength: 1, maxLength: 30 }))
            .filter((v) => v !== '' && !re.test(v)),
        );
      }
      if (s.maxLength !== undefined) values.push(fc.constant('a'.repeat(s.maxLength + 1)));
      if (param.name === 'cursor')
        values.push(
          fc.constantFrom(
            'garbage',
            '!!!',
            Buffer.from('{"a":1}').toString('base64url'),
            Buffer.from('["x",1]').toString('base64url'),
            'a'.repeat(5000),
          ),
        );
      if (values.length === 0) continue;
      perParam.push(
        fc
          .oneof(...values)
          .map((v) =>
            queryCase(`query ${param.name}=${JSON.stringify(v).slice(0, 40)}`, [[param.name, v]]),
          ),
      );
      if (type === 'number' || type === 'integer' || (s.enum && s.enum.length > 0)) {
        const allowed = (s.enum ?? []).map((v) => JSON.stringify(v).replace(/^"|"$/g, ''));
        const first = allowed.at(0) ?? '1';
        const second = allowed.at(1) ?? (allowed.length > 0 ? first : '2');
        perParam.push(
          fc.constant(
            queryCase(`query ${param.name} repeated`, [
              [param.name, first],
              [param.name, second],
            ]),
          ),
        );
      }
    }
    if (perParam.length > 0) arbs.push(fc.oneof(...perParam));
  }
  return arbs.length > 0 ? fc.oneof(...arbs) : undefined;
}

/** A fixed sample of cases (same seed, same cases), without duplicates. */
export function sampleCases(arb: fc.Arbitrary<FuzzCase>, runs: number, seed: number): FuzzCase[] {
  const seen = new Set<string>();
  const out: FuzzCase[] = [];
  for (const c of fc.sample(arb, { numRuns: runs, seed })) {
    const key = JSON.stringify([c.label, c.query, c.body]);
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(c);
  }
  return out;
}
