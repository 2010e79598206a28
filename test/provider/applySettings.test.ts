import { KooDriveClient, type UpdateShareBody } from "../../src/client/koodriveClient";
import type { ShareLink } from "../../src/client/shareLink";
import { KooDriveError } from "../../src/client/koodriveError";
import { applySettings } from "../../src/provider/applySettings";
import { USER_ID, settingsFor, testEmulator } from "../support/fixtures";

/** A client whose PUT answers `answer` (or fails with it) and whose GET shows `live`; records the calls. */
function stubClient(answer: ShareLink | Error, live: ShareLink) {
  const calls: string[] = [];
  const client = {
    updateShare: async (_id: string, _body: UpdateShareBody) => {
      calls.push("PUT");
      if (answer instanceof Error) throw answer;
      return answer;
    },
    getShare: async () => {
      calls.push("GET");
      return live;
    },
    markServerTime: () => {
      const at = Date.now();
      return () => at;
    },
  } as unknown as KooDriveClient;
  return { client, calls };
}

/** A carrier-edition provider context that records the notices a write prints. */
function writer() {
  const notices: string[] = [];
  return { notices, edition: () => "carrier" as const, notice: (shareId: string, message: string) => void notices.push(`${shareId}: ${message}`) };
}

const REQUEST = { method: "PUT", path: "/share/1", traceId: "t", attempts: 1, host: "koodrive" };

describe("applySettings", () => {
  const inTenDays = new Date(Date.now() + 10 * 86_400_000).toISOString();

  it("takes a complete PUT answer as it is: one request", async () => {
    const complete = { shareId: "1", expireTime: inTenDays, linkUrl: "https://koodrive/s/1", status: 0 };
    const { client, calls } = stubClient(complete, { shareId: "1" });
    const ctx = writer();
    expect(await applySettings(client, "1", { validDays: 10 }, ctx)).toEqual(complete);
    expect(calls).toEqual(["PUT"]);
    expect(ctx.notices).toEqual([]);
  });

  it("reads the share back when the answer lacks the expiry the validity period must have produced (expireTime null)", async () => {
    const { client, calls } = stubClient({ shareId: "1", expireTime: undefined }, { shareId: "1", expireTime: inTenDays });
    const ctx = writer();
    expect(await applySettings(client, "1", { validDays: 10 }, ctx)).toEqual({ shareId: "1", expireTime: inTenDays });
    expect(calls).toEqual(["PUT", "GET"]);
    expect(ctx.notices).toEqual([]); // an answer that came, only incomplete: no lost write to tell about
  });

  it("reads the share back when the answer's expiry is in no documented form: recorded, it would block renewals and restore", async () => {
    const { client, calls } = stubClient({ shareId: "1", expireTime: "2026-13-45T99:99:99Z" }, { shareId: "1", expireTime: inTenDays });
    expect(await applySettings(client, "1", { validDays: 10 }, writer())).toEqual({ shareId: "1", expireTime: inTenDays });
    expect(calls).toEqual(["PUT", "GET"]);
  });

  it("a write answered without its expiry stays done when the read that completes it fails: the answer is recorded", async () => {
    const { client, calls } = stubClient({ shareId: "1", linkUrl: "https://koodrive/s/1", status: 0 }, { shareId: "1" });
    client.getShare = async () => {
      calls.push("GET");
      throw new KooDriveError({ kind: "network", causeCode: "ECONNRESET", request: { ...REQUEST, method: "GET" } });
    };
    const ctx = writer();
    expect(await applySettings(client, "1", { validDays: 10 }, ctx)).toEqual({ shareId: "1", linkUrl: "https://koodrive/s/1", status: 0 });
    expect(calls).toEqual(["PUT", "GET"]);
  });

  it("does not read back when no expiry is expected (validDays 0)", async () => {
    const { client, calls } = stubClient({ shareId: "1", linkUrl: "https://koodrive/s/1", status: 0 }, { shareId: "1" });
    await applySettings(client, "1", { validDays: 0 }, writer());
    expect(calls).toEqual(["PUT"]);
  });

  it("completes an answer without linkUrl or status (the enterprise example's form) from the share; the answer's own fields win", async () => {
    const lean = { shareId: "1", expireTime: inTenDays, extractCode: "Abcd1234" };
    const live = { shareId: "1", expireTime: "2020-01-01T00:00:00.000Z", extractCode: "Old12345", linkUrl: "https://koodrive/s/1", status: 0 };
    const { client, calls } = stubClient(lean, live);
    expect(await applySettings(client, "1", { validDays: 10 }, writer())).toEqual({ ...lean, linkUrl: "https://koodrive/s/1", status: 0 });
    expect(calls).toEqual(["PUT", "GET"]);
    // The write is done: a read that fails keeps the answer as it is.
    const failing = stubClient(lean, live);
    failing.client.getShare = async () => {
      throw new Error("503");
    };
    expect(await applySettings(failing.client, "1", { validDays: 10 }, writer())).toEqual(lean);
  });

  it.each([
    ["the status", { linkUrl: "https://koodrive/s/1" }],
    ["the link's URL", { status: 0 }],
  ])("completes an answer that lacks only %s from the share", async (_what, has) => {
    const answer = { shareId: "1", expireTime: inTenDays, ...has };
    const { client, calls } = stubClient(answer, { shareId: "1", expireTime: inTenDays, linkUrl: "https://koodrive/s/1", status: 0 });
    expect(await applySettings(client, "1", { validDays: 10 }, writer())).toMatchObject({ linkUrl: "https://koodrive/s/1", status: 0 });
    expect(calls).toEqual(["PUT", "GET"]);
  });

  it("a lost PUT whose share still holds a longer validity (the previous write's) counts as not applied and is sent again", async () => {
    const timedOut = new KooDriveError({ kind: "timeout", request: { method: "PUT", path: "/share/1", traceId: "t", attempts: 1, host: "koodrive" } });
    // Written with validDays 31 half a day ago: 30.5 days left, more than a write of validDays 30 now gives.
    const live = { shareId: "1", comment: "sent", expireTime: new Date(Date.now() + 30.5 * 86_400_000).toISOString() };
    const { client, calls } = stubClient(timedOut, live);
    const ctx = writer();
    await expect(applySettings(client, "1", { validDays: 30, comment: "sent" }, ctx)).rejects.toBe(timedOut);
    expect(calls).toEqual(["PUT", "GET", "PUT"]);
    // Said, as the client says its own retries: with maxRetries 0 this resend was silent.
    expect(ctx.notices).toEqual(["1: the write's outcome is unknown (no answer in time); the share, read back, does not show it applied: sending it again"]);
  });

  it.each([
    ["an HTTP 503 after the retries", new KooDriveError({ kind: "api", status: 503, request: REQUEST }), "HTTP 503"],
    ["an unreadable answer", new KooDriveError({ kind: "invalid-response", status: 200, request: REQUEST }), "an unreadable answer"],
    ["a reset after sending", new KooDriveError({ kind: "network", causeCode: "ECONNRESET", request: REQUEST }), "network error ECONNRESET"],
    [
      "an earlier attempt lost, the last refused by the proxy",
      new KooDriveError({ kind: "proxy", status: 407, request: REQUEST, earlierAttemptUnknown: true }),
      "an earlier attempt's answer was lost; the last attempt got HTTP 407 from the proxy",
    ],
    [
      "an earlier attempt lost, the last refused a connection",
      new KooDriveError({ kind: "network", causeCode: "ECONNREFUSED", request: REQUEST, earlierAttemptUnknown: true }),
      "an earlier attempt's answer was lost; the last attempt got network error ECONNREFUSED",
    ],
  ])("the read-back notice names the kind of failure: %s", async (_case, failure, reason) => {
    const live = { shareId: "1", comment: "sent", expireTime: new Date(Date.now() + 30 * 86_400_000).toISOString() };
    const ctx = writer();
    await applySettings(stubClient(failure, live).client, "1", { validDays: 30, comment: "sent" }, ctx);
    expect(ctx.notices).toEqual([`1: the write's outcome is unknown (${reason}); the share, read back, shows it applied`]);
  });

  it("a share not found when read back is said so, and the PUT sent again (its not-found answer is the caller's error)", async () => {
    const failure = new KooDriveError({ kind: "api", status: 502, request: REQUEST });
    const { client, calls } = stubClient(failure, undefined as unknown as ShareLink);
    const ctx = writer();
    await expect(applySettings(client, "1", { validDays: 30 }, ctx)).rejects.toBe(failure);
    expect(calls).toEqual(["PUT", "GET", "PUT"]);
    expect(ctx.notices).toEqual(["1: the write's outcome is unknown (HTTP 502); the share was not found when read back: sending it again"]);
  });

  it("a lost answer is read back on KooDrive's clock: with the local clock 40 minutes ahead, the applied PUT is not sent again", async () => {
    const emulator = await testEmulator({ clockOffsetMs: -40 * 60_000 });
    try {
      const share = emulator.seedShare({ ownerId: USER_ID, validDays: 3 });
      // No client retries: the lost answer reaches applySettings, which decides by reading the share back.
      const client = new KooDriveClient(settingsFor(emulator, { maxRetries: 0 }));
      await client.getShare(share.shareId as string); // the client learns KooDrive's clock, as any earlier request would
      emulator.requests.clear();
      emulator.faults.set({ dropAfterApplyNext: 1 });
      const ctx = writer();
      const live = await applySettings(client, share.shareId as string, { validDays: 10, comment: "applied once" }, ctx);
      expect(live.comment).toBe("applied once");
      expect(ctx.notices).toEqual([`${share.shareId}: the write's outcome is unknown (network error ECONNRESET); the share, read back, shows it applied`]);
      expect(emulator.requests.all().map((r) => `${r.method} ${r.status}`)).toEqual(["PUT 0", "GET 200"]);
    } finally {
      await emulator.close();
    }
  });
});
