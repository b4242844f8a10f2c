import { Clock } from '../../src/common/clock';

/**
 * The application's clock, stopped where the suite sets it: every recorded time is known, and
 * a change can be requested and then deployed two hours later in one run.
 */
export class TestClock extends Clock {
  private at: number;

  constructor(at: string = new Date().toISOString()) {
    super();
    this.at = Date.parse(at);
  }

  override now(): Date {
    return new Date(this.at);
  }

  set(at: string): void {
    this.at = Date.parse(at);
  }

  advance(minutes: number): void {
    this.at += minutes * 60_000;
  }
}
