import { MalformedMessage } from '../observation';
import { JsonFields, parseJsonBody, toIsoInstant } from './json-fields';

describe('toIsoInstant', () => {
  it.each([
    ['2024-05-14T09:41:27Z', '2024-05-14T09:41:27.000Z'],
    ['2024-05-14T11:41:27.5+02:00', '2024-05-14T09:41:27.500Z'],
    ['2024-05-14T09:41:27.123456789Z', '2024-05-14T09:41:27.123Z'],
    ['2024-05-14t09:41:27z', '2024-05-14T09:41:27.000Z'],
    ['2024-02-29T00:00:00-00:00', '2024-02-29T00:00:00.000Z'],
    ['0001-01-01T00:00:00Z', '0001-01-01T00:00:00.000Z'],
  ])('normalizes %s', (value, iso) => {
    expect(toIsoInstant(value)).toBe(iso);
  });

  it.each([
    ['no offset, which would be read in local time', '2024-05-14T09:41:27'],
    ['no seconds', '2024-05-14T09:41Z'],
    ['a date only', '2024-05-14'],
    ['a day that does not exist', '2023-02-29T00:00:00Z'],
    ['hour 24', '2024-05-14T24:00:00Z'],
    ['epoch seconds', '1715679687'],
    ['RFC 2822', 'Tue, 14 May 2024 09:41:27 GMT'],
  ])('refuses %s', (_case, value) => {
    expect(toIsoInstant(value)).toBeUndefined();
  });
});

describe('parseJsonBody', () => {
  it('reads UTF-8 JSON, a byte order mark included', () => {
    expect(parseJsonBody(Buffer.from('\uFEFF{"service":"café"}'))).toStrictEqual({
      service: 'café',
    });
  });

  it.each([
    ['empty', Buffer.alloc(0)],
    ['Latin-1 text', Buffer.from('{"service":"caf\xe9"}', 'latin1')],
  ])('refuses a body that is %s', (_case, body) => {
    expect(() => parseJsonBody(body)).toThrow(new MalformedMessage('body is not JSON'));
  });
});

describe('JsonFields', () => {
  const fields = JsonFields.of({ a: { b: [{ c: null }, { c: ' ' }] } });

  it('treats null and blank optional strings as absent', () => {
    const [first, second] = fields.object('a').objects('b');
    expect(first.optionalString('c')).toBeUndefined();
    expect(second.optionalString('c')).toBeUndefined();
  });

  it('names array elements by index in the path', () => {
    const [, second] = fields.object('a').objects('b');
    expect(() => second.string('c')).toThrow(new MalformedMessage('must not be empty', 'a.b[1].c'));
  });

  it('reads only own properties', () => {
    expect(() => fields.string('toString')).toThrow(
      new MalformedMessage('is required', 'toString'),
    );
  });
});
