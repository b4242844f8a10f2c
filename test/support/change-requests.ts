import { changeRequest as validRequest } from '../../src/compliance/domain/fixtures/change-history';

const HOUR = 3_600_000;

/** A valid normal change as the API takes it, planned in a window around now. */
export function changeRequest(overrides: Record<string, unknown> = {}) {
  return {
    ...validRequest(),
    plannedWindow: {
      start: new Date(Date.now() - HOUR).toISOString(),
      end: new Date(Date.now() + HOUR).toISOString(),
    },
    ...overrides,
  };
}
