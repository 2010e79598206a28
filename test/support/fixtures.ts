import type { ConnectionSettings } from "../../src/client/connectionSettings";
import { type Emulator, startEmulator } from "koodrive-emulator";

/** Credentials the test emulator accepts. */
export const TOKEN = "test-access-token-5f2c9a";
export const APP_ID = "a378331eca141163119eb602adb67b7802cc79cd33ba44c7d2fe61d1586c96a1";
export const APP_SECRET = "test-app-secret-0123456789abcdef";
export const USER_ID = "1505084218764547200";
export const OTHER_USER_ID = "1505084218764547999";
export const AGENT = "test-carrier";

/** An emulator that knows the test token and app, logging access codes so tests can compare exact bodies. */
export function testEmulator(options: Parameters<typeof startEmulator>[0] = {}): Promise<Emulator> {
  return startEmulator({ tokens: [TOKEN], apps: { [APP_ID]: APP_SECRET }, logAccessCodes: true, ...options });
}

/** Connection settings for `emulator`, token auth unless `app` is set. */
export function settingsFor(emulator: Emulator, overrides: Partial<ConnectionSettings> & { app?: boolean } = {}): ConnectionSettings {
  const { app, ...rest } = overrides;
  return {
    endpoint: emulator.url,
    userId: USER_ID,
    agentName: AGENT,
    auth: app ? { kind: "app", appId: APP_ID, appSecret: APP_SECRET } : { kind: "token", accessToken: TOKEN },
    timeoutMs: 5_000,
    maxRetries: 3,
    ...rest,
  };
}
