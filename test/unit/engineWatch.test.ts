import { exitWhenEngineGone } from "../../src/provider/engineWatch";

describe("exitWhenEngineGone", () => {
  it("stops the provider when the engine's pid names another process (reused after the engine died), not only when it is gone", () => {
    jest.useFakeTimers();
    try {
      const exits: number[] = [];
      let engineStart = "1000";
      // This process's parent is the launcher shell (pid 50), whose parent is the engine (pid 40).
      const stat = (pid: number) =>
        pid === process.pid ? { ppid: 50, startTicks: "2000" } : pid === 50 ? { ppid: 40, startTicks: "1500" } : { ppid: 1, startTicks: engineStart };
      const watching = exitWhenEngineGone({
        intervalMs: 100,
        exit: (code) => void exits.push(code),
        log: () => undefined,
        proc: { stat, commandLine: (pid) => (pid === 50 ? "/bin/sh /usr/bin/pulumi-resource-pulumi-nodejs" : "") },
      });
      expect(watching).toBe(true);
      jest.advanceTimersByTime(300);
      expect(exits).toEqual([]);
      engineStart = "9999"; // pid 40 is now another program's
      jest.advanceTimersByTime(100);
      expect(exits).toEqual([1]);
    } finally {
      jest.useRealTimers();
    }
  });
});
