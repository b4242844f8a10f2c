import { ValidateBy } from 'class-validator';
import { toInstant } from '../kernel/instant';

/**
 * An ISO-8601 date-time with its offset: required, so an instant in a query or body means
 * the same whatever the server's time zone.
 */
export const IsInstant = () =>
  ValidateBy({
    name: 'isInstant',
    validator: {
      validate: (value: unknown) => typeof value === 'string' && toInstant(value) !== undefined,
      defaultMessage: (args) =>
        `${args?.property ?? 'value'} must be an ISO-8601 date-time with a UTC offset`,
    },
  });
