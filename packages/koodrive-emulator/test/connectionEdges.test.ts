import { spawn } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import path from "node:path";
import v8 from "node:v8";
import vm from "node:vm";
import { type Emulator, RequestLog } from "../src";
import { alive, runCli, startForeground, stopWith } from "./support/cli";
import { TOKEN, USER_ID, testEmulator } from "./support/fixtures";
import { raw, tokenHeaders } from "./support/rawHttp";
import { sendRaw, statusOf } from "./support/rawSocket";
import { useScratchDir } from "./support/scratch";

/**
 * Connections used as clients really use them (pipelined requests, a request line Node cannot parse behind a pending
 * answer, no Host header) and a CLI whose surroundings go away: found by an adversarial run, each failed before.
 */

let emulator: Emulator;
afterEach(async () => emulator?.close());

const SHARE = "/koodrive/ose/v1/share";

/** Opens a connection, writes `first`, waits `gapMs`, runs `between`, writes `second`; resolves with all it received. */
async function pipelined(first: string, second: string, between: () => Promise<void>, gapMs = 200): Promise<{ received: string; closedAfterMs: number }> {
  const socket = net.connect(emulator.port, "127.0.0.1");
  await new Promise((resolve) => socket.once("connect", resolve));
  const started = Date.now();
  let received = "";
  socket.on("data", (chunk) => (received += chunk.toString("latin1")));
  const closed = new Promise<number>((resolve) => socket.once("close", () => resolve(Date.now() - started)));
  socket.on("error", () => undefined);
  socket.write(first);
  await new Promise((resolve) => setTimeout(resolve, gapMs));
  await between();
  socket.write(second);
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<number>((resolve) => {
    timer = setTimeout(() => resolve(Number.POSITIVE_INFINITY), 10_000);
  });
  const closedAfterMs = await Promise.race([closed, timeout]);
  clearTimeout(timer);
  socket.destroy();
  return { received, closedAfterMs };
}

function request(method: string, target: string, body = ""): string {
  const headers = Object.entries(tokenHeaders(TOKEN, USER_ID))
    .map(([k, v]) => `${k}: ${v}\r\n`)
    .join("");
  const content = body === "" ? "" : `Content-Type: application/json\r\nContent-Length: ${body.length}\r\n`;
  return `${method} ${target} HTTP/1.1\r\nHost: emulator\r\n${headers}${content}\r\n${body}`;
}

const statuses = (received: string) => [...received.matchAll(/HTTP\/1\.1 (\d{3}) /g)].map((m) => Number(m[1]));

describe("pipelined requests", () => {
  it.each([
    ["resetNext", "GET"],
    ["dropAfterApplyNext", "PUT"],
  ])("a %s fault on a request queued behind a pending answer closes the connection once that answer is sent", async (fault, method) => {
    emulator = await testEmulator();
    const { shareId } = emulator.seedShare({ ownerId: USER_ID });
    emulator.faults.set({ delayAfterApplyNext: 1, afterApplyDelayMs: 500 });
    const put = request("PUT", `${SHARE}/${shareId}`, JSON.stringify({ validDays: 3 }));
    const second = method === "GET" ? request("GET", `${SHARE}/${shareId}`) : put;
    const { received, closedAfterMs } = await pipelined(put, second, async () => emulator.faults.merge({ [fault]: 1 }));
    expect(statuses(received)).toEqual([200]);
    expect(closedAfterMs).toBeLessThan(10_000);
  });

  it("a request Node cannot parse, behind a write whose answer is pending, is refused after that answer, not instead of it", async () => {
    emulator = await testEmulator();
    const { shareId } = emulator.seedShare({ ownerId: USER_ID, comment: "old" });
    emulator.faults.set({ delayAfterApplyNext: 1, afterApplyDelayMs: 500 });
    const put = request("PUT", `${SHARE}/${shareId}`, JSON.stringify({ validDays: 3, comment: "new" }));
    const { received } = await pipelined(put, "GARBAGE\r\n\r\n", async () => undefined);
    expect(statuses(received)).toEqual([200, 400]);
    expect(received).toContain('"comment":"new"');
    expect(emulator.getShare(shareId)?.comment).toBe("new");
  });
});

describe("pipelined requests run one at a time, in order", () => {
  it("a request behind a delayed answer runs after it: the log is in the order they came", async () => {
    emulator = await testEmulator();
    const { shareId } = emulator.seedShare({ ownerId: USER_ID });
    emulator.faults.set({ delayAfterApplyNext: 1, afterApplyDelayMs: 300 });
    const put = request("PUT", `${SHARE}/${shareId}`, JSON.stringify({ validDays: 3 }));
    const lastGet = request("GET", `${SHARE}/${shareId}`).replace("Host: emulator\r\n", "Host: emulator\r\nConnection: close\r\n");
    const { received } = await pipelined(put, lastGet, async () => undefined, 50);
    expect(statuses(received)).toEqual([200, 200]);
    expect(emulator.requests.all().map((r) => r.method)).toEqual(["PUT", "GET"]);
  });

  it("a write pipelined behind an answer whose connection was dropped is not run", async () => {
    emulator = await testEmulator();
    const { shareId } = emulator.seedShare({ ownerId: USER_ID, comment: "old" });
    emulator.faults.set({ dropAfterApplyNext: 1 });
    const first = request("PUT", `${SHARE}/${shareId}`, JSON.stringify({ validDays: 3, comment: "first" }));
    const second = request("PUT", `${SHARE}/${shareId}`, JSON.stringify({ validDays: 3, comment: "second" }));
    expect(statuses(await sendRaw(emulator.url, first + second))).toEqual([]);
    expect(emulator.getShare(shareId)?.comment).toBe("first");
  });
});

describe("a client that half-closes its connection after its requests", () => {
  it("still gets every answer, in order, and the log shows only what it got (Node's default ends the connection at the FIN)", async () => {
    emulator = await testEmulator({ faults: { latencyMs: 100 } });
    const { shareId } = emulator.seedShare({ ownerId: USER_ID, comment: "old" });
    const get = request("GET", `${SHARE}/${shareId}`);
    const put = request("PUT", `${SHARE}/${shareId}`, JSON.stringify({ validDays: 3, comment: "new" }));
    // sendRaw half-closes: it ends its side once the requests are written, and reads until the server closes.
    const answer = await sendRaw(emulator.url, get + put);
    expect(statuses(answer)).toEqual([200, 200]);
    expect(answer).toContain('"comment":"new"');
    expect(emulator.getShare(shareId)?.comment).toBe("new");
    expect(emulator.requests.all().map((r) => `${r.method} ${r.status}`)).toEqual(["GET 200", "PUT 200"]);
  });

  it("gets the answer a delayAfterApply fault holds back (its close came before the delay: not a client giving up)", async () => {
    emulator = await testEmulator();
    const { shareId } = emulator.seedShare({ ownerId: USER_ID, comment: "old" });
    emulator.faults.set({ delayAfterApplyNext: 1, afterApplyDelayMs: 300 });
    const answer = await sendRaw(emulator.url, request("PUT", `${SHARE}/${shareId}`, JSON.stringify({ validDays: 3, comment: "new" })));
    expect(statuses(answer)).toEqual([200]);
    expect(emulator.requests.all().map((r) => `${r.method} ${r.status} ${r.fault}`)).toEqual(["PUT 200 delayAfterApply"]);
  });

  it("gets that answer also when the emulator's event loop stalls right after the write (a busy test process): its FIN is read late, not sent late", async () => {
    emulator = await testEmulator();
    const { shareId } = emulator.seedShare({ ownerId: USER_ID, comment: "old" });
    emulator.faults.set({ delayAfterApplyNext: 1, afterApplyDelayMs: 300 });
    const stall = setInterval(() => {
      if (emulator.getShare(shareId)?.comment !== "new") return;
      clearInterval(stall);
      const until = Date.now() + 150;
      while (Date.now() < until);
    }, 1);
    // The client in a process of its own, as `nc` is: it writes the request, half-closes, and reads until the close.
    const client = `const s = require("node:net").connect(${emulator.port}, "127.0.0.1", () => s.end(process.argv[1]));
      let got = ""; s.on("data", (c) => (got += c)); s.on("error", () => {}); s.on("close", () => process.stdout.write(got));`;
    const child = spawn(process.execPath, ["-e", client, request("PUT", `${SHARE}/${shareId}`, JSON.stringify({ validDays: 3, comment: "new" }))]);
    let answer = "";
    child.stdout.on("data", (c: Buffer) => (answer += c.toString("latin1")));
    await new Promise((resolve) => child.on("close", resolve));
    clearInterval(stall);
    expect(statuses(answer)).toEqual([200]);
    expect(emulator.requests.all().map((r) => `${r.method} ${r.status}`)).toEqual(["PUT 200"]);
  });
});

describe("requests that end a connection", () => {
  it("a request whose own chunked body is bad is refused, and its connection closed", async () => {
    emulator = await testEmulator();
    const { shareId } = emulator.seedShare({ ownerId: USER_ID });
    const head = request("PUT", `${SHARE}/${shareId}`).replace("\r\n\r\n", "\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n");
    const answer = await sendRaw(emulator.url, `${head}zz\r\n{}\r\n0\r\n\r\n`, 8_000);
    expect(statusOf(answer)).toBe(400);
    expect(answer).toContain('"error_code":"APIGW.0201"');
  });

  it.each([
    ["without Host", (put: string) => `GET ${SHARE}/1 HTTP/1.1\r\n\r\n${put}`, 400],
    ["with an Expect it does not meet", (put: string) => `GET ${SHARE}/1 HTTP/1.1\r\nHost: e\r\nExpect: bogus\r\n\r\n${put}`, 417],
  ])("a write pipelined behind a request %s, whose refusal closes the connection, is not run", async (_name, text, status) => {
    emulator = await testEmulator();
    const { shareId } = emulator.seedShare({ ownerId: USER_ID, comment: "old" });
    const answer = await sendRaw(emulator.url, text(request("PUT", `${SHARE}/${shareId}`, JSON.stringify({ validDays: 3, comment: "new" }))));
    expect(statuses(answer)).toEqual([status]);
    expect(emulator.getShare(shareId)?.comment).toBe("old");
    expect(emulator.requests.all()).toEqual([]);
  });
});

describe("answers Node would give bare", () => {
  it.each([
    ["an HTTP/1.1 request without Host", `GET ${SHARE}/1 HTTP/1.1\r\n\r\n`, 400, "Bad request."],
    ["an Expect the emulator does not meet", `GET ${SHARE}/1 HTTP/1.1\r\nHost: e\r\nExpect: bogus\r\n\r\n`, 417, "Expectation failed."],
  ])("%s gets the gateway's JSON with the emulator's Date", async (_name, text, status, msg) => {
    emulator = await testEmulator({ clockOffsetMs: 30 * 86_400_000 });
    const answer = await sendRaw(emulator.url, text);
    expect(statusOf(answer)).toBe(status);
    expect(answer).toContain(JSON.stringify({ error_code: "APIGW.0201", error_msg: msg }));
    const date = /^Date: (.+)$/im.exec(answer)?.[1];
    expect(Date.parse(date ?? "")).toBeGreaterThan(Date.now() + 29 * 86_400_000);
    expect((await raw(emulator.url, "GET", `${SHARE}/1`, tokenHeaders(TOKEN, USER_ID))).status).toBe(400);
  });
});

describe("the request log's memory", () => {
  it("keeps a body as its JSON text, counted as such, and no object passed to it", async () => {
    v8.setFlagsFromString("--expose-gc");
    const gc = vm.runInNewContext("gc") as () => void;
    const log = new RequestLog({ maxEntries: 10 });
    let body: unknown = { validDays: 1, x: Array.from({ length: 1_000 }, () => ({})) };
    const watched = new WeakRef(body as object);
    log.add({ time: "t", method: "PUT", path: "/p", query: {}, headers: {}, bodyBytes: 0, status: 200, body });
    body = undefined;
    // A WeakRef keeps its target alive until the job that made it ends.
    await new Promise((resolve) => setTimeout(resolve, 0));
    gc();
    expect(watched.deref()).toBeUndefined();
    expect(log.all()[0]!.body).toEqual({ validDays: 1, x: Array.from({ length: 1_000 }, () => ({})) });
    // What the admin API sends, built from the text without parsing it: the same entries.
    log.add({ time: "t", method: "GET", path: "/q", query: {}, headers: {}, bodyBytes: 0, status: 200 });
    expect(JSON.parse(log.json())).toEqual(log.all());
    expect(log.retainedBytes - 200 - "/q".length).toBe(
      200 + JSON.stringify({ validDays: 1, x: Array.from({ length: 1_000 }, () => ({})) }).length + "/p".length,
    );
  });
});

describe("the CLI's surroundings", () => {
  const scratch = useScratchDir("koodrive-edges-");

  it.each([
    ["whose script ends in cli.js", (script: string) => [script.replace(/other\.js$/, "npm-cli.js")]],
    ["that names this package among its arguments", (script: string) => [script, "run", "build", "-w", "koodrive-emulator"]],
  ])("a stale pid file whose pid now runs another program %s: stop leaves it, start starts", async (_name, argv) => {
    const program = "process.on('SIGTERM', () => process.exit(7)); setInterval(() => {}, 1000); console.log('ready')";
    const script = path.join(scratch(), "other.js");
    fs.writeFileSync(script, program);
    fs.writeFileSync(script.replace(/other\.js$/, "npm-cli.js"), program);
    const other = spawn(process.execPath, argv(script));
    try {
      await new Promise((resolve) => other.stdout.once("data", resolve));
      const pidFile = path.join(scratch(), "stale.pid");
      fs.writeFileSync(pidFile, `${other.pid}\n`);
      const stopped = await runCli(["stop", "--pid-file", pidFile]);
      expect(stopped).toMatchObject({ code: 0, stdout: expect.stringMatching(/not running/) });
      expect(alive(other.pid!)).toBe(true);
      fs.writeFileSync(pidFile, `${other.pid}\n`);
      const env = { PATH: process.env.PATH, KOODRIVE_EMULATOR_TOKEN: TOKEN };
      const up = await runCli(["start", "--pid-file", pidFile], env);
      expect(up.code).toBe(0);
      expect(Number(fs.readFileSync(pidFile, "utf8"))).not.toBe(other.pid);
      expect((await runCli(["stop", "--pid-file", pidFile], env)).code).toBe(0);
      expect(alive(other.pid!)).toBe(true);
    } finally {
      other.kill("SIGKILL");
    }
  });

  it("a reader of its request log that goes away (| head -1) does not end the emulator", async () => {
    const { child, firstLine } = await startForeground(["--token", TOKEN, "--log-requests"]);
    const url = firstLine.split(" ").pop()!;
    child.stdout!.destroy();
    for (let i = 0; i < 5; i++) expect((await raw(url, "GET", `${SHARE}/1`, tokenHeaders(TOKEN, USER_ID))).status).toBe(400);
    expect(child.exitCode).toBeNull();
    expect(await stopWith(child, "SIGTERM")).toBe(0);
  });
});

describe("clients that never read", () => {
  it("a connection that pipelines more requests than it lets be answered is closed, and the emulator keeps answering others", async () => {
    emulator = await testEmulator();
    const socket = net.connect(emulator.port, "127.0.0.1");
    await new Promise((resolve) => socket.once("connect", resolve));
    socket.on("error", () => undefined);
    socket.pause(); // never reads an answer
    const closed = new Promise<boolean>((resolve) => {
      socket.once("close", () => resolve(true));
      setTimeout(() => resolve(false), 20_000).unref();
    });
    const line = `GET /__admin/health HTTP/1.1\r\nHost: emulator\r\n\r\n`;
    for (let sent = 0; sent < 50_000 && !socket.destroyed; sent += 500) {
      if (!socket.write(line.repeat(500))) await new Promise((resolve) => setTimeout(resolve, 5));
    }
    expect(await closed).toBe(true);
    expect(statusOf(await sendRaw(emulator.url, `GET /__admin/health HTTP/1.1\r\nHost: emulator\r\nConnection: close\r\n\r\n`))).toBe(200);
  }, 30_000);

  it("CONNECT (a client that takes the emulator for its https proxy) gets the gateway's 404 JSON, not a bare close", async () => {
    emulator = await testEmulator();
    const received = await sendRaw(emulator.url, "CONNECT koodrive.example:443 HTTP/1.1\r\nHost: koodrive.example:443\r\n\r\n");
    expect(received).toMatch(/^HTTP\/1\.1 404 /);
    expect(received).toContain('"error_code":"APIGW.0101"');
  });
});
