import type { Logger } from '@nestjs/common';
import type { FollowerLoopOptions } from './follower-loop';
import { isStoreOutage } from './ledger-errors';

/**
 * How a follower of the feed says it failed and recovered: the database being down is an
 * outage to ride out (a warning), anything else is a bug (an error).
 */
export function followerLogging(
  name: string,
  logger: Logger,
): Pick<FollowerLoopOptions, 'onFailure' | 'onRecovery'> {
  return {
    onFailure: (error, attempt, retryInMs) => {
      const message = `${name}: cannot apply the feed (attempt ${attempt}): ${String(error)}; retrying from its checkpoint in ${retryInMs} ms`;
      if (isStoreOutage(error)) logger.warn(message);
      else logger.error(message);
    },
    onRecovery: (attempts, failingForMs) =>
      logger.log(
        `${name}: applying the feed again after ${attempts} failed attempts over ${Math.round(failingForMs / 1000)} s`,
      ),
  };
}
