/** Every change lives on its own stream, so its revision guards concurrent decisions. */
export const CHANGE_STREAM_PREFIX = 'change-';

export function changeStreamId(changeId: string): string {
  return `${CHANGE_STREAM_PREFIX}${changeId}`;
}
