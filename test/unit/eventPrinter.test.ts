import { retryEvent, waitingEvent } from "../../src/client/clientEvents";
import { EventPrinter } from "../../src/provider/eventPrinter";

describe("EventPrinter: the clients' events in the engine's output, without flooding it", () => {
  function printer() {
    const lines: string[] = [];
    const scheduled: Array<() => void> = [];
    let now = 0;
    const p = new EventPrinter(
      (line) => lines.push(line),
      (run) => void scheduled.push(run),
      () => now,
    );
    const advance = (ms: number) => {
      now += ms;
    };
    return { p, lines, scheduled, advance };
  }
  const budget = "the request budget for koodrive:443 allows 4 in flight and 5 starts per 1.1 s (learned from KooDrive's 429s)";
  const wait = (n: number, reason = budget) => waitingEvent("PUT", `/koodrive/ose/v1/share/${n}`, 2000, reason);

  it("shows the first three long waits, then counts the rest in one line per interval, naming the latest budget", () => {
    const { p, lines, scheduled, advance } = printer();
    for (let n = 1; n <= 200; n++) {
      p.handle(wait(n, n === 100 ? `${budget}; KooDrive asked to wait 0.4 s more` : budget));
      advance(100);
    }
    expect(lines).toHaveLength(4);
    expect(lines[2]).toMatch(/share\/3 has waited 2 s to be sent/);
    expect(lines[3]).toBe(
      "koodrive: more requests waiting for the request budget are counted, not listed: one line every 30 s and one when they have all been sent",
    );
    expect(scheduled).toHaveLength(1); // one digest pending, however many waits
    scheduled.shift()!();
    expect(lines[4]).toBe(
      `koodrive: 197 more requests waited over 2 s for the request budget (1 of them during a pause KooDrive asked for with Retry-After); the latest: ${budget}`,
    );
    expect(scheduled).toHaveLength(0); // quiet afterwards: no digest without waits
    // The next digest counts its own waits: none during a pause, and one wait is "request".
    p.handle(wait(201));
    scheduled.shift()!();
    expect(lines[5]).toBe(`koodrive: 1 more request waited over 2 s for the request budget; the latest: ${budget}`);
  });

  it("the waits counted since the last digest are told when the process exits (flush), once", () => {
    const { p, lines } = printer();
    for (let n = 1; n <= 10; n++) p.handle(wait(n));
    p.flush();
    p.flush();
    expect(lines.filter((l) => /more requests waited/.test(l))).toEqual([
      `koodrive: 7 more requests waited over 2 s for the request budget; the latest: ${budget}`,
    ]);
  });

  it("tells the count as soon as every request reported waiting has been sent: a run shorter than 30 s ends with it", () => {
    const { p, lines, advance } = printer();
    const digests = () => lines.filter((l) => /more requests? waited/.test(l));
    for (let n = 1; n <= 6; n++) p.handle(wait(n));
    for (let n = 1; n <= 5; n++) p.waitOver();
    expect(digests()).toEqual([]); // one still waits
    p.waitOver();
    expect(digests()).toEqual([`koodrive: 3 more requests waited over 2 s for the request budget; the latest: ${budget}`]);
    // Requests waiting one at a time (a listing's pages): a digest at most every 10 s, not one per request.
    for (let n = 7; n <= 12; n++) {
      advance(2_500);
      p.handle(wait(n));
      p.waitOver();
    }
    expect(digests()).toEqual([
      `koodrive: 3 more requests waited over 2 s for the request budget; the latest: ${budget}`,
      `koodrive: 4 more requests waited over 2 s for the request budget; the latest: ${budget}`,
    ]);
    // Only waits shown one by one, none counted: nothing to tell.
    const quiet = printer();
    quiet.p.handle(wait(1));
    quiet.p.waitOver();
    expect(quiet.lines).toHaveLength(1);
  });

  it("a new episode of waiting, after a quiet spell, shows its first waits again (after telling what the last one counted)", () => {
    const { p, lines, advance } = printer();
    for (let n = 1; n <= 5; n++) p.handle(wait(n));
    advance(60_000);
    p.handle(wait(6));
    expect(lines.slice(-2)).toEqual([
      `koodrive: 2 more requests waited over 2 s for the request budget; the latest: ${budget}`,
      expect.stringMatching(/share\/6 has waited 2 s to be sent/),
    ]);
  });

  it("shows every retry, whatever the waits", () => {
    const { p, lines } = printer();
    for (let n = 1; n <= 10; n++) p.handle(wait(n));
    for (let n = 1; n <= 10; n++) p.handle(retryEvent("PUT", `/koodrive/ose/v1/share/${n}`, 1, "HTTP 429 APIGW.0308 (throttled)", 1300));
    expect(lines.filter((l) => /retrying in 1\.3 s$/.test(l))).toHaveLength(10);
  });
});
