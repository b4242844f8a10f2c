import { approvalRouteFor } from './approval-route';
import { RISK_LEVELS } from './risk-assessment';

describe('approvalRouteFor', () => {
  describe.each(RISK_LEVELS)('at %s risk', (level) => {
    it.each(['standard', 'preapproved'] as const)('approves a %s change automatically', (type) => {
      expect(approvalRouteFor(type, level)).toEqual({
        route: 'automatic',
        requiredApprovals: 0,
        requiresCab: false,
      });
    });

    it('routes an emergency change as an emergency, which one approval approves', () => {
      expect(approvalRouteFor('emergency', level)).toEqual({
        route: 'emergency',
        requiredApprovals: 1,
        requiresCab: false,
      });
    });
  });

  it('sends a high-risk normal change to the CAB: two approvals, one of them from the CAB', () => {
    expect(approvalRouteFor('normal', 'high')).toEqual({
      route: 'cab',
      requiredApprovals: 2,
      requiresCab: true,
    });
  });

  it.each(['low', 'medium'] as const)('sends a %s-risk normal change to peer review', (level) => {
    expect(approvalRouteFor('normal', level)).toEqual({
      route: 'peer-review',
      requiredApprovals: 1,
      requiresCab: false,
    });
  });
});
