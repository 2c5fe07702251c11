import { APPS } from './support/apps';
import { FUZZ_RUNS, FUZZ_SEED } from './support/app-suite';
import {
  fuzzCases,
  loadOpenApi,
  operationsOf,
  plausible,
  sampleCases,
  type Schema,
  SchemaResolver,
} from './support/openapi-fuzz';

/**
 * The fuzz's premise, checked without an app: every body case it draws breaks the operation's
 * schema (as the API enforces it: a field the schema does not list is refused), so a 2xx to one
 * of them is a fault of the API, never of the generator. The check is a small validator of its
 * own for the keywords the specs use, independent of how the cases are made. Prints the plan.
 */

const FORMATS: Record<string, RegExp> = {
  'date-time':
    /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])T([01]\d|2[0-3]):[0-5]\d:[0-5]\d(\.\d+)?(Z|[+-]\d{2}:\d{2})$/,
  date: /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/,
  uuid: /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i,
  email: /^[^@\s]+@[^@\s]+\.[^@\s]+$/,
};

/** Where `value` breaks `raw`, or [] when it conforms (unknown keywords are ignored). */
function violationsOf(resolver: SchemaResolver, raw: Schema, value: unknown, at = ''): string[] {
  const s = resolver.resolve(raw);
  if (value === null) return s.nullable === true ? [] : [`${at}: null`];
  const type =
    s.type ?? (s.properties ? 'object' : s.items ? 'array' : s.enum ? 'string' : undefined);
  const variants = s.oneOf ?? s.anyOf;
  if (variants)
    return variants.some((v) => violationsOf(resolver, v, value, at).length === 0)
      ? []
      : [`${at}: no variant`];
  const out: string[] = [];
  switch (type) {
    case 'string':
      if (typeof value !== 'string') return [`${at}: not a string`];
      if (s.enum && !s.enum.includes(value)) out.push(`${at}: not in enum`);
      if (s.pattern && !new RegExp(s.pattern).test(value)) out.push(`${at}: pattern`);
      if (s.format !== undefined && s.format in FORMATS && !FORMATS[s.format].test(value))
        out.push(`${at}: format`);
      if (s.maxLength !== undefined && [...value].length > s.maxLength) out.push(`${at}: long`);
      if (s.minLength !== undefined && [...value].length < s.minLength) out.push(`${at}: short`);
      return out;
    case 'number':
    case 'integer':
      if (typeof value !== 'number') return [`${at}: not a number`];
      if (type === 'integer' && !Number.isInteger(value)) out.push(`${at}: not an integer`);
      if (s.maximum !== undefined && value > s.maximum) out.push(`${at}: above maximum`);
      if (s.minimum !== undefined && value < s.minimum) out.push(`${at}: below minimum`);
      return out;
    case 'boolean':
      return typeof value === 'boolean' ? [] : [`${at}: not a boolean`];
    case 'array':
      if (!Array.isArray(value)) return [`${at}: not an array`];
      if (s.maxItems !== undefined && value.length > s.maxItems) out.push(`${at}: too many`);
      if (s.minItems !== undefined && value.length < s.minItems) out.push(`${at}: too few`);
      if (s.items) {
        const items = s.items;
        value.forEach((v, i) => out.push(...violationsOf(resolver, items, v, `${at}/${i}`)));
      }
      return out;
    case 'object': {
      if (typeof value !== 'object' || Array.isArray(value)) return [`${at}: not an object`];
      const record = value as Record<string, unknown>;
      for (const key of s.required ?? []) if (!(key in record)) out.push(`${at}/${key}: missing`);
      for (const [key, v] of Object.entries(record)) {
        const prop = s.properties?.[key];
        if (prop) out.push(...violationsOf(resolver, prop, v, `${at}/${key}`));
        else if (s.properties && s.additionalProperties === undefined)
          out.push(`${at}/${key}: unknown`);
        else if (typeof s.additionalProperties === 'object')
          out.push(...violationsOf(resolver, s.additionalProperties, v, `${at}/${key}`));
      }
      return out;
    }
    default:
      return [];
  }
}

describe('the OpenAPI fuzz draws only invalid bodies', () => {
  const plan: { app: string; operations: number; cases: number }[] = [];
  afterAll(() => {
    const total = plan.reduce((n, p) => ({ ops: n.ops + p.operations, cases: n.cases + p.cases }), {
      ops: 0,
      cases: 0,
    });
    process.stdout.write(
      `[security fuzz plan] ${plan.map((p) => `${p.app}: ${p.operations} ops, ${p.cases} body/query cases`).join('; ')} — total ${total.ops} operations with a body or query, ${total.cases} cases (${FUZZ_RUNS} runs each, seed ${FUZZ_SEED}), plus hostile path parameters\n`,
    );
  });

  it.each(Object.values(APPS).map((app) => [app.key, app] as const))(
    '%s: every body case breaks its schema, and the plausible base mostly conforms',
    (_key, app) => {
      const doc = loadOpenApi(app.openapi);
      const resolver = new SchemaResolver(doc);
      const ops = operationsOf(doc, app.basePath).filter(
        (op) => op.scopes.length > 0 && (op.bodySchema !== undefined || op.query.length > 0),
      );
      let cases = 0;
      const conforming: string[] = [];
      let plausibleBases = 0;
      let bodies = 0;
      ops.forEach((op, i) => {
        const arb = fuzzCases(resolver, op);
        expect(arb).toBeDefined();
        if (!arb) return;
        const drawn = sampleCases(arb, FUZZ_RUNS, FUZZ_SEED + i);
        cases += drawn.length;
        if (!op.bodySchema) return;
        const schema = op.bodySchema;
        bodies += 1;
        if (violationsOf(resolver, schema, plausible(resolver, schema)).length === 0)
          plausibleBases += 1;
        for (const c of drawn)
          if (c.query.length === 0 && violationsOf(resolver, schema, c.body).length === 0)
            conforming.push(`${op.method} ${op.path}: ${c.label} ${JSON.stringify(c.body)}`);
      });
      plan.push({ app: app.key, operations: ops.length, cases });
      expect(conforming).toEqual([]);
      // The cases break one rule of a body that is otherwise right, not of a body that is wrong
      // everywhere: most bases conform to their schema.
      expect(plausibleBases / Math.max(1, bodies)).toBeGreaterThan(0.6);
    },
  );

  it('the validator itself tells a valid body from invalid ones', () => {
    const doc = loadOpenApi(APPS.billing.openapi);
    const resolver = new SchemaResolver(doc);
    const schema: Schema = { $ref: '#/components/schemas/CreateBillingCustomerRequest' };
    const valid = {
      name: 'Acme',
      billTo: { line1: '1 Market Street', city: 'San Francisco', country: 'US' },
      currency: 'USD',
      legalEntity: 'US01',
    };
    expect(violationsOf(resolver, schema, valid)).toEqual([]);
    expect(violationsOf(resolver, schema, { ...valid, id: 'x' })).toEqual(['/id: unknown']);
    expect(violationsOf(resolver, schema, { ...valid, paymentTerms: 'net_31' })).toEqual([
      '/paymentTerms: not in enum',
    ]);
    expect(violationsOf(resolver, schema, { ...valid, name: null })).toEqual(['/name: null']);
  });
});
