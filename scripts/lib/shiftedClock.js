// Preloaded (NODE_OPTIONS=--require) into the provider processes of engine tests and of the demo, which simulate the
// passage of time: "30 days later" moves the emulator's clock and, through SHIFTED_CLOCK_OFFSET_MS, this process's
// clock by the same amount, as real time would move both. Tests and demo only: the package never reads this variable.
"use strict";
const offset = Number(process.env.SHIFTED_CLOCK_OFFSET_MS || 0);
if (Number.isFinite(offset) && offset !== 0) {
  const RealDate = Date;
  const shiftedNow = () => RealDate.now() + offset;
  /** `new Date()` and `Date.now()` are shifted; every other form of Date is the real one. */
  const ShiftedDate = new Proxy(RealDate, {
    construct: (target, args) => Reflect.construct(target, args.length === 0 ? [shiftedNow()] : args),
    get: (target, property) => (property === "now" ? shiftedNow : Reflect.get(target, property)),
  });
  globalThis.Date = ShiftedDate;
}
