import fs from "node:fs";
import path from "node:path";
import { startEmulator } from "../src";
import { TOKEN, USER_ID, testEmulator } from "./support/fixtures";
import { runCli } from "./support/cli";
import { raw, tokenHeaders, xDate } from "./support/rawHttp";
import { useScratchDir } from "./support/scratch";

const SHARE = "/koodrive/ose/v1/share";
const scratch = useScratchDir("koodrive-roundtrip-");

describe("the emulator never writes a state file it refuses to load", () => {
  it("a seeded shareId has at most 19 digits, like generated ones; what it accepts loads again", async () => {
    const file = path.join(fs.mkdtempSync(path.join(scratch(), "ids-")), "state.json");
    const emulator = await testEmulator({ stateFile: file });
    try {
      expect(() => emulator.seedShare({ ownerId: USER_ID, shareId: "9".repeat(32) })).toThrow("shareId must be a new numeric ID of at most 19 digits");
      const long = await raw(emulator.url, "POST", "/__admin/shares", {}, JSON.stringify({ ownerId: USER_ID, shareId: "9".repeat(20) }));
      expect(long.status).toBe(400);
      expect(long.json.error).toMatch(/at most 19 digits/);
      expect(emulator.seedShare({ ownerId: USER_ID, shareId: "9".repeat(19) }).shortUrl).toBe(`1${"0".repeat(19)}`);
    } finally {
      await emulator.close();
    }
    const again = await testEmulator({ stateFile: file });
    expect(again.getShare("9".repeat(19))).toBeDefined();
    await again.close();
  });

  it("the clock cannot be set before 1970, at start, over the admin API or from the CLI", async () => {
    const now = () => Date.parse("2025-05-29T02:00:00Z");
    const before1970 = -(now() + 1000);
    await expect(testEmulator({ now, clockOffsetMs: before1970 })).rejects.toThrow("clockOffsetMs would put the emulator's clock before 1970-01-01T00:00:00Z");
    const emulator = await testEmulator({ now });
    try {
      const moved = await raw(emulator.url, "POST", "/__admin/clock", {}, JSON.stringify({ offsetMs: before1970 }));
      expect(moved.status).toBe(400);
      expect(moved.json.error).toBe("offsetMs would put the emulator's clock before 1970-01-01T00:00:00Z");
      expect(() => emulator.clock.setOffset(before1970)).toThrow(/before 1970/);
      expect(emulator.clock.offsetMs).toBe(0);
    } finally {
      await emulator.close();
    }
    const cli = await runCli(["--token", "t", "--clock-offset=-21900d"], undefined, 4000);
    expect(cli.code).toBe(2);
    expect(cli.stderr).toContain("--clock-offset would put the emulator's clock before 1970-01-01T00:00:00Z");
  });

  it("a share created at the earliest allowed clock reloads", async () => {
    const file = path.join(fs.mkdtempSync(path.join(scratch(), "clock-")), "state.json");
    const source = () => Date.parse("2025-05-29T02:00:00Z");
    const emulator = await startEmulator({ tokens: [TOKEN], now: source, clockOffsetMs: -source(), stateFile: file });
    try {
      const res = await raw(
        emulator.url,
        "POST",
        SHARE,
        tokenHeaders(TOKEN, USER_ID, { "X-Date": xDate(0) }),
        JSON.stringify({ scope: 1, fileIds: ["f"], containerId: "c", validDays: 1 }),
      );
      expect(res.status).toBe(200);
    } finally {
      await emulator.close();
    }
    const again = await startEmulator({ tokens: [TOKEN], stateFile: file });
    await again.close();
  });

  it("a negative time in a state file is refused naming the lower bound, not 'up to year 9999'", async () => {
    const file = path.join(scratch(), "negative.json");
    const share = { shareId: "5", shortUrl: "6", ownerId: "1", containerId: "c", fileIds: ["f"], scope: 1, displayName: "f", status: 0 };
    const counters = { viewCnt: 0, downloadCnt: 0, saveCnt: 0 };
    fs.writeFileSync(file, JSON.stringify({ nextId: "10", shares: [{ ...share, ...counters, shareTime: -5, updateTime: 0 }] }));
    await expect(startEmulator({ tokens: [TOKEN], stateFile: file })).rejects.toThrow(
      `state file ${file}: shares[0] (shareId 5): shareTime must not be before 1970-01-01 (epoch milliseconds of 0 or more)`,
    );
  });
});
