// https, as KooDrive serves: a client's certificate trust and its proxy tunnel can be tested against the emulator.
// The certificates are the repository's test fixtures (test/fixtures/tls/make.sh): a CA, and a server certificate
// it signed for 127.0.0.1, ::1 and localhost.
import fs from "node:fs";
import http from "node:http";
import https from "node:https";
import net from "node:net";
import path from "node:path";
import tls from "node:tls";
import { type Emulator, startEmulator } from "../src";
import { TOKEN, USER_ID } from "./support/fixtures";
import { killLeftovers, runCli, startForeground, stopWith } from "./support/cli";
import { tokenHeaders } from "./support/rawHttp";
import { useScratchDir } from "./support/scratch";

const FIXTURES = path.join(__dirname, "../../../test/fixtures/tls");
const CA = fs.readFileSync(path.join(FIXTURES, "ca.pem"), "utf8");
const CERT_FILE = path.join(FIXTURES, "server.pem");
const KEY_FILE = path.join(FIXTURES, "server-key.pem");
const TLS = { cert: fs.readFileSync(CERT_FILE, "utf8"), key: fs.readFileSync(KEY_FILE, "utf8") };
const SHARE = "/koodrive/ose/v1/share";

/** One https request; `ca` undefined trusts only Node's built-in authorities. */
function get(url: string, headers: Record<string, string>, ca: string | undefined): Promise<{ status: number; json: any }> {
  return new Promise((resolve, reject) => {
    const req = https.request(url, { headers, ca, agent: false }, (res) => {
      let text = "";
      res.setEncoding("utf8");
      res.on("data", (c: string) => (text += c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, json: text ? JSON.parse(text) : undefined }));
    });
    req.on("error", reject);
    req.end();
  });
}

describe("the emulator over https (tls option)", () => {
  let emulator: Emulator;
  beforeEach(async () => {
    emulator = await startEmulator({ tokens: [TOKEN], tls: TLS });
  });
  afterEach(() => emulator.close());

  it("serves the share API and the admin API at an https:// base URL to a client that trusts the certificate", async () => {
    expect(emulator.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    const share = emulator.seedShare({ ownerId: USER_ID, comment: "over tls" });
    const detail = await get(`${emulator.url}${SHARE}/${share.shareId}`, tokenHeaders(TOKEN, USER_ID), CA);
    expect(detail.status).toBe(200);
    expect(detail.json.shareLink.comment).toBe("over tls");
    expect(detail.json.shareLink.linkUrl).toMatch(new RegExp(`^${emulator.url}/`));
    expect((await get(`${emulator.url}/__admin/health`, {}, CA)).json.ok).toBe(true);
  });

  it("a client that does not trust it, or speaks plain http to it, is turned away without a request logged; the emulator goes on", async () => {
    const share = emulator.seedShare({ ownerId: USER_ID });
    const url = `${emulator.url}${SHARE}/${share.shareId}`;
    await expect(get(url, tokenHeaders(TOKEN, USER_ID), undefined)).rejects.toMatchObject({ code: "UNABLE_TO_VERIFY_LEAF_SIGNATURE" });
    await expect(
      new Promise((resolve, reject) => http.get(url.replace("https:", "http:"), { headers: tokenHeaders(TOKEN, USER_ID) }, resolve).on("error", reject)),
    ).rejects.toMatchObject({ code: expect.stringMatching(/ECONNRESET|HPE_/) });
    expect(emulator.requests.all()).toHaveLength(0);
    expect((await get(url, tokenHeaders(TOKEN, USER_ID), CA)).status).toBe(200);
  });

  it("a reset fault resets the TCP connection under TLS (ECONNRESET at the client), logged as the fault", async () => {
    const share = emulator.seedShare({ ownerId: USER_ID });
    emulator.faults.set({ resetNext: 1 });
    await expect(get(`${emulator.url}${SHARE}/${share.shareId}`, tokenHeaders(TOKEN, USER_ID), CA)).rejects.toMatchObject({ code: "ECONNRESET" });
    expect(emulator.requests.all().map((r) => [r.status, r.fault])).toEqual([[0, "reset"]]);
  });

  it("a client that half-closes its side once its request is written still gets the answer", async () => {
    const share = emulator.seedShare({ ownerId: USER_ID });
    emulator.faults.set({ latencyMs: 100 });
    const headers = Object.entries(tokenHeaders(TOKEN, USER_ID))
      .map(([k, v]) => `${k}: ${v}\r\n`)
      .join("");
    const answer = await new Promise<string>((resolve, reject) => {
      const socket = tls.connect({ host: "127.0.0.1", port: emulator.port, ca: CA }, () =>
        socket.end(`GET ${SHARE}/${share.shareId} HTTP/1.1\r\nHost: 127.0.0.1\r\n${headers}\r\n`),
      );
      let text = "";
      socket.setEncoding("latin1");
      socket.on("data", (c: string) => (text += c));
      socket.on("close", () => resolve(text));
      socket.on("error", reject);
    });
    expect(answer).toMatch(/^HTTP\/1\.1 200 /);
    expect(emulator.requests.all().map((r) => r.status)).toEqual([200]);
  });

  it("close() does not wait for a client that connected and never finished its TLS handshake", async () => {
    const idle = net.connect(emulator.port, "127.0.0.1");
    idle.on("error", () => undefined);
    await new Promise((resolve) => idle.once("connect", resolve));
    const closed = await Promise.race([emulator.close().then(() => "closed"), new Promise((resolve) => setTimeout(() => resolve("still waiting"), 3_000))]);
    expect(closed).toBe("closed");
    idle.destroy();
  });

  it.each([
    [
      "a certificate without its key",
      { cert: TLS.cert } as { cert: string; key: string },
      /^tls needs both a certificate \(cert\) and a private key \(key\), in PEM$/,
    ],
    ["a certificate that is not PEM", { cert: "not a certificate", key: TLS.key }, /^tls: the certificate and key cannot be used \(/],
    ["a key that is not the certificate's", { cert: CA, key: TLS.key }, /^tls: the certificate and key cannot be used \(/],
  ])("refuses to start with %s, naming the option", async (_name, tls, message) => {
    await expect(startEmulator({ tokens: [TOKEN], tls })).rejects.toThrow(message);
  });
});

describe("koodrive-emulator --tls-cert / --tls-key", () => {
  const scratch = useScratchDir("koodrive-tls-");
  afterEach(killLeftovers);

  it("serves https, says so in its first line, and answers a client that trusts the certificate", async () => {
    const { child, firstLine } = await startForeground(["--token", TOKEN, "--tls-cert", CERT_FILE, "--tls-key", KEY_FILE]);
    const url = /^KooDrive emulator listening on (https:\/\/127\.0\.0\.1:\d+)$/.exec(firstLine)?.[1];
    expect(url).toBeDefined();
    expect((await get(`${url}/__admin/health`, {}, CA)).json.ok).toBe(true);
    expect(await stopWith(child, "SIGTERM")).toBe(0);
  });

  it.each([
    [["--tls-cert", CERT_FILE], "--tls-cert and --tls-key go together"],
    [["--tls-key", KEY_FILE], "--tls-cert and --tls-key go together"],
    [["--tls-cert", "/nonexistent/server.pem", "--tls-key", KEY_FILE], "--tls-cert /nonexistent/server.pem cannot be read: ENOENT"],
  ])("%j is a usage error naming the flag", async (flags, message) => {
    const { code, stderr } = await runCli(["--token", TOKEN, ...flags]);
    expect(code).toBe(2);
    expect(stderr).toContain(message);
  });

  it("a file with no PEM in it is a usage error; a key that is not the certificate's cannot start", async () => {
    const notPem = path.join(scratch(), "server.pem");
    fs.writeFileSync(notPem, "hello");
    const usage = await runCli(["--token", TOKEN, "--tls-cert", notPem, "--tls-key", KEY_FILE]);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain(`--tls-cert ${notPem} holds no PEM block (-----BEGIN ...)`);
    const mismatch = await runCli(["--token", TOKEN, "--tls-cert", path.join(FIXTURES, "ca.pem"), "--tls-key", KEY_FILE]);
    expect(mismatch.code).toBe(1);
    expect(mismatch.stderr).toMatch(/cannot start: tls: the certificate and key cannot be used \(/);
  });
});
