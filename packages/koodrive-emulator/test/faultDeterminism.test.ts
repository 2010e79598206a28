import { type Emulator, type FaultConfig, FaultInjector, parseDuration } from "../src";
import { parseServerArgs } from "../src/cliArgs";
import { TOKEN, USER_ID, testEmulator } from "./support/fixtures";
import { raw, tokenHeaders } from "./support/rawHttp";

const SHARE = "/koodrive/ose/v1/share";

/** 24 GETs under `faults`; "X" for a failure, "." for a success. */
async function pattern(faults: FaultConfig, viaAdmin = false): Promise<string> {
  const emulator: Emulator = await testEmulator(viaAdmin ? {} : { faults });
  try {
    if (viaAdmin) expect((await raw(emulator.url, "PUT", "/__admin/faults", {}, JSON.stringify(faults))).status).toBe(200);
    const id = emulator.seedShare({ ownerId: USER_ID }).shareId;
    let out = "";
    for (let i = 0; i < 24; i++) out += (await raw(emulator.url, "GET", `${SHARE}/${id}`, tokenHeaders(TOKEN, USER_ID))).status === 200 ? "." : "X";
    return out;
  } finally {
    await emulator.close();
  }
}

describe("errorRate with errorSeed is repeatable", () => {
  it("the same seed fails the same requests, at start and through the admin API; another seed differs", async () => {
    const a = await pattern({ errorRate: 0.5, errorSeed: 42 });
    expect(a).toMatch(/X/);
    expect(a).toMatch(/\./);
    expect(await pattern({ errorRate: 0.5, errorSeed: 42 })).toBe(a);
    expect(await pattern({ errorRate: 0.5, errorSeed: 42 }, true)).toBe(a);
    expect(await pattern({ errorRate: 0.5, errorSeed: 7 })).not.toBe(a);
  });

  it("the CLI takes --error-seed; a bad seed is refused", () => {
    expect(parseServerArgs(["--token", "t", "--error-rate", "0.5", "--error-seed", "42"], {}).options.faults).toEqual({ errorRate: 0.5, errorSeed: 42 });
    expect(() => parseServerArgs(["--token", "t", "--error-seed", "1.5"], {})).toThrow(/--error-seed must be an integer from 0 to 4294967295/);
  });
});

describe("the fault injector's documented defaults and seeds", () => {
  const kinds = (f: FaultInjector, n: number) => Array.from({ length: n }, () => f.next(0).kind);

  it("merging a configuration with errorSeed restarts the sequence; setting one without a seed draws from the unseeded random", () => {
    const f = new FaultInjector({ errorRate: 0.5, errorSeed: 7 });
    const first = kinds(f, 20);
    expect(new Set(first)).toEqual(new Set(["none", "status"]));
    f.merge({ errorSeed: 7 });
    expect(kinds(f, 20)).toEqual(first);
    const unseeded = new FaultInjector({ errorRate: 0.5, errorSeed: 7 }, () => 0);
    unseeded.set({ errorRate: 0.5 });
    expect(kinds(unseeded, 10)).toEqual(Array(10).fill("status"));
  });

  it("delayAfterApplyNext without afterApplyDelayMs holds the answer 35 s, past a client's 30 s timeout (the README's default)", () => {
    expect(new FaultInjector({ delayAfterApplyNext: 1 }).afterApply()).toEqual({ kind: "delayAfterApply", delayMs: 35_000 });
  });

  it("--clock-offset and the admin clock read a plain number as milliseconds", () => {
    expect(parseDuration("250")).toBe(250);
    expect(parseDuration("-5000")).toBe(-5000);
    expect(parseDuration("2s")).toBe(2000);
  });
});
