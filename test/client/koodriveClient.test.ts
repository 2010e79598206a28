import http from "node:http";
import net from "node:net";

const originalSetKeepAlive = net.Socket.prototype.setKeepAlive;
import { KooDriveClient } from "../../src/client/koodriveClient";
import type { Emulator } from "koodrive-emulator";
import { kooDriveFailure } from "./kooDriveFailure";
import { APP_SECRET, OTHER_USER_ID, TOKEN, USER_ID, settingsFor, testEmulator } from "../support/fixtures";

let emulator: Emulator;
const sleeps: number[] = [];
const fastSleep = async (ms: number) => {
  sleeps.push(ms);
};

beforeEach(async () => {
  emulator = await testEmulator();
  sleeps.length = 0;
});
afterEach(() => emulator.close());

/** Jitter fixed at half its range: a Retry-After of 2 s waits 2.5 s. */
const halfJitter = () => 0.5;

function client(overrides: Parameters<typeof settingsFor>[1] = {}) {
  return new KooDriveClient(settingsFor(emulator, overrides), { sleep: fastSleep, random: halfJitter });
}

describe("KooDriveClient against the emulator", () => {
  it.each([false, true])("reads and updates a share (app auth: %s) with correct headers", async (app) => {
    const share = emulator.seedShare({ ownerId: USER_ID, comment: "old", extractCode: "AAAA1111" });
    const c = client({ app });
    const before = await c.getShare(share.shareId as string);
    expect(before).toMatchObject({ shareId: share.shareId, comment: "old", extractCode: "AAAA1111", viewCnt: 0 });
    const after = await c.updateShare(share.shareId as string, { validDays: 9, comment: "new", extractCode: "MDg2K0vU" });
    // The modify API sends counters as strings; the client normalises them to numbers.
    expect(after).toMatchObject({ comment: "new", extractCode: "MDg2K0vU", viewCnt: 0, downloadCnt: 0, saveCnt: 0, status: 0 });

    const [get, put] = emulator.requests.all();
    expect(put!.method).toBe("PUT");
    expect(put!.body).toEqual({ validDays: 9, comment: "new", extractCode: "MDg2K0vU" });
    for (const r of [get!, put!]) {
      expect(r.status).toBe(200);
      expect(r.auth).toBe(app ? "app" : "token");
      expect(r.headers["x-user-id"]).toBe(USER_ID);
      expect(r.headers["x-hw-agentname"]).toBe("test-carrier");
      expect(r.headers["x-traceid"]).toMatch(/^[0-9a-f]{58}$/);
      expect(r.headers["x-date"]).toMatch(/^\d{8}T\d{6}Z$/);
      expect(r.headers.authorization).toEqual(
        app ? expect.stringMatching(/^HMAC-SHA256 AppId=\w+,SignedHeaders=host;x-date;x-user-id,Signature=\[REDACTED\]$/) : "Bearer [REDACTED]",
      );
    }
    expect(get!.headers["x-traceid"]).not.toBe(put!.headers["x-traceid"]);
  });

  it("sends every request on one kept-alive connection, and sets its TCP keep-alive once, not twice per request", async () => {
    // axios sets a 60 s keep-alive delay on each request's socket; an agent with another delay set its own back at
    // every reuse: two setsockopt calls per request for a value that never held.
    const share = emulator.seedShare({ ownerId: USER_ID });
    const port = Number(new URL(emulator.url).port);
    const delays = new Map<net.Socket, number[]>();
    const spy = jest.spyOn(net.Socket.prototype, "setKeepAlive").mockImplementation(function (this: net.Socket, enable, delay) {
      if (this.remotePort === port) delays.set(this, [...(delays.get(this) ?? []), enable ? Number(delay) : -1]);
      return originalSetKeepAlive.call(this, enable, delay);
    });
    try {
      const c = client();
      for (let i = 0; i < 5; i++) await c.updateShare(share.shareId as string, { validDays: i + 1 });
    } finally {
      spy.mockRestore();
    }
    expect(delays.size).toBe(1);
    const [set] = [...delays.values()];
    const changes = set!.filter((delay, i) => i === 0 || delay !== set![i - 1]);
    expect(changes).toEqual([60_000]);
  });

  it("omits unset optional fields from the PUT body", async () => {
    const share = emulator.seedShare({ ownerId: USER_ID, comment: "keep me" });
    const after = await client().updateShare(share.shareId as string, { validDays: 0 });
    expect(emulator.requests.all()[0]!.body).toEqual({ validDays: 0 });
    expect(after.comment).toBe("keep me");
    expect(after.expireTime).toBeUndefined();
  });

  it("creates, lists page by page and cancels shares", async () => {
    const c = client();
    const created = [];
    for (let i = 0; i < 5; i++) created.push(await c.createShare({ scope: 1, fileIds: [`f${i}`], containerId: "space", validDays: 3, comment: `n${i}` }));
    const first = await c.listShares({ pageSize: 2 });
    expect(first.shareLinks).toHaveLength(2);
    expect(first.nextCursor).toEqual(expect.any(String)); // opaque: the client passes it back untouched
    const rest = await c.listShares({ pageSize: 100, pageCursor: first.nextCursor });
    expect(rest.shareLinks).toHaveLength(3);
    expect(rest.nextCursor).toBeUndefined();
    const results = await c.cancelShares([created[0]!.shareId, "999"]);
    expect(results).toEqual([
      { shareId: created[0]!.shareId, code: "0", msg: "success" },
      { shareId: "999", code: "13000309", msg: "Resource not found." },
    ]);
  });

  it("reports another user's share as not found, without retrying", async () => {
    const share = emulator.seedShare({ ownerId: OTHER_USER_ID });
    const e = await kooDriveFailure(client().getShare(share.shareId as string));
    expect(e).toMatchObject({ kind: "api", status: 400, code: "13000309", isNotFound: true });
    expect(e.request).toMatchObject({ method: "GET", path: `/koodrive/ose/v1/share/${share.shareId}`, attempts: 1 });
    expect(e.request.traceId).toHaveLength(58);
  });

  it("retries 503 with Retry-After plus jitter, then succeeds", async () => {
    const share = emulator.seedShare({ ownerId: USER_ID });
    emulator.faults.set({ failNext: 2, failStatus: 503, retryAfterSeconds: 2 });
    await client().updateShare(share.shareId as string, { validDays: 1 });
    expect(sleeps).toEqual([2500, 2500]);
    expect(emulator.requests.all().map((r) => r.status)).toEqual([503, 503, 200]);
  });

  it("retries 429 from the gateway (APIGW.0308): first when KooDrive said, then with jitter", async () => {
    const share = emulator.seedShare({ ownerId: USER_ID });
    emulator.faults.set({ failNext: 2, failStatus: 429 });
    await client().getShare(share.shareId as string);
    // The first wait is the Retry-After (1 s) exactly: the request budget holds what comes back to the quota it
    // learned. Refused again, it jitters.
    expect(sleeps).toEqual([1000, 1250]);
    expect(emulator.requests.all().map((r) => r.status)).toEqual([429, 429, 200]);
  });

  it("retries a reset connection for idempotent requests", async () => {
    const share = emulator.seedShare({ ownerId: USER_ID });
    emulator.faults.set({ resetNext: 1 });
    await client().getShare(share.shareId as string);
    expect(emulator.requests.all().map((r) => r.fault ?? r.status)).toEqual(["reset", 200]);
  });

  it("gives up after maxRetries with the last status and attempt count", async () => {
    const share = emulator.seedShare({ ownerId: USER_ID });
    emulator.faults.set({ failNext: 10, failStatus: 500 });
    const e = await kooDriveFailure(client({ maxRetries: 2 }).updateShare(share.shareId as string, { validDays: 1 }));
    expect(e).toMatchObject({ kind: "api", status: 500, code: "13000201" });
    expect(e.request.attempts).toBe(3);
    expect(emulator.requests.all()).toHaveLength(3);
  });

  it("never retries a 400 and names the rule", async () => {
    const share = emulator.seedShare({ ownerId: USER_ID });
    const e = await kooDriveFailure(client().updateShare(share.shareId as string, { validDays: 400 }));
    expect(e).toMatchObject({ status: 400, code: "13000102" });
    expect(e.koodriveMessage).toMatch(/validDays/);
    expect(emulator.requests.all()).toHaveLength(1);
  });

  it("turns a malformed 200 body into an invalid-response error", async () => {
    const share = emulator.seedShare({ ownerId: USER_ID });
    emulator.faults.set({ malformedNext: 1 });
    const e = await kooDriveFailure(client().getShare(share.shareId as string));
    expect(e.kind).toBe("invalid-response");
  });

  it("times out slow answers and retries them", async () => {
    const share = emulator.seedShare({ ownerId: USER_ID });
    emulator.faults.set({ latencyMs: 400 });
    const e = await kooDriveFailure(client({ timeoutMs: 100, maxRetries: 1 }).getShare(share.shareId as string));
    expect(e.kind).toBe("timeout");
    expect(e.request.attempts).toBe(2);
  });

  it("reports an expired token as 401 and redacts credentials and access codes from every error", async () => {
    const share = emulator.seedShare({ ownerId: USER_ID });
    emulator.expireToken(TOKEN);
    const e = await kooDriveFailure(client().updateShare(share.shareId as string, { validDays: 1, extractCode: "MDg2K0vU" }));
    expect(e).toMatchObject({ status: 401, code: "13000104" });
    const printed = [e.message, JSON.stringify(e), String(e.stack)].join("\n");
    for (const secret of [TOKEN, "MDg2K0vU", APP_SECRET]) expect(printed).not.toContain(secret);
  });

  /** A client pointed at a one-off server answering every request with `status` and `body(req)`. */
  async function withServer(status: number, body: (req: http.IncomingMessage) => unknown, run: (c: KooDriveClient) => Promise<void>) {
    const server = http.createServer((req, res) => {
      res.writeHead(status, { "Content-Type": "application/json" });
      res.end(JSON.stringify(body(req)));
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
    try {
      await run(
        new KooDriveClient({ ...settingsFor(emulator), endpoint: `http://127.0.0.1:${(server.address() as { port: number }).port}` }, { sleep: fastSleep }),
      );
    } finally {
      server.close();
    }
  }

  it("reads null text fields (e.g. an expireTime of null) as absent instead of failing the answer", async () => {
    await withServer(
      200,
      () => ({ code: 0, shareLink: { shareId: "1", expireTime: null, comment: null, extractCode: "MDg2K0vU" } }),
      async (c) => {
        const share = await c.updateShare("1", { validDays: 1 });
        expect(share).toMatchObject({ shareId: "1", expireTime: undefined, comment: undefined, extractCode: "MDg2K0vU" });
      },
    );
  });

  it("reads null anywhere KooDrive may leave a field out (a Java back end's absent value) as absent: envelope, numbers, list and cancel answers", async () => {
    const nulls = { status: null, scope: null, viewCnt: null, downloadCnt: null, saveCnt: null };
    await withServer(
      200,
      (req) =>
        req.method === "POST"
          ? { code: 0, msg: null, subResponseList: [{ shareId: null, code: 0, msg: null, message: null }] }
          : req.url?.includes("/share/1")
            ? { code: "0", msg: null, shareLink: { shareId: "1", ...nulls } }
            : { code: 0, msg: null, nextCursor: null, shareLinks: [{ shareId: "2", ...nulls }] },
      async (c) => {
        expect(await c.getShare("1")).toMatchObject({ shareId: "1", status: undefined, scope: undefined, viewCnt: undefined });
        expect(await c.listShares({ pageSize: 100 })).toMatchObject({ nextCursor: undefined, shareLinks: [{ shareId: "2", status: undefined }] });
        expect(await c.cancelShares(["1"])).toEqual([{ code: "0" }]);
      },
    );
    await withServer(
      200,
      () => ({ code: 0, nextCursor: null, shareLinks: null }),
      async (c) => expect(await c.listShares({ pageSize: 100 })).toMatchObject({ shareLinks: [] }),
    );
  });

  it.each([
    ["code and message", { code: "13000309", message: "Resource not found." }],
    ["the error object form", { error: { errorCode: "13000309", errorMsg: "Resource not found." } }],
    ["error_code and error_msg", { error_code: 13000309, error_msg: "Resource not found." }],
    ["a null field beside them", { code: 13000309, msg: "Resource not found.", error: null, error_msg: null }],
  ])("reads a KooDrive error inside an HTTP 200 in every form it reads one in a 4xx (%s): its code and its message", async (_form, body) => {
    await withServer(
      200,
      () => body,
      async (c) => {
        const e = await kooDriveFailure(c.getShare("1"));
        expect(e).toMatchObject({ kind: "api", status: 200, code: "13000309", koodriveMessage: "Resource not found.", isNotFound: true });
      },
    );
  });

  it("redacts secrets a server echoes in its message", async () => {
    await withServer(
      400,
      (req) => ({ code: 13000102, msg: `bad code MDg2K0vU for ${req.headers.authorization}` }),
      async (c) => {
        const e = await kooDriveFailure(c.updateShare("1", { validDays: 1, extractCode: "MDg2K0vU" }));
        expect(e.koodriveMessage).toBe("bad code [REDACTED] for Bearer [REDACTED]");
      },
    );
  });

  it("redacts secrets a server echoes in a cancel's per-share messages", async () => {
    await withServer(
      200,
      (req) => ({ code: 0, subResponseList: [{ shareId: "123", code: 5, msg: `no: ${req.headers.authorization}` }] }),
      async (c) => {
        expect(await c.cancelShares(["123"])).toEqual([{ shareId: "123", code: "5", msg: "no: Bearer [REDACTED]" }]);
      },
    );
  });

  it("accepts the string success code and string counters of other KooDrive versions", async () => {
    const shareLink = { shareId: "7", viewCnt: "12", downloadCnt: 3, saveCnt: "0", status: "0", scope: "1" };
    await withServer(
      200,
      () => ({ code: "0", msg: "成功", shareLink }),
      async (c) => {
        expect(await c.getShare("7")).toMatchObject({ shareId: "7", viewCnt: 12, downloadCnt: 3, saveCnt: 0, status: 0, scope: 1 });
      },
    );
  });

  it("treats a 200 with a non-zero code as an error", async () => {
    await withServer(
      200,
      () => ({ code: "13000201", msg: "inner server invoke failure" }),
      async (c) => {
        expect(await kooDriveFailure(c.getShare("7"))).toMatchObject({ kind: "api", status: 200, code: "13000201" });
      },
    );
  });
});
