import { ConfigurationError } from "./configurationError";

/** How requests are authenticated. */
export type AuthSettings = { kind: "token"; accessToken: string } | { kind: "app"; appId: string; appSecret: string };

/** Everything the client needs to reach KooDrive. Holds credentials: never store or print it. */
export interface ConnectionSettings {
  /** Base URL, e.g. `https://intl.myhuaweicloud-koodrive.com`. */
  endpoint: string;
  /** KooDrive user id sent as `X-User-Id`. */
  userId: string;
  /** Carrier name sent as `X-Hw-Agentname`. */
  agentName: string;
  auth: AuthSettings;
  /** Per-attempt timeout. */
  timeoutMs: number;
  /** Retries after the first attempt. */
  maxRetries: number;
}

/** A setting's stack-config key (namespace `koodrive`) and environment variable. */
export const SETTING_SOURCES = {
  endpoint: { config: "koodrive:endpoint", env: "KOODRIVE_ENDPOINT" },
  userId: { config: "koodrive:userId", env: "KOODRIVE_USER_ID" },
  agentName: { config: "koodrive:agentName", env: "KOODRIVE_AGENT_NAME" },
  accessToken: { config: "koodrive:accessToken", env: "KOODRIVE_ACCESS_TOKEN" },
  appId: { config: "koodrive:appId", env: "KOODRIVE_APP_ID" },
  appSecret: { config: "koodrive:appSecret", env: "KOODRIVE_APP_SECRET" },
  timeoutMs: { config: "koodrive:timeoutMs", env: "KOODRIVE_TIMEOUT_MS" },
  maxRetries: { config: "koodrive:maxRetries", env: "KOODRIVE_MAX_RETRIES" },
} as const;

type SettingName = keyof typeof SETTING_SOURCES;

/** Reads a stack-config key; returns undefined when it is not set. */
export type ConfigLookup = (key: string) => string | undefined;

const DEFAULT_TIMEOUT_MS = 30_000;
const DEFAULT_MAX_RETRIES = 3;

function howToSet(name: SettingName, secret = false): string {
  const s = SETTING_SOURCES[name];
  return `set stack config ${s.config} (pulumi config set${secret ? " --secret" : ""} ${s.config} ...) or the environment variable ${s.env}`;
}

/**
 * Resolves connection settings: stack config first, then the environment. Every missing or malformed setting is
 * collected into one {@link ConfigurationError}; its text names keys, never values.
 */
export function resolveConnectionSettings(config: ConfigLookup, env: NodeJS.ProcessEnv): ConnectionSettings {
  const read = (name: SettingName): string | undefined => {
    const value = config(SETTING_SOURCES[name].config) ?? env[SETTING_SOURCES[name].env];
    return value === undefined || value.trim() === "" ? undefined : value.trim();
  };
  const problems: string[] = [];
  const required = (name: SettingName): string => {
    const value = read(name);
    if (value === undefined) problems.push(`${name} is missing: ${howToSet(name)}`);
    return value ?? "";
  };
  const integer = (name: SettingName, fallback: number, min: number, max: number): number => {
    const value = read(name);
    if (value === undefined) return fallback;
    const n = Number(value);
    if (!Number.isInteger(n) || n < min || n > max) problems.push(`${name} must be an integer from ${min} to ${max}: ${howToSet(name)}`);
    return n;
  };

  const endpoint = required("endpoint");
  if (endpoint !== "" && !/^https?:\/\/[^/\s]+/i.test(endpoint)) problems.push(`endpoint must be an http(s) URL: ${howToSet("endpoint")}`);
  const userId = required("userId");
  const agentName = required("agentName");
  const accessToken = read("accessToken");
  const appId = read("appId");
  const appSecret = read("appSecret");
  let auth: AuthSettings | undefined;
  if (accessToken !== undefined) auth = { kind: "token", accessToken };
  else if (appId !== undefined && appSecret !== undefined) auth = { kind: "app", appId, appSecret };
  else if (appId !== undefined) problems.push(`appSecret is missing (appId is set): ${howToSet("appSecret", true)}`);
  else if (appSecret !== undefined) problems.push(`appId is missing (appSecret is set): ${howToSet("appId")}`);
  else problems.push(`credentials are missing: either accessToken (${howToSet("accessToken", true)}), or appId and appSecret (${howToSet("appId")}; ${howToSet("appSecret", true)})`);
  const timeoutMs = integer("timeoutMs", DEFAULT_TIMEOUT_MS, 100, 600_000);
  const maxRetries = integer("maxRetries", DEFAULT_MAX_RETRIES, 0, 10);

  if (problems.length > 0 || auth === undefined) throw new ConfigurationError(problems);
  return { endpoint: endpoint.replace(/\/+$/, ""), userId, agentName, auth, timeoutMs, maxRetries };
}

/** The secret values inside settings, for redaction. */
export function settingsSecrets(settings: ConnectionSettings): string[] {
  return settings.auth.kind === "token" ? [settings.auth.accessToken, settings.auth.accessToken.replace(/^Bearer[+ ]/i, "")] : [settings.auth.appSecret];
}
