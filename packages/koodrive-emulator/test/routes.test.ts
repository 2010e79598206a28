import { ADMIN_ROUTES, routeAdmin } from "../src/adminRoutes";
import { EmulatorClock } from "../src/clock";
import { EmulatorState } from "../src/emulatorState";
import { FaultInjector, afterApplyOutcome, preApplyOutcome } from "../src/faults";
import { RequestLog } from "../src/requestLog";
import { ShareStore } from "../src/shareStore";
import { SHARE_ROUTES, routeShareApi } from "../src/shareRoutes";
import { USER_ID } from "./support/fixtures";

// The handlers and fault replies work without HTTP: a state object in, a reply out.
const T0 = Date.parse("2025-05-29T02:00:00.000Z");
function state(edition: "carrier" | "enterprise" = "carrier"): EmulatorState {
  const auth = {
    tokens: new Set<string>(),
    apps: new Map<string, string>(),
    expiredTokens: new Set<string>(),
    tokenLastUse: new Map<string, number>(),
    clockSkewMs: 0,
    requireAgentName: edition === "carrier",
  };
  const s = new EmulatorState(edition, new ShareStore(), auth, new FaultInjector(), new EmulatorClock(() => T0), new RequestLog());
  s.baseUrl = "http://emulator";
  return s;
}
const api = (s: EmulatorState, method: string, path: string, body?: unknown, query = "") =>
  routeShareApi(s, method, path, { query: new URLSearchParams(query), body, userId: USER_ID });

describe("route tables, called directly", () => {
  it("create, read, modify and cancel through the share routes", () => {
    const s = state();
    const created = api(s, "POST", "/koodrive/ose/v1/share", { scope: 1, fileIds: ["f"], containerId: "c", validDays: 2, extractCode: "AbCd1234" });
    expect(created.status).toBe(200);
    const id = (created.body as { shareLink: { shareId: string } }).shareLink.shareId;
    expect((api(s, "GET", `/koodrive/ose/v1/share/${id}`).body as { shareLink: { expireTime: string } }).shareLink.expireTime).toBe("2025-05-31T02:00:00.000Z");
    const modified = api(s, "PUT", `/koodrive/ose/v1/share/${id}`, { validDays: 0, comment: "c" });
    expect((modified.body as { shareLink: Record<string, unknown> }).shareLink).toMatchObject({ comment: "c", viewCnt: "0" });
    expect((modified.body as { shareLink: Record<string, unknown> }).shareLink).not.toHaveProperty("expireTime");
    expect(api(s, "POST", "/koodrive/ose/v1/share/cancel", { shareIds: [id] }).body).toMatchObject({ subResponseList: [{ shareId: id, code: 0 }] });
    expect(api(s, "DELETE", `/koodrive/ose/v1/share/${id}`).status).toBe(404);
    expect(SHARE_ROUTES.map((r) => r.method)).toEqual(["POST", "GET", "POST", "GET", "PUT"]);
  });

  it("admin routes seed, change and move the clock through the same state", () => {
    const s = state("enterprise");
    const seeded = routeAdmin(s, "POST", "/__admin/shares", { ownerId: USER_ID, shareId: "10", scope: 2 });
    expect(seeded).toMatchObject({ status: 201, body: { shareId: "10", scope: 2, permission: { preview: true, edit: false, download: true } } });
    expect(routeAdmin(s, "PATCH", "/__admin/shares/10", { status: 1 }).body).toMatchObject({ status: 1 });
    expect(routeAdmin(s, "POST", "/__admin/clock", { advanceMs: 1000 }).body).toMatchObject({ offsetMs: 1000 });
    expect(routeAdmin(s, "GET", "/__admin/nothing", undefined)).toEqual({ status: 404, body: { error: "no admin route GET /__admin/nothing" } });
    expect(ADMIN_ROUTES.length).toBe(14);
  });

  it("fault replies are pure: the same action and reply give the same outcome", () => {
    expect(preApplyOutcome({ kind: "none" })).toBeUndefined();
    expect(preApplyOutcome({ kind: "reset" })).toEqual({ kind: "reset" });
    expect(preApplyOutcome({ kind: "status", status: 503, retryAfterSeconds: 2 })).toEqual({
      kind: "reply",
      reply: { status: 503, body: { code: 13000201, msg: "inner server invoke failure" }, headers: { "Retry-After": "2" } },
    });
    const reply = { status: 200, body: { code: 0, msg: "Success.", shareLink: { shareId: "1" } } };
    const cut = afterApplyOutcome({ kind: "truncateAfterApply" }, reply);
    expect(cut.kind).toBe("raw");
    expect(JSON.stringify(reply.body).startsWith((cut as { body: Buffer }).body.toString())).toBe(true);
    expect(afterApplyOutcome({ kind: "failAfterApply" }, reply)).toMatchObject({ kind: "reply", reply: { status: 500 } });
    expect(afterApplyOutcome({ kind: "delayAfterApply", delayMs: 5 }, reply)).toEqual({ kind: "reply", reply });
  });
});
