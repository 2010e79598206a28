import { startEmulator } from "../src";
import { parseServerArgs } from "../src/cliArgs";
import { runCli } from "./support/cli";

describe("empty credentials are refused at start, naming the option", () => {
  it.each([[""], ["   "], ["Bearer+"], ["Bearer "], ["Bearer"]])("startEmulator({tokens: [%j]}) rejects", async (token) => {
    await expect(startEmulator({ tokens: ["good-token", token] })).rejects.toThrow('tokens[1] must be a non-empty token (not blank, not only "Bearer")');
  });

  it("startEmulator refuses an app with an empty secret", async () => {
    await expect(startEmulator({ apps: { app: "" } })).rejects.toThrow("apps must map non-empty app IDs to non-empty app secrets");
  });

  it.each([[["--token", ""]], [["--token", "  "]], [["--token", "Bearer+"]], [["--token=", "--token", "t"]]])("the CLI refuses %j", (args) => {
    expect(() => parseServerArgs(args, {})).toThrow('--token must not be empty, blank or only "Bearer"');
  });

  it("the CLI refuses a blank KOODRIVE_EMULATOR_TOKEN but treats an empty one as unset", () => {
    expect(() => parseServerArgs([], { KOODRIVE_EMULATOR_TOKEN: " " })).toThrow(/KOODRIVE_EMULATOR_TOKEN must not be blank/);
    expect(() => parseServerArgs([], { KOODRIVE_EMULATOR_TOKEN: "" })).toThrow(/at least one credential/);
    expect(() => parseServerArgs(["--app-id", "a", "--app-secret", ""], {})).toThrow(/--app-secret .* must not be empty/);
  });

  it('the CLI exits 2 for --token "" instead of starting', async () => {
    const { code, stderr } = await runCli(["--token", ""], undefined, 4000);
    expect(code).toBe(2);
    expect(stderr).toContain("--token must not be empty");
  });
});
