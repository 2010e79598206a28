import net from "node:net";
import { TOKEN, USER_ID, useEmulatorWithShare } from "./support/fixtures";
import { raw, tokenHeaders } from "./support/rawHttp";

const SHARE = "/koodrive/ose/v1/share";
const fixture = useEmulatorWithShare();
const get = () => raw(fixture.emulator.url, "GET", `${SHARE}/${fixture.shareId}`, tokenHeaders(TOKEN, USER_ID));

describe("pre-apply faults", () => {
  it("a request to an unpublished path gets its 404 and uses up neither a fault nor the throttle budget", async () => {
    const { emulator } = fixture;
    emulator.faults.set({ failNext: 1, throttleRps: 1 });
    const nope = await raw(emulator.url, "GET", "/koodrive/ose/v1/nope", tokenHeaders(TOKEN, USER_ID));
    expect(nope.status).toBe(404);
    expect(nope.json.error_code).toBe("APIGW.0101");
    expect(emulator.faults.current().failNext).toBe(1);
    expect((await get()).status).toBe(503); // the fault was kept for the API call, which is the one request this second
    expect(emulator.requests.all().map((r) => r.fault)).toEqual([undefined, "status 503"]);
  });

  it.each([
    [400, { code: 13000102, msg: "Verify parameters failed: injected fault (failStatus/errorStatus 400)" }],
    [401, { code: 13000104, msg: "Unauthorized: injected fault (failStatus/errorStatus 401)." }],
    [404, { error_code: "APIGW.0101", error_msg: expect.any(String) }],
    [413, { error_code: "APIGW.0201", error_msg: expect.any(String) }],
    [429, { error_code: "APIGW.0308", error_msg: expect.any(String) }],
    [502, { code: 13000201, msg: "inner server invoke failure" }],
  ])("failStatus %d answers the body the emulator gives that status", async (status, body) => {
    fixture.emulator.faults.set({ failNext: 1, failStatus: status });
    const res = await get();
    expect(res.status).toBe(status);
    expect(res.json).toEqual(body);
  });

  it("a status without a body of the emulator's own is refused", () => {
    expect(() => fixture.emulator.faults.set({ failStatus: 403 })).toThrow(/400, 401, 404, 413, 429 or 500-599/);
  });

  it("resetNext resets the connection (RST, ECONNRESET), not an orderly close", async () => {
    fixture.emulator.faults.set({ resetNext: 1 });
    const { port } = new URL(fixture.emulator.url);
    const outcome = await new Promise<string>((resolve) => {
      const socket = net.connect(Number(port), "127.0.0.1", () => {
        const headers = Object.entries(tokenHeaders(TOKEN, USER_ID))
          .map(([k, v]) => `${k}: ${v}\r\n`)
          .join("");
        socket.write(`GET ${SHARE}/${fixture.shareId} HTTP/1.1\r\nHost: x\r\n${headers}\r\n`);
      });
      socket.on("error", (e: NodeJS.ErrnoException) => resolve(e.code ?? "error"));
      socket.on("end", () => resolve("FIN"));
    });
    expect(outcome).toBe("ECONNRESET");
  });
});
