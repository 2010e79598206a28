/**
 * A local KooDrive share-API emulator (carrier edition): auth, validation, error codes, fault injection,
 * a request log and out-of-band changes, for tests, demos and CI.
 *
 * @packageDocumentation
 */
export { startEmulator, Emulator, EmulatorOptions, ShareChange, ShareSeed } from "./server";
export { FaultConfig, FaultInjector, AfterApplyAction, DEFAULT_AFTER_APPLY_DELAY_MS } from "./faults";
export { EmulatorClock, parseDuration } from "./clock";
export { LoggedRequest, RequestLog } from "./requestLog";
export { ErrorCodes } from "./apiErrors";
