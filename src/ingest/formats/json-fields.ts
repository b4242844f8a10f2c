import { MalformedMessage } from '../observation';

type JsonObject = { readonly [key: string]: unknown };

/** The body as JSON; refuses bytes that are not UTF-8 as well as text that is not JSON. */
export function parseJsonBody(body: Buffer): unknown {
  try {
    // fatal: a lossy decode would turn invalid bytes into U+FFFD and record a corrupted value.
    return JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(body));
  } catch {
    throw new MalformedMessage('body is not JSON');
  }
}

// RFC 3339, the ISO-8601 profile every supported format specifies (and JSON Schema's
// "date-time"). The offset is mandatory: without one Date.parse reads local time, and the
// recorded instant would depend on the server's time zone.
const RFC_3339 =
  /^(\d{4})-(\d{2})-(\d{2})[Tt](?:[01]\d|2[0-3]):[0-5]\d:[0-5]\d(?:\.\d+)?(?:[Zz]|[+-](?:[01]\d|2[0-3]):[0-5]\d)$/;

/** `value` as `Date.prototype.toISOString()`, or undefined unless it is an RFC 3339 date-time. */
export function toIsoInstant(value: string): string | undefined {
  const match = RFC_3339.exec(value);
  const millis = Date.parse(value);
  if (match === null || Number.isNaN(millis)) return undefined;
  // Date.parse rolls impossible days over (Feb 30 becomes Mar 1) instead of refusing them.
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  if (date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return undefined;
  return new Date(millis).toISOString();
}

export const INSTANT_REASON = 'must be an ISO-8601 date-time with seconds and a UTC offset';

/** Service names are compared across formats, so they are compared in one spelling. */
export function serviceName(raw: string): string {
  return raw.trim().toLowerCase();
}

/** Drops undefined properties, which canonical JSON (and the hash chain) must never see. */
export function defined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

/**
 * A JSON object read field by field; every refusal names the path of the field in the message
 * (`alerts[2].labels.alertname`), so a dead-lettered message says what to fix.
 */
export class JsonFields {
  private constructor(
    private readonly value: JsonObject,
    private readonly path: string,
  ) {}

  /** `value` must be an object; `path` is where it sits in the body ('' for the body itself). */
  static of(value: unknown, path = ''): JsonFields {
    if (!isObject(value)) {
      throw new MalformedMessage('must be a JSON object', path === '' ? 'body' : path);
    }
    return new JsonFields(value, path);
  }

  /** Like `of`, but undefined instead of a refusal when `value` is not an object. */
  static ifObject(value: unknown, path: string): JsonFields | undefined {
    return isObject(value) ? new JsonFields(value, path) : undefined;
  }

  pathOf(key: string): string {
    return this.path === '' ? key : `${this.path}.${key}`;
  }

  object(key: string): JsonFields {
    return JsonFields.of(this.required(key), this.pathOf(key));
  }

  optionalObject(key: string): JsonFields | undefined {
    const value = this.present(key);
    return value === undefined ? undefined : JsonFields.of(value, this.pathOf(key));
  }

  /** The object at `key`, or undefined when there is none or the value is not an object. */
  objectIfAny(key: string): JsonFields | undefined {
    return JsonFields.ifObject(this.present(key), this.pathOf(key));
  }

  /** The elements of an array of objects. */
  objects(key: string): JsonFields[] {
    const value = this.required(key);
    if (!Array.isArray(value)) throw new MalformedMessage('must be an array', this.pathOf(key));
    return value.map((element, index) => JsonFields.of(element, `${this.pathOf(key)}[${index}]`));
  }

  /** A string with at least one non-blank character, returned as sent. */
  string(key: string): string {
    const value = this.required(key);
    if (typeof value !== 'string') throw new MalformedMessage('must be a string', this.pathOf(key));
    if (value.trim() === '') throw new MalformedMessage('must not be empty', this.pathOf(key));
    return value;
  }

  /** Absent, null and blank all mean "not said": senders use each of them for that. */
  optionalString(key: string): string | undefined {
    const value = this.present(key);
    if (value === undefined) return undefined;
    if (typeof value !== 'string') throw new MalformedMessage('must be a string', this.pathOf(key));
    return value.trim() === '' ? undefined : value;
  }

  oneOf<T extends string>(key: string, allowed: readonly T[]): T {
    const value = this.string(key);
    if (!(allowed as readonly string[]).includes(value)) {
      throw new MalformedMessage(`must be one of: ${allowed.join(', ')}`, this.pathOf(key));
    }
    return value as T;
  }

  /** A numeric id (GitHub's are integers), as a string. */
  integerId(key: string): string {
    const value = this.required(key);
    if (typeof value !== 'number' || !Number.isSafeInteger(value)) {
      throw new MalformedMessage('must be an integer', this.pathOf(key));
    }
    return String(value);
  }

  instant(key: string): string {
    const iso = toIsoInstant(this.string(key));
    if (iso === undefined) throw new MalformedMessage(INSTANT_REASON, this.pathOf(key));
    return iso;
  }

  /** An object whose values are all strings (labels, annotations). */
  stringMap(key: string): Record<string, string> {
    const map = this.object(key);
    return Object.fromEntries(
      Object.entries(map.value).map(([name, value]) => {
        if (typeof value !== 'string') {
          throw new MalformedMessage('must be a string', map.pathOf(name));
        }
        return [name, value];
      }),
    );
  }

  private present(key: string): unknown {
    return Object.hasOwn(this.value, key) ? (this.value[key] ?? undefined) : undefined;
  }

  private required(key: string): unknown {
    const value = this.present(key);
    if (value === undefined) throw new MalformedMessage('is required', this.pathOf(key));
    return value;
  }
}

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
