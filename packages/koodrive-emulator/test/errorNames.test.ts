import { parseServerArgs } from "../src/cliArgs";
import { useEmulatorWithShare } from "./support/fixtures";
import { raw } from "./support/rawHttp";

const fixture = useEmulatorWithShare();

describe("errors name what the caller wrote", () => {
  it("POST /__admin/clock with a huge advanceMs names advanceMs, not offsetMs", async () => {
    const res = await raw(fixture.emulator.url, "POST", "/__admin/clock", {}, JSON.stringify({ advanceMs: 4e12 }));
    expect(res.status).toBe(400);
    expect(res.json.error).toMatch(/^advanceMs 4000000000000 is too far/);
    expect(() => fixture.emulator.clock.advance(4e12)).toThrow(/^advanceMs/);
  });

  it.each([
    [["--error-rate", "2"], "--error-rate must be a probability between 0 and 1"],
    [["--fail-status", "200"], "--fail-status must be an HTTP error status"],
    [["--latency-ms=-1"], "--latency-ms must be an integer number of milliseconds"],
  ])("the CLI names the flag: %j", (args, message) => {
    expect(() => parseServerArgs(["--token", "t", ...args], {})).toThrow(message);
  });

  it("a negative value written as a separate argument gets a hint to use --flag=-1", () => {
    expect(() => parseServerArgs(["--token", "t", "--clock-offset", "-30d"], {})).toThrow(/--flag=-1 \(e\.g\. --clock-offset=-30d\)/);
    expect(parseServerArgs(["--token", "t", "--clock-offset=-30d"], {}).options.clockOffsetMs).toBe(-30 * 86_400_000);
  });
});
