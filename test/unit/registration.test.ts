// What each resource class sends the engine when it registers (the SDK's mock monitor records the requests): the
// declared outputs seeded, the access code and the originals secret in inputs and outputs, the companion as a
// dependency, and the class's own file as the source position, also with a debugger attached.
import inspector from "node:inspector";
import * as pulumi from "@pulumi/pulumi";
import * as mocks from "@pulumi/pulumi/runtime/mocks";
import { SHARE_OUTPUTS } from "../../src/resources/share/state";
import { SHARE_SETTINGS_OUTPUTS } from "../../src/resources/shareSettings/state";

/** The RPC secret signature: a value the engine stores encrypted. */
const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";

interface Registered {
  type: string;
  name: string;
  object: Record<string, unknown>;
  propertyDependencies: Record<string, string[]>;
  additionalSecretOutputs: string[];
  sourceFile: string | undefined;
}

const registered: Registered[] = [];
type RegisterRequest = {
  getType(): string;
  getName(): string;
  getObject(): { toJavaScript(): Record<string, unknown> };
  getPropertydependenciesMap(): { entries(): Iterable<[string, { getUrnsList(): string[] }]> };
  getAdditionalsecretoutputsList(): string[];
  getSourceposition(): { getUri(): string } | undefined;
};
const monitor = mocks.MockMonitor.prototype as unknown as { registerResource(req: RegisterRequest, cb: unknown): unknown };
const registerResource = monitor.registerResource;
monitor.registerResource = function (this: unknown, req: RegisterRequest, cb: unknown) {
  if (req.getType().includes("koodrive")) {
    const propertyDependencies: Record<string, string[]> = {};
    for (const [key, deps] of req.getPropertydependenciesMap().entries()) propertyDependencies[key] = deps.getUrnsList();
    registered.push({
      type: req.getType(),
      name: req.getName(),
      object: req.getObject().toJavaScript(),
      propertyDependencies,
      additionalSecretOutputs: req.getAdditionalsecretoutputsList(),
      sourceFile: req.getSourceposition()?.getUri().replace(/#.*$/, ""),
    });
  }
  return registerResource.call(this, req, cb);
};

beforeAll(async () => {
  await pulumi.runtime.setMocks(
    {
      newResource: (args) => ({
        id: `${args.name}-id`,
        state: args.type.endsWith("ShareOriginals") ? { ...args.inputs, originals: { comment: "found" } } : { shareId: "s-new", ...args.inputs },
      }),
      call: (args) => args.inputs,
    },
    "proj",
    "stack",
    false,
  );
});

/** Registers what `declare` builds (in this run's program) and returns the requests for the names it declared. */
async function registrations(declare: (classes: typeof import("../../src")) => void, names: string[]): Promise<Registered[]> {
  declare(await import("../../src"));
  // Registration is asynchronous (inputs are resolved first).
  for (let waited = 0; names.some((n) => !registered.some((r) => r.name === n)) && waited < 10_000; waited += 20) {
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return names.map((name) => {
    const found = registered.find((r) => r.name === name);
    if (found === undefined) throw new Error(`${name} was never registered`);
    return found;
  });
}

/** The output properties a resource instance has (the SDK makes one for each property registered, set or not). */
const declaredOutputs = (resource: object) =>
  Object.entries(resource)
    .filter(([key, value]) => pulumi.Output.isInstance(value) && !["urn", "id", "__provider"].includes(key))
    .map(([key]) => key)
    .sort();

const isSecret = (value: unknown) =>
  typeof value === "object" && value !== null && (value as Record<string, unknown>)[pulumi.runtime.specialSigKey] === SECRET_SIG;

test("KooDriveShare: every declared output seeded, the access code secret in inputs and outputs, after the user's secret outputs", async () => {
  let resource: object = {};
  const [share] = await registrations(
    ({ KooDriveShare }) => {
      resource = new KooDriveShare(
        "share-a",
        { fileIds: ["f1"], containerId: "c1", scope: 1, validDays: 7, extractCode: "Abcd1234" },
        { additionalSecretOutputs: ["comment"] },
      );
    },
    ["share-a"],
  );
  expect(share!.type).toBe("pulumi-nodejs:dynamic/koodrive:Share");
  expect(declaredOutputs(resource)).toEqual([...SHARE_OUTPUTS].sort());
  expect(isSecret(share!.object.extractCode)).toBe(true);
  expect(share!.object.onDelete).toBe("cancel");
  expect(share!.additionalSecretOutputs).toEqual(["comment", "extractCode"]);
  expect(share!.sourceFile).toMatch(/\/src\/resources\/share\/resource\.ts$/);
});

test("KooDriveShareSettings (retain): no originals property; restore: the companion's originals, secret, with the companion as their dependency", async () => {
  let resource: object = {};
  const [plain, companion, restoring] = await registrations(
    ({ KooDriveShareSettings }) => {
      resource = new KooDriveShareSettings("settings-plain", { shareId: "s1", validDays: 3 });
      new KooDriveShareSettings("settings-restore", { shareId: "s2", validDays: 3, extractCode: "Wxyz9876", onDelete: "restore" });
    },
    ["settings-plain", "settings-restore-originals", "settings-restore"],
  );
  expect(plain!.type).toBe("pulumi-nodejs:dynamic/koodrive:ShareSettings");
  expect(declaredOutputs(resource)).toEqual([...SHARE_SETTINGS_OUTPUTS].sort());
  expect(plain!.object.extractCode).toBeUndefined();
  expect(plain!.additionalSecretOutputs).toEqual(["extractCode"]);
  expect(plain!.sourceFile).toMatch(/\/src\/resources\/shareSettings\/resource\.ts$/);

  expect(companion!.type).toBe("pulumi-nodejs:dynamic/koodrive:ShareOriginals");
  expect(companion!.additionalSecretOutputs).toEqual(["originals"]);
  expect(isSecret(restoring!.object.extractCode)).toBe(true);
  expect(isSecret(restoring!.object.originals)).toBe(true);
  expect(restoring!.additionalSecretOutputs).toEqual(["extractCode", "originals"]);
  expect(restoring!.propertyDependencies.originals).toEqual([expect.stringMatching(/koodrive:ShareOriginals::settings-restore-originals$/)]);
});

test("with a debugger attached, the source position is still each class's own file", async () => {
  // V8 keeps frames it otherwise omits (an implicit constructor) while a debugger is enabled; the SDK takes the
  // position at a fixed depth, so a base class between the SDK's and ours would become every resource's position.
  const session = new inspector.Session();
  session.connect();
  await new Promise<void>((resolve, reject) => session.post("Debugger.enable", (error) => (error ? reject(error) : resolve())));
  try {
    const [share, settings] = await registrations(
      ({ KooDriveShare, KooDriveShareSettings }) => {
        new KooDriveShare("share-debugged", { fileIds: ["f1"], containerId: "c1", scope: 1, validDays: 7 });
        new KooDriveShareSettings("settings-debugged", { shareId: "s9", validDays: 3 });
      },
      ["share-debugged", "settings-debugged"],
    );
    expect(share!.sourceFile).toMatch(/\/src\/resources\/share\/resource\.ts$/);
    expect(settings!.sourceFile).toMatch(/\/src\/resources\/shareSettings\/resource\.ts$/);
  } finally {
    session.disconnect();
  }
});
