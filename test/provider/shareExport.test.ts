import { execFile, spawn } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { adoptionEntries } from "../../src/functions/adoptionEntries";
import { AGENT, OTHER_USER_ID, TOKEN, USER_ID, testEmulator } from "../support/fixtures";

const { shiftedClockNodeOptions } = require("../../scripts/lib/engine") as { shiftedClockNodeOptions(): string };

const now = new Date("2026-11-29T12:00:00.000Z");
const DAY = 24 * 60 * 60 * 1000;

describe("adoptionEntries (bulk adoption input from existing shares)", () => {
  it("declares the validity left (rounded up), keeps comments, never access codes, and skips dead links", () => {
    const plan = adoptionEntries(
      [
        {
          shareId: "1689743054514187776",
          displayName: "Q3 Report.pdf",
          comment: "auditors",
          extractCode: "MDg2K0vU",
          status: 0,
          expireTime: new Date(now.getTime() + 2.2 * DAY).toISOString(),
        },
        { shareId: "1689743054514187778", displayName: "logos and more files", status: 0 },
        { shareId: "1689743054514187780", status: 2, expireTime: new Date(now.getTime() - DAY).toISOString() },
        { shareId: "1689743054514187782", status: 1 },
        { shareId: "1689743054514187784", status: 0, expireTime: "next tuesday" },
        { shareId: "1689743054514187786", status: 3 },
      ],
      now,
    );
    expect(plan.entries).toEqual([
      { name: "q3-report-pdf-187776", shareId: "1689743054514187776", validDays: 3, comment: "auditors" },
      { name: "logos-and-more-files-187778", shareId: "1689743054514187778", validDays: 0 },
    ]);
    expect(JSON.stringify(plan)).not.toContain("MDg2K0vU");
    expect(plan.skipped).toEqual([
      { shareId: "1689743054514187780", reason: "status 2 (invalid or expired)" },
      { shareId: "1689743054514187782", reason: "status 1 (files deleted)" },
      { shareId: "1689743054514187784", reason: 'expireTime "next tuesday" is in no form KooDrive documents' },
      { shareId: "1689743054514187786", reason: "status 3 (expired)" },
    ]);
  });
});

describe("adoptionEntries names", () => {
  it("are unique: shares of one file whose IDs end alike are named with their whole IDs, the others keep the short form", () => {
    const share = (shareId: string, displayName: string) => ({ shareId, displayName, status: 0 as const });
    const names = adoptionEntries(
      [share("1689743054514187776", "Q3 Report.pdf"), share("1689743054515187776", "Q3 Report.pdf"), share("1689743054516187776", "Logo.png")],
      now,
    ).entries.map((entry) => entry.name);
    expect(names).toEqual(["q3-report-pdf-1689743054514187776", "q3-report-pdf-1689743054515187776", "logo-png-187776"]);
  });

  it("are stable, as resource names must be (another name replaces the resource): 40 characters of the display name at most, 'share' for one with none that is safe", () => {
    const names = adoptionEntries(
      [
        { shareId: "1689743054514187776", displayName: `${"a".repeat(30)} ${"b".repeat(30)}.pdf` },
        { shareId: "1689743054514187777", displayName: "报告" },
        { shareId: "1689743054514187778" },
      ],
      now,
    ).entries.map((entry) => entry.name);
    expect(names).toEqual([`${"a".repeat(30)}-${"b".repeat(9)}-187776`, "share-187777", "share-187778"]);
  });

  it("a listing that gives no status (the leanest answers) does not skip the share: only a status other than 0 does", () => {
    const plan = adoptionEntries([{ shareId: "1689743054514187776", expireTime: new Date(now.getTime() + 5 * DAY).toISOString() }], now);
    expect(plan).toEqual({ entries: [expect.objectContaining({ shareId: "1689743054514187776", validDays: 5 })], skipped: [] });
  });
});

describe("adoptionEntries with a declared period and renewal threshold (keep links alive)", () => {
  const live = { shareId: "1689743054514187776", status: 0 as const, expireTime: new Date(now.getTime() + 10 * DAY).toISOString() };
  const forever = { shareId: "1689743054514187778", status: 0 as const };

  it("declares the period for every entry, and renewBeforeDays for each one that then expires", () => {
    expect(adoptionEntries([live, forever], now, undefined, { validDays: 30, renewBeforeDays: 7 }).entries).toEqual([
      expect.objectContaining({ shareId: live.shareId, validDays: 30, renewBeforeDays: 7 }),
      expect.objectContaining({ shareId: forever.shareId, validDays: 30, renewBeforeDays: 7 }),
    ]);
    // Without a period: the days left, and no renewal for a link that never expires.
    expect(adoptionEntries([live, forever], now, undefined, { renewBeforeDays: 7 }).entries).toEqual([
      expect.objectContaining({ shareId: live.shareId, validDays: 10, renewBeforeDays: 7 }),
      expect.not.objectContaining({ renewBeforeDays: expect.anything() }),
    ]);
  });

  it("on the enterprise edition, links that never expire fail all named at once, by the rule the resources check, unless a period is declared", () => {
    const other = { ...forever, shareId: "1689743054514187779" };
    expect(() => adoptionEntries([live, forever, other], now, undefined, { edition: "enterprise" })).toThrow(
      `2 share(s) never expire (${forever.shareId}, ${other.shareId}), and validDays 0 (no validity period) cannot be declared on the enterprise edition`,
    );
    expect(adoptionEntries([live, forever], now, undefined, { edition: "enterprise", validDays: 30 }).entries).toHaveLength(2);
    // A declared 0 is refused for what it is, not for links that "never expire".
    expect(() => adoptionEntries([live], now, undefined, { edition: "enterprise", validDays: 0 })).toThrow(
      `validDays 0 is declared for ${live.shareId}: validDays 0 (no validity period) cannot be declared on the enterprise edition`,
    );
    expect(adoptionEntries([live, forever], now, undefined, { edition: "carrier" }).entries[1]).toMatchObject({ validDays: 0 });
  });

  it("a threshold the entry would meet on every run fails naming the share, by the rule the resources check", () => {
    expect(() => adoptionEntries([live], now, undefined, { renewBeforeDays: 12 })).toThrow(
      `share ${live.shareId} (10 day(s) of validity): renewBeforeDays must be less than validDays (10), or every run would renew the link`,
    );
  });
});

describe("scripts/koodrive-export-shares.js", () => {
  it("writes another user's live shares from KooDrive to the file, with that userId", async () => {
    const emulator = await testEmulator();
    const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "koodrive-export-"));
    try {
      const live = emulator.seedShare({ ownerId: OTHER_USER_ID, fileIds: ["report.pdf"], comment: "keep", extractCode: "MDg2K0vU", validDays: 10 });
      emulator.seedShare({ ownerId: USER_ID, fileIds: ["mine.pdf"] });
      const gone = emulator.seedShare({ ownerId: OTHER_USER_ID, fileIds: ["deleted.pdf"], validDays: 10 });
      emulator.changeShare(gone.shareId as string, { status: 1 });
      const out = path.join(scratch, "shares.json");
      const env = { ...process.env, KOODRIVE_ENDPOINT: emulator.url, KOODRIVE_USER_ID: USER_ID, KOODRIVE_AGENT_NAME: AGENT, KOODRIVE_ACCESS_TOKEN: TOKEN };
      const script = path.join(__dirname, "..", "..", "scripts", "koodrive-export-shares.js");
      const { stderr } = await promisify(execFile)("node", [script, "--out", out, "--user-id", OTHER_USER_ID], { env });
      expect(JSON.parse(fs.readFileSync(out, "utf8"))).toEqual([
        { name: `report-pdf-${String(live.shareId).slice(-6)}`, shareId: live.shareId, validDays: 10, comment: "keep", userId: OTHER_USER_ID },
      ]);
      expect(stderr).toMatch(/wrote 1 share\(s\)/);
      expect(stderr).toContain(`skipped share ${gone.shareId}: status 1 (files deleted)`);
      expect(fs.readFileSync(out, "utf8") + stderr).not.toContain("MDg2K0vU");

      // A machine whose clock is 3 days fast still writes the validity KooDrive counts (10 days, not 7).
      const fastClock = { ...env, NODE_OPTIONS: shiftedClockNodeOptions(), SHIFTED_CLOCK_OFFSET_MS: String(3 * DAY) };
      await promisify(execFile)("node", [script, "--out", out, "--user-id", OTHER_USER_ID], { env: fastClock });
      expect(JSON.parse(fs.readFileSync(out, "utf8"))).toEqual([expect.objectContaining({ shareId: live.shareId, validDays: 10 })]);

      // For examples/keep-links-alive: the period to renew to and the threshold, checked against each other.
      await promisify(execFile)("node", [script, "--out", out, "--user-id", OTHER_USER_ID, "--valid-days", "30", "--renew-before-days", "7"], { env });
      expect(JSON.parse(fs.readFileSync(out, "utf8"))).toEqual([expect.objectContaining({ shareId: live.shareId, validDays: 30, renewBeforeDays: 7 })]);
      // The period's range, both ends (a threshold of 0 renews only once expired).
      await promisify(execFile)("node", [script, "--out", out, "--user-id", OTHER_USER_ID, "--valid-days", "1", "--renew-before-days", "0"], { env });
      expect(JSON.parse(fs.readFileSync(out, "utf8"))).toEqual([expect.objectContaining({ shareId: live.shareId, validDays: 1, renewBeforeDays: 0 })]);
      const tooLong = await promisify(execFile)("node", [script, "--out", out, "--valid-days", "366"], { env }).catch((e) => e);
      expect(tooLong.code).toBe(1);
      expect(tooLong.stderr).toMatch(/--valid-days must be a whole number of days from 1 to 365, got "366"/);
      // A link that never expires needs no renewal: it keeps validDays 0 and gets no renewBeforeDays.
      const forever = emulator.seedShare({ ownerId: OTHER_USER_ID, fileIds: ["forever.pdf"], validDays: 0 });
      await promisify(execFile)("node", [script, "--out", out, "--user-id", OTHER_USER_ID, "--renew-before-days", "7"], { env });
      const written = JSON.parse(fs.readFileSync(out, "utf8"));
      expect(written).toContainEqual(expect.objectContaining({ shareId: forever.shareId, validDays: 0 }));
      expect(written.find((e: { shareId: string }) => e.shareId === forever.shareId)).not.toHaveProperty("renewBeforeDays");
      expect(written).toContainEqual(expect.objectContaining({ shareId: live.shareId, validDays: 10, renewBeforeDays: 7 }));
      const tooLate = await promisify(execFile)("node", [script, "--out", out, "--user-id", OTHER_USER_ID, "--renew-before-days", "12"], { env }).catch(
        (e) => e,
      );
      expect(tooLate.code).toBe(1);
      expect(tooLate.stderr).toMatch(
        /\(10 day\(s\) of validity\): renewBeforeDays must be less than validDays \(10\), or every run would renew the link: give --valid-days, the period to declare \(nothing was written\)/,
      );
      // The enterprise edition cannot declare "never expires": said at once for every such share, nothing written.
      fs.rmSync(out);
      const enterprise = await promisify(execFile)("node", [script, "--out", out, "--user-id", OTHER_USER_ID], {
        env: { ...env, KOODRIVE_EDITION: "enterprise" },
      }).catch((e) => e);
      expect(enterprise.code).toBe(1);
      expect(enterprise.stderr).toMatch(
        new RegExp(
          `1 share\\(s\\) never expire \\(${forever.shareId}\\), and validDays 0 \\(no validity period\\) cannot be declared on the enterprise edition.*: give --valid-days, the period to declare \\(nothing was written\\)`,
        ),
      );
      expect(fs.existsSync(out)).toBe(false);
      const help = await promisify(execFile)("node", [script, "--help"], { env });
      expect(help.stdout).toMatch(/^usage: koodrive-export-shares --out FILE/);
    } finally {
      await emulator.close();
      fs.rmSync(scratch, { recursive: true, force: true });
    }
  }, 90_000); // eight runs of the script, each a fresh node process loading the package
});

describe("the user scripts in a checkout that is not built", () => {
  it("say to build it, not Node's bare 'Cannot find module'", async () => {
    const checkout = fs.mkdtempSync(path.join(os.tmpdir(), "koodrive-unbuilt-"));
    try {
      fs.cpSync(path.join(__dirname, "..", "..", "scripts"), path.join(checkout, "scripts"), { recursive: true });
      // A state whose interrupted create the stray-shares script would look for (it loads the package only then).
      const pending = { type: "creating", resource: { type: "pulumi-nodejs:dynamic/koodrive:Share", urn: "urn:x", inputs: {} } };
      fs.writeFileSync(path.join(checkout, "state.json"), JSON.stringify({ deployment: { resources: [], pending_operations: [pending] } }));
      for (const script of ["koodrive-export-shares.js", "koodrive-stray-shares.js"]) {
        const args = script.includes("export") ? ["--out", "x.json"] : ["--state", "state.json"];
        const failed = await promisify(execFile)("node", [path.join(checkout, "scripts", script), ...args], { cwd: checkout }).catch((e) => e);
        expect(failed.code).toBe(1);
        expect(failed.stderr).toContain(
          `this checkout is not built (no ${path.join(checkout, "dist")}): run \`npm ci\` (it builds) or \`npm run build\` in it first`,
        );
        expect(failed.stderr).not.toMatch(/Require stack/);
      }
    } finally {
      fs.rmSync(checkout, { recursive: true, force: true });
    }
  }, 30_000);
});

describe("scripts/koodrive-stray-shares.js", () => {
  /** A `pulumi stack export` of a stack that holds `heldId` and whose killed run left creates of `pending` pending. */
  function exportOf(heldId: string, pending: Array<{ name: string; inputs: Record<string, unknown> }>) {
    const urn = (name: string) => `urn:pulumi:dev::p::pulumi-nodejs:dynamic/koodrive:Share::${name}`;
    return JSON.stringify({
      version: 3,
      deployment: {
        manifest: {},
        resources: [{ urn: urn("held"), custom: true, type: "pulumi-nodejs:dynamic/koodrive:Share", id: heldId, outputs: { shareId: heldId } }],
        pending_operations: pending.map(({ name, inputs }) => ({
          resource: { urn: urn(name), custom: true, type: "pulumi-nodejs:dynamic/koodrive:Share", inputs: { __provider: "…", onDelete: "cancel", ...inputs } },
          type: "creating",
        })),
      },
    });
  }

  it("names the shares that match an interrupted create and that no resource holds, with their owner; --since leaves out older ones; --cancel cancels them", async () => {
    const emulator = await testEmulator();
    const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "koodrive-stray-"));
    try {
      const env = { ...process.env, KOODRIVE_ENDPOINT: emulator.url, KOODRIVE_USER_ID: USER_ID, KOODRIVE_AGENT_NAME: AGENT, KOODRIVE_ACCESS_TOKEN: TOKEN };
      const script = path.join(__dirname, "..", "..", "scripts", "koodrive-stray-shares.js");
      const run = (...args: string[]) => promisify(execFile)("node", [script, ...args], { env }).catch((e) => e);
      const space = "IAAB5thdWzxEoAsiA1681759183084696448";
      const created = { containerId: space, fileIds: ["f2"], scope: 1, comment: "weekly", validDays: 30 };
      // Made before the killed run: another stack's identical share, which no resource of this stack holds either.
      const anotherStacks = emulator.seedShare({ ownerId: USER_ID, containerId: space, fileIds: ["f2"], comment: "weekly", validDays: 30 });
      await new Promise((r) => setTimeout(r, 1_100));
      const since = new Date().toISOString();
      // The share the resumed up made (held), the one the killed run made (stray), and look-alikes that are not it.
      const held = emulator.seedShare({ ownerId: USER_ID, containerId: space, fileIds: ["f2"], comment: "weekly", validDays: 30 });
      const stray = emulator.seedShare({ ownerId: USER_ID, containerId: space, fileIds: ["f2"], comment: "weekly", validDays: 30 });
      emulator.seedShare({ ownerId: USER_ID, containerId: space, fileIds: ["f3"], comment: "weekly", validDays: 30 });
      emulator.seedShare({ ownerId: USER_ID, containerId: space, fileIds: ["f2"], comment: "by hand", validDays: 30 });
      emulator.seedShare({ ownerId: USER_ID, containerId: "OtherSpace", fileIds: ["f2"], comment: "weekly", validDays: 30 });
      const theirs = emulator.seedShare({ ownerId: OTHER_USER_ID, containerId: space, fileIds: ["f9"], validDays: 30 });
      // The same, with a comment someone wrote by hand: the create sent none, so it is not that create's.
      const commented = emulator.seedShare({ ownerId: OTHER_USER_ID, containerId: space, fileIds: ["f9"], comment: "by hand", validDays: 30 });
      // Two identical creates, one with a comment the state holds encrypted: each gets one of the two shares.
      const twins = [1, 2].map(() => emulator.seedShare({ ownerId: USER_ID, containerId: space, fileIds: ["f4"], comment: "secret words", validDays: 30 }));
      const encrypted = { "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", ciphertext: "v1:x" };
      const urn = (name: string) => `urn:pulumi:dev::p::pulumi-nodejs:dynamic/koodrive:Share::${name}`;
      const state = path.join(scratch, "state.json");
      fs.writeFileSync(
        state,
        exportOf(held.shareId as string, [
          { name: "weekly", inputs: { ...created, extractCode: encrypted } },
          { name: "theirs", inputs: { containerId: space, fileIds: ["f9"], scope: 1, validDays: 30, userId: OTHER_USER_ID } },
          { name: "twin-a", inputs: { containerId: space, fileIds: ["f4"], scope: 1, validDays: 30, comment: encrypted } },
          { name: "twin-b", inputs: { containerId: space, fileIds: ["f4"], scope: 1, validDays: 30, comment: encrypted } },
        ]),
      );
      const columns = (stdout: string) =>
        stdout
          .trim()
          .split("\n")
          .map((line: string) => line.split("\t").slice(0, 3));
      const found = await run("--state", state);
      expect(found.code).toBe(3);
      expect(columns(found.stdout).sort()).toEqual(
        [
          [anotherStacks.shareId, USER_ID, urn("weekly")],
          [stray.shareId, USER_ID, urn("weekly")],
          [theirs.shareId, OTHER_USER_ID, urn("theirs")],
          [twins[0]!.shareId, USER_ID, expect.stringMatching(/twin-[ab]$/)],
          [twins[1]!.shareId, USER_ID, expect.stringMatching(/twin-[ab]$/)],
        ].sort(),
      );
      const twinLines = found.stdout.split("\n").filter((line: string) => /twin-/.test(line));
      expect(new Set(twinLines.map((line: string) => line.split("\t")[2]))).toEqual(new Set([urn("twin-a"), urn("twin-b")]));
      expect(twinLines[0]).toMatch(/the comment is a secret in the state: not compared/);
      expect(found.stderr).toMatch(
        /5 share\(s\) match an interrupted create and no resource of this stack holds them\. A share made before the killed run started looks the same/,
      );
      expect(emulator.requests.all().every((r) => r.method === "GET")).toBe(true);

      // As the README runs it: the export on stdin.
      // (Not spawnSync: it would stop this process's emulator from answering.)
      const piped = await new Promise<{ status: number | null; stdout: string }>((resolve) => {
        const child = spawn("node", [script, "--state", "-"], { env });
        let stdout = "";
        child.stdout.on("data", (c) => (stdout += c));
        child.on("close", (status) => resolve({ status, stdout }));
        child.stdin.end(fs.readFileSync(state));
      });
      expect(piped.status).toBe(3);
      expect(piped.stdout).toBe(found.stdout);

      const recent = await run("--state", state, "--since", since);
      expect(columns(recent.stdout).map((c: string[]) => c[0])).not.toContain(anotherStacks.shareId);
      expect(columns(recent.stdout)).toHaveLength(4);
      expect(recent.stderr).toMatch(/\(1 older matching share\(s\) left out: made before --since\)/);

      expect((await run("--state", state, "--cancel")).stderr).toMatch(/--cancel needs --since/);
      expect(emulator.requests.all().every((r) => r.method === "GET")).toBe(true);
      // The first cancel call's answer is cut short after it landed: asked again, as a KooDriveShare's delete does.
      emulator.faults.set({ truncateAfterApplyNext: 1 });
      const cancelled = await run("--state", state, "--since", since, "--cancel");
      expect(
        emulator.requests
          .all()
          .filter((r) => r.path.endsWith("/cancel"))
          .map((r) => r.fault ?? "answered"),
      ).toEqual(["truncateAfterApply", "answered", "answered"]);
      expect(cancelled.stderr).not.toMatch(/not cancelled/);
      expect(cancelled.code ?? 0).toBe(0);
      for (const share of [stray, theirs, ...twins]) expect(emulator.getShare(share.shareId as string)).toBeUndefined();
      for (const share of [anotherStacks, held, commented]) expect(emulator.getShare(share.shareId as string)).toBeDefined();
      expect(cancelled.stderr).toMatch(/cancelled 4 share\(s\)/);

      // No interrupted create recorded (after `refresh --clear-pending-creates`): nothing to look for, nothing listed.
      emulator.requests.clear();
      fs.writeFileSync(state, exportOf(held.shareId as string, []));
      const none = await run("--state", state);
      expect(none.stdout).toBe("");
      expect(none.stderr).toMatch(/records no interrupted KooDriveShare create/);
      expect(emulator.requests.all()).toEqual([]);

      // A userId the state holds encrypted cannot be read: the error says to give it.
      fs.writeFileSync(state, exportOf(held.shareId as string, [{ name: "s", inputs: { ...created, userId: { ciphertext: "v1:y" } } }]));
      const secretOwner = await run("--state", state);
      expect(secretOwner.code).toBe(1);
      expect(secretOwner.stderr).toMatch(/gives its userId as a secret.*run again with --user-id/);
    } finally {
      await emulator.close();
      fs.rmSync(scratch, { recursive: true, force: true });
    }
  }, 60_000);

  it("with --since, a matching share whose listing gives no share time counts as older: --cancel never cancels it", async () => {
    const space = "IAAB5thdWzxEoAsiA1681759183084696448";
    const calls: string[] = [];
    // A KooDrive whose listing leaves shareTime out (its pages document it, but an answer may lack any field).
    const server = http.createServer((req, res) => {
      calls.push(`${req.method} ${req.url?.split("?")[0]}`);
      res.writeHead(200, { "Content-Type": "application/json" });
      const listed = {
        shareId: "1689743054514187771",
        containerId: space,
        scope: 1,
        fileIds: ["f1"],
        expireTime: new Date(Date.now() + 30 * DAY).toISOString(),
      };
      res.end(JSON.stringify(req.method === "GET" ? { code: 0, shareLinks: [listed] } : { code: 0, subResponseList: [{ shareId: listed.shareId, code: 0 }] }));
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
    const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "koodrive-stray-"));
    try {
      const endpoint = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
      const env = { ...process.env, KOODRIVE_ENDPOINT: endpoint, KOODRIVE_USER_ID: USER_ID, KOODRIVE_AGENT_NAME: AGENT, KOODRIVE_ACCESS_TOKEN: TOKEN };
      const script = path.join(__dirname, "..", "..", "scripts", "koodrive-stray-shares.js");
      const state = path.join(scratch, "state.json");
      fs.writeFileSync(state, exportOf("1", [{ name: "weekly", inputs: { containerId: space, fileIds: ["f1"], scope: 1, validDays: 30 } }]));
      const since = new Date(Date.now() - 60_000).toISOString();
      const run = await promisify(execFile)("node", [script, "--state", state, "--since", since, "--cancel"], { env }).catch((e) => e);
      expect(run.stdout ?? "").toBe("");
      expect(run.stderr).toMatch(/\(1 older matching share\(s\) left out: made before --since\)/);
      expect(calls.some((c) => c.startsWith("POST"))).toBe(false);
    } finally {
      server.close();
      fs.rmSync(scratch, { recursive: true, force: true });
    }
  }, 30_000);
});
