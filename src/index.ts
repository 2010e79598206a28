/**
 * pulumi-koodrive: KooDrive share links as Pulumi resources.
 *
 * @packageDocumentation
 */
export { KooDriveShareSettings } from "./resources/shareSettings/resource";
export { SHARE_STATUS, ShareStatus } from "./resources/common/linkState";
export { KooDriveShareSettingsArgs, OnDelete } from "./resources/shareSettings/args";
export { KooDriveShare } from "./resources/share/resource";
export { KooDriveShareArgs, ShareOnDelete } from "./resources/share/args";
export { cancelShare, CancelOutcome } from "./resources/share/cancelShare";
export { getShare, getShareOutput, kooDriveClockNow, listShares, listSharesOutput, GetShareArgs, ListSharesArgs, ListSharesResult } from "./functions/lookups";
export { ShareInfo } from "./functions/shareInfo";
export { adoptionEntries, AdoptionEntry, AdoptionOptions, AdoptionPlan } from "./functions/adoptionEntries";
export { MAX_VALID_DAYS } from "./time/koodriveTime";
export { KooDriveClient, UpdateShareBody, CreateShareBody, ShareListPage, ClientOptions } from "./client/koodriveClient";
export { KooDriveError, KooDriveErrorKind, KooDriveRequestInfo } from "./client/koodriveError";
export { ConfigurationError } from "./client/configurationError";
export { ConnectionSettings, AuthSettings, KooDriveEdition, resolveConnectionSettings, SETTING_SOURCES } from "./client/connectionSettings";
export { KooDriveClientEvent, KooDriveClientEventListener } from "./client/clientEvents";
export { RetryPolicy, defaultRetryPolicy } from "./client/retryPolicy";
export { ShareLink } from "./client/shareLink";
