import { isCredentialRejection } from "../../src/client/credentialGate";
import { formatXDate } from "../../src/client/requestHeaders";
import { ServerClock, dateRejection } from "../../src/client/serverClock";

describe("date-window and credential rejections", () => {
  it.each([
    [400, "Authentication failed: X-Date is in the future.", "future", false],
    [400, "Authentication failed: X-Date is more than 15 minutes old.", "past", false],
    [401, "x-date invalid", "unknown", false],
    [400, "Authentication failed: signature mismatch.", undefined, true],
    [400, "Authentication failed: unknown AppId.", undefined, true],
    [401, "Unauthorized: access token expired.", undefined, true],
    [403, undefined, undefined, true],
    [400, "Verify parameters failed: header X-Date is required", "unknown", false],
    [400, "Resource not found.", undefined, false],
    [400, "Verify parameters failed: validDays must be between 0 and 365", undefined, false],
    [500, "X-Date service down", undefined, false],
  ] as const)("HTTP %d %j → date %j, credentials %j", (status, message, date, credentials) => {
    expect(dateRejection(status, message)).toBe(date);
    expect(dateRejection(status, message) === undefined && isCredentialRejection(status, message)).toBe(credentials);
  });
});

describe("ServerClock", () => {
  const local = Date.parse("2026-01-01T12:00:00.700Z");

  it.each([
    ["nothing learned yet", undefined, undefined],
    ["a Date within the second before the answer: the local clock may be right", "Thu, 01 Jan 2026 12:00:00 GMT", 0],
    ["a server 5 s ahead", "Thu, 01 Jan 2026 12:00:05 GMT", 4_300],
    ["a server 31 days ahead", "Sat, 01 Feb 2026 12:00:00 GMT", 31 * 86_400_000 - 700],
    ["a server 5 s behind: up to a second after its Date", "Thu, 01 Jan 2026 11:59:55 GMT", -4_700],
  ])("likely offset with %s", (_, dateHeader, expected) => {
    const clock = new ServerClock(() => local);
    clock.observe(dateHeader);
    expect(clock.likelyOffsetMs()).toBe(expected);
  });

  it("a marked instant is read on the server's clock by the offset learned by then, also after the mark", () => {
    let now = local;
    const clock = new ServerClock(() => now);
    const sentAt = clock.mark();
    expect(sentAt()).toBe(local); // nothing learned yet: the local time
    expect(clock.known()).toBe(false);
    now = local + 5_000;
    clock.observe("Thu, 01 Jan 2026 11:20:05 GMT", now); // the server is 40 minutes behind
    expect(clock.known()).toBe(true);
    expect(sentAt()).toBe(local - 40 * 60_000 - 700);
    expect(clock.signingTime().time.getTime()).toBe(now - 40 * 60_000 - 700 - 1000);
  });

  it("signs one second (the header resolution) behind local time before it has heard from the server", () => {
    expect(new ServerClock(() => local).signingTime()).toEqual({ time: new Date(local - 1000), marginMs: 1000, localMs: local });
  });

  it.each([
    ["server 90 s behind", "Thu, 01 Jan 2026 11:58:30 GMT"],
    ["server 1.5 s behind", "Thu, 01 Jan 2026 11:59:59 GMT"],
    ["server 20 min ahead", "Thu, 01 Jan 2026 12:20:00 GMT"],
  ])("%s: X-Date is never later than the server's Date", (_name, serverDate) => {
    const clock = new ServerClock(() => local);
    clock.observe(serverDate, local);
    const signed = formatXDate(clock.signingTime().time);
    expect(signed <= formatXDate(new Date(Date.parse(serverDate)))).toBe(true);
    expect(Date.parse(serverDate) - clock.signingTime().time.getTime()).toBeLessThanOrEqual(1000);
  });

  it("ignores a missing or unreadable Date header, and one V8 would read as a date that names no month", () => {
    const clock = new ServerClock(() => local);
    clock.observe(undefined);
    clock.observe("yesterday-ish");
    clock.observe("0"); // 2000-01-01 to Date.parse
    clock.observe("2, 3"); // 2001-02-03 to Date.parse
    expect(clock.signingTime().time.getTime()).toBe(local - 1000);
    expect(clock.known()).toBe(false);
  });

  it("a Date on an answer that accepted the signature is learned unless it is hours from it: a garbled header is not KooDrive's clock", () => {
    for (const farDate of ["Thu, 01 Jan 2026 13:20:00 GMT", "Thu, 01 Jan 2026 10:40:00 GMT", "Mon, 01 Jan 2035 12:00:00 GMT"]) {
      const clock = new ServerClock(() => local);
      clock.observe(farDate, local + 50, clock.signingTime());
      expect(clock.known()).toBe(false);
      expect(clock.signingTime().time.getTime()).toBe(local - 1000);
    }
    // KooDrive's own clock, anywhere a gateway could accept the signature from: 30 minutes behind it, 14 ahead.
    for (const [serverDate, offsetMs] of [
      ["Thu, 01 Jan 2026 11:30:00 GMT", -30 * 60_000 - 700],
      ["Thu, 01 Jan 2026 12:14:00 GMT", 14 * 60_000 - 700],
    ] as const) {
      const clock = new ServerClock(() => local);
      clock.observe(serverDate, local, clock.signingTime());
      expect(clock.known()).toBe(true);
      expect(clock.signingTime().time.getTime()).toBe(local + offsetMs - 1000);
    }
    // Without an accepted signature (a refusal of X-Date itself), any Date is how to sign next time.
    const clock = new ServerClock(() => local);
    clock.observe("Thu, 01 Jan 2026 14:00:00 GMT", local);
    expect(clock.known()).toBe(true);
  });

  it("doubles the margin once per round of 'in the future' rejections, up to 5 minutes; 'too old' leaves it", () => {
    const clock = new ServerClock(() => local);
    const { marginMs } = clock.signingTime();
    clock.rejected("future", marginMs);
    clock.rejected("future", marginMs); // same round, signed with the same margin
    expect(clock.signingTime().marginMs).toBe(2000);
    clock.rejected("past", 2000);
    expect(clock.signingTime().marginMs).toBe(2000);
    for (let i = 0; i < 20; i++) clock.rejected("unknown", clock.signingTime().marginMs);
    expect(clock.signingTime().marginMs).toBe(300_000);
  });
});
