import { type Emulator, type EmulatorOptions, type ShareSeed, startEmulator } from "../../src";

/** Credentials the test emulator accepts. */
export const TOKEN = "test-access-token-5f2c9a";
export const APP_ID = "a378331eca141163119eb602adb67b7802cc79cd33ba44c7d2fe61d1586c96a1";
export const APP_SECRET = "test-app-secret-0123456789abcdef";
export const USER_ID = "1505084218764547200";
export const OTHER_USER_ID = "1505084218764547999";

/** An emulator that knows the test token and app. */
export function testEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  return startEmulator({ tokens: [TOKEN], apps: { [APP_ID]: APP_SECRET }, ...options });
}

/** Registers a fresh emulator per test, with one share owned by USER_ID; read the fields inside tests. */
export function useEmulatorWithShare(options: EmulatorOptions = {}, seed: Partial<ShareSeed> = {}): { emulator: Emulator; shareId: string } {
  const fixture = {} as { emulator: Emulator; shareId: string };
  beforeEach(async () => {
    fixture.emulator = await testEmulator(options);
    fixture.shareId = fixture.emulator.seedShare({ ownerId: USER_ID, ...seed }).shareId;
  });
  afterEach(() => fixture.emulator.close());
  return fixture;
}
