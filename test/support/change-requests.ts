const hourFromNow = (hours: number) => new Date(Date.now() + hours * 3_600_000).toISOString();

/** A complete, valid normal change request (what alice sends in docs/api.md). */
export function changeRequest(overrides: Record<string, unknown> = {}) {
  return {
    title: 'Raise checkout connection pool to 50',
    description: 'Pool exhaustion under peak load',
    type: 'normal',
    category: 'software-config',
    services: ['checkout'],
    environment: 'production',
    justification: 'p99 latency breaches at peak',
    implementationSteps: ['change pool size', 'rolling restart'],
    rollbackPlan: { trigger: 'error rate > 2%', steps: ['revert config'], expectedMinutes: 10 },
    testPlan: 'load test in staging',
    communicationPlan: '#checkout channel',
    plannedWindow: { start: hourFromNow(-1), end: hourFromNow(2) },
    blastRadius: 'low',
    hasDatabaseMigration: false,
    externalRefs: { pullRequest: 'https://git.example.com/shop/pull/1', commit: 'abc123' },
    ...overrides,
  };
}
