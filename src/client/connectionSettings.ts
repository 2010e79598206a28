import { ConfigurationError } from "./configurationError";
import { withoutBearerPrefix } from "./requestHeaders";
import { defaultRetryPolicy } from "./retryPolicy";

/** How requests are authenticated. */
export type AuthSettings = { kind: "token"; accessToken: string } | { kind: "app"; appId: string; appSecret: string };

/** KooDrive editions: `carrier` requires `X-Hw-Agentname`; `enterprise` has no carrier and sends it only when set. */
export const KOODRIVE_EDITIONS = ["carrier", "enterprise"] as const;
export type KooDriveEdition = (typeof KOODRIVE_EDITIONS)[number];

/** Everything the client needs to reach KooDrive. Holds credentials: never store or print it. */
export interface ConnectionSettings {
  /** Base URL, e.g. `https://intl.myhuaweicloud-koodrive.com`. */
  endpoint: string;
  /** KooDrive user id sent as `X-User-Id`. */
  userId: string;
  /** Carrier name sent as `X-Hw-Agentname`; required on the carrier edition, optional on enterprise. */
  agentName?: string;
  auth: AuthSettings;
  /** Per-attempt timeout. */
  timeoutMs: number;
  /** Retries after the first attempt for server errors, timeouts and network errors (throttling has its own budget). */
  maxRetries: number;
  /** Default `carrier`. */
  edition?: KooDriveEdition;
  /**
   * Proxy for every request: a URL, or `"none"` for a direct connection. Unset: the standard `HTTPS_PROXY`,
   * `HTTP_PROXY`, `ALL_PROXY` and `NO_PROXY` variables decide.
   */
  proxy?: string;
  /** Most requests in flight to this endpoint from one process; the adaptive budget stays at or below it. */
  maxConcurrency?: number;
  /** Most requests started per second to this endpoint from one process; unset: no fixed rate until KooDrive throttles. */
  requestsPerSecond?: number;
  /** How long an operation keeps retrying HTTP 429 answers before it fails. */
  throttleRetryTimeoutMs?: number;
}

/**
 * A setting's stack-config key (namespace `koodrive`) and environment variable, and whether its value is a secret
 * (set with `pulumi config set --secret`, redacted from every message).
 */
export const SETTING_SOURCES = {
  endpoint: { config: "koodrive:endpoint", env: "KOODRIVE_ENDPOINT" },
  userId: { config: "koodrive:userId", env: "KOODRIVE_USER_ID" },
  agentName: { config: "koodrive:agentName", env: "KOODRIVE_AGENT_NAME" },
  edition: { config: "koodrive:edition", env: "KOODRIVE_EDITION" },
  accessToken: { config: "koodrive:accessToken", env: "KOODRIVE_ACCESS_TOKEN", secret: true },
  appId: { config: "koodrive:appId", env: "KOODRIVE_APP_ID" },
  appSecret: { config: "koodrive:appSecret", env: "KOODRIVE_APP_SECRET", secret: true },
  timeoutMs: { config: "koodrive:timeoutMs", env: "KOODRIVE_TIMEOUT_MS" },
  maxRetries: { config: "koodrive:maxRetries", env: "KOODRIVE_MAX_RETRIES" },
  throttleRetryTimeoutMs: { config: "koodrive:throttleRetryTimeoutMs", env: "KOODRIVE_THROTTLE_RETRY_TIMEOUT_MS" },
  maxConcurrency: { config: "koodrive:maxConcurrency", env: "KOODRIVE_MAX_CONCURRENCY" },
  requestsPerSecond: { config: "koodrive:requestsPerSecond", env: "KOODRIVE_REQUESTS_PER_SECOND" },
  proxy: { config: "koodrive:proxy", env: "KOODRIVE_PROXY" },
  /** Not a connection setting: how refresh reads shares (`ProviderContext.refreshStrategy`). */
  refreshStrategy: { config: "koodrive:refreshStrategy", env: "KOODRIVE_REFRESH_STRATEGY" },
} as const;

/** A `koodrive:*` setting; every key this package reads is in {@link SETTING_SOURCES}. */
export type SettingName = keyof typeof SETTING_SOURCES;

/**
 * The credential settings. They are read as a group, and from the environment before stack config: the engine
 * stores the stack config in state at each `up` and configures `refresh` and `destroy` (without `--run-program`)
 * from that stored copy, so the environment is what hands a rotated token to them.
 */
const CREDENTIALS = ["accessToken", "appId", "appSecret"] as const satisfies readonly SettingName[];

/** Reads a stack-config key; returns undefined when it is not set. */
export type ConfigLookup = (key: string) => string | undefined;

/** Defaults of the optional settings. */
export const SETTING_DEFAULTS = {
  timeoutMs: 30_000,
  maxRetries: defaultRetryPolicy.limit,
  edition: "carrier" as KooDriveEdition,
  throttleRetryTimeoutMs: defaultRetryPolicy.throttleRetryTimeoutMs,
  /** The engine's default `--parallel` (4 × CPUs) on a 4-core machine; the adaptive budget goes lower when throttled. */
  maxConcurrency: 16,
};

/** Proxy values that mean "connect directly, whatever HTTPS_PROXY says". */
const NO_PROXY_VALUES = ["", "none"];

/** Whether a setting's value is a secret (see {@link SETTING_SOURCES}). */
export function isSecretSetting(name: SettingName): boolean {
  return "secret" in SETTING_SOURCES[name];
}

/** How to set a setting, for error messages: with `--secret` for a secret one. */
export function howToSet(name: SettingName): string {
  const s = SETTING_SOURCES[name];
  return `set stack config ${s.config} (pulumi config set${isSecretSetting(name) ? " --secret" : ""} ${s.config} ...) or the environment variable ${s.env}`;
}

/**
 * A setting's value by the one precedence rule: stack config, then the environment; for the credentials, the
 * environment as a group first (see {@link CREDENTIALS}). A value that is empty or only spaces counts as not set, so
 * `pulumi config set koodrive:x ""` does not hide `KOODRIVE_X`. Trimmed. (The proxy's explicit `""`, "direct", is
 * read apart, in {@link resolveConnectionSettings}.)
 */
export function settingValue(name: SettingName, config: ConfigLookup, env: NodeJS.ProcessEnv): string | undefined {
  const given = (value: string | undefined) => (isSet(value) ? value.trim() : undefined);
  const fromEnv = given(env[SETTING_SOURCES[name].env]);
  if (isCredential(name)) return credentialsFromEnvironment(env) ? fromEnv : given(config(SETTING_SOURCES[name].config));
  return given(config(SETTING_SOURCES[name].config)) ?? fromEnv;
}

/** Whether a setting's raw value counts as set: not absent, empty or only spaces. */
export function isSet(value: string | undefined): value is string {
  return value !== undefined && value.trim() !== "";
}

function isCredential(name: SettingName): boolean {
  return (CREDENTIALS as readonly SettingName[]).includes(name);
}

function credentialsFromEnvironment(env: NodeJS.ProcessEnv): boolean {
  return CREDENTIALS.some((name) => isSet(env[SETTING_SOURCES[name].env]));
}

/**
 * What an HTTP header carries unchanged: printable Latin-1 (Node sends header values as Latin-1), less the invisible
 * no-break space and soft hyphen. axios silently drops
 * other characters from header values (a zero-width space pasted with an ID, a carrier name in Chinese), so a
 * signature or a value KooDrive checks would no longer match what was configured.
 */
const HEADER_TEXT = /^[\x20-\x7e\xa1-\xac\xae-\xff]+$/;

/** The form of a KooDrive ID (user, share), as IDs appear in the API: also safe in a URL path. */
export const KOODRIVE_ID = /^[A-Za-z0-9_-]{1,64}$/;
/** {@link KOODRIVE_ID} in words, for messages. */
export const KOODRIVE_ID_RULE = "1 to 64 characters of [A-Za-z0-9_-]";

/** How to replace a rejected credential, naming the setting that holds it; used in error messages. */
export function credentialFixHint(auth: AuthSettings): string {
  const { accessToken, appId, appSecret } = SETTING_SOURCES;
  const names =
    auth.kind === "token" ? `${accessToken.config} / ${accessToken.env}` : `${appId.config} and ${appSecret.config} / ${appId.env} and ${appSecret.env}`;
  return (
    `Fix ${names} (credentials in the environment take precedence over stack config; a plain refresh or destroy ` +
    `uses the stack config the last up stored, so give them a new credential through the environment, or run ` +
    `them with --run-program).${auth.kind === "token" ? " KooDrive access tokens expire after 20 minutes without use." : ""}`
  );
}

/**
 * Resolves connection settings: stack config first, then the environment, except for credentials, where the
 * environment comes first (see {@link CREDENTIALS}). Every missing or malformed setting is collected into one
 * {@link ConfigurationError}; its text names keys, never values.
 */
export function resolveConnectionSettings(config: ConfigLookup, env: NodeJS.ProcessEnv): ConnectionSettings {
  const fromEnvironment = credentialsFromEnvironment(env);
  // Credentials come from one place: when the environment holds any of them, stack config's are not read, so the
  // advice for a credential names the variable only.
  const advice = (name: SettingName) =>
    fromEnvironment && isCredential(name)
      ? `set the environment variable ${SETTING_SOURCES[name].env} (the environment holds KooDrive credentials, so stack config's are not used)`
      : howToSet(name);
  const read = (name: SettingName) => settingValue(name, config, env);
  const problems: string[] = [];
  const required = (name: SettingName): string => {
    const value = read(name);
    if (value === undefined) problems.push(`${name} is missing: ${howToSet(name)}`);
    return value ?? "";
  };
  const headerText = (name: SettingName, value: string | undefined): void => {
    if (value !== undefined && value !== "" && !HEADER_TEXT.test(value)) {
      problems.push(
        `${name} must be printable Latin-1 characters (an HTTP header carries nothing else unchanged; look for an invisible character pasted with it): ${advice(name)}`,
      );
    }
  };
  const number = (name: SettingName, min: number, max: number, integer = true): number | undefined => {
    const value = read(name);
    if (value === undefined) return undefined;
    // Decimal only: Number() would also take "0x3e8" or "1e2".
    const n = /^[+-]?(\d+\.?\d*|\.\d+)$/.test(value) ? Number(value) : Number.NaN;
    if (!Number.isFinite(n) || (integer && !Number.isInteger(n)) || n < min || n > max) {
      problems.push(`${name} must be ${integer ? "an integer" : "a number"} from ${min} to ${max}, in decimal: ${howToSet(name)}`);
    }
    return n;
  };

  const endpoint = required("endpoint");
  if (endpoint !== "") {
    const problem = endpointProblem(endpoint);
    if (problem !== undefined) problems.push(`endpoint ${problem}: ${howToSet("endpoint")}`);
  }
  const userId = required("userId");
  if (userId !== "" && !KOODRIVE_ID.test(userId)) problems.push(`userId must be ${KOODRIVE_ID_RULE} (a KooDrive user ID): ${howToSet("userId")}`);
  const edition = (read("edition") ?? SETTING_DEFAULTS.edition).toLowerCase() as KooDriveEdition;
  if (!KOODRIVE_EDITIONS.includes(edition)) problems.push(`edition must be ${KOODRIVE_EDITIONS.join(" or ")}: ${howToSet("edition")}`);
  const agentName = edition === "enterprise" ? read("agentName") : required("agentName");
  headerText("agentName", agentName);
  const accessToken = read("accessToken");
  headerText("accessToken", accessToken);
  const appId = read("appId");
  headerText("appId", appId);
  const appSecret = read("appSecret");
  let auth: AuthSettings | undefined;
  if (accessToken !== undefined && (appId !== undefined || appSecret !== undefined)) {
    problems.push(
      `set either accessToken or appId and appSecret, not both: ${fromEnvironment ? "unset the environment variables of the one you do not use" : "remove the stack config of the one you do not use"}`,
    );
  } else if (accessToken !== undefined) auth = { kind: "token", accessToken };
  else if (appId !== undefined && appSecret !== undefined) auth = { kind: "app", appId, appSecret };
  else if (appId !== undefined) problems.push(`appSecret is missing (appId is set): ${advice("appSecret")}`);
  else if (appSecret !== undefined) problems.push(`appId is missing (appSecret is set): ${advice("appId")}`);
  else
    problems.push(
      `credentials are missing: either accessToken (${howToSet("accessToken")}), or appId and appSecret (${howToSet("appId")}; ${howToSet("appSecret")})`,
    );
  const timeoutMs = number("timeoutMs", 100, 600_000) ?? SETTING_DEFAULTS.timeoutMs;
  const maxRetries = number("maxRetries", 0, 10) ?? SETTING_DEFAULTS.maxRetries;
  const throttleRetryTimeoutMs = number("throttleRetryTimeoutMs", 0, 3_600_000) ?? SETTING_DEFAULTS.throttleRetryTimeoutMs;
  const maxConcurrency = number("maxConcurrency", 1, 256) ?? SETTING_DEFAULTS.maxConcurrency;
  const requestsPerSecond = number("requestsPerSecond", 0.1, 10_000, false);
  // An explicit "" means a direct connection here, so the proxy is not read through `settingValue`.
  const proxy = proxySetting(config(SETTING_SOURCES.proxy.config) ?? env[SETTING_SOURCES.proxy.env], problems);

  if (problems.length > 0 || auth === undefined) throw new ConfigurationError(problems);
  const settings: ConnectionSettings = {
    endpoint: endpoint.replace(/\/+$/, ""),
    userId,
    auth,
    timeoutMs,
    maxRetries,
    edition,
    throttleRetryTimeoutMs,
    maxConcurrency,
  };
  if (agentName !== undefined) settings.agentName = agentName;
  if (requestsPerSecond !== undefined) settings.requestsPerSecond = requestsPerSecond;
  if (proxy !== undefined) settings.proxy = proxy;
  return settings;
}

/**
 * What is wrong with an endpoint, if anything. The client appends the API's paths to it (a path prefix is kept, for a
 * gateway that strips it before KooDrive); a query or fragment would end up before the API's path, and a user name and
 * password would be sent to KooDrive as Basic credentials in place of the configured ones.
 */
function endpointProblem(endpoint: string): string | undefined {
  const rule = "must be an http(s) URL such as https://intl.myhuaweicloud-koodrive.com";
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    return `${rule} (it is not a valid URL: check the host and port)`;
  }
  if (!/^https?:$/.test(url.protocol)) return rule;
  if (url.username !== "" || url.password !== "") return `${rule}, without a user name or password`;
  // Tested on the text: an empty query or fragment ("https://host?") leaves URL.search and URL.hash empty.
  if (/[?#]/.test(endpoint)) return `${rule}, without a query or fragment`;
  return undefined;
}

/** `""` and `"none"` (an explicit empty value counts) mean a direct connection; anything else must be an http(s) URL. */
function proxySetting(value: string | undefined, problems: string[]): string | undefined {
  if (value === undefined) return undefined;
  const trimmed = value.trim();
  if (NO_PROXY_VALUES.includes(trimmed.toLowerCase())) return "none";
  const problem = proxyUrlProblem(trimmed);
  // The message names the rule, never the value: a proxy URL can carry a password.
  if (problem?.kind === "credentials") problems.push(`proxy must be an http(s) URL with ${PROXY_CREDENTIALS_RULE}: ${howToSet("proxy")}`);
  else if (problem !== undefined) problems.push(`proxy must be an http(s) URL, "" or "none": ${howToSet("proxy")}`);
  return trimmed;
}

/** Why a proxy URL (from config or the environment) cannot be used; `scheme` keeps the URL of one that is not http(s). */
export type ProxyUrlProblem = { kind: "not a URL" } | { kind: "scheme"; url: URL } | { kind: "credentials" };

/** The one rule for proxy URLs: an http(s) URL whose credentials, if any, are percent-encoded. */
export function proxyUrlProblem(text: string): ProxyUrlProblem | undefined {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return { kind: "not a URL" };
  }
  if (!/^https?:$/.test(url.protocol)) return { kind: "scheme", url };
  return proxyCredentialsDecodable(url) ? undefined : { kind: "credentials" };
}

/** How a proxy URL carries its credentials: a `%` in them starts an escape, as everywhere in a URL. */
export const PROXY_CREDENTIALS_RULE = "its user name and password percent-encoded (a % itself written as %25)";

/** Whether a proxy URL's user name and password decode (the proxy agent decodes them: a stray `%` threw "URI malformed"). */
function proxyCredentialsDecodable(url: URL): boolean {
  try {
    decodeURIComponent(url.username);
    decodeURIComponent(url.password);
    return true;
  } catch {
    return false;
  }
}

/** The credential values inside settings, for redaction (proxy passwords are the transport's, see `transport.ts`). */
export function settingsSecrets(settings: ConnectionSettings): string[] {
  return settings.auth.kind === "token" ? [settings.auth.accessToken, withoutBearerPrefix(settings.auth.accessToken)] : [settings.auth.appSecret];
}
