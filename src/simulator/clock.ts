import type { SimulatorClock } from './types.js';

/** The default clock: the wall clock and Node's timers. */
export const REAL_CLOCK: SimulatorClock = {
  now: () => Date.now(),
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (timer) => clearTimeout(timer as NodeJS.Timeout),
};

/** Lets a timer of the real clock not keep the process alive (a timer of another clock is left as it is). */
export function unrefTimer(timer: unknown): void {
  if (typeof timer === 'object' && timer !== null && 'unref' in timer && typeof timer.unref === 'function')
    (timer as { unref(): void }).unref();
}
