import { periodsBetween } from './periods';

const t = (iso: string) => Date.parse(iso);
const iso = (periods: Array<{ start: number; end: number }>) =>
  periods.map((p) => [new Date(p.start).toISOString(), new Date(p.end).toISOString()]);

describe('cutting a range into buckets', () => {
  it('cuts at UTC midnight, clipping the ends to the range', () => {
    expect(
      iso(periodsBetween(t('2031-03-02T12:00:00Z'), t('2031-03-04T06:00:00Z'), 'day')),
    ).toEqual([
      ['2031-03-02T12:00:00.000Z', '2031-03-03T00:00:00.000Z'],
      ['2031-03-03T00:00:00.000Z', '2031-03-04T00:00:00.000Z'],
      ['2031-03-04T00:00:00.000Z', '2031-03-04T06:00:00.000Z'],
    ]);
  });

  it('cuts at Monday 00:00 UTC (ISO weeks)', () => {
    // 2031-03-05 is a Wednesday; 2031-03-10 and 2031-03-17 are Mondays.
    expect(
      iso(periodsBetween(t('2031-03-05T00:00:00Z'), t('2031-03-17T00:00:00Z'), 'week')),
    ).toEqual([
      ['2031-03-05T00:00:00.000Z', '2031-03-10T00:00:00.000Z'],
      ['2031-03-10T00:00:00.000Z', '2031-03-17T00:00:00.000Z'],
    ]);
    // A Sunday belongs to the week that started the Monday before.
    expect(
      iso(periodsBetween(t('2031-03-16T10:00:00Z'), t('2031-03-16T11:00:00Z'), 'week')),
    ).toEqual([['2031-03-16T10:00:00.000Z', '2031-03-16T11:00:00.000Z']]);
  });
});
