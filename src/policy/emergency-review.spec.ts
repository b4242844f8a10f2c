import { EMERGENCY_REVIEW_HOURS, emergencyReviewDueBy } from './emergency-review';

describe('emergencyReviewDueBy', () => {
  it('is due 24 hours after the deployment started', () => {
    expect(EMERGENCY_REVIEW_HOURS).toBe(24);
    expect(emergencyReviewDueBy('2030-01-01T09:30:00.000Z')).toBe('2030-01-02T09:30:00.000Z');
  });

  it('honours the offset of the start time and answers in UTC', () => {
    expect(emergencyReviewDueBy('2030-03-31T23:00:00+02:00')).toBe('2030-04-01T21:00:00.000Z');
  });
});
