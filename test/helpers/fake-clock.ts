import { createClock } from '@sinonjs/fake-timers';
import type { SimulatorClock } from '../../src/simulator/index.js';

/**
 * A clock for the simulator (`startSimulator({ clock })`) whose time passes only when the test says so, so a test
 * waits for nothing to see what BBB does after 5 minutes. @sinonjs/fake-timers keeps the timers; this adds what the
 * simulator's real I/O needs: a way to wait until the simulator has set its next timer.
 */
export class FakeClock implements SimulatorClock {
  private readonly fake = createClock(Date.UTC(2026, 0, 5, 9, 0, 0));
  private readonly scheduled: number[] = [];
  private waiters: Array<() => void> = [];

  now(): number {
    return this.fake.now;
  }

  setTimeout(callback: () => void, ms: number): unknown {
    const timer = this.fake.setTimeout(callback, ms);
    this.scheduled.push(ms);
    for (const wake of this.waiters.splice(0)) wake();
    return timer;
  }

  clearTimeout(timer: unknown): void {
    this.fake.clearTimeout(timer as ReturnType<typeof this.fake.setTimeout>);
  }

  /** Every delay the simulator asked for so far, in order. */
  get delays(): readonly number[] {
    return this.scheduled;
  }

  /** Resolves once the simulator has set at least `count` timers in all (it sets them after real I/O). */
  async timersSet(count: number): Promise<void> {
    while (this.scheduled.length < count) await new Promise<void>((wake) => this.waiters.push(wake));
  }

  /** Lets `ms` milliseconds pass, firing the timers that fall due in order, with the promise jobs they start. */
  async advance(ms: number): Promise<void> {
    await this.fake.tickAsync(ms);
  }

  /**
   * Lets time pass timer by timer until `done` settles, waiting for the simulator to set a timer when none is pending
   * (say, while a callback's HTTP request is on its way): e.g. `clock.runUntil(sim.callbacksIdle())`.
   */
  async runUntil<T>(done: Promise<T>): Promise<T> {
    let settled = false;
    const wakeOnSettle = new Promise<void>((resolve) => {
      const settle = () => ((settled = true), resolve());
      done.then(settle, settle);
    });
    while (!settled) {
      if (this.fake.countTimers() > 0) await this.fake.nextAsync();
      else await Promise.race([wakeOnSettle, new Promise<void>((wake) => this.waiters.push(wake))]);
    }
    return done;
  }
}
