import type { DeploymentPhase } from '../../deployments/domain/service-events';
import {
  MalformedMessage,
  type IncidentObservation,
  type InboundMessage,
  type Normalizer,
  type Observation,
} from '../observation';
import { defined, JsonFields, parseJsonBody, serviceName } from './json-fields';

/**
 * CDEvents (v0.4 vocabulary) carried as CloudEvents 1.0, in either content mode:
 *
 * - binary: the CloudEvent attributes are headers (`ce_*` on Kafka, `ce-*` over HTTP) and the
 *   body is the CDEvent JSON; chosen when a `ce_specversion` or `ce-specversion` header is present;
 * - structured: the body is the whole CloudEvent (`application/cloudevents+json`) and the CDEvent
 *   is its JSON `data` (`data_base64` is refused: a CDEvent is JSON).
 *
 * A bare CDEvent without a CloudEvents envelope is refused (no `specversion`).
 *
 * | type (any version suffix)     | observation                                |
 * | ----------------------------- | ------------------------------------------ |
 * | service.deployed / upgraded   | deployment, phase succeeded                |
 * | service.rolledback            | deployment, phase rolledback               |
 * | service.removed               | deployment, phase removed                  |
 * | change.merged                 | change-merged                              |
 * | incident.detected / reported / resolved | incident with that status        |
 *
 * Anything else is refused as an unsupported type. The service is `subject.id`, the environment
 * `subject.content.environment.id`, the version the `@version` of the `subject.content.artifactId`
 * package URL. CDEvents has no field for our change id or a commit: senders put them in
 * `customData.changeId` and `customData.commit` (and `customData.service` on change.merged).
 * sourceId is the CDEvent `context.source` and `context.id`, which are unique together.
 */
export const normalizeCdevents: Normalizer = (message) => {
  const cloudEvent = readCloudEvent(message);
  const event = readCdevent(cloudEvent);
  const observe = EVENT_TYPES.get(event.name);
  if (observe === undefined) throw unsupportedType(cloudEvent);
  return [observe(event)];
};

interface CloudEvent {
  readonly id: string;
  readonly source: string;
  readonly type: string;
  /** Where each attribute was read, to name it in a refusal. */
  readonly fields: { readonly id: string; readonly source: string; readonly type: string };
  readonly data: JsonFields;
}

interface Cdevent {
  /** `<subject>.<predicate>`, without the version. */
  readonly name: string;
  readonly sourceId: string;
  /** The CloudEvent source: what the sender says produced it, kept as reported. */
  readonly source: string;
  readonly occurredAt: string;
  readonly subjectFields: JsonFields;
  readonly customData?: JsonFields;
}

const CLOUDEVENTS_VERSION = '1.0';

function readCloudEvent({ body, headers }: InboundMessage): CloudEvent {
  const prefix = ['ce_', 'ce-'].find(
    (candidate) => headers[`${candidate}specversion`] !== undefined,
  );
  return prefix === undefined ? readStructured(body) : readBinary(body, headers, prefix);
}

function readStructured(body: Buffer): CloudEvent {
  const envelope = JsonFields.of(parseJsonBody(body));
  const specversion = envelope.string('specversion');
  if (specversion !== CLOUDEVENTS_VERSION) {
    throw new MalformedMessage(`unsupported CloudEvents version "${specversion}"`, 'specversion');
  }
  return {
    id: envelope.string('id'),
    source: envelope.string('source'),
    type: envelope.string('type'),
    fields: { id: 'id', source: 'source', type: 'type' },
    data: envelope.object('data'),
  };
}

function readBinary(
  body: Buffer,
  headers: Readonly<Record<string, string>>,
  prefix: string,
): CloudEvent {
  const header = (name: string): string => {
    const field = prefix + name;
    const raw = headers[field];
    if (raw === undefined || raw.trim() === '') throw new MalformedMessage('is required', field);
    // The HTTP binding percent-encodes attribute values in headers; the Kafka binding does not.
    if (prefix === 'ce_') return raw;
    try {
      return decodeURIComponent(raw);
    } catch {
      throw new MalformedMessage('is not a valid percent-encoded value', field);
    }
  };
  const specversion = header('specversion');
  if (specversion !== CLOUDEVENTS_VERSION) {
    throw new MalformedMessage(
      `unsupported CloudEvents version "${specversion}"`,
      `${prefix}specversion`,
    );
  }
  return {
    id: header('id'),
    source: header('source'),
    type: header('type'),
    fields: { id: `${prefix}id`, source: `${prefix}source`, type: `${prefix}type` },
    data: JsonFields.of(parseJsonBody(body)),
  };
}

// dev.cdevents.<subject>.<predicate>.<version>, e.g. dev.cdevents.service.deployed.0.2.0
const CDEVENT_TYPE = /^dev\.cdevents\.([a-z]+\.[a-z]+)\.\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?$/;

function readCdevent(cloudEvent: CloudEvent): Cdevent {
  const context = cloudEvent.data.object('context');
  const [id, source, type] = [
    context.string('id'),
    context.string('source'),
    context.string('type'),
  ];
  // The binding requires the envelope to repeat the CDEvent's identity: when they disagree we
  // cannot know which one the sender meant.
  for (const [key, value] of [
    ['id', id],
    ['source', source],
    ['type', type],
  ] as const) {
    if (cloudEvent[key] !== value) {
      throw new MalformedMessage(
        `does not match the CloudEvent ${key} "${cloudEvent[key]}"`,
        context.pathOf(key),
      );
    }
  }
  const match = CDEVENT_TYPE.exec(type);
  if (match === null) throw unsupportedType(cloudEvent);
  return {
    name: match[1],
    sourceId: `cdevents:${JSON.stringify([source, id])}`,
    source,
    occurredAt: context.instant('timestamp'),
    subjectFields: cloudEvent.data.object('subject'),
    // customData may also be a base64 string (non-JSON content): it then carries none of ours.
    customData: cloudEvent.data.objectIfAny('customData'),
  };
}

function unsupportedType(cloudEvent: CloudEvent): MalformedMessage {
  return new MalformedMessage(`unsupported type "${cloudEvent.type}"`, cloudEvent.fields.type);
}

const EVENT_TYPES = new Map<string, (event: Cdevent) => Observation>([
  ['service.deployed', (event) => deployment(event, 'succeeded')],
  ['service.upgraded', (event) => deployment(event, 'succeeded')],
  ['service.rolledback', (event) => deployment(event, 'rolledback')],
  ['service.removed', (event) => deployment(event, 'removed')],
  ['change.merged', changeMerged],
  ['incident.detected', (event) => incident(event, 'detected')],
  ['incident.reported', (event) => incident(event, 'reported')],
  ['incident.resolved', (event) => incident(event, 'resolved')],
]);

function deployment(event: Cdevent, phase: DeploymentPhase): Observation {
  const content = event.subjectFields.object('content');
  // service.removed has no artifact: nothing runs any more.
  const artifactId =
    phase === 'removed' ? content.optionalString('artifactId') : content.string('artifactId');
  return defined({
    format: 'cdevents',
    kind: 'deployment',
    sourceId: event.sourceId,
    occurredAt: event.occurredAt,
    reportedBy: event.source,
    phase,
    service: serviceName(event.subjectFields.string('id')),
    environment: content.object('environment').string('id'),
    version:
      artifactId === undefined ? undefined : purlVersion(artifactId, content.pathOf('artifactId')),
    commit: event.customData?.optionalString('commit'),
    changeId: event.customData?.optionalString('changeId'),
  });
}

function changeMerged(event: Cdevent): Observation {
  const service = event.customData?.optionalString('service');
  return defined({
    format: 'cdevents',
    kind: 'change-merged',
    sourceId: event.sourceId,
    occurredAt: event.occurredAt,
    reportedBy: event.source,
    // A CDEvents change is a proposed change to a repository: a pull or merge request.
    pullRequest: event.subjectFields.string('id'),
    repository: event.subjectFields
      .optionalObject('content')
      ?.optionalObject('repository')
      ?.string('id'),
    commit: event.customData?.optionalString('commit'),
    service: service === undefined ? undefined : serviceName(service),
    changeId: event.customData?.optionalString('changeId'),
  });
}

function incident(event: Cdevent, status: IncidentObservation['status']): Observation {
  const content = event.subjectFields.object('content');
  return defined({
    format: 'cdevents',
    kind: 'incident',
    sourceId: event.sourceId,
    occurredAt: event.occurredAt,
    reportedBy: event.source,
    status,
    incidentId: event.subjectFields.string('id'),
    // Optional in CDEvents, but an incident on no service cannot be correlated with any change.
    service: serviceName(content.object('service').string('id')),
    environment: content.object('environment').string('id'),
    description: content.optionalString('description'),
    url: status === 'reported' ? content.string('ticketURI') : undefined,
  });
}

/**
 * The version of a package URL (`pkg:type/namespace/name@version?qualifiers#subpath`), split
 * from the right on '@' as the purl specification parses it, and percent-decoded.
 */
function purlVersion(purl: string, field: string): string | undefined {
  if (!purl.startsWith('pkg:')) {
    throw new MalformedMessage('must be a package URL (pkg:type/name@version)', field);
  }
  const withoutSuffixes = purl.split('#')[0].split('?')[0];
  const at = withoutSuffixes.lastIndexOf('@');
  if (at === -1) return undefined;
  const encoded = withoutSuffixes.slice(at + 1);
  // A '/' after the '@' means the '@' was an unencoded one in the name, not a version separator.
  if (encoded === '' || encoded.includes('/')) {
    throw new MalformedMessage('is not a valid package URL', field);
  }
  try {
    return decodeURIComponent(encoded);
  } catch {
    throw new MalformedMessage('is not a valid package URL', field);
  }
}
