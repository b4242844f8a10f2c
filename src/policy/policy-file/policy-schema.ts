import { z } from 'zod';
import { SERVICE_TIERS } from '../../services/domain/catalog-events';
import {
  CONFLICT_ACTIONS,
  RISK_LEVELS,
  TEMPLATE_TYPES,
  WEEKDAYS,
  type ChangeTemplate,
  type MaintenanceWindow,
  type Policy,
} from '../policy';

// Every object is strict: a misspelt key in a policy must be an error, never a rule that
// silently does not apply.

const NAME = /^[a-z0-9][a-z0-9._-]{0,99}$/;
const LOCAL_TIME = /^([01]\d|2[0-3]):[0-5]\d$/;
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;

const text = z.string().trim().min(1, 'must not be blank').max(2000);
const id = z.string().regex(NAME, 'must be lower-case letters, digits, ".", "_" or "-"');
const weight = z.number().min(0).max(1000);
const hours = z
  .number()
  .positive()
  .max(24 * 365);
const tier = z.union(SERVICE_TIERS.map((value) => z.literal(value)));
const level = z.enum(RISK_LEVELS);
const weekday = z.enum(WEEKDAYS);
const instant = z.string().regex(INSTANT, 'must be an ISO-8601 date-time with an offset');
const localTime = z.string().regex(LOCAL_TIME, 'must be a local time "HH:MM"');
const list = <T extends z.ZodType>(item: T) => z.array(item).max(1000);
const names = list(z.string().trim().min(1).max(200)).min(1, 'must name at least one');

/** A zone Intl knows (IANA), checked here so a window never silently reads UTC. */
const timeZone = z.string().refine(isTimeZone, 'must be an IANA time zone, e.g. Europe/London');

function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

const tierWeights = z.strictObject({ tier1: weight, tier2: weight, tier3: weight, tier4: weight });
const sizeSteps = list(z.strictObject({ above: z.number().int().min(0), add: weight })).default([]);
const approvalSla = z.strictObject({ hours, escalateTo: text }).nullable().default(null);
const approvals = z.number().int().min(1).max(20);

const riskRule = z.strictObject({
  id,
  when: text,
  add: z.number().min(-1000).max(1000),
  reason: text,
});

const risk = z
  .strictObject({
    levels: z.strictObject({ medium: weight, high: weight }),
    weights: z.strictObject({
      serviceTier: tierWeights,
      downstream: z.strictObject({ perService: tierWeights, max: weight }),
      changeFailureRate: z.strictObject({
        lookBackDays: z.number().int().min(1).max(3650),
        minimumDeployments: z.number().int().min(1).max(100_000),
        weight,
        max: weight,
      }),
      databaseMigration: weight,
      emergency: weight,
      filesChanged: sizeSteps,
      linesChanged: sizeSteps,
    }),
    declaredBlastRadius: z.strictObject({ low: level, medium: level, high: level }),
    rules: list(riskRule).default([]),
  })
  .refine((r) => r.levels.medium <= r.levels.high, {
    message: 'levels.medium must not be above levels.high',
    path: ['levels', 'medium'],
  });

const routes = z.strictObject({
  'peer-review': z.strictObject({ approvals, approvalSla }),
  cab: z
    .strictObject({ approvals, cabApprovals: z.number().int().min(0).max(20), approvalSla })
    .refine((cab) => cab.cabApprovals <= cab.approvals, {
      message: 'cabApprovals must not exceed approvals',
      path: ['cabApprovals'],
    }),
  emergency: z.strictObject({
    approvals,
    reviewWithinHours: hours.default(24),
    ticketWithinHours: hours.default(24),
    postMortemWithinHours: hours.default(48),
  }),
});

const routingRule = z.strictObject({
  when: text.optional(),
  route: z.enum(['peer-review', 'cab'], {
    error: 'must be peer-review or cab: automatic approval comes from templates only',
  }),
});

const template = z
  .strictObject({
    id,
    title: text,
    types: list(z.enum(TEMPLATE_TYPES)).min(1),
    categories: names,
    environments: names,
    services: names.optional(),
    tiers: list(tier).min(1).optional(),
    databaseMigration: z.boolean().default(false),
    steps: list(text).min(1, 'a template states its steps'),
    rollbackPlan: z.strictObject({
      trigger: text,
      steps: list(text).min(1),
      expectedMinutes: z.number().int().min(0).max(10080),
    }),
    maxRisk: level,
  })
  .refine((t) => t.services !== undefined || t.tiers !== undefined, {
    message: 'a template names the services or the tiers it may touch',
    path: ['services'],
  }) satisfies z.ZodType<ChangeTemplate>;

const maintenanceWindow = z
  .strictObject({
    id,
    environments: names,
    tiers: list(tier).min(1),
    days: list(weekday).min(1),
    from: localTime,
    to: localTime,
    timeZone: timeZone.optional(),
  })
  .refine((w) => w.from !== w.to, {
    message: 'from and to must differ',
    path: ['to'],
  }) satisfies z.ZodType<MaintenanceWindow>;

const blackout = z
  .strictObject({
    id,
    reason: text,
    start: instant,
    end: instant,
    environments: names.optional(),
    services: names.optional(),
  })
  .refine((b) => Date.parse(b.start) < Date.parse(b.end), {
    message: 'end must be after start',
    path: ['end'],
  });

const scheduling = z.strictObject({
  businessDays: list(weekday).min(1).default(['mon', 'tue', 'wed', 'thu', 'fri']),
  minimumNotice: z.strictObject({
    businessDays: z.number().int().min(0).max(100),
    environments: names.optional(),
  }),
  maxWindowHours: hours,
  reportingDelayMinutes: z
    .number()
    .int()
    .min(0)
    .max(24 * 60)
    .default(15),
});

const gates = z.strictObject({
  errorRateBelow: z.number().gt(0).max(1).nullable(),
  p99LatencyIncreaseAtMostPercent: z.number().min(0).max(10_000).nullable(),
  holdMinutes: z
    .number()
    .min(0)
    .max(24 * 60),
  withoutMetrics: z.enum(['promote', 'halt']),
});

const uniqueIds =
  (field: string) => (items: readonly { id: string }[], context: z.RefinementCtx) => {
    const seen = new Set<string>();
    items.forEach((item, index) => {
      if (seen.has(item.id)) {
        context.addIssue({
          code: 'custom',
          message: `${field} id "${item.id}" is used twice`,
          path: [index, 'id'],
        });
      }
      seen.add(item.id);
    });
  };

/** The policy file's schema: what config/policy.yaml and any POLICY_FILE must look like. */
export const policySchema = z.strictObject({
  name: id,
  timeZone,
  services: z.strictObject({ unregisteredTier: tier }),
  risk,
  routes,
  routing: list(routingRule)
    .min(1, 'at least one routing rule')
    .refine((rules) => rules.at(-1)?.when === undefined, {
      message: 'the last routing rule must have no "when": every normal change needs a route',
    }),
  templates: list(template).default([]).superRefine(uniqueIds('template')),
  windows: list(maintenanceWindow).default([]).superRefine(uniqueIds('window')),
  blackouts: list(blackout).default([]).superRefine(uniqueIds('blackout')),
  scheduling,
  conflicts: z.strictObject({
    sameService: z.enum(CONFLICT_ACTIONS),
    dependency: z.enum(CONFLICT_ACTIONS),
  }),
  gates,
}) satisfies z.ZodType<Policy>;
