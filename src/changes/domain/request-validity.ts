import { BLAST_RADII, CHANGE_CATEGORIES, CHANGE_TYPES } from './change-request';
import type { ChangeRequest } from './change-request';
import { assertValidWindow } from './change-window';
import { DomainError } from '../../kernel/domain-error';
import { hasText } from '../../kernel/required-text';

/**
 * Refuses a request missing what every change must state. The ledger keeps whatever it records
 * forever, so this also checks what an untyped caller could get wrong. Optional parts may be
 * missing: those are audit-completeness findings, not errors.
 */
export function assertValidRequest(changeId: string, request: ChangeRequest): void {
  const problems = requestProblems(request);
  if (problems.length > 0) {
    throw new DomainError(
      'invalid-request',
      `cannot request change ${changeId}: ${problems.join('; ')}`,
    );
  }
  if (request.plannedWindow !== undefined) {
    assertValidWindow(request.plannedWindow, 'the planned window');
  }
}

function requestProblems(request: ChangeRequest): string[] {
  const problems: string[] = [];
  for (const field of ['title', 'description', 'environment'] as const) {
    if (!hasText(request[field])) problems.push(`${field} is required`);
  }
  if (!CHANGE_TYPES.includes(request.type)) {
    problems.push(`type must be one of ${CHANGE_TYPES.join(', ')}`);
  }
  if (!CHANGE_CATEGORIES.includes(request.category)) {
    problems.push(`category must be one of ${CHANGE_CATEGORIES.join(', ')}`);
  }
  if (!BLAST_RADII.includes(request.blastRadius)) {
    problems.push(`blastRadius must be one of ${BLAST_RADII.join(', ')}`);
  }
  if (typeof request.hasDatabaseMigration !== 'boolean') {
    problems.push('hasDatabaseMigration must be true or false');
  }
  if (!Array.isArray(request.services) || request.services.length === 0) {
    problems.push('at least one service is required');
  } else if (!request.services.every(hasText)) {
    problems.push('service names must not be blank');
  }
  if (
    request.templateId !== undefined &&
    request.type !== 'standard' &&
    request.type !== 'preapproved'
  ) {
    problems.push('templateId is only for standard and preapproved changes');
  }
  for (const field of ['filesChanged', 'linesChanged'] as const) {
    const size = request[field];
    if (size !== undefined && !(Number.isInteger(size) && size >= 0)) {
      problems.push(`${field} must be a whole number, 0 or more`);
    }
  }
  const minutes = request.rollbackPlan?.expectedMinutes;
  if (minutes !== undefined && !(Number.isFinite(minutes) && minutes >= 0)) {
    problems.push('rollbackPlan.expectedMinutes must be a finite number of minutes, 0 or more');
  }
  return problems;
}
