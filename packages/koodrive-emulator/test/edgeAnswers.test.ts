import { useEmulatorWithShare } from "./support/fixtures";
import { sendRaw, statusOf } from "./support/rawSocket";

const fixture = useEmulatorWithShare();

/** Status, Date header and JSON body of a raw answer. */
function parse(answer: string): { status?: number; date?: string; json?: any } {
  const [head, body] = answer.split("\r\n\r\n", 2) as [string, string | undefined];
  const date = /\r\nDate: ([^\r]+)/i.exec(head)?.[1];
  let json: unknown;
  try {
    json = body ? JSON.parse(body) : undefined;
  } catch {
    json = undefined;
  }
  return { status: statusOf(answer), date, json };
}

describe("answers outside the share API's own rules", () => {
  it.each([
    ["a garbage request line", "FOO BAR\r\n\r\n", 400],
    ["conflicting Content-Length", "PUT /x HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab", 400],
    ["a 20 KB header", `GET /x HTTP/1.1\r\nHost: x\r\nX-Big: ${"a".repeat(20_000)}\r\n\r\n`, 431],
  ])("%s gets a gateway-style JSON answer with the emulator's Date", async (_name, request, status) => {
    fixture.emulator.clock.setOffset(10 * 365 * 86_400_000);
    const answer = parse(await sendRaw(fixture.emulator.url, request));
    expect(answer.status).toBe(status);
    expect(answer.json).toEqual({ error_code: "APIGW.0201", error_msg: expect.any(String) });
    expect(Math.abs(Date.parse(answer.date!) - fixture.emulator.clock.now())).toBeLessThan(5000);
  });

  it("OPTIONS * is not reported as a malformed percent-encoding", async () => {
    const answer = parse(await sendRaw(fixture.emulator.url, "OPTIONS * HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"));
    expect(answer.status).toBe(404);
    expect(answer.json.error_code).toBe("APIGW.0101");
  });

  it("an admin path with a bad %-encoding gets the admin error shape", async () => {
    const answer = parse(await sendRaw(fixture.emulator.url, "GET /__admin/shares/%zz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"));
    expect(answer.status).toBe(400);
    expect(answer.json).toEqual({ error: "the request target has a malformed percent-encoding" });
  });

  it("an absolute-form target is taken as sent, like an origin-form one (no normalising of ..)", async () => {
    const answer = parse(await sendRaw(fixture.emulator.url, "GET http://x/koodrive/ose/v1/x/../share HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"));
    expect(answer.status).toBe(404);
  });
});
