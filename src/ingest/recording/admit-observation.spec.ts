import { MalformedMessage, type DeploymentObservation } from '../observation';
import { admitObservation } from './admit-observation';

const receivedAt = '2026-05-01T12:00:00.000Z';
const origin = { source: 'webhook:generic', correlationId: 'r', sender: 'ci-bot', receivedAt };
const deploy: DeploymentObservation = {
  kind: 'deployment',
  format: 'generic',
  sourceId: 'generic:run-1',
  occurredAt: '2026-05-01T11:59:00.000Z',
  phase: 'succeeded',
  service: 'checkout',
  environment: 'production',
};

describe('admitObservation', () => {
  it('scopes the source id to the sender', () => {
    const admitted = admitObservation({ observation: deploy, origin }, 300);
    expect(admitted.observation.sourceId).toBe('["ci-bot","generic:run-1"]');
    const other = admitObservation(
      { observation: deploy, origin: { ...origin, sender: 'x' } },
      300,
    );
    expect(other.observation.sourceId).not.toBe(admitted.observation.sourceId);
  });

  it('refuses an occurrence further ahead of the ledger clock than the skew', () => {
    const at = (occurredAt: string) => () =>
      admitObservation({ observation: { ...deploy, occurredAt }, origin }, 300);
    expect(at('2026-05-01T12:05:00.000Z')).not.toThrow();
    expect(at('2026-05-01T12:05:01.000Z')).toThrow(MalformedMessage);
    expect(at('2099-01-01T00:00:00.000Z')).toThrow(/more than 300 s ahead/);
  });

  it('refuses names no index can hold and text no store can keep, naming the field', () => {
    const admit = (fields: Partial<DeploymentObservation>) => () =>
      admitObservation({ observation: { ...deploy, ...fields }, origin }, 300);
    expect(admit({ service: 's'.repeat(201) })).toThrow('service: must be at most 200 characters');
    expect(admit({ version: 'v\u0000' })).toThrow(/version: must not contain a NUL/);
    expect(admit({ url: 'https://x/\ud800' })).toThrow(/url: must be valid Unicode/);
  });
});
