import fc from 'fast-check';

/** The parts of an OpenAPI 3 document the fuzz suite reads. */
export interface Schema {
  readonly $ref?: string;
  readonly type?: string;
  readonly enum?: readonly unknown[];
  readonly example?: unknown;
  readonly format?: string;
  readonly properties?: Readonly<Record<string, Schema>>;
  readonly required?: readonly string[];
  readonly items?: Schema;
  readonly additionalProperties?: boolean | Schema;
}

export interface Operation {
  readonly method: string;
  /** The path template, e.g. /changes/{id}/approvals. */
  readonly path: string;
  readonly pathParams: readonly string[];
  readonly queryParams: ReadonlyArray<{ readonly name: string; readonly schema: Schema }>;
  readonly body: Schema | null;
}

export interface OpenApiDocument {
  readonly paths: Record<string, Record<string, Record<string, unknown>>>;
  readonly components: { readonly schemas: Record<string, Schema> };
}

/** Every operation of the document, so routes added later are fuzzed without being listed. */
export function operationsOf(document: OpenApiDocument): Operation[] {
  return Object.entries(document.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, operation]) => {
      const parameters = (operation.parameters ?? []) as Array<{
        in: string;
        name: string;
        schema: Schema;
      }>;
      const body = operation.requestBody as
        { content: Record<string, { schema: Schema }> } | undefined;
      return {
        method: method.toUpperCase(),
        path,
        pathParams: parameters.filter((p) => p.in === 'path').map((p) => p.name),
        queryParams: parameters
          .filter((p) => p.in === 'query')
          .map(({ name, schema }) => ({ name, schema })),
        body: body?.content['application/json']?.schema ?? null,
      };
    }),
  );
}

/** Values that have broken services like this one: the fuzz suite mixes them in everywhere. */
export const HOSTILE_STRINGS: readonly string[] = [
  '',
  ' ',
  '\u0000',
  'a\u0000b',
  '\ud800',
  'x\udfffy',
  '\u202e\u0430lice',
  '../../etc/passwd',
  "'; DROP TABLE ledger_events; --",
  '%00',
  '%',
  '\uFEFF',
  '𝔘𝔫𝔦𝔠𝔬𝔡𝔢',
  '9999-99-99T99:99:99Z',
  '2099-01-01T00:00:00Z',
  '0000-01-01T00:00:00Z',
  '-1',
  '1e309',
  'NaN',
  'x'.repeat(3000),
  'y'.repeat(70_000),
];

const HOSTILE_VALUES: readonly unknown[] = [
  null,
  {},
  [],
  [null],
  0,
  -1,
  1e308,
  true,
  { __proto__: { polluted: true } },
  { constructor: { prototype: { polluted: true } } },
];

/**
 * Nested `levels` deep (arrays and objects alternately) once serialized: built only by
 * JSON.stringify, so fast-check never walks it when it prints a counterexample.
 */
export function deeplyNested(levels: number): object {
  return {
    toJSON: () => {
      let value: unknown = 'bottom';
      for (let i = 0; i < levels; i++) value = i % 2 === 0 ? [value] : { a: value };
      return value;
    },
    [fc.toStringMethod]: () => `deeplyNested(${levels})`,
  };
}

export function hostileString(): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom(...HOSTILE_STRINGS) },
    { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
    { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 40 }) },
  );
}

function hostileValue(): fc.Arbitrary<unknown> {
  return fc.oneof(
    { weight: 3, arbitrary: hostileString() },
    { weight: 3, arbitrary: fc.constantFrom(...HOSTILE_VALUES) },
    { weight: 1, arbitrary: fc.constantFrom(deeplyNested(40), deeplyNested(1000)) },
    { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
  );
}

function resolve(schema: Schema, document: OpenApiDocument): Schema {
  if (schema.$ref === undefined) return schema;
  return document.components.schemas[schema.$ref.split('/').pop() as string];
}

/** Values that fit the schema, mostly; `known` are strings the service knows (real ids). */
function fitting(
  schema: Schema,
  document: OpenApiDocument,
  known: readonly string[],
  depth = 0,
): fc.Arbitrary<unknown> {
  const resolved = resolve(schema, document);
  if (resolved.enum) return fc.constantFrom(...resolved.enum);
  switch (resolved.type) {
    case 'object': {
      const properties = resolved.properties ?? {};
      if (Object.keys(properties).length === 0 || depth > 4) {
        return fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 2 }), {
          maxKeys: 4,
        });
      }
      const record = Object.fromEntries(
        Object.entries(properties).map(([name, property]) => [
          name,
          fitting(property, document, known, depth + 1),
        ]),
      );
      return fc.record(record, { requiredKeys: [...(resolved.required ?? [])] });
    }
    case 'array':
      return fc.array(fitting(resolved.items ?? {}, document, known, depth + 1), {
        minLength: 1,
        maxLength: 4,
      });
    case 'number':
    case 'integer':
      return fc.oneof(fc.integer({ min: -5, max: 500 }), fc.double({ noNaN: true }));
    case 'boolean':
      return fc.boolean();
    default: {
      const examples = typeof resolved.example === 'string' ? [resolved.example] : [];
      return fc.oneof(
        { weight: 2, arbitrary: fc.constantFrom(...examples, ...known) },
        { weight: 2, arbitrary: fc.date({ noInvalidDate: true }).map((d) => d.toISOString()) },
        { weight: 1, arbitrary: fc.string({ maxLength: 20 }) },
      );
    }
  }
}

/** Replaces the value at one path of `value` (chosen by `pick`) with `replacement`. */
function replaceSomewhere(value: unknown, pick: number, replacement: unknown): unknown {
  if (typeof value !== 'object' || value === null) return replacement;
  const keys = Object.keys(value);
  if (keys.length === 0 || pick % 4 === 0) return replacement;
  const key = keys[pick % keys.length];
  const copy = (Array.isArray(value) ? [...(value as unknown[])] : { ...value }) as Record<
    string,
    unknown
  >;
  copy[key] = replaceSomewhere(copy[key], Math.floor(pick / 4), replacement);
  return copy;
}

/** Mostly-valid values with one field made hostile, or wholly arbitrary ones. */
export function mutated(
  schema: Schema,
  document: OpenApiDocument,
  known: readonly string[],
  seeds: readonly unknown[] = [],
): fc.Arbitrary<unknown> {
  const base = fc.oneof(
    fitting(schema, document, known),
    ...(seeds.length > 0 ? [fc.constantFrom(...seeds)] : []),
  );
  return fc.oneof(
    { weight: 2, arbitrary: base },
    {
      weight: 5,
      arbitrary: fc
        .tuple(base, fc.nat(), hostileValue())
        .map(([value, pick, hostile]) => replaceSomewhere(value, pick, hostile)),
    },
    {
      weight: 1,
      arbitrary: fc
        .tuple(base, hostileString(), fc.jsonValue({ maxDepth: 1 }))
        .map(([value, key, extra]) =>
          typeof value === 'object' && value !== null ? { ...value, [key]: extra } : value,
        ),
    },
    { weight: 1, arbitrary: hostileValue() },
  );
}

/** A query string for the operation: its own parameters with fitting or hostile values. */
export function queryOf(
  operation: Operation,
  document: OpenApiDocument,
  known: readonly string[],
): fc.Arbitrary<string> {
  const value = (schema: Schema) =>
    fc.oneof(
      fitting(schema, document, known).map(String),
      hostileString(),
      fc.array(fc.string({ maxLength: 5 }), { minLength: 2, maxLength: 3 }),
    );
  const parameters = fc.record(
    Object.fromEntries(operation.queryParams.map(({ name, schema }) => [name, value(schema)])),
    { requiredKeys: [] },
  );
  return fc
    .tuple(parameters, fc.option(fc.tuple(hostileString(), hostileString()), { freq: 4 }))
    .map(([params, extra]) => {
      const search = new URLSearchParams();
      for (const [name, v] of Object.entries(params)) {
        for (const one of Array.isArray(v) ? v : [v])
          search.append(name, toWellFormed(String(one)));
      }
      if (extra !== null) search.append(toWellFormed(extra[0]), toWellFormed(extra[1]));
      const text = search.toString();
      return text === '' ? '' : `?${text}`;
    });
}

/** URLs carry UTF-8: a lone surrogate cannot be sent in one, so it is sent replaced. */
export function toWellFormed(text: string): string {
  return text.replace(
    /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g,
    '\uFFFD',
  );
}
