import { retryEvent, waitingEvent } from "../../src/client/clientEvents";
import { EventPrinter } from "../../src/provider/eventPrinter";

describe("EventPrinter: the clients' events in the engine's output, without flooding it", () => {
  function printer() {
    const lines: string[] = [];
    const scheduled: Array<() => void> = [];
    const p = new EventPrinter(
      (line) => lines.push(line),
      (run) => void scheduled.push(run),
    );
    return { p, lines, scheduled };
  }
  const wait = (n: number) =>
    waitingEvent("PUT", `/koodrive/ose/v1/share/${n}`, 2000, "budget: 1 in flight, 5 starts per 1.1 s (learned from KooDrive's 429s)");

  it("shows the first three long waits, then counts the rest in one line per interval, naming the latest budget", () => {
    const { p, lines, scheduled } = printer();
    for (let n = 1; n <= 200; n++) p.handle(wait(n));
    expect(lines).toHaveLength(4);
    expect(lines[2]).toMatch(/share\/3 has waited 2 s to be sent/);
    expect(lines[3]).toBe("koodrive: more requests waiting for the request budget are counted, not listed: one line every 30 s");
    expect(scheduled).toHaveLength(1); // one digest pending, however many waits
    scheduled.shift()!();
    expect(lines[4]).toBe(
      "koodrive: 197 more requests waited over 2 s for the request budget in the last 30 s; the latest: budget: 1 in flight, 5 starts per 1.1 s (learned from KooDrive's 429s)",
    );
    // Quiet afterwards: no digest line without waits, and the next wait schedules the next digest.
    expect(scheduled).toHaveLength(0);
    p.handle(wait(201));
    scheduled.shift()!();
    expect(lines[5]).toMatch(/^koodrive: 1 more request waited over 2 s/);
  });

  it("shows every retry, whatever the waits", () => {
    const { p, lines } = printer();
    for (let n = 1; n <= 10; n++) p.handle(wait(n));
    for (let n = 1; n <= 10; n++) p.handle(retryEvent("PUT", `/koodrive/ose/v1/share/${n}`, 1, "HTTP 429 APIGW.0308 (throttled)", 1300));
    expect(lines.filter((l) => /retrying in 1\.3 s$/.test(l))).toHaveLength(10);
  });
});
