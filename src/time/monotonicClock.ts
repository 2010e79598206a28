/**
 * Milliseconds near the epoch, but monotonic: the clock for waits and ages within one process. A wall clock stepped
 * back (an NTP step, a resumed VM) would hold a paused request, or keep a cached listing fresh, for the length of the
 * step; stepped forward, it would cut them short. KooDrive's times (expiries, `Date`, `X-Date`) stay on the wall clock.
 */
export function monotonicNow(): number {
  return performance.timeOrigin + performance.now();
}
