import type { DeploymentPhase } from '../../deployments/domain/service-events';
import { MalformedMessage, type Normalizer, type Observation } from '../observation';
import { defined, JsonFields, parseJsonBody, serviceName } from './json-fields';

/**
 * GitHub webhook `deployment_status` event. Signature (X-Hub-Signature-256) and delivery id are
 * checked by the HTTP layer; this reads the payload only.
 *
 * | deployment_status.state        | observation                                      |
 * | ------------------------------ | ------------------------------------------------ |
 * | in_progress                    | deployment started                               |
 * | success                        | deployment succeeded                             |
 * | failure, error                 | deployment failed                                |
 * | pending, queued, waiting       | nothing: the deployment has not begun (it may   |
 * |                                | wait for an approval, or never run)             |
 * | inactive                       | nothing: a later deployment superseded this one |
 *
 * Any other state is refused. service: `deployment.payload.service`, else `repository.name`;
 * version: `deployment.payload.version`, else `deployment.ref`; changeId:
 * `deployment.payload.changeId`; sourceId: `github:<deployment_status.id>`.
 */
export const normalizeGithubDeploymentStatus: Normalizer = ({ body, headers }) => {
  const event = headers['x-github-event'];
  if (event !== undefined && event !== 'deployment_status') {
    throw new MalformedMessage(`unsupported GitHub event "${event}"`, 'x-github-event');
  }
  const root = JsonFields.of(parseJsonBody(body));
  const status = root.object('deployment_status');
  const state = status.oneOf('state', STATES);
  return REPORTING_NOTHING.includes(state) ? [] : [toObservation(root, status, PHASES[state])];
};

const PHASES: Readonly<Record<string, DeploymentPhase>> = {
  in_progress: 'started',
  success: 'succeeded',
  failure: 'failed',
  error: 'failed',
};
const REPORTING_NOTHING = ['pending', 'queued', 'waiting', 'inactive'];
const STATES = [...Object.keys(PHASES), ...REPORTING_NOTHING];

function toObservation(root: JsonFields, status: JsonFields, phase: DeploymentPhase): Observation {
  const deployment = root.object('deployment');
  const payload = readPayload(deployment);
  const service = payload?.optionalString('service') ?? root.object('repository').string('name');
  return defined({
    format: 'github',
    kind: 'deployment',
    sourceId: `github:${status.integerId('id')}`,
    occurredAt: status.instant('created_at'),
    phase,
    service: serviceName(service),
    environment: deployment.string('environment'),
    version: payload?.optionalString('version') ?? deployment.optionalString('ref'),
    commit: deployment.string('sha'),
    changeId: payload?.optionalString('changeId'),
    deploymentId: deployment.integerId('id'),
    reportedBy: deployment.optionalObject('creator')?.optionalString('login'),
    // log_url replaces the deprecated target_url; older senders set only the latter.
    url: status.optionalString('log_url') ?? status.optionalString('target_url'),
  });
}

/**
 * `deployment.payload` is whatever the creator of the deployment sent: an object, or a string
 * that GitHub stores as given (often a JSON object written as text). Free text carries none of
 * our fields.
 */
function readPayload(deployment: JsonFields): JsonFields | undefined {
  const payload = deployment.objectIfAny('payload');
  const text = payload === undefined ? deployment.optionalString('payload') : undefined;
  if (text === undefined) return payload;
  try {
    return JsonFields.ifObject(JSON.parse(text), deployment.pathOf('payload'));
  } catch {
    return undefined;
  }
}
