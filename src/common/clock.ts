/** Time comes from here, so commands carry it and tests can fix it. */
export class Clock {
  now(): Date {
    return new Date();
  }
}
