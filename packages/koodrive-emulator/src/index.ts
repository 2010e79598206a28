/**
 * A local KooDrive share-API emulator (carrier and enterprise editions): auth, validation, error codes, fault
 * injection before and after a change is applied, a controllable clock, a bounded request log and out-of-band
 * changes, for tests, demos and CI.
 *
 * @packageDocumentation
 */
export { startEmulator, Emulator, EmulatorOptions, isLoopback } from "./server";
export { ShareChange, ShareSeed, InputError } from "./emulatorState";
export { ShareView, ModifiedShareView, ShareListItem, ShareFileInfo, ANSWER_FIELDS, AnswerFields } from "./shareView";
export { FaultConfig, FaultInjector, FAULT_KEYS, AfterApplyAction, DEFAULT_AFTER_APPLY_DELAY_MS, faultConfigProblem } from "./faults";
export { EmulatorClock, parseDuration, MAX_CLOCK_OFFSET_MS } from "./clock";
export { LoggedRequest, RequestLog, RequestLogLimits, REDACTED } from "./requestLog";
export { ErrorCodes } from "./apiErrors";
export { Edition, updateShareRule, createShareRule } from "./bodyRules";
export { expectedSignature } from "./requestAuth";
export { StateFileError } from "./shareStore";
