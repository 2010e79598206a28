import { ConfigurationError } from "../../src/client/configurationError";
import { resolveConnectionSettings } from "../../src/client/connectionSettings";
import { KooDriveError } from "../../src/client/koodriveError";
import { REDACTED, redact } from "../../src/client/redact";

const request = { method: "PUT", path: "/koodrive/ose/v1/share/1", traceId: "t".repeat(58), attempts: 2 };

describe("redaction", () => {
  it.each([
    ["token s3cr3t-token rejected", ["s3cr3t-token"], `token ${REDACTED} rejected`],
    ["code MDg2K0vU is wrong", ["MDg2K0vU"], `code ${REDACTED} is wrong`],
    ["Authorization: Bearer+abc.def-ghi", [], `Authorization: Bearer+${REDACTED}`],
    ["Bearer xyz", [], `Bearer ${REDACTED}`],
    ["HMAC-SHA256 AppId=a,SignedHeaders=x-date,Signature=abcdef0123", [], `HMAC-SHA256 AppId=a,SignedHeaders=x-date,Signature=${REDACTED}`],
    ["abc abc", ["abc"], "abc abc"],
    ["nothing here", [undefined], "nothing here"],
  ])("%j with %j → %j", (text, secrets, expected) => {
    expect(redact(text, secrets)).toBe(expected);
  });
});

describe("KooDriveError", () => {
  it("carries status, code, message, method, path, trace id and attempts", () => {
    const e = new KooDriveError({ kind: "api", status: 400, code: "13000102", koodriveMessage: "Verify parameters failed.", request });
    expect(e).toBeInstanceOf(Error);
    expect(e.name).toBe("KooDriveError");
    expect(e.message).toBe(`KooDrive PUT /koodrive/ose/v1/share/1 failed with HTTP 400, code 13000102: Verify parameters failed. (2 attempts, trace id ${request.traceId})`);
    expect(e.toJSON()).toMatchObject({ status: 400, code: "13000102", request });
    expect(e.isNotFound).toBe(false);
    expect(new KooDriveError({ kind: "api", status: 400, code: "13000309", request }).isNotFound).toBe(true);
  });

  it.each([
    [{ kind: "network", causeCode: "ECONNRESET" }, "failed: network error ECONNRESET"],
    [{ kind: "timeout" }, "timed out"],
    [{ kind: "invalid-response", koodriveMessage: "body is not JSON" }, "returned an unexpected response: body is not JSON"],
  ] as const)("describes %j", (details, fragment) => {
    expect(new KooDriveError({ ...details, request }).message).toContain(fragment);
  });
});

describe("connection settings", () => {
  const none = () => undefined;

  it("lists every missing setting at once, naming config keys and environment variables", () => {
    let error: unknown;
    try {
      resolveConnectionSettings(none, {});
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigurationError);
    const problems = (error as ConfigurationError).problems;
    expect(problems).toHaveLength(4);
    const text = (error as Error).message;
    for (const fragment of ["koodrive:endpoint", "KOODRIVE_ENDPOINT", "koodrive:userId", "KOODRIVE_USER_ID", "koodrive:agentName", "KOODRIVE_AGENT_NAME", "koodrive:accessToken", "KOODRIVE_ACCESS_TOKEN", "koodrive:appId", "koodrive:appSecret", "--secret"]) {
      expect(text).toContain(fragment);
    }
  });

  it("prefers stack config over the environment and trims the endpoint's trailing slash", () => {
    const config: Record<string, string> = { "koodrive:endpoint": "http://config/", "koodrive:userId": "1" };
    const s = resolveConnectionSettings((k) => config[k], { KOODRIVE_ENDPOINT: "http://env", KOODRIVE_USER_ID: "2", KOODRIVE_AGENT_NAME: "a", KOODRIVE_ACCESS_TOKEN: "tok-1234" });
    expect(s).toMatchObject({ endpoint: "http://config", userId: "1", agentName: "a", auth: { kind: "token", accessToken: "tok-1234" }, timeoutMs: 30000, maxRetries: 3 });
  });

  it("uses app auth when appId and appSecret are set and says which half is missing otherwise", () => {
    const env = { KOODRIVE_ENDPOINT: "https://x", KOODRIVE_USER_ID: "1", KOODRIVE_AGENT_NAME: "a" };
    expect(resolveConnectionSettings(none, { ...env, KOODRIVE_APP_ID: "app", KOODRIVE_APP_SECRET: "appsecret-value" }).auth).toEqual({ kind: "app", appId: "app", appSecret: "appsecret-value" });
    expect(() => resolveConnectionSettings(none, { ...env, KOODRIVE_APP_ID: "app" })).toThrow(/appSecret is missing/);
  });

  it("rejects malformed numbers and endpoints without echoing secret values", () => {
    const env = { KOODRIVE_ENDPOINT: "ftp://x", KOODRIVE_USER_ID: "1", KOODRIVE_AGENT_NAME: "a", KOODRIVE_ACCESS_TOKEN: "very-secret-token", KOODRIVE_TIMEOUT_MS: "fast", KOODRIVE_MAX_RETRIES: "99" };
    try {
      resolveConnectionSettings(none, env);
      throw new Error("expected a ConfigurationError");
    } catch (e) {
      expect((e as ConfigurationError).problems).toHaveLength(3);
      expect((e as Error).message).not.toContain("very-secret-token");
    }
  });
});
