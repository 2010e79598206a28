import type { KooDriveClient, UpdateShareBody } from "../../src/client/koodriveClient";
import type { ShareLink } from "../../src/client/responses";
import { applySettings } from "../../src/provider/applySettings";

/** A client whose PUT answers `answer` and whose GET shows `live`; records the calls. */
function stubClient(answer: ShareLink, live: ShareLink) {
  const calls: string[] = [];
  const client = {
    updateShare: async (_id: string, _body: UpdateShareBody) => {
      calls.push("PUT");
      return answer;
    },
    getShare: async () => {
      calls.push("GET");
      return live;
    },
  } as unknown as KooDriveClient;
  return { client, calls };
}

describe("applySettings", () => {
  const inTenDays = new Date(Date.now() + 10 * 86_400_000).toISOString();

  it("takes a complete PUT answer as it is: one request", async () => {
    const { client, calls } = stubClient({ shareId: "1", expireTime: inTenDays }, { shareId: "1" });
    expect(await applySettings(client, "1", { validDays: 10 }, "carrier")).toEqual({ shareId: "1", expireTime: inTenDays });
    expect(calls).toEqual(["PUT"]);
  });

  it("reads the share back when the answer lacks the expiry the validity period must have produced (expireTime null)", async () => {
    const { client, calls } = stubClient({ shareId: "1", expireTime: undefined }, { shareId: "1", expireTime: inTenDays });
    expect(await applySettings(client, "1", { validDays: 10 }, "carrier")).toEqual({ shareId: "1", expireTime: inTenDays });
    expect(calls).toEqual(["PUT", "GET"]);
  });

  it("does not read back when no expiry is expected (validDays 0)", async () => {
    const { client, calls } = stubClient({ shareId: "1" }, { shareId: "1" });
    await applySettings(client, "1", { validDays: 0 }, "carrier");
    expect(calls).toEqual(["PUT"]);
  });
});
