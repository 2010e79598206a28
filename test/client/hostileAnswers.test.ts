import http from "node:http";
import net from "node:net";
import type { AddressInfo } from "node:net";
import { KooDriveClient } from "../../src/client/koodriveClient";
import { outcomeUnknown } from "../../src/client/koodriveError";
import { findShare } from "../../src/provider/findShare";
import { providerShim } from "../../src/provider/shim";
import { AGENT, TOKEN, USER_ID, configureRequest } from "../support/fixtures";
import { kooDriveFailure } from "./kooDriveFailure";

/**
 * Answers no KooDrive gives on purpose, but a server gone wrong, a proxy or a broken connection can: each must end in
 * bounded time with an error that says what happened, and never be taken for an answer about the share.
 */

type Handler = (req: http.IncomingMessage, res: http.ServerResponse, count: number) => unknown;

/** A server answering with `handler` (its `count` is the request's number, 1-based); closed after the test. */
async function hostileServer(handler: Handler) {
  let count = 0;
  const server = http.createServer((req, res) => {
    count += 1;
    const n = count;
    req.resume();
    req.on("end", () => void handler(req, res, n));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  servers.push(server);
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, requests: () => count };
}

const servers: http.Server[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
});

function clientFor(url: string, overrides: { timeoutMs?: number; maxRetries?: number } = {}) {
  return new KooDriveClient(
    { endpoint: url, userId: USER_ID, agentName: AGENT, auth: { kind: "token", accessToken: TOKEN }, timeoutMs: 2_000, maxRetries: 1, ...overrides },
    { sleep: async () => undefined },
  );
}

const json = (res: http.ServerResponse, status: number, body: unknown) =>
  res.writeHead(status, { "Content-Type": "application/json" }).end(JSON.stringify(body));
const shareAnswer = (shareId: string) => ({ code: 0, msg: "success", shareLink: { shareId, comment: "c", extractCode: "MDg2K0vU", status: 0 } });

describe("answers that must not be taken for 'not found'", () => {
  it.each([500, 503, 429])("code 13000309 with HTTP %i is an error, and the provider does not take the share for gone", async (status) => {
    const server = await hostileServer((_req, res) => json(res, status, { code: "13000309", msg: "internal error: share lookup timed out" }));
    const client = new KooDriveClient(
      { endpoint: server.url, userId: USER_ID, agentName: AGENT, auth: { kind: "token", accessToken: TOKEN }, timeoutMs: 2_000, maxRetries: 1 },
      { sleep: async () => undefined, retryPolicy: { throttleRetryTimeoutMs: 0 } },
    );
    const error = await kooDriveFailure(findShare(client, "42"));
    expect(error).toMatchObject({ status, code: "13000309", isNotFound: false });
  });
});

describe("answers that never finish", () => {
  it("an answer trickling in a byte at a time times out after timeoutMs, and a request waiting behind it is then sent", async () => {
    const server = await hostileServer((req, res, n) => {
      if (n > 1) return json(res, 200, shareAnswer(req.url!.split("/").pop()!));
      res.writeHead(200, { "Content-Type": "application/json" });
      const drip = setInterval(() => res.write(" "), 100);
      res.on("close", () => clearInterval(drip));
    });
    const client = clientFor(server.url, { timeoutMs: 500, maxRetries: 0 });
    const started = Date.now();
    const [slow, waiting] = await Promise.allSettled([client.getShare("41"), client.getShare("42")]);
    expect(slow).toMatchObject({ status: "rejected", reason: { kind: "timeout" } });
    expect(waiting).toMatchObject({ status: "fulfilled", value: { shareId: "42" } });
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it("a connection cut in the middle of the answer's body is a reset: retried, and a write's outcome is unknown", async () => {
    const server = await hostileServer((req, res, n) => {
      if (n > 1) return json(res, 200, shareAnswer("42"));
      res.writeHead(200, { "Content-Type": "application/json", "Content-Length": "500" });
      res.write('{"code":0,"shareLink":{');
      setTimeout(() => res.socket?.destroy(), 20);
      void req;
    });
    const client = clientFor(server.url);
    expect(await client.updateShare("42", { validDays: 3 })).toMatchObject({ shareId: "42" });
    expect(server.requests()).toBe(2);
    const once = clientFor(
      (
        await hostileServer((_req, res) => {
          res.writeHead(200, { "Content-Length": "500" });
          res.write("{");
          setTimeout(() => res.socket?.destroy(), 20);
        })
      ).url,
      { maxRetries: 0 },
    );
    const error = await kooDriveFailure(once.updateShare("42", { validDays: 3 }));
    expect(error.causeCode).toBe("ECONNRESET");
    expect(outcomeUnknown(error)).toBe(true);
  });

  it("an answer larger than any KooDrive answer is refused before it is read whole", async () => {
    const chunk = Buffer.alloc(1 << 20, " ");
    const server = await hostileServer(async (_req, res) => {
      res.writeHead(200, { "Content-Type": "application/json" });
      for (let sent = 0; sent < 64 && !res.destroyed; sent++) {
        if (!res.write(chunk)) await new Promise((resolve) => res.once("drain", resolve));
      }
      res.end();
    });
    const error = await kooDriveFailure(clientFor(server.url, { maxRetries: 0 }).getShare("42"));
    expect(error.kind).toBe("invalid-response");
    expect(error.message).toContain("the answer is larger than 16 MiB");
  });
});

describe("answers about another share", () => {
  it.each(["GET", "PUT"])("a %s answered with another share's settings is an unexpected response, not that share's state", async (method) => {
    const server = await hostileServer((_req, res) => json(res, 200, shareAnswer("999")));
    const client = clientFor(server.url);
    const call = method === "GET" ? client.getShare("42") : client.updateShare("42", { validDays: 3 });
    const error = await kooDriveFailure(call);
    expect(error.kind).toBe("invalid-response");
    expect(error.message).toContain("the answer is about share 999, not 42");
    expect(server.requests()).toBe(1);
  });
});

describe("throttling without end", () => {
  it("concurrent requests throttled for good each stop at the throttle retry timeout, their waits for a turn counted", async () => {
    const server = await hostileServer((_req, res) =>
      res.writeHead(429, { "Content-Type": "application/json", "Retry-After": "0" }).end(JSON.stringify({ error_code: "APIGW.0308", error_msg: "throttled" })),
    );
    const client = new KooDriveClient(
      { endpoint: server.url, userId: USER_ID, agentName: AGENT, auth: { kind: "token", accessToken: TOKEN }, timeoutMs: 2_000, maxRetries: 0 },
      { retryPolicy: { throttleRetryTimeoutMs: 1_000 } },
    );
    const errors = await Promise.all(["1", "2", "3", "4"].map((id) => kooDriveFailure(client.getShare(id))));
    for (const error of errors) {
      const [, amount, unit] = /throttled for ([\d.]+) (s|ms)\b/.exec(error.message) ?? [];
      const throttledMs = Number(amount) * (unit === "s" ? 1_000 : 1);
      // What the client measured, on its own clock: the timeout, and not a wait for a turn after it.
      expect(throttledMs).toBeGreaterThanOrEqual(1_000);
      expect(throttledMs).toBeLessThan(1_500);
      expect(error.message).toContain("the throttle retry timeout of 1 s (koodrive:throttleRetryTimeoutMs)");
    }
  }, 20_000);
});

describe("secrets echoed where KooDrive's message is not", () => {
  it("a token echoed in KooDrive's code is redacted in the error, its JSON and the retry lines", async () => {
    const server = await hostileServer((_req, res) => json(res, 503, { error_code: `bad token ${TOKEN}`, error_msg: "try later" }));
    const events: string[] = [];
    const client = new KooDriveClient(
      { endpoint: server.url, userId: USER_ID, agentName: AGENT, auth: { kind: "token", accessToken: TOKEN }, timeoutMs: 2_000, maxRetries: 1 },
      { sleep: async () => undefined, onEvent: (event) => events.push(event.message) },
    );
    const error = await kooDriveFailure(client.getShare("42"));
    expect(events).toHaveLength(1);
    for (const text of [error.message, String(error.code), JSON.stringify(error), ...events]) {
      expect(text).not.toContain(TOKEN);
    }
    expect(error.code).toBe("bad token [REDACTED]");
  });

  it("an access code the client was answered with is redacted from a later error about that share, a GET's included", async () => {
    const server = await hostileServer((_req, res, n) =>
      n === 1 ? json(res, 200, shareAnswer("42")) : json(res, 400, { code: "13000102", msg: "share 42 (code MDg2K0vU) is locked" }),
    );
    const client = clientFor(server.url);
    expect((await client.getShare("42")).extractCode).toBe("MDg2K0vU");
    const error = await kooDriveFailure(client.getShare("42"));
    expect(error.message).toContain("share 42 (code [REDACTED]) is locked");
    expect(JSON.stringify(error)).not.toContain("MDg2K0vU");
  });
});

describe("an access code the provider holds", () => {
  it("is redacted from a refresh's error that echoes it, though this process never sent or received it", async () => {
    const server = await hostileServer((_req, res) => json(res, 400, { code: "13000102", msg: "share 42 with code ORIG1234 is under review" }));
    const provider = providerShim("shareSettings");
    await provider.configure!(
      configureRequest({
        "koodrive:endpoint": server.url,
        "koodrive:userId": USER_ID,
        "koodrive:agentName": AGENT,
        "koodrive:accessToken": TOKEN,
        "koodrive:maxRetries": "0",
      }),
    );
    const stored = { shareId: "42", validDays: 3, extractCode: "ORIG1234", managedFields: ["extractCode"], owner: USER_ID, stateVersion: 3 };
    const error = (await provider.read!("42", stored).catch((e: unknown) => e)) as Error;
    expect(error.message).toContain("share 42 with code [REDACTED] is under review");
    expect(server.requests()).toBe(1);
  });
});

describe("a proxy that never answers", () => {
  it("a request to an https endpoint through a proxy that never answers CONNECT times out after timeoutMs", async () => {
    const sockets: net.Socket[] = [];
    const silent = net.createServer((socket) => void sockets.push(socket.on("error", () => undefined)));
    await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
    try {
      const proxy = `http://127.0.0.1:${(silent.address() as AddressInfo).port}`;
      const client = new KooDriveClient(
        {
          endpoint: "https://koodrive.example",
          proxy,
          userId: USER_ID,
          agentName: AGENT,
          auth: { kind: "token", accessToken: TOKEN },
          timeoutMs: 500,
          maxRetries: 0,
        },
        { sleep: async () => undefined },
      );
      const error = await kooDriveFailure(client.getShare("42"));
      expect(error.kind).toBe("timeout");
    } finally {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => silent.close(() => resolve()));
    }
  });
});

describe("answers of the wrong shape", () => {
  it("a field of the wrong type is named with what is wrong with it: the access-code redaction does not eat the rule's words", async () => {
    const server = await hostileServer((_req, res) =>
      json(res, 200, { code: 0, msg: "success", shareLink: { shareId: "42", comment: "c", extractCode: { nested: true }, status: 0 } }),
    );
    const error = await kooDriveFailure(clientFor(server.url, { maxRetries: 0 }).getShare("42"));
    expect(error.kind).toBe("invalid-response");
    expect(error.message).toMatch(/Invalid input: expected string, received object at shareLink\.extractCode/);
  });
});
