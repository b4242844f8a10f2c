import { z } from 'zod';
import { MalformedMessage, type Normalizer, type Observation } from '../observation';
import { defined, INSTANT_REASON, parseJsonBody, serviceName, toIsoInstant } from './json-fields';

/**
 * The generic JSON event, for senders that speak none of the other formats: one deployment or
 * alert per message. The zod schema below is the validator; GENERIC_EVENT_SCHEMA (and
 * generic-event.schema.json, which a test keeps identical) is the same schema rendered as JSON
 * Schema, so the documented contract and the check cannot drift apart. Unknown fields are
 * refused: a misspelt optional field must not pass silently for an absent one.
 */

const NOT_BLANK = /\S/;

const text = (description: string) => z.string().regex(NOT_BLANK).meta({ description });

// Normalized while validated, so the observation carries the one spelling of each instant.
const instant = (description: string) =>
  z
    .string()
    .transform((value, context) => {
      const iso = toIsoInstant(value);
      if (iso === undefined) context.addIssue({ code: 'custom', message: INSTANT_REASON });
      return iso ?? z.NEVER;
    })
    .meta({ format: 'date-time', description });

const common = {
  id: text("The sender's unique id for this occurrence; a redelivery must repeat it."),
  occurredAt: instant('When it happened (RFC 3339: seconds and a UTC offset required).'),
};

const deploymentEvent = z
  .strictObject({
    kind: z.literal('deployment').meta({ description: 'A deployment reached a phase.' }),
    ...common,
    phase: z
      .enum(['started', 'stage', 'succeeded', 'failed', 'rolledback', 'removed'])
      .meta({ description: 'stage: a rollout step (see stage, percent) completed.' }),
    service: text('Service deployed; compared lower-cased.'),
    environment: text('Environment deployed to, e.g. production.'),
    version: text('Version deployed.').optional(),
    commit: text('Commit deployed.').optional(),
    changeId: text('Our change id, when the deployment implements a known change.').optional(),
    deploymentId: text("The sender's id for the whole deployment, across its phases.").optional(),
    stage: text('Rollout stage reached, e.g. canary.').optional(),
    percent: z.number().min(0).max(100).optional().meta({ description: 'Share of traffic.' }),
    actor: text(
      'Who or what deployed (pipeline, bot, user), kept as reported: the recorded actor is the authenticated sender.',
    ).optional(),
    url: z.url().optional().meta({ description: 'Link to the deployment run.' }),
  })
  .meta({ title: 'Deployment event' });

const alertEvent = z
  .strictObject({
    kind: z.literal('alert').meta({ description: 'An alert fired or resolved.' }),
    ...common,
    status: z.enum(['firing', 'resolved']).meta({ description: 'Firing or resolved.' }),
    alertId: text('Stable identity of the alert instance, the same when firing and resolved.'),
    name: text('Alert name.'),
    service: text('Service alerting; compared lower-cased.'),
    severity: text('Severity, e.g. critical, warning.'),
    labels: z
      .record(z.string(), z.string())
      .optional()
      .meta({ description: 'Labels of the alert, e.g. team, region.' }),
    startsAt: instant('When the alert started firing.'),
    endsAt: instant('When the alert resolved.').optional(),
    summary: text('One-line description.').optional(),
    environment: text('Environment alerting, e.g. production.').optional(),
    url: z.url().optional().meta({ description: 'Link to the alert or its graph.' }),
  })
  .meta({ title: 'Alert event' });

const genericEvent = z.discriminatedUnion('kind', [deploymentEvent, alertEvent]);

const { $schema, ...rendered } = z.toJSONSchema(genericEvent, {
  target: 'draft-2020-12',
  // What a sender writes: instants before their normalization.
  io: 'input',
});

/** JSON Schema (draft 2020-12) of the generic event; docs/ingest.md shows it. */
export const GENERIC_EVENT_SCHEMA = {
  $schema,
  $id: 'urn:change-ledger:generic-event',
  title: 'change-ledger generic event',
  description: 'A deployment or an alert, for senders that use none of the supported formats.',
  ...rendered,
};

export const normalizeGeneric: Normalizer = ({ body }) => {
  const result = genericEvent.safeParse(parseJsonBody(body), { error: reasonFor });
  if (!result.success) throw toMalformed(result.error.issues[0]);
  return [toObservation(result.data)];
};

function toObservation(event: z.infer<typeof genericEvent>): Observation {
  const { id, service, ...fields } = event;
  const identity = { format: 'generic', sourceId: `generic:${id}`, service: serviceName(service) };
  if (fields.kind === 'alert') {
    return defined({ ...fields, ...identity, labels: fields.labels ?? {} });
  }
  const { actor, ...deployment } = fields;
  return defined({ ...deployment, ...identity, reportedBy: actor });
}

// Every type the schema expects somewhere.
const EXPECTED: Readonly<Record<string, string>> = {
  object: 'a JSON object',
  record: 'a JSON object',
  string: 'a string',
  number: 'a number',
};

/** Reasons in the words the other formats use, so dead letters read alike. */
function reasonFor(issue: z.core.$ZodRawIssue): string {
  switch (issue.code) {
    case 'invalid_type':
      return issue.input === undefined ? 'is required' : `must be ${EXPECTED[issue.expected]}`;
    case 'invalid_value':
      return `must be one of: ${issue.values.join(', ')}`;
    case 'invalid_union':
      return `must be one of: ${genericEvent.options.map((option) => option.shape.kind.value).join(', ')}`;
    // The only formats checked: the not-blank pattern of text fields, and URLs.
    case 'invalid_format':
      return issue.format === 'regex' ? 'must not be empty' : 'must be a URL';
    case 'too_small':
      return `must be at least ${issue.minimum}`;
    case 'too_big':
      return `must be at most ${issue.maximum}`;
    case 'unrecognized_keys':
      return 'is not a field of this kind of event';
    default:
      return issue.message ?? 'is invalid';
  }
}

function toMalformed(issue: z.core.$ZodIssue): MalformedMessage {
  const path = issue.code === 'unrecognized_keys' ? [...issue.path, issue.keys[0]] : issue.path;
  return new MalformedMessage(issue.message, fieldPath(path) || 'body');
}

function fieldPath(path: readonly PropertyKey[]): string {
  return path
    .map((key, index) =>
      typeof key === 'number' ? `[${key}]` : `${index === 0 ? '' : '.'}${String(key)}`,
    )
    .join('');
}
