import fc from "fast-check";
import type { Emulator } from "../src";
import { APP_ID, TOKEN, USER_ID, testEmulator } from "./support/fixtures";
import { raw, tokenHeaders, xDate } from "./support/rawHttp";
import { sendRaw, statusOf } from "./support/rawSocket";

// Thousands of generated requests (request lines, paths, headers, bodies) over raw sockets against one running
// emulator: each must get an HTTP answer, and a normal request must still work afterwards. Bounded in count and time.
const RUNS = 2500;
const SHARE = "/koodrive/ose/v1/share";
let emulator: Emulator;
let shareId: string;

beforeAll(async () => {
  emulator = await testEmulator({ requestLogLimit: 100 });
  shareId = emulator.seedShare({ ownerId: USER_ID }).shareId as string;
});
afterAll(() => emulator.close());

const noLineBreak = (s: string) => !/[\r\n]/.test(s);
const text = fc.string({ unit: "binary", maxLength: 40 }).filter(noLineBreak);
const segment = fc.oneof(
  fc.constantFrom(
    "share",
    "cancel",
    "%ZZ",
    "%E0%A4%A",
    "%",
    "[",
    "]",
    "..",
    ".",
    "%2F",
    "__admin",
    "shares",
    "faults",
    "clock",
    "requests",
    "12345",
    "1689743054514187776",
    "😀",
    "%00",
  ),
  fc.string({ maxLength: 12 }).filter((s) => noLineBreak(s) && !s.includes(" ")),
);
const path = fc
  .tuple(
    fc.constantFrom("", "/koodrive/ose/v1", "/koodrive/ose/v1/share", "/__admin", "/__admin/shares", "/", "//", "http://[", "http://x", "*"),
    fc.array(segment, { maxLength: 4 }),
    fc.option(
      fc.array(
        fc.tuple(segment, segment).map(([k, v]) => `${k}=${v}`),
        { maxLength: 3 },
      ),
      { nil: undefined },
    ),
  )
  .map(([prefix, segments, query]) => `${prefix}${segments.length ? "/" : ""}${segments.join("/")}${query ? `?${query.join("&")}` : ""}`);
const target = fc.oneof(
  { weight: 4, arbitrary: path },
  { weight: 1, arbitrary: fc.string({ minLength: 1, maxLength: 30 }).filter((s) => noLineBreak(s) && !s.includes(" ")) },
);
const method = fc.oneof(
  { weight: 5, arbitrary: fc.constantFrom("GET", "PUT", "POST", "PATCH", "DELETE", "HEAD", "OPTIONS") },
  { weight: 1, arbitrary: fc.stringMatching(/^[A-Z]{1,8}$/).filter((m) => m !== "CONNECT") },
);
const knownHeaders = fc.constantFrom(
  { Authorization: `Bearer ${TOKEN}` },
  { Authorization: `Bearer+${TOKEN}` },
  { Authorization: `HMAC-SHA256 AppId=${APP_ID},SignedHeaders=host;x-date;x-user-id,Signature=${"ab".repeat(32)}` },
  { Authorization: "HMAC-SHA256 AppId=,,,=,SignedHeaders=;;;" },
  { "X-User-Id": USER_ID },
  { "X-Date": xDate() },
  { "X-Hw-Agentname": "fuzz" },
  { "X-Traceid": "t".repeat(58) },
  { "Content-Type": "application/json" },
  { Upgrade: "websocket" },
);
const headerName = fc
  .stringMatching(/^[A-Za-z][A-Za-z0-9-]{0,15}$/)
  .filter((n) => !["content-length", "transfer-encoding", "connection", "expect", "host"].includes(n.toLowerCase()));
const headers = fc
  .tuple(fc.array(knownHeaders, { maxLength: 6 }), fc.array(fc.tuple(headerName, text), { maxLength: 4 }))
  .map(([known, extra]) => [...known.flatMap((h) => Object.entries(h)), ...extra]);
const body = fc.oneof(
  fc.constant(""),
  fc.json({ maxDepth: 3 }),
  fc
    .record({
      validDays: fc.oneof(fc.integer(), fc.double(), fc.string()),
      extractCode: fc.option(fc.string(), { nil: undefined }),
      comment: fc.option(fc.string(), { nil: undefined }),
    })
    .map((b) => JSON.stringify(b)),
  fc
    .record({ ownerId: fc.oneof(fc.constant(USER_ID), fc.string()), validDays: fc.oneof(fc.integer(), fc.double({ noNaN: false })), fileIds: fc.anything() })
    .map((b) => JSON.stringify(b)),
  fc.string({ unit: "binary", maxLength: 200 }),
);

describe("HTTP fuzzing over raw sockets", () => {
  it(`answers ${RUNS} generated requests and still serves a normal one`, async () => {
    let answered = 0;
    await fc.assert(
      fc.asyncProperty(method, target, headers, body, async (m, t, hs, b) => {
        const payload = Buffer.from(b, "utf8");
        const head = `${m} ${t} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n${hs.map(([k, v]) => `${k}: ${v}\r\n`).join("")}Content-Length: ${payload.length}\r\n\r\n`;
        const answer = await sendRaw(emulator.url, Buffer.concat([Buffer.from(head, "utf8"), payload]), 3000);
        expect({ request: head.slice(0, 300), status: statusOf(answer) }).toEqual({ request: head.slice(0, 300), status: expect.any(Number) });
        answered += 1;
      }),
      { numRuns: RUNS, interruptAfterTimeLimit: 90_000 },
    );
    expect(answered).toBeGreaterThanOrEqual(1000);
    // The generated requests reach the admin API too, and may legitimately have removed the share or moved the clock.
    emulator.clock.setOffset(0);
    emulator.faults.clear();
    const fresh = emulator.getShare(shareId) ? shareId : emulator.seedShare({ ownerId: USER_ID }).shareId;
    const normal = await raw(emulator.url, "GET", `${SHARE}/${fresh}`, tokenHeaders(TOKEN, USER_ID));
    expect(normal.status).toBe(200);
    expect(emulator.requests.all().length).toBeLessThanOrEqual(100);
  }, 120_000);
});
