import { DEFAULT_POLICY, policyWith } from '../fixtures/policies';
import type { RiskAssessment } from '../risk/assess-risk';
import type { ChangeFacts } from '../risk/change-facts';
import { aSubject, quietFacts } from '../fixtures/subjects';
import { routeFor } from './approval-route';

const subject = aSubject;
const facts: ChangeFacts = quietFacts(3);
const risk = (level: RiskAssessment['level']): RiskAssessment => ({ score: 0, level, factors: [] });

describe('routeFor (default policy)', () => {
  it('sends a low or medium risk normal change to peer review, with its SLA', () => {
    for (const level of ['low', 'medium'] as const) {
      expect(routeFor(DEFAULT_POLICY, subject(), facts, risk(level))).toEqual({
        route: 'peer-review',
        requiredApprovals: 1,
        requiredCabApprovals: 0,
        requiresCab: false,
        approvalSla: { hours: 2, escalateTo: 'change-managers' },
        routedBy: 'routing rule 3',
      });
    }
  });

  it('sends a high-risk normal change to the CAB: two approvals, one of them from the CAB', () => {
    expect(routeFor(DEFAULT_POLICY, subject(), facts, risk('high'))).toEqual({
      route: 'cab',
      requiredApprovals: 2,
      requiredCabApprovals: 1,
      requiresCab: true,
      approvalSla: { hours: 48, escalateTo: 'cab-chair' },
      routedBy: "routing rule 1: risk.level == 'high'",
    });
  });

  it('routes on the facts: three tier-1 services downstream send a production change to the CAB', () => {
    const hub: ChangeFacts = {
      ...facts,
      downstream: ['a', 'b', 'c'].map((name) => ({ name, tier: 1 as const, depth: 1 })),
    };
    expect(routeFor(DEFAULT_POLICY, subject(), hub, risk('low'))).toMatchObject({
      route: 'cab',
      routedBy: "routing rule 2: change.environment == 'production' && facts.downstreamTier1 >= 3",
    });
    expect(
      routeFor(DEFAULT_POLICY, subject({ environment: 'staging' }), hub, risk('low')).route,
    ).toBe('peer-review');
  });

  it('routes an emergency as an emergency and a standard change automatically, at any risk', () => {
    expect(
      routeFor(DEFAULT_POLICY, subject({ type: 'emergency' }), facts, risk('high')),
    ).toMatchObject({ route: 'emergency', requiredApprovals: 1, approvalSla: null });
    expect(
      routeFor(DEFAULT_POLICY, subject({ type: 'standard', templateId: 't' }), facts, risk('low')),
    ).toMatchObject({
      route: 'automatic',
      requiredApprovals: 0,
      routedBy: 'a standard change from template t',
    });
  });

  it('takes quorum sizes from the policy', () => {
    const strict = policyWith((p) => {
      p.routes.cab.approvals = 3;
      p.routes.cab.cabApprovals = 2;
    });
    expect(routeFor(strict, subject(), facts, risk('high'))).toMatchObject({
      requiredApprovals: 3,
      requiredCabApprovals: 2,
    });
  });
});
