import { emergencyObligations } from './emergency-obligations';

describe('emergencyObligations', () => {
  const route = {
    approvals: 1,
    reviewWithinHours: 24,
    ticketWithinHours: 12,
    postMortemWithinHours: 48,
  };

  it('counts each deadline from the start of the deployment, in UTC', () => {
    expect(emergencyObligations(route, Date.parse('2030-03-31T23:00:00+02:00'))).toEqual({
      reviewDueBy: '2030-04-01T21:00:00.000Z',
      ticketDueBy: '2030-04-01T09:00:00.000Z',
      postMortemDueBy: '2030-04-02T21:00:00.000Z',
    });
  });
});
