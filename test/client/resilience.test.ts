import { readFileSync } from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import type { KooDriveClientEvent } from "../../src/client/clientEvents";
import { KooDriveClientFactory } from "../../src/client/clientFactory";
import { KooDriveClient, budgetLimits } from "../../src/client/koodriveClient";
import { RequestBudget } from "../../src/client/requestBudget";
import { ServerClock } from "../../src/client/serverClock";
import { ConfigurationError } from "../../src/client/configurationError";
import type { ConnectionSettings } from "../../src/client/connectionSettings";
import type { Emulator } from "koodrive-emulator";
import { kooDriveFailure } from "./kooDriveFailure";
import { KooDriveError, outcomeUnknown } from "../../src/client/koodriveError";
import { EventPrinter } from "../../src/provider/eventPrinter";
import { TOKEN, USER_ID, settingsFor, testEmulator } from "../support/fixtures";

let emulator: Emulator | undefined;
afterEach(async () => {
  await emulator?.close();
  emulator = undefined;
});

async function start(options: Parameters<typeof testEmulator>[0] = {}): Promise<Emulator> {
  emulator = await testEmulator(options);
  return emulator;
}

describe("throttling: one adaptive budget per endpoint", () => {
  it("a request waiting on a rate under 1 per second says the rate as it was set (0.25, not 0.3)", async () => {
    const e = await start();
    const share = e.seedShare({ ownerId: USER_ID });
    const events: KooDriveClientEvent[] = [];
    const client = new KooDriveClient(settingsFor(e, { requestsPerSecond: 0.25 }), { onEvent: (event) => events.push(event) });
    await Promise.all([client.getShare(share.shareId as string), client.getShare(share.shareId as string)]);
    const waiting = events.find((event) => event.kind === "waiting");
    expect(waiting?.message).toMatch(/ and 0\.25 requests\/s/);
  }, 15_000);

  it("many concurrent operations against a 10 requests/s throttle all succeed, and each retry is reported", async () => {
    const e = await start({ faults: { throttleRps: 10 } });
    const shares = Array.from({ length: 30 }, () => e.seedShare({ ownerId: USER_ID }));
    const events: KooDriveClientEvent[] = [];
    const factory = new KooDriveClientFactory({ onEvent: (event) => events.push(event) });
    // maxRetries 0: throttling is retried on its own time budget, not on the count of server-error retries.
    const client = factory.clientFor(settingsFor(e, { maxRetries: 0 }));
    const results = await Promise.allSettled(shares.map((s) => client.updateShare(s.shareId as string, { validDays: 3, comment: "throttled" })));
    expect(results.filter((r) => r.status === "rejected")).toEqual([]);
    const statuses = e.requests.all().map((r) => r.status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(30);
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThan(0);
    const retries = events.filter((event) => event.kind === "retry");
    expect(retries).toHaveLength(statuses.filter((s) => s === 429).length);
    expect(retries[0]!.message).toMatch(
      /^KooDrive PUT \/koodrive\/ose\/v1\/share\/\d+ got HTTP 429 APIGW\.0308 \(throttled\) on attempt \d+; retrying in (\d+(\.\d)? s|\d+ ms)$/,
    );
    for (const event of events) expect(event.message).not.toContain(TOKEN);
  }, 30_000);

  it("learns the quota from the first 429s: after the first burst, 40 writes at 5 requests/s are refused at most once more", async () => {
    const e = await start({ faults: { throttleRps: 5 } });
    const shares = Array.from({ length: 40 }, () => e.seedShare({ ownerId: USER_ID }));
    const events: KooDriveClientEvent[] = [];
    const client = new KooDriveClient(settingsFor(e, { maxRetries: 0 }), { onEvent: (event) => events.push(event) });
    await Promise.all(shares.map((s) => client.updateShare(s.shareId as string, { validDays: 3 })));
    // The quota is counted from KooDrive's answers: exactly its 5, not fewer (start order) nor more.
    const waits = events.filter((event) => event.kind === "waiting").map((event) => event.message);
    expect(waits[0]).toMatch(/ and 5 starts per 1\.1 s /);
    // In the order KooDrive received them. The first burst (16 in flight, none paced yet) is mostly refused; once
    // requests succeed again the learned quota holds, but for one probe above it (one per 5 windows, ~5.5 s).
    // Halving a rate that then grew back ran into the throttle again and again (three more 429s in this run).
    const statuses = e.requests.all().map((r) => r.status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(40);
    const recovered = statuses.indexOf(200, statuses.indexOf(429));
    expect(recovered).toBeGreaterThan(0);
    expect(statuses.slice(recovered).filter((s) => s !== 200).length).toBeLessThanOrEqual(1);
  }, 30_000);

  it("counts KooDrive's error answers in the learned quota: the gateway let them through (it learned 1 of 3 before)", async () => {
    const e = await start({ faults: { throttleRps: 3 } });
    const shares = Array.from({ length: 10 }, () => e.seedShare({ ownerId: USER_ID }));
    const events: KooDriveClientEvent[] = [];
    const client = new KooDriveClient(settingsFor(e, { maxRetries: 0 }), { onEvent: (event) => events.push(event) });
    // Two answers of "not found" (HTTP 400) open the emulator's window; then one write passes and the others are refused.
    for (const missing of ["999000001", "999000002"]) await expect(client.getShare(missing)).rejects.toMatchObject({ isNotFound: true });
    await Promise.all(shares.map((s) => client.updateShare(s.shareId as string, { validDays: 3 })));
    expect(
      e.requests
        .all()
        .slice(0, 3)
        .map((r) => r.status),
    ).toEqual([400, 400, 200]);
    const waits = events.filter((event) => event.kind === "waiting").map((event) => event.message);
    expect(waits[0]).toMatch(/ and 3 starts per 1\.1 s /);
  }, 30_000);

  it("a throttled run shorter than the digest interval ends with the count of the waits not listed", async () => {
    const e = await start({ faults: { throttleRps: 4 } });
    const shares = Array.from({ length: 20 }, () => e.seedShare({ ownerId: USER_ID }));
    const events: KooDriveClientEvent[] = [];
    const lines: string[] = [];
    const printer = new EventPrinter((line) => lines.push(line));
    let waitsOver = 0;
    const client = new KooDriveClient(settingsFor(e, { maxRetries: 0 }), {
      onEvent: (event) => {
        events.push(event);
        printer.handle(event);
      },
      onLongWaitOver: () => {
        waitsOver++;
        printer.waitOver();
      },
    });
    await Promise.all(shares.map((s) => client.updateShare(s.shareId as string, { validDays: 3 })));
    const waiting = events.filter((event) => event.kind === "waiting").length;
    expect(waiting).toBeGreaterThan(3);
    expect(waitsOver).toBe(waiting);
    // Told while the run still goes on (the engine would end the process with a signal, not an exit): every wait
    // beyond the first three, in one digest or more (one each time the waiting requests have all been sent).
    const told = lines.map((line) => /^koodrive: (\d+) more requests? waited over \d+ s for the request budget/.exec(line)?.[1]).filter((n) => n !== undefined);
    expect(told.length).toBeGreaterThan(0);
    expect(told.reduce((sum, n) => sum + Number(n), 0)).toBe(waiting - 3);
  }, 30_000);

  /**
   * A client whose wall clock (it signs X-Date) is stepped back by `wallStepMs` during its first wait; the budget keeps
   * its production clock, on which the throttle retry timeout is measured.
   */
  function clientWithWallStep(settings: ConnectionSettings, wallStepMs: number): KooDriveClient {
    let wallOffsetMs = 0;
    const wallNow = () => new Date(Date.now() + wallOffsetMs);
    const sharedEndpoint = { budget: new RequestBudget(budgetLimits(settings)), serverClock: new ServerClock(() => wallNow().getTime()) };
    const sleep = (ms: number) => {
      wallOffsetMs = -wallStepMs;
      return new Promise<void>((resolve) => setTimeout(resolve, ms));
    };
    return new KooDriveClient(settings, { random: () => 0, now: wallNow, sleep, sharedEndpoint });
  }

  // Read on the wall clock, the call stepped back a minute would go on being refused for about another minute.
  it.each([
    ["", 0],
    [", on the budget's monotonic clock: a wall clock stepped back a minute does not stretch it", 60_000],
  ])(
    "gives up on throttling after the time budget, with the 429 as the error%s",
    async (_, wallStepMs) => {
      const e = await start({ faults: { failNext: 100, failStatus: 429, retryAfterSeconds: 1 } });
      const share = e.seedShare({ ownerId: USER_ID });
      const client = clientWithWallStep(settingsFor(e, { throttleRetryTimeoutMs: 2_500 }), wallStepMs);
      const error = await kooDriveFailure(client.getShare(share.shareId as string));
      expect(error).toMatchObject({ status: 429 });
      expect(error.request.attempts).toBe(3); // at 0, 1 and 2 s; the next retry would end after 2.5 s
      expect(error.message).toMatch(
        /\(3 attempts, trace id \w+; not retried: throttled for 2(\.\d)? s, and the next wait \(1 s\) would pass the throttle retry timeout of 2\.5 s \(koodrive:throttleRetryTimeoutMs\)\)$/,
      );
    },
    10_000,
  );

  it("says why a throttled call was not retried when KooDrive asks for a longer wait than the throttle retry timeout", async () => {
    const e = await start({ faults: { failNext: 1, failStatus: 429, retryAfterSeconds: 120 } });
    const share = e.seedShare({ ownerId: USER_ID });
    const client = new KooDriveClient(settingsFor(e, { throttleRetryTimeoutMs: 90_000 }), { random: () => 0 });
    const error = await kooDriveFailure(client.getShare(share.shareId as string));
    expect(error.message).toMatch(
      /\(1 attempt, trace id \w+; not retried: throttled for (\d+ ms|0 s), and the next wait \(120 s\) would pass the throttle retry timeout of 90 s \(koodrive:throttleRetryTimeoutMs\)\)$/,
    );
  });

  it("a Retry-After longer than the throttle retry timeout fails its call at once and pauses the others no longer than that timeout", async () => {
    const e = await start({ faults: { failNext: 1, failStatus: 429, retryAfterSeconds: 86_400 } });
    const [a, b] = [e.seedShare({ ownerId: USER_ID }), e.seedShare({ ownerId: USER_ID })];
    const client = new KooDriveClient(settingsFor(e, { throttleRetryTimeoutMs: 1_500 }), { random: () => 0 });
    const error = await kooDriveFailure(client.getShare(a.shareId as string));
    expect(error.message).toMatch(/the next wait \(86400 s\) would pass the throttle retry timeout of 1\.5 s/);
    const started = Date.now();
    await expect(client.getShare(b.shareId as string)).resolves.toMatchObject({ shareId: b.shareId });
    expect(Date.now() - started).toBeLessThan(5_000); // paused for the timeout (1.5 s), not for the day asked
  }, 15_000);

  it("does not count the time a call waited for its turn in the budget against the throttle retry timeout", async () => {
    // One request at a time, 300 ms each: the fifth call waits about 1.2 s for its turn, longer than the 1 s timeout,
    // and is then refused once, as a quota probe would be. It is retried: it was never throttled for long.
    const e = await start({ faults: { latencyMs: 300 } });
    const shares = Array.from({ length: 5 }, () => e.seedShare({ ownerId: USER_ID }));
    const gateway = await startGateway(e.url, (n) => (n === 5 ? { "Retry-After": "0" } : undefined));
    try {
      const client = new KooDriveClient(settingsFor(e, { endpoint: gateway.url, maxConcurrency: 1, throttleRetryTimeoutMs: 1_000 }), { random: () => 0 });
      const results = await Promise.allSettled(shares.map((s) => client.getShare(s.shareId as string)));
      expect(results.map((r) => r.status)).toEqual(["fulfilled", "fulfilled", "fulfilled", "fulfilled", "fulfilled"]);
      expect(e.requests.all()).toHaveLength(5);
    } finally {
      await gateway.close();
    }
  }, 10_000);

  it("reads a Retry-After date on KooDrive's clock, not the local one", async () => {
    // KooDrive's clock is 10 minutes ahead of the client's. "Retry after KooDrive's now + 1 s" is a 1 s wait; read on
    // the local clock it would be 10 minutes, beyond the 60 s a Retry-After is honoured, and the call would fail.
    const aheadMs = 10 * 60_000;
    const e = await start({ now: () => Date.now() + aheadMs });
    const share = e.seedShare({ ownerId: USER_ID });
    const gateway = await startGateway(e.url, (n) =>
      n === 2 ? { Date: new Date(Date.now() + aheadMs).toUTCString(), "Retry-After": new Date(Date.now() + aheadMs + 1_000).toUTCString() } : undefined,
    );
    try {
      const events: KooDriveClientEvent[] = [];
      const client = new KooDriveClient(settingsFor(e, { endpoint: gateway.url, maxRetries: 0 }), { random: () => 0, onEvent: (event) => events.push(event) });
      await client.getShare(share.shareId as string); // learns KooDrive's clock from the answer's Date
      await client.getShare(share.shareId as string);
      const waits = events.filter((event) => event.kind === "retry").map((event) => Number(/retrying in (\d+(?:\.\d)?) s/.exec(event.message)?.[1]));
      expect(waits).toHaveLength(1);
      expect(waits[0]).toBeLessThanOrEqual(2);
    } finally {
      await gateway.close();
    }
  }, 10_000);

  it("gives one cached client per distinct settings", async () => {
    const e = await start();
    const factory = new KooDriveClientFactory();
    const a = factory.clientFor(settingsFor(e));
    expect(factory.clientFor({ ...settingsFor(e) })).toBe(a);
    expect(factory.clientFor(settingsFor(e, { app: true }))).not.toBe(a);
  });
});

describe("clock skew: X-Date in the server's time", () => {
  it.each([100, 1_500])(
    "succeeds when KooDrive's clock is %d ms behind the client's",
    async (behindMs) => {
      const e = await start({ now: () => Date.now() - behindMs });
      const share = e.seedShare({ ownerId: USER_ID });
      const client = new KooDriveClientFactory().clientFor(settingsFor(e, { maxRetries: 0 }));
      for (let i = 0; i < 6; i++) {
        await client.getShare(share.shareId as string);
        if (i % 2 === 0) await new Promise((r) => setTimeout(r, 300)); // cross second boundaries at varied offsets
      }
      await Promise.all(Array.from({ length: 10 }, () => client.updateShare(share.shareId as string, { validDays: 1 })));
      const rejected = e.requests.all().filter((r) => r.status === 400);
      // At most the very first request, signed before anything was learned, is rejected and then re-signed.
      expect(rejected.length).toBeLessThanOrEqual(1);
      expect(e.requests.all().filter((r) => r.status === 200)).toHaveLength(16);
    },
    15_000,
  );

  it("re-learns the offset when its X-Date is more than 15 minutes old", async () => {
    const e = await start();
    const share = e.seedShare({ ownerId: USER_ID });
    const clientClock = () => new Date(Date.now() - 20 * 60_000); // the client's clock is 20 minutes slow
    const client = new KooDriveClient(settingsFor(e, { maxRetries: 0 }), { now: clientClock });
    await client.getShare(share.shareId as string);
    await client.getShare(share.shareId as string);
    expect(e.requests.all().map((r) => r.status)).toEqual([400, 200, 200]);
  });
});

describe("a Date header that is not KooDrive's clock", () => {
  it.each([
    ["two hours ahead", () => new Date(Date.now() + 2 * 3600_000).toUTCString()],
    ["two hours behind", () => new Date(Date.now() - 2 * 3600_000).toUTCString()],
    ["in 2035", () => "Mon, 01 Jan 2035 12:00:00 GMT"],
    ['"0" (a date in 2000 to Date.parse)', () => "0"],
  ])("stamped %s on answers KooDrive accepted is not learned: every later request is still accepted", async (_name, stamp) => {
    const e = await start();
    const share = e.seedShare({ ownerId: USER_ID });
    const proxy = await startGateway(e.url, () => undefined, stamp); // a gateway stamping its own Date
    try {
      const client = new KooDriveClient({ ...settingsFor(e, { maxRetries: 0 }), endpoint: proxy.url });
      for (let i = 0; i < 3; i++) await client.getShare(share.shareId as string);
      // KooDrive's "not found" comes after authentication: it accepted the signature too.
      await expect(client.getShare("404404404")).rejects.toMatchObject({ isNotFound: true });
      await client.updateShare(share.shareId as string, { validDays: 3 });
      const statuses = e.requests.all().map((r) => r.status);
      expect(statuses.filter((status) => status !== 200)).toHaveLength(1); // the missing share's
      expect(statuses).toHaveLength(5);
      expect(client.serverTimeKnown()).toBe(false);
    } finally {
      await proxy.close();
    }
  });

  it("a KooDrive that accepts a signature 30 minutes from its clock (a gateway tolerating skew) is still learned from", async () => {
    const e = await start({ clockSkewSeconds: 3600, now: () => Date.now() - 30 * 60_000 });
    const share = e.seedShare({ ownerId: USER_ID });
    const client = new KooDriveClient(settingsFor(e, { maxRetries: 0 }));
    await client.getShare(share.shareId as string);
    expect(client.serverTimeKnown()).toBe(true);
    const kooDriveNow = client.markServerTime()();
    expect(Math.abs(kooDriveNow - (Date.now() - 30 * 60_000))).toBeLessThan(2_000);
  });
});

describe("one bad credential, one request", () => {
  it("after the first 401, every operation with those settings fails with the same message and sends nothing", async () => {
    const e = await start();
    const shares = Array.from({ length: 8 }, () => e.seedShare({ ownerId: USER_ID }));
    const factory = new KooDriveClientFactory();
    const wrong = settingsFor(e, { auth: { kind: "token", accessToken: "wrong-token-0123" } });
    const errors = await Promise.all(shares.map((s) => kooDriveFailure(factory.clientFor(wrong).getShare(s.shareId as string))));
    expect(e.requests.all()).toHaveLength(1);
    expect(new Set(errors.map((error) => error.message)).size).toBe(1);
    expect(errors[0]).toMatchObject({ kind: "credentials", status: 401, isCredentialRejection: true });
    expect(errors[0]!.message).toMatch(
      /^KooDrive rejected the credentials for user \d+ \(HTTP 401, code 13000104: Unauthorized: unknown access token\.\)\. Fix koodrive:accessToken \/ KOODRIVE_ACCESS_TOKEN \(credentials in the environment take precedence over stack config; a plain refresh or destroy uses the stack config the last up stored, .*--run-program\). KooDrive access tokens expire after 20 minutes without use\.$/,
    );
    expect(errors[0]!.message).not.toContain("wrong-token-0123");
    await kooDriveFailure(factory.clientFor(wrong).updateShare(shares[0]!.shareId as string, { validDays: 1 }));
    expect(e.requests.all()).toHaveLength(1);
    // Other settings (the right token) are not affected.
    await factory.clientFor(settingsFor(e)).getShare(shares[0]!.shareId as string);
    expect(e.requests.all()).toHaveLength(2);
  });

  it("names the app credentials when an HMAC signature is rejected, without the token advice", async () => {
    const e = await start();
    const client = new KooDriveClient(settingsFor(e, { auth: { kind: "app", appId: "unknown-app", appSecret: "some-app-secret" } }));
    const error = await kooDriveFailure(client.getShare("1"));
    expect(error.message).toMatch(/Authentication failed: unknown AppId.*Fix koodrive:appId and koodrive:appSecret \/ KOODRIVE_APP_ID and KOODRIVE_APP_SECRET/);
    // App credentials do not expire after idle minutes as tokens do.
    expect(error.message).not.toMatch(/access tokens expire/);
  });

  it("a token that expires mid-run stops the requests from then on", async () => {
    const e = await start();
    const share = e.seedShare({ ownerId: USER_ID });
    const client = new KooDriveClient(settingsFor(e));
    await client.getShare(share.shareId as string);
    e.expireToken(TOKEN);
    await kooDriveFailure(client.getShare(share.shareId as string));
    await kooDriveFailure(client.getShare(share.shareId as string));
    expect(e.requests.all().map((r) => r.status)).toEqual([200, 401]);
  });
});

describe("headers", () => {
  it("sends User-Agent pulumi-koodrive/<version of package.json>", async () => {
    const e = await start();
    await new KooDriveClient(settingsFor(e)).listShares();
    const version = (JSON.parse(readFileSync(join(__dirname, "../../package.json"), "utf8")) as { version: string }).version;
    expect(e.requests.all()[0]!.headers["user-agent"]).toBe(`pulumi-koodrive/${version}`);
  });

  it("on the enterprise edition sends X-Hw-Agentname only when one is set", async () => {
    const e = await start({ edition: "enterprise" });
    const share = e.seedShare({ ownerId: USER_ID });
    await new KooDriveClient({ ...settingsFor(e), edition: "enterprise", agentName: undefined }).getShare(share.shareId as string);
    await new KooDriveClient({ ...settingsFor(e), edition: "enterprise" }).getShare(share.shareId as string);
    expect(e.requests.all().map((r) => [r.status, r.headers["x-hw-agentname"]])).toEqual([
      [200, undefined],
      [200, "test-carrier"],
    ]);
  });
});

describe("connection errors", () => {
  it("name the host, and a network failure's retries are reported", async () => {
    const closed = http.createServer();
    await new Promise<void>((r) => closed.listen(0, "127.0.0.1", () => r()));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((r) => closed.close(() => r()));
    const events: KooDriveClientEvent[] = [];
    const client = new KooDriveClient(
      { ...settingsForUnreachable(port), maxRetries: 1 },
      { onEvent: (event) => events.push(event), sleep: async () => undefined },
    );
    const error = await kooDriveFailure(client.getShare("42"));
    expect(error.message).toMatch(new RegExp(`network error ECONNREFUSED talking to 127\\.0\\.0\\.1:${port} \\(2 attempts`));
    expect(events.map((event) => event.message)).toEqual([
      expect.stringMatching(
        new RegExp(`^KooDrive GET /koodrive/ose/v1/share/42 got network error ECONNREFUSED talking to 127\\.0\\.0\\.1:${port} on attempt 1; retrying in`),
      ),
    ]);
  });
});

describe("an operation's outcome is that of all its attempts", () => {
  it("a write applied by an attempt whose answer was lost stays of unknown outcome when the retry then fails unsent", async () => {
    const e = await start({ faults: { dropAfterApplyNext: 1 } });
    const share = e.seedShare({ ownerId: USER_ID, comment: "before" });
    // The server goes away after the write landed: the retry finds the port closed (sent nothing).
    const client = new KooDriveClient(settingsFor(e, { maxRetries: 1 }), {
      sleep: async () => {
        await e.close();
      },
    });
    const error = await kooDriveFailure(client.updateShare(share.shareId as string, { comment: "after", validDays: 3 }));
    expect(error.causeCode).toBe("ECONNREFUSED");
    expect(error.message).toContain("(2 attempts");
    expect(error.message).toContain("an earlier attempt's outcome is unknown");
    expect(outcomeUnknown(error)).toBe(true);
    expect(e.getShare(share.shareId as string)?.comment).toBe("after");
  });

  it("a write whose retry finds the credentials rejected meanwhile (by another request) keeps its earlier attempt's unknown outcome", async () => {
    const server = http.createServer((req, res) => {
      const [status, code] = req.method === "PUT" ? [503, "13000201"] : [401, "13000104"];
      res.writeHead(status, { "Content-Type": "application/json" }).end(JSON.stringify({ code, msg: "x" }));
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    try {
      const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      let client: KooDriveClient | undefined;
      // While the PUT waits to retry, another operation's GET learns that the credentials are rejected.
      client = new KooDriveClient(
        { ...settingsForUnreachable(0), endpoint, maxRetries: 1 },
        { sleep: async () => void (await client?.getShare("1").catch(() => undefined)) },
      );
      const error = await kooDriveFailure(client.updateShare("1", { comment: "after", validDays: 3 }));
      expect(error.kind).toBe("credentials");
      expect(outcomeUnknown(error)).toBe(true);
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });

  it("a read's earlier attempts, and a write answered 'not found' at last, leave the outcome as the last attempt says", async () => {
    const e = await start({ faults: { failNext: 1, failStatus: 503 } });
    const missing = "1689743054514187999";
    const client = new KooDriveClient(settingsFor(e, { maxRetries: 1 }), { sleep: async () => undefined });
    const write = await kooDriveFailure(client.updateShare(missing, { comment: "after", validDays: 3 }));
    expect(write.isNotFound).toBe(true);
    expect(outcomeUnknown(write)).toBe(false);
    e.faults.set({ resetNext: 1 });
    const read = await kooDriveFailure(client.getShare(missing));
    expect(read.isNotFound).toBe(true);
    expect(read.message).not.toContain("an earlier attempt's outcome is unknown");
  });
});

describe("a host name that does not resolve", () => {
  it("fails at once saying which name to check, and a write failed so is known not applied", async () => {
    // `.invalid` never resolves (RFC 2606); a machine without any DNS server says EAI_AGAIN instead, never sent either.
    const client = new KooDriveClient({ ...settingsForUnreachable(0), endpoint: "https://koodrive.invalid", maxRetries: 0 });
    const error = await kooDriveFailure(client.updateShare("1", { comment: "after", validDays: 3 }));
    expect(["ENOTFOUND", "EAI_AGAIN"]).toContain(error.causeCode);
    expect(outcomeUnknown(error)).toBe(false);
    if (error.causeCode === "ENOTFOUND") {
      expect(error.message).toContain("(1 attempt");
      expect(error.message).toContain("the host name of koodrive.invalid does not resolve: check koodrive:endpoint, or this machine's DNS. Nothing was sent");
    }
  });

  it("through a proxy, the proxy's name is the one to check", () => {
    const request = { method: "GET", path: "/share/1", traceId: "t", attempts: 1, host: "drive.example.com", proxy: "http://proxy.corp.invalid:3128" };
    const error = new KooDriveError({ kind: "network", causeCode: "ENOTFOUND", request });
    expect(error.message).toContain("the proxy's host name (http://proxy.corp.invalid:3128) does not resolve: check the proxy URL");
  });
});

/** Settings for a server that is not listening on `port`. */
function settingsForUnreachable(port: number) {
  return {
    endpoint: `http://127.0.0.1:${port}`,
    userId: USER_ID,
    agentName: "test-carrier",
    auth: { kind: "token" as const, accessToken: TOKEN },
    timeoutMs: 2_000,
    maxRetries: 0,
  };
}

/**
 * An API gateway in front of `target`: it answers the n-th request (1-based) with `refusal(n)`'s 429 when that gives
 * one (headers as the gateway sends them), and forwards every other request, with the `Date` that `stampDate` gives
 * when there is one (a proxy stamping its own clock, or a garbled header).
 */
async function startGateway(target: string, refusal: (n: number) => Record<string, string> | undefined, stampDate?: () => string) {
  let count = 0;
  const upstreamUrl = new URL(target);
  const server = http.createServer((req, res) => {
    count += 1;
    const refused = refusal(count);
    if (refused !== undefined) {
      req.resume();
      res.writeHead(429, { "Content-Type": "application/json", ...refused }).end(JSON.stringify({ error_code: "APIGW.0308", error_msg: "throttled" }));
      return;
    }
    const upstream = http.request({ host: upstreamUrl.hostname, port: upstreamUrl.port, path: req.url, method: req.method, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, stampDate === undefined ? answer.headers : { ...answer.headers, date: stampDate() });
      answer.pipe(res);
    });
    upstream.on("error", () => res.writeHead(502).end());
    req.pipe(upstream);
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>((r) => {
        server.close(() => r());
        server.closeAllConnections();
      }),
  };
}

/** A forward proxy for plain-http targets, as corporate proxies are; optionally demanding Basic credentials. */
async function startForwardProxy(credentials?: string) {
  const seen: string[] = [];
  let connections = 0;
  const server = http.createServer((req, res) => {
    if (credentials !== undefined && req.headers["proxy-authorization"] !== `Basic ${Buffer.from(credentials).toString("base64")}`) {
      res.writeHead(407, { "Proxy-Authenticate": "Basic" }).end();
      return;
    }
    seen.push(`${req.method} ${req.url}`);
    const target = new URL(req.url ?? "");
    const headers = { ...req.headers };
    delete headers["proxy-authorization"];
    const upstream = http.request(
      { host: target.hostname, port: target.port, path: target.pathname + target.search, method: req.method, headers },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on("error", () => res.writeHead(502).end());
    req.pipe(upstream);
  });
  server.on("connection", () => (connections += 1));
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    seen,
    connections: () => connections,
    close: () =>
      new Promise<void>((r) => {
        server.close(() => r());
        server.closeAllConnections();
      }),
  };
}

describe("proxies", () => {
  const saved = { ...process.env };
  afterEach(() => {
    for (const name of ["HTTP_PROXY", "http_proxy", "HTTPS_PROXY", "https_proxy", "NO_PROXY", "no_proxy", "ALL_PROXY", "all_proxy"]) {
      if (saved[name] === undefined) delete process.env[name];
      else process.env[name] = saved[name];
    }
  });

  it("koodrive:proxy sends every request through the proxy, over one kept-alive connection", async () => {
    const e = await start();
    const share = e.seedShare({ ownerId: USER_ID });
    const proxy = await startForwardProxy();
    try {
      const client = new KooDriveClient(settingsFor(e, { proxy: proxy.url }));
      for (let i = 0; i < 3; i++) await client.getShare(share.shareId as string);
      expect(proxy.seen).toEqual(Array(3).fill(`GET ${e.url}/koodrive/ose/v1/share/${share.shareId}`));
      expect(proxy.connections()).toBe(1);
      expect(e.requests.all().map((r) => r.status)).toEqual([200, 200, 200]);
    } finally {
      await proxy.close();
    }
  });

  it.each([
    ["http_proxy (lower case) is honoured", { http_proxy: "PROXY" }, undefined, 1],
    ["HTTP_PROXY is honoured", { HTTP_PROXY: "PROXY" }, undefined, 1],
    ["NO_PROXY bypasses it", { HTTP_PROXY: "PROXY", NO_PROXY: "localhost,127.0.0.1" }, undefined, 0],
    ['koodrive:proxy "none" overrides it', { HTTP_PROXY: "PROXY" }, "none", 0],
  ])("%s", async (_name, env: Record<string, string>, configured, throughProxy) => {
    const e = await start();
    const share = e.seedShare({ ownerId: USER_ID });
    const proxy = await startForwardProxy();
    try {
      for (const [name, value] of Object.entries(env)) process.env[name] = value.replace("PROXY", proxy.url);
      await new KooDriveClient(settingsFor(e, { proxy: configured })).getShare(share.shareId as string);
      expect(proxy.seen).toHaveLength(throughProxy);
      expect(e.requests.all()).toHaveLength(1);
    } finally {
      await proxy.close();
    }
  });

  it("authenticates to a proxy with the URL's credentials, and never prints them", async () => {
    const e = await start();
    const share = e.seedShare({ ownerId: USER_ID });
    const proxy = await startForwardProxy("corp-user:pr0xy-s3cret");
    const withCredentials = proxy.url.replace("http://", "http://corp-user:pr0xy-s3cret@");
    try {
      await new KooDriveClient(settingsFor(e, { proxy: withCredentials })).getShare(share.shareId as string);
      expect(proxy.seen).toHaveLength(1);
      const refused = await kooDriveFailure(
        new KooDriveClient(settingsFor(e, { proxy: withCredentials.replace("pr0xy-s3cret", "wrong-pass") })).getShare(share.shareId as string),
      );
      expect(refused.status).toBe(407);
      expect(refused.kind).toBe("proxy");
      expect(refused.message).toContain(`proxy ${proxy.url} refused to forward it to ${new URL(e.url).host} with HTTP 407 (1 attempt`);
      expect(refused.message).toContain("the proxy asks for credentials: give them in the proxy URL");
    } finally {
      await proxy.close();
    }
    const unreachable = await kooDriveFailure(new KooDriveClient(settingsFor(e, { proxy: withCredentials, maxRetries: 0 })).getShare(share.shareId as string));
    expect(unreachable.message).toContain(`network error ECONNREFUSED talking to ${new URL(e.url).host} through proxy ${proxy.url}`);
    expect(JSON.stringify([unreachable.message, unreachable.toJSON(), String(unreachable.stack)])).not.toMatch(/pr0xy-s3cret|corp-user:/);
  });

  it("a password with a % is written %25 in the proxy URL, as in any URL; a stray % is refused naming where it came from, not thrown as 'URI malformed'", async () => {
    const e = await start();
    const share = e.seedShare({ ownerId: USER_ID });
    const proxy = await startForwardProxy("corp-user:50%off-s3cret");
    try {
      await new KooDriveClient(settingsFor(e, { proxy: proxy.url.replace("http://", "http://corp-user:50%25off-s3cret@") })).getShare(share.shareId as string);
      expect(proxy.seen).toHaveLength(1);
      process.env.HTTP_PROXY = proxy.url.replace("http://", "http://corp-user:50%off-s3cret@");
      let error: unknown;
      try {
        new KooDriveClient(settingsFor(e));
      } catch (thrown) {
        error = thrown;
      }
      expect(error).toBeInstanceOf(ConfigurationError);
      expect((error as Error).message).toContain(
        `the proxy URL for ${e.url} from the environment (HTTP_PROXY or ALL_PROXY) must be written with its user name and password percent-encoded (a % itself written as %25)`,
      );
      expect((error as Error).message).not.toMatch(/s3cret|corp-user/);
      expect(proxy.seen).toHaveLength(1);
      expect(e.requests.all()).toHaveLength(1);
    } finally {
      await proxy.close();
    }
  });
});
