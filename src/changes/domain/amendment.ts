import canonicalize from 'canonicalize';
import type { ChangeRequest, ExternalRefs } from './change-request';

/**
 * What a requester may edit after requesting: anything but the type and the template (a
 * different kind of change is a new request). External references merge field by field.
 */
export type ChangeAmendment = Partial<
  Omit<ChangeRequest, 'type' | 'templateId' | 'externalRefs'>
> & { readonly externalRefs?: ExternalRefs };

/** Fields that document a change without changing what is done: editing them binds nobody. */
const DOCUMENTATION: ReadonlySet<string> = new Set([
  'title',
  'description',
  'justification',
  'testPlan',
  'communicationPlan',
]);
const DOCUMENTATION_REFS: ReadonlySet<string> = new Set(['pullRequest', 'ticket']);

/** The fields an amendment sets: a field present but undefined sets nothing. */
export function amendedFields(fields: ChangeAmendment | ExternalRefs): [string, unknown][] {
  return Object.entries(fields).filter(([, value]) => value !== undefined);
}

export function amendedRequest(request: ChangeRequest, amendment: ChangeAmendment): ChangeRequest {
  const { externalRefs, ...fields } = Object.fromEntries(
    amendedFields(amendment),
  ) as ChangeAmendment;
  const amended = { ...request, ...fields };
  if (externalRefs === undefined) return amended;
  const refs = Object.fromEntries(amendedFields(externalRefs));
  return { ...amended, externalRefs: { ...request.externalRefs, ...refs } };
}

/**
 * Whether an amendment changes the change's scope (its services, environment, steps, window,
 * artifact, size, risk inputs): such an edit needs a new assessment and new approvals.
 */
export function changesScope(request: ChangeRequest, amendment: ChangeAmendment): boolean {
  const differs = (a: unknown, b: unknown) => canonicalize(a) !== canonicalize(b);
  const scopeField = amendedFields(amendment).some(
    ([field, value]) =>
      field !== 'externalRefs' &&
      !DOCUMENTATION.has(field) &&
      differs(value, request[field as keyof ChangeRequest]),
  );
  const scopeRef = amendedFields(amendment.externalRefs ?? {}).some(
    ([field, value]) =>
      !DOCUMENTATION_REFS.has(field) &&
      differs(value, request.externalRefs?.[field as keyof ExternalRefs]),
  );
  return scopeField || scopeRef;
}
