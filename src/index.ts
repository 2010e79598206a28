/**
 * pulumi-koodrive: KooDrive share-link settings as a Pulumi resource.
 *
 * @packageDocumentation
 */
export { KooDriveShareSettings, KooDriveShareSettingsArgs } from "./resource/shareSettings";
export { OnDelete } from "./resource/shareInputs";
export { KooDriveClient, UpdateShareBody, CreateShareBody, ShareListPage, ClientOptions } from "./client/koodriveClient";
export { KooDriveError, KooDriveErrorKind, KooDriveRequestInfo } from "./client/koodriveError";
export { ConfigurationError } from "./client/configurationError";
export { ConnectionSettings, AuthSettings, KooDriveEdition, resolveConnectionSettings, SETTING_SOURCES } from "./client/connectionSettings";
export { KooDriveClientEvent, KooDriveClientEventListener } from "./client/clientEvents";
export { RetryPolicy, defaultRetryPolicy } from "./client/retryPolicy";
export { ShareLink } from "./client/responses";
