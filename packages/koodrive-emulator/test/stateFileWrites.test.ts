import fs from "node:fs";
import path from "node:path";
import { StateFileError, startEmulator } from "../src";
import { TOKEN, USER_ID, testEmulator } from "./support/fixtures";
import { runCli } from "./support/cli";
import { raw, tokenHeaders } from "./support/rawHttp";
import { useScratchDir } from "./support/scratch";

const SHARE = "/koodrive/ose/v1/share";
const scratch = useScratchDir("koodrive-statewrites-");

describe("a state file the emulator cannot write", () => {
  it("is refused at start: startEmulator rejects naming the path and the reason, and listens on nothing", async () => {
    const file = path.join(scratch(), "no-such-folder", "state.json");
    await expect(startEmulator({ tokens: [TOKEN], stateFile: file })).rejects.toThrow(StateFileError);
    await expect(startEmulator({ tokens: [TOKEN], stateFile: file })).rejects.toThrow(`state file ${file}: cannot be written (ENOENT`);
  });

  it("is refused at start by the CLI: exit 1, the path and the reason on stderr", async () => {
    const file = path.join(scratch(), "typo", "state.json");
    const { code, stderr } = await runCli(["--token", "t", "--state", file], undefined, 4000);
    expect(code).toBe(1);
    expect(stderr).toContain(`cannot start: state file ${file}: cannot be written (ENOENT`);
  });

  it("mid-run: a write that cannot be saved is rolled back, answered 500, logged as not applied, and the reason goes to stderr", async () => {
    const dir = fs.mkdtempSync(path.join(scratch(), "run-"));
    const file = path.join(dir, "state.json");
    const emulator = await testEmulator({ stateFile: file });
    const stderr: string[] = [];
    const spy = jest.spyOn(process.stderr, "write").mockImplementation((chunk: any) => {
      stderr.push(String(chunk));
      return true;
    });
    try {
      const shareId = emulator.seedShare({ ownerId: USER_ID, comment: "before" }).shareId;
      const before = emulator.getShare(shareId);
      fs.rmSync(dir, { recursive: true, force: true }); // the folder goes away under a running emulator
      const put = await raw(emulator.url, "PUT", `${SHARE}/${shareId}`, tokenHeaders(TOKEN, USER_ID), JSON.stringify({ validDays: 3, comment: "after" }));
      const create = await raw(
        emulator.url,
        "POST",
        SHARE,
        tokenHeaders(TOKEN, USER_ID),
        JSON.stringify({ scope: 1, fileIds: ["f"], containerId: "c", validDays: 3 }),
      );
      const cancel = await raw(emulator.url, "POST", `${SHARE}/cancel`, tokenHeaders(TOKEN, USER_ID), JSON.stringify({ shareIds: [shareId] }));
      for (const res of [put, create, cancel]) expect(res.json).toEqual({ code: 13000201, msg: "inner server invoke failure" });
      expect(emulator.getShare(shareId)).toEqual(before); // nothing landed: not the PUT, not the cancel
      const list = await raw(emulator.url, "GET", SHARE, tokenHeaders(TOKEN, USER_ID));
      expect(list.json.shareLinks.map((s: { shareId: string }) => s.shareId)).toEqual([shareId]); // and no create
      const log = emulator.requests.all();
      expect(log.map((r) => [r.method, r.status, r.applied])).toEqual([
        ["PUT", 500, false],
        ["POST", 500, false],
        ["POST", 500, false],
        ["GET", 200, undefined],
      ]);
      expect((log[0] as any).error).toContain(`state file ${file}: cannot be written`);
      expect(stderr.join("")).toContain(`PUT ${SHARE}/${shareId}: state file ${file}: cannot be written`);
      // The admin API says so in its own shape.
      const seeded = await raw(emulator.url, "POST", "/__admin/shares", {}, JSON.stringify({ ownerId: USER_ID }));
      expect(seeded.status).toBe(500);
      expect(seeded.json.error).toContain("cannot be written");
    } finally {
      spy.mockRestore();
      await emulator.close();
    }
  });
});
