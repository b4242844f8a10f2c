import { INGEST_FORMATS, isIngestFormat, normalizerFor, NORMALIZERS, type IngestFormat } from '.';
import { jsonMessage } from './fixtures/messages';
import alertmanagerGroup from './fixtures/alertmanager-group.json';
import cdeventsDeployed from './fixtures/cdevents-service-deployed.structured.json';
import genericDeployment from './fixtures/generic-deployment.json';
import githubSuccess from './fixtures/github-deployment-status-success.json';

const SAMPLES: Record<IngestFormat, unknown> = {
  cdevents: cdeventsDeployed,
  alertmanager: alertmanagerGroup,
  github: githubSuccess,
  generic: genericDeployment,
};

describe('normalizer registry', () => {
  it.each(INGEST_FORMATS)(
    'finds the %s normalizer, whose observations carry its name',
    (format) => {
      const normalize = normalizerFor(format);
      expect(normalize).toBe(NORMALIZERS[format]);
      const observations = normalize?.(jsonMessage(SAMPLES[format])) ?? [];
      expect(observations.length).toBeGreaterThan(0);
      for (const observation of observations) expect(observation.format).toBe(format);
    },
  );

  it.each(['CDEvents', 'prometheus', '', 'toString'])('knows no format named %j', (format) => {
    expect(isIngestFormat(format)).toBe(false);
    expect(normalizerFor(format)).toBeUndefined();
  });
});
