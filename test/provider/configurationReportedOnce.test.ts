import * as legacyEntryPoints from "../../src/provider/impl";
import { providerShim } from "../../src/provider/shim";
import { AGENT, TOKEN, configureRequest, testEmulator } from "../support/fixtures";

describe("a configuration problem is listed once per provider instance", () => {
  it("the first failing call lists every problem; later calls (a refresh reads every resource at once) say so in one line", async () => {
    const emulator = await testEmulator();
    try {
      // No koodrive:userId, and a refresh strategy that does not exist.
      const config: Record<string, string> = {
        "koodrive:endpoint": emulator.url,
        "koodrive:agentName": AGENT,
        "koodrive:accessToken": TOKEN,
        "koodrive:refreshStrategy": "sometimes",
      };
      const provider = providerShim("shareSettings");
      const configured = provider.configure!(configureRequest(config));
      await expect(configured).rejects.toThrow(
        /missing or invalid:\n {2}- userId is missing: set stack config koodrive:userId[\s\S]*refreshStrategy[\s\S]*\n\(In refresh, destroy and up --refresh the stack config is the copy the last `pulumi up` stored/,
      );
      const reads = await Promise.allSettled(["1", "2", "3"].map((id) => provider.read!(id, { shareId: id, validDays: 3 })));
      for (const read of reads) {
        expect(read.status).toBe("rejected");
        const message = ((read as PromiseRejectedResult).reason as Error).message;
        expect(message).toBe("KooDrive connection settings are missing or invalid (listed in this run's first error about them)");
      }
      expect(emulator.requests.all()).toEqual([]);
    } finally {
      await emulator.close();
    }
  });

  it("0.1.0's entry points (called by name, without a provider instance, from state no up has touched since) report it the same way", async () => {
    const emulator = await testEmulator();
    try {
      const config: Record<string, string> = { "koodrive:endpoint": emulator.url, "koodrive:agentName": AGENT, "koodrive:accessToken": TOKEN };
      await expect(legacyEntryPoints.configure(configureRequest(config))).rejects.toThrow(
        /userId is missing[\s\S]*\(In refresh, destroy and up --refresh the stack config is the copy/,
      );
      const reads = await Promise.allSettled(["1", "2"].map((id) => legacyEntryPoints.read(id, { shareId: id, validDays: 3 })));
      for (const read of reads) {
        const error = (read as PromiseRejectedResult).reason as Error;
        expect(error.message).toBe("KooDrive connection settings are missing or invalid (listed in this run's first error about them)");
        // As the host prints it for a read: a pointer to the message shown with the resource, not the package's frames.
        expect(`${error}: ${error.stack}`).toBe("pulumi-koodrive: read failed; the error is shown with the resource");
      }
      expect(emulator.requests.all()).toEqual([]);
    } finally {
      await emulator.close();
    }
  });
});
