/** Bodies in the generic JSON format (src/ingest/formats/generic-event.schema.json). */

export function deploymentBody(id: string, service = 'checkout'): string {
  return JSON.stringify({
    kind: 'deployment',
    id,
    occurredAt: '2024-05-14T09:47:10Z',
    phase: 'succeeded',
    service,
    environment: 'production',
    version: '5.12.0',
  });
}

export function alertBody(id: string, service = 'checkout'): string {
  return JSON.stringify({
    kind: 'alert',
    id,
    occurredAt: '2024-05-14T10:01:00Z',
    status: 'firing',
    alertId: `alert-${id}`,
    name: 'Checkout p99 latency',
    service,
    severity: 'warning',
    startsAt: '2024-05-14T10:01:00Z',
  });
}

/** `count` generic deployments, spread round-robin over `partitions` partitions. */
export function deploymentMessages(count: number, partitions = 3) {
  return Array.from({ length: count }, (_, index) => ({
    partition: index % partitions,
    key: `key-${index}`,
    value: deploymentBody(`deploy-${index}`),
  }));
}
