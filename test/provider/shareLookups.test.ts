import * as pulumi from "@pulumi/pulumi";
import { getShare, getShareOutput, kooDriveClockNow, listShares, listSharesOutput } from "../../src/functions/lookups";
import { AGENT, OTHER_USER_ID, TOKEN, USER_ID, testEmulator } from "../support/fixtures";

/** The emulator the fixtures start (typed from them, wherever the emulator package lives). */
type Emulator = Awaited<ReturnType<typeof testEmulator>>;

let emulator: Emulator;
const savedEnv = { ...process.env };

beforeEach(async () => {
  emulator = await testEmulator();
  Object.assign(process.env, {
    KOODRIVE_ENDPOINT: emulator.url,
    KOODRIVE_USER_ID: USER_ID,
    KOODRIVE_AGENT_NAME: AGENT,
    KOODRIVE_ACCESS_TOKEN: TOKEN,
    KOODRIVE_MAX_RETRIES: "0",
  });
});
afterEach(async () => {
  process.env = { ...savedEnv };
  await emulator.close();
});

/** Resolves an Output outside a Pulumi program: its value and whether it is secret. */
function settle<T>(output: pulumi.Output<T>): Promise<{ value: T; secret: boolean }> {
  return new Promise((resolve) => {
    output.apply((value) => {
      void pulumi.isSecret(output).then((secret) => resolve({ value: value as T, secret }));
      return value;
    });
  });
}

describe("getShare / listShares (connection settings from KOODRIVE_* when no stack config is set)", () => {
  it("getShare returns the typed share, volatile fields included", async () => {
    const seeded = emulator.seedShare({ ownerId: USER_ID, comment: "Q3", extractCode: "MDg2K0vU", validDays: 7, fileIds: ["f1", "f2"] });
    const info = await getShare({ shareId: seeded.shareId as string });
    expect(info).toEqual({
      shareId: seeded.shareId,
      shortUrl: seeded.shortUrl,
      linkUrl: seeded.linkUrl,
      extractCode: "MDg2K0vU",
      comment: "Q3",
      expireTime: seeded.expireTime,
      status: 0,
      scope: 1,
      displayName: "f1 and more files",
      containerId: seeded.containerId,
      shareTime: seeded.shareTime,
      updateTime: seeded.updateTime,
      ownerId: USER_ID,
      viewCount: 0,
      downloadCount: 0,
      saveCount: 0,
    });
  });

  it("getShare and listShares show times in ISO-8601 UTC whatever wire form KooDrive used (here a zone-less expiry)", async () => {
    const alternate = await testEmulator({ alternateForms: true });
    try {
      process.env.KOODRIVE_ENDPOINT = alternate.url;
      const seeded = alternate.seedShare({ ownerId: USER_ID, validDays: 7 });
      const bySecond = (time: unknown) => new Date(Math.floor(Date.parse(time as string) / 1000) * 1000).toISOString().replace(".000Z", "Z");
      const detail = await getShare({ shareId: seeded.shareId as string });
      const {
        shares: [listed],
      } = await listShares({});
      for (const info of [detail, listed!]) {
        expect(info.expireTime).toBe(bySecond(seeded.expireTime));
        expect(Date.parse(info.shareTime!)).toBe(Date.parse(seeded.shareTime as string));
        expect(info.shareTime).toMatch(/Z$/);
      }
      expect(Date.parse(detail.updateTime!)).toBe(Date.parse(seeded.updateTime as string));
      expect(detail.updateTime).toMatch(/Z$/);
    } finally {
      await alternate.close();
    }
  });

  it("getShare of another user's share needs that userId; without it, it fails naming share and user", async () => {
    const theirs = emulator.seedShare({ ownerId: OTHER_USER_ID });
    await expect(getShare({ shareId: theirs.shareId as string })).rejects.toThrow(
      `KooDrive share ${theirs.shareId} was not found, or is not owned by user ${USER_ID}`,
    );
    expect((await getShare({ shareId: theirs.shareId as string, userId: OTHER_USER_ID })).ownerId).toBe(OTHER_USER_ID);
    await expect(getShare({ shareId: "a/b" })).rejects.toThrow(/invalid argument to getShare: shareId must be 1 to 64 characters/);
  });

  it("a failed lookup names the user it acted as (a program may list the shares of several)", async () => {
    emulator.faults.set({ failNext: 1, failStatus: 502 });
    await expect(listShares({ userId: OTHER_USER_ID })).rejects.toThrow(
      new RegExp(`^KooDrive GET /koodrive/ose/v1/share as user ${OTHER_USER_ID} failed with HTTP 502`),
    );
    emulator.faults.set({ failNext: 1, failStatus: 502 });
    await expect(getShare({ shareId: "s1" })).rejects.toThrow(new RegExp(`^KooDrive GET /koodrive/ose/v1/share/s1 as user ${USER_ID} failed with HTTP 502`));
  });

  it("malformed arguments fail naming the function, the argument and the rule before any request, as the program's own mistake", async () => {
    await expect(listShares({ displayName: 5 as unknown as string })).rejects.toThrow(
      "invalid argument to listShares: displayName must be a string, got a number",
    );
    await expect(getShare(undefined as unknown as { shareId: string })).rejects.toThrow(
      "invalid argument to getShare: an object of arguments is expected, got nothing",
    );
    await expect(listShares("report" as unknown as object)).rejects.toThrow("invalid argument to listShares: an object of arguments is expected, got a string");
    await expect(getShare({} as { shareId: string })).rejects.toThrow("invalid argument to getShare: shareId is required");
    // An Output given to the Promise form: pointed to the Output form.
    await expect(getShare({ shareId: pulumi.output("1") as unknown as string })).rejects.toThrow(
      /^invalid argument to getShare: shareId .*, got an object \(an Output: use getShareOutput for Output arguments\)$/,
    );
    // The SDK prints a RunError's message alone, without "Unhandled exception" and a stack trace into this package.
    const missing = await getShare({ shareId: "404404404" }).catch((e: unknown) => e);
    expect(pulumi.RunError.isInstance(missing)).toBe(true);
    expect(pulumi.RunError.isInstance(await getShare({} as { shareId: string }).catch((e: unknown) => e))).toBe(true);
    expect(emulator.requests.all().map((r) => r.method)).toEqual(["GET"]);
  });

  it("kooDriveClockNow is KooDrive's clock once a lookup was answered, the local clock before (even without settings)", async () => {
    delete process.env.KOODRIVE_ENDPOINT;
    expect(Math.abs(kooDriveClockNow().getTime() - Date.now())).toBeLessThan(1_000);
    process.env.KOODRIVE_ENDPOINT = emulator.url;
    emulator.clock.advance(3 * 24 * 3600_000);
    await listShares();
    expect(kooDriveClockNow().getTime() - Date.now()).toBeGreaterThan(3 * 24 * 3600_000 - 5_000);
  });

  it("listShares pages to the end and filters on displayName (case-insensitive)", async () => {
    for (let i = 0; i < 230; i++) emulator.seedShare({ ownerId: USER_ID, fileIds: [i % 2 === 0 ? `Report-${i}` : `photo-${i}`] });
    emulator.seedShare({ ownerId: OTHER_USER_ID });
    const all = await listShares();
    expect(all.shares).toHaveLength(230);
    expect(emulator.requests.all().map((r) => r.query.pageCursor === undefined)).toEqual([true, false, false]);
    const reports = await listShares({ displayName: "report" });
    expect(reports.shares).toHaveLength(115);
    expect(reports.shares.every((s) => s.displayName!.startsWith("Report-"))).toBe(true);
    expect((await listShares({ userId: OTHER_USER_ID })).shares).toHaveLength(1);
  });

  it("the Output forms resolve to the same values, secret when an access code is present", async () => {
    const coded = emulator.seedShare({ ownerId: USER_ID, extractCode: "MDg2K0vU" });
    const open = emulator.seedShare({ ownerId: OTHER_USER_ID });
    const withCode = await settle(getShareOutput({ shareId: Promise.resolve(coded.shareId as string) }));
    expect(withCode).toEqual({ value: expect.objectContaining({ shareId: coded.shareId, extractCode: "MDg2K0vU" }), secret: true });
    const withoutCode = await settle(getShareOutput({ shareId: open.shareId as string, userId: OTHER_USER_ID }));
    expect(withoutCode.secret).toBe(false);
    const list = await settle(listSharesOutput({}));
    expect(list).toEqual({ value: { shares: [expect.objectContaining({ shareId: coded.shareId })] }, secret: true });
    // Secret when any share has a code, not only the first listed.
    for (let i = 0; i < 3; i++) emulator.seedShare({ ownerId: USER_ID });
    const mixed = await settle(listSharesOutput({}));
    const { shares } = mixed.value as { shares: Array<{ extractCode?: string }> };
    expect(shares.map((s) => s.extractCode)).toContain("MDg2K0vU");
    expect(shares[0]!.extractCode).toBeUndefined();
    expect(mixed.secret).toBe(true);
  });
});
