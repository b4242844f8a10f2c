import { DateTime } from 'luxon';
import { WEEKDAYS, type Policy } from '../policy';

/** Whether normal changes in this environment owe the policy's minimum notice. */
export function noticeApplies(policy: Policy, environment: string): boolean {
  const { businessDays, environments } = policy.scheduling.minimumNotice;
  return businessDays > 0 && (environments === undefined || environments.includes(environment));
}

/**
 * The earliest a window may start for a change requested at `requestedAt` (epoch ms): that
 * many business days later, at the same local time, in the policy's zone.
 */
export function earliestStartAfterNotice(policy: Policy, requestedAt: number): number {
  const { businessDays: workdays } = policy.scheduling;
  let day = DateTime.fromMillis(requestedAt, { zone: policy.timeZone });
  for (let counted = 0; counted < policy.scheduling.minimumNotice.businessDays;) {
    day = day.plus({ days: 1 });
    if (workdays.includes(WEEKDAYS[day.weekday - 1])) counted += 1;
  }
  return day.toMillis();
}
