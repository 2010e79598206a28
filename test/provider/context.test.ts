import { KooDriveClientFactory } from "../../src/client/clientFactory";
import { ProviderContext } from "../../src/provider/context";
import { AGENT, OTHER_USER_ID, TOKEN, USER_ID, testEmulator } from "../support/fixtures";

const config: Record<string, string> = {
  "koodrive:endpoint": "http://127.0.0.1:9",
  "koodrive:userId": USER_ID,
  "koodrive:accessToken": TOKEN,
  "koodrive:agentName": AGENT,
};

describe("ProviderContext clients", () => {
  it("looks a share owner's client up in the process-wide factory once, not once per resource a refresh reads", () => {
    const lookups = jest.spyOn(KooDriveClientFactory.prototype, "clientFor");
    try {
      const ctx = new ProviderContext((key) => config[key], {});
      const first = ctx.client();
      for (let i = 0; i < 100; i++) {
        expect(ctx.client()).toBe(first);
        expect(ctx.client(USER_ID)).toBe(first);
      }
      const other = ctx.client(OTHER_USER_ID);
      expect(other).not.toBe(first);
      expect(ctx.client(OTHER_USER_ID)).toBe(other);
      expect(lookups).toHaveBeenCalledTimes(2);
      expect(lookups.mock.calls.map(([settings]) => settings.userId)).toEqual([USER_ID, OTHER_USER_ID]);
      // Another provider instance with the same settings shares the process's client (one budget, one keep-alive agent).
      expect(new ProviderContext((key) => config[key], {}).client()).toBe(first);
    } finally {
      lookups.mockRestore();
    }
  });
});

describe("ProviderContext clock", () => {
  it("what this process learned of KooDrive's clock wins over what the state recorded, and a clock within tolerance clears the record", async () => {
    const emulator = await testEmulator();
    try {
      const TWO_HOURS = 2 * 60 * 60 * 1000;
      const recorded = { kooDriveClockAheadMs: TWO_HOURS };
      const emulated: Record<string, string> = { ...config, "koodrive:endpoint": emulator.url };
      const ctx = new ProviderContext((key) => emulated[key], {});
      // Nothing sent yet (a preview): the state's record is all there is.
      expect(ctx.clockToRecord()).toBeUndefined();
      expect(ctx.now(recorded).getTime() - Date.now()).toBeGreaterThan(TWO_HOURS - 60_000);
      await ctx.client().listShares({ pageSize: 1 });
      // KooDrive's clock is this machine's: the record, made by a machine whose clock was wrong, no longer counts, and
      // the next write or read removes it (null, not "nothing learned").
      expect(Math.abs(ctx.now(recorded).getTime() - Date.now())).toBeLessThan(60_000);
      expect(ctx.clockToRecord()).toBeNull();
    } finally {
      await emulator.close();
    }
  });

  it("now() is on KooDrive's clock as soon as any provider instance of the process has learned it, before this one resolved its settings", async () => {
    const emulator = await testEmulator();
    try {
      const TWO_HOURS = 2 * 60 * 60 * 1000;
      emulator.clock.advance(TWO_HOURS);
      const emulated: Record<string, string> = { ...config, "koodrive:endpoint": emulator.url };
      const reader = new ProviderContext((key) => emulated[key], {});
      await reader.client().listShares({ pageSize: 1 });
      // Another resource kind's provider instance, which has sent nothing and resolved nothing yet (a diff in preview).
      const other = new ProviderContext((key) => emulated[key], {});
      expect(other.now().getTime() - Date.now()).toBeGreaterThan(TWO_HOURS - 60_000);
      expect(other.localClockAhead({ kooDriveClockAheadMs: -TWO_HOURS })).toBeUndefined();
    } finally {
      await emulator.close();
    }
  });
});
