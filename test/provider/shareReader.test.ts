import type { Emulator } from "koodrive-emulator";
import { KooDriveClient } from "../../src/client/koodriveClient";
import { AUTO_LIST_AFTER_READS, ShareReader, shareReaderFor } from "../../src/provider/shareReader";
import { OTHER_USER_ID, USER_ID, settingsFor, testEmulator } from "../support/fixtures";

let emulator: Emulator;
let ids: string[];

beforeAll(async () => {
  emulator = await testEmulator();
  // 250 shares of the user (3 list pages), plus someone else's.
  ids = Array.from(
    { length: 250 },
    (_, i) => emulator.seedShare({ ownerId: USER_ID, comment: `c${i}`, extractCode: `Code${String(i).padStart(4, "0")}` }).shareId as string,
  );
  emulator.seedShare({ ownerId: OTHER_USER_ID });
});
afterAll(() => emulator.close());
beforeEach(() => emulator.requests.clear());

const client = () => new KooDriveClient(settingsFor(emulator, { maxRetries: 0 }));
const requests = () => emulator.requests.all().map((r) => `${r.method} ${r.path.replace(/\d{19}/, "ID")}`);

/** Reads every share as the engine's refresh does: 8 reads in flight, each checked. */
async function readAsTheEngine(reader: ShareReader, shareIds: readonly string[]): Promise<void> {
  const queue = [...shareIds];
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      for (let id = queue.shift(); id !== undefined; id = queue.shift()) expect((await reader.read(id))?.shareId).toBe(id);
    }),
  );
}

describe("ShareReader (refresh strategies)", () => {
  it("get: one GET per share", async () => {
    const reader = new ShareReader(client(), "get");
    await Promise.all(ids.slice(0, 20).map((id) => reader.read(id)));
    expect(requests()).toEqual(Array(20).fill("GET /koodrive/ose/v1/share/ID"));
  });

  it("list: ⌈S/100⌉ list pages serve every read, and give the same shares as GET", async () => {
    const viaList = new ShareReader(client(), "list");
    const listed = await Promise.all(ids.map((id) => viaList.read(id)));
    expect(requests()).toEqual(Array(3).fill("GET /koodrive/ose/v1/share"));
    const viaGet = new ShareReader(client(), "get");
    const got = await Promise.all(ids.map((id) => viaGet.read(id)));
    const fields = ["shareId", "extractCode", "comment", "expireTime", "status", "shortUrl", "linkUrl"] as const;
    const pick = (s: Record<string, unknown> | undefined) => Object.fromEntries(fields.map((f) => [f, s?.[f]]));
    expect(listed.map(pick)).toEqual(got.map(pick));
  });

  it(`auto: reads one at a time, the first ${AUTO_LIST_AFTER_READS} use GET, then one listing serves the rest`, async () => {
    const reader = new ShareReader(client(), "auto");
    for (const id of ids.slice(0, AUTO_LIST_AFTER_READS)) await reader.read(id);
    await Promise.all(ids.slice(AUTO_LIST_AFTER_READS).map((id) => reader.read(id)));
    expect(requests()).toEqual([...Array(AUTO_LIST_AFTER_READS).fill("GET /koodrive/ose/v1/share/ID"), ...Array(3).fill("GET /koodrive/ose/v1/share")]);
  });

  it(`auto: more than ${AUTO_LIST_AFTER_READS} reads arriving together (as the engine sends them) list from the first request`, async () => {
    const reader = new ShareReader(client(), "auto");
    await readAsTheEngine(reader, ids);
    expect(requests()).toEqual(Array(3).fill("GET /koodrive/ose/v1/share"));
  });

  it("auto against a 5 requests/s throttle, with requestsPerSecond 4 (a little under it): ⌈S/100⌉ requests, none refused", async () => {
    emulator.faults.set({ throttleRps: 5 });
    try {
      await readAsTheEngine(new ShareReader(new KooDriveClient(settingsFor(emulator, { maxRetries: 0, requestsPerSecond: 4 })), "auto"), ids);
    } finally {
      emulator.faults.set({ throttleRps: 0 });
    }
    expect(emulator.requests.all().map((r) => r.status)).toEqual(Array(3).fill(200));
  }, 20_000);

  it("auto against a 5 requests/s throttle with no rate configured: ⌈S/100⌉ pages and the one refusal that teaches the quota", async () => {
    const big = await testEmulator({ faults: { throttleRps: 5 } });
    try {
      // 1,000 shares: 10 pages, so the throttle refuses the sixth page and the budget must learn the quota.
      const bigIds = Array.from({ length: 1000 }, () => big.seedShare({ ownerId: USER_ID }).shareId as string);
      await readAsTheEngine(new ShareReader(new KooDriveClient(settingsFor(big)), "auto"), bigIds);
      const statuses = big.requests.all().map((r) => r.status);
      expect(statuses.filter((s) => s === 200)).toHaveLength(10);
      // One refusal (none on a machine too slow to send six pages within a second); before the quota was learned,
      // a halved rate ran into the throttle again.
      expect(statuses.filter((s) => s === 429).length).toBeLessThanOrEqual(1);
      expect(statuses.filter((s) => s !== 200 && s !== 429)).toEqual([]);
    } finally {
      await big.close();
    }
  }, 30_000);

  it("a listing answers each read when its share's page arrives, oldest first, while later pages are still on their way", async () => {
    const real = client();
    let releasePage2: () => void = () => undefined;
    const page2Held = new Promise<void>((resolve) => {
      releasePage2 = resolve;
    });
    const pages: { pageCursor?: string; oldestFirst?: boolean }[] = [];
    const held: KooDriveClient = Object.assign(Object.create(real), {
      async listShares(page: { pageSize?: number; pageCursor?: string; oldestFirst?: boolean }) {
        pages.push(page);
        if (page.pageCursor !== undefined) await page2Held;
        return real.listShares(page);
      },
    });
    const reader = new ShareReader(held, "list");
    // ids are seeded oldest first: the first 100 are page 1 of an oldest-first listing, the last ones page 3.
    const onPage1 = reader.read(ids[0]!);
    const onPage3 = reader.read(ids[249]!);
    let lastSettled = false;
    void onPage3.then(() => {
      lastSettled = true;
    });
    expect((await onPage1)?.shareId).toBe(ids[0]);
    expect(lastSettled).toBe(false);
    expect(pages).toHaveLength(2);
    releasePage2();
    expect((await onPage3)?.shareId).toBe(ids[249]);
    expect(pages.map((p) => p.oldestFirst)).toEqual([true, true, true]);
    expect(emulator.requests.all().every((r) => r.query.sortDirection === "1")).toBe(true);
  });

  it("a share missing from the listing is confirmed with a GET before it is reported gone", async () => {
    const reader = new ShareReader(client(), "list");
    expect(await reader.read("1234567890123456789")).toBeUndefined();
    expect(requests()).toEqual([...Array(3).fill("GET /koodrive/ose/v1/share"), "GET /koodrive/ose/v1/share/ID"]);
  });

  it("a listing whose first page fails is not kept: the next read lists again", async () => {
    const reader = new ShareReader(client(), "list");
    emulator.faults.set({ failNext: 1, failStatus: 500 });
    await expect(reader.read(ids[0]!)).rejects.toThrow(/HTTP 500/);
    expect((await reader.read(ids[0]!))?.shareId).toBe(ids[0]);
  });

  it("a listing that fails midway: its answered reads stand, waiting reads fail, and the next read resumes at the page that failed", async () => {
    const real = client();
    let failed = false;
    const flaky: KooDriveClient = Object.assign(Object.create(real), {
      async listShares(page: { pageSize?: number; pageCursor?: string; oldestFirst?: boolean }) {
        if (page.pageCursor !== undefined && !failed) {
          failed = true;
          throw new Error("HTTP 500 (the second page, once)");
        }
        return real.listShares(page);
      },
    });
    const reader = new ShareReader(flaky, "list");
    const [onPage1, onPage2] = await Promise.allSettled([reader.read(ids[0]!), reader.read(ids[150]!)]);
    expect(onPage1).toMatchObject({ status: "fulfilled", value: { shareId: ids[0] } });
    expect(onPage2).toMatchObject({ status: "rejected", reason: { message: expect.stringMatching(/HTTP 500/) } });
    emulator.requests.clear();
    // The first page's shares are kept: read again without a request, while pages 2 and 3 are fetched once more.
    expect((await reader.read(ids[1]!))?.shareId).toBe(ids[1]);
    expect((await reader.read(ids[249]!))?.shareId).toBe(ids[249]);
    expect((await reader.read(ids[150]!))?.shareId).toBe(ids[150]);
    expect(emulator.requests.all().map((r) => r.query.pageCursor)).toEqual([expect.any(String), expect.any(String)]);
  });

  it("a listing slower than its one-minute lifetime is not restarted; a completed one serves reads for a minute", async () => {
    const real = client();
    let now = 0;
    const slow: KooDriveClient = Object.assign(Object.create(real), {
      async listShares(page: { pageSize?: number; pageCursor?: string; oldestFirst?: boolean }) {
        now += 25_000; // three pages: 75 s (a throttled owner with many shares)
        return real.listShares(page);
      },
    });
    const reader = new ShareReader(slow, "list", () => now);
    await readAsTheEngine(reader, ids);
    expect(requests()).toEqual(Array(3).fill("GET /koodrive/ose/v1/share"));
    now += 59_000;
    expect((await reader.read(ids[7]!))?.shareId).toBe(ids[7]);
    expect(requests()).toHaveLength(3);
    now += 2_000;
    expect((await reader.read(ids[7]!))?.shareId).toBe(ids[7]);
    expect(requests()).toHaveLength(4);
    // The fresh listing's last page, awaited so that its requests do not land in the next test's count.
    expect((await reader.read(ids[249]!))?.shareId).toBe(ids[249]);
    expect(requests()).toHaveLength(6);
  });

  it("a listing's age is read on a monotonic clock: a wall clock stepped back ten minutes does not keep it fresh", async () => {
    const reader = new ShareReader(client(), "list");
    await readAsTheEngine(reader, ids);
    expect(requests()).toHaveLength(3);
    // Only the clocks are faked (the emulator's sockets keep their timers): the wall clock steps back ten minutes,
    // then a minute and a second pass on both.
    jest.useFakeTimers({
      doNotFake: ["setTimeout", "clearTimeout", "setInterval", "clearInterval", "setImmediate", "clearImmediate", "nextTick", "queueMicrotask", "hrtime"],
    });
    try {
      jest.setSystemTime(Date.now() - 10 * 60_000);
      jest.advanceTimersByTime(61_000);
      // Every share, so the listing has ended before the real clocks are back: to the request budget, which reads the
      // same monotonic clock, they go back a minute, and a page still to be sent would wait that minute out (keeping
      // Jest from exiting).
      await readAsTheEngine(reader, ids);
    } finally {
      jest.useRealTimers();
    }
    expect(requests()).toHaveLength(6); // listed afresh: its three pages again
  });

  it("keeps one reader per client and strategy: providers that differ only in refreshStrategy each read their own way", () => {
    const c = client();
    expect(shareReaderFor(c, "get")).toBe(shareReaderFor(c, "get"));
    expect(shareReaderFor(c, "get")).not.toBe(shareReaderFor(c, "list"));
  });
});

describe("pages before the end that come partial or empty (the API document warns of them)", () => {
  it("the refresh listing and the lookups' listing follow nextCursor to the end and find every share", async () => {
    const partial = await testEmulator({ partialPages: true });
    try {
      const seeded = Array.from({ length: 230 }, () => partial.seedShare({ ownerId: USER_ID }).shareId as string);
      const partialClient = new KooDriveClient(settingsFor(partial, { maxRetries: 0 }));
      await readAsTheEngine(new ShareReader(partialClient, "list"), seeded);
      const pages = partial.requests.all().filter((r) => r.method === "GET" && r.path === "/koodrive/ose/v1/share");
      expect(pages.length).toBeGreaterThan(3); // more than ⌈230/100⌉: short and empty pages came before the end
      expect(partial.requests.all().filter((r) => r.path !== "/koodrive/ose/v1/share")).toEqual([]); // no GET per share
      // What listShares/getShare lookups and a lost create's reconciliation list through.
      const { listAllShares } = await import("../../src/client/sharePages");
      const listed = await listAllShares(partialClient);
      expect(listed.map((s) => s.shareId).sort()).toEqual([...seeded].sort());
    } finally {
      await partial.close();
    }
  });
});
