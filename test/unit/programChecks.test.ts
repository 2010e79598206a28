import * as pulumi from "@pulumi/pulumi";
import {
  claimShare,
  compilerApiProblem,
  rejectImportOption,
  rejectReplaceOnChanges,
  rejectUnknownArgs,
  requirePlainArg,
} from "../../src/resources/common/programChecks";
import { KooDriveShare } from "../../src/resources/share/resource";
import { KooDriveShareSettings } from "../../src/resources/shareSettings/resource";

// The wiring into the classes is proven on the real engine (test/engine/ownership.test.js): constructing a dynamic
// resource under jest would serialize its provider, which jest's module sandbox breaks. The import check is the
// exception: it refuses before the constructor gets that far.
describe("checks the program makes before anything reaches the provider", () => {
  it("a misspelt argument fails naming it (instead of being dropped)", () => {
    expect(() => rejectUnknownArgs("KooDriveShareSettings", "typo", { shareId: "1", extractcode: "x" }, ["shareId", "extractCode"])).toThrow(
      'KooDriveShareSettings "typo": unknown argument "extractcode" (known: shareId, extractCode)',
    );
    expect(() => rejectUnknownArgs("T", "ok", { shareId: "1" }, ["shareId", "extractCode"])).not.toThrow();
  });

  it("a TypeScript without the compiler API Pulumi's closure serializer needs (TypeScript 7) is named, with what to install", () => {
    // What `require("typescript")` returns for TypeScript 7.0: its version and nothing else.
    expect(compilerApiProblem({ version: "7.0.2", versionMajorMinor: "7.0" }, "/p/node_modules/typescript")).toMatch(
      /the "typescript" package it loads, TypeScript 7\.0\.2 \(\/p\/node_modules\/typescript\), has none \(TypeScript 7 dropped it\)\. Make "typescript" TypeScript 5 or 6 \(typescript@~5\.9\.3\)/,
    );
    expect(compilerApiProblem({}, undefined)).toMatch(/the "typescript" package it loads, a TypeScript without a version, has none\. Make/);
    expect(compilerApiProblem(require("typescript"), "/x")).toBeUndefined();
  });

  it("the import option is rejected with the explanation and each resource's own way to the same end", () => {
    expect(() => new KooDriveShareSettings("imp", { shareId: "2", validDays: 1 }, { import: "2" })).toThrow(
      /KooDriveShareSettings "imp": the `import` resource option is not supported.*#16175.*Remove it: creating the resource adopts the existing share, with no import needed\.$/,
    );
    // A KooDriveShare never adopts: pointing it at an existing share is the other resource's job.
    expect(() => new KooDriveShare("imp", { fileIds: ["f"], containerId: "c", scope: 1, validDays: 1 }, { import: "2" })).toThrow(
      /KooDriveShare "imp": the `import` resource option is not supported.*Remove it: a KooDriveShare always creates a new share; to manage an existing one, declare a KooDriveShareSettings for it/,
    );
    expect(() => rejectImportOption("KooDriveShareSettings", "imp", {}, "n/a")).not.toThrow();
  });

  it("replaceOnChanges, which the engine cannot act on for a dynamic resource, is rejected with the way that works", () => {
    const refused =
      /the `replaceOnChanges` resource option has no effect on this resource \(Pulumi's dynamic providers cannot tell the engine which inputs changed, so a listed one never triggers a replacement\)\. Remove it; to replace the resource, run `pulumi up --replace <its URN>`\.$/;
    expect(() => new KooDriveShareSettings("roc", { shareId: "2", validDays: 1 }, { replaceOnChanges: ["comment"] })).toThrow(refused);
    expect(() => new KooDriveShare("roc", { fileIds: ["f"], containerId: "c", scope: 1, validDays: 1 }, { replaceOnChanges: ["*"] })).toThrow(refused);
    expect(() => rejectReplaceOnChanges("KooDriveShareSettings", "roc", { replaceOnChanges: [] })).not.toThrow();
  });

  it("onDelete given as an Output, a secret or a promise fails naming the rule: the program decides on it whether the companion exists", () => {
    for (const wrapped of [pulumi.secret("restore"), pulumi.output("restore"), Promise.resolve("restore")]) {
      expect(() => new KooDriveShareSettings("od", { shareId: "4", validDays: 1, onDelete: wrapped as unknown as "restore" })).toThrow(
        'KooDriveShareSettings "od": onDelete must be a plain value, not an Output, a secret or a promise: "restore" makes the program declare the `od-originals` resource that records the share\'s original settings',
      );
    }
    expect(() => requirePlainArg("T", "ok", "onDelete", "restore", "n/a")).not.toThrow();
    expect(() => requirePlainArg("T", "ok", "onDelete", undefined, "n/a")).not.toThrow();
  });

  it("a second claim of one share fails naming both claimants; the same claimant may claim again", () => {
    const one = { label: 'KooDriveShareSettings "one"' };
    claimShare("3", one);
    claimShare("3", one);
    expect(() => claimShare("3", { label: 'KooDriveShareSettings "two"' })).toThrow(
      /share 3 is managed by two resources, KooDriveShareSettings "one" and KooDriveShareSettings "two"/,
    );
  });

  it("two resources of one name under different parents are two claimants", () => {
    const [teamA, teamB] = [{}, {}] as pulumi.Resource[];
    claimShare("5", { label: 'KooDriveShareSettings "report"', parent: teamA });
    expect(() => claimShare("5", { label: 'KooDriveShareSettings "report"', parent: teamB })).toThrow(
      'share 5 is managed by two resources named KooDriveShareSettings "report" (under different parents): each would undo the other\'s settings. Declare it once.',
    );
  });

  it("without a stack resource (tests with Pulumi's mocks: every test case is one run), the same declaration may come again", () => {
    claimShare("6", { label: 'KooDriveShareSettings "site-link"' });
    expect(() => claimShare("6", { label: 'KooDriveShareSettings "site-link"' })).not.toThrow();
  });
});

describe("warnAboutStackConfig (once per run: each case loads the modules afresh)", () => {
  /** The warnings a run of `project` with stack config `config` and environment `env` gets. */
  function warningsOf(project: string, config: Record<string, string>, env: Record<string, string> = {}): string[] {
    const warnings: string[] = [];
    const saved = { ...process.env };
    Object.assign(process.env, env);
    try {
      jest.isolateModules(() => {
        const sdk = require("@pulumi/pulumi") as typeof pulumi;
        sdk.runtime.setMocks({ newResource: (a) => ({ id: a.name, state: a.inputs }), call: (a) => a.inputs }, project, "dev");
        sdk.runtime.setAllConfig(config);
        jest.spyOn(sdk.log, "warn").mockImplementation(async (message: string) => void warnings.push(message));
        (require("../../src/resources/common/programChecks") as typeof import("../../src/resources/common/programChecks")).warnAboutStackConfig();
      });
    } finally {
      process.env = saved;
    }
    return warnings;
  }

  it("names a koodrive: key the package does not read, except in a project itself named koodrive (its own keys share the namespace)", () => {
    expect(warningsOf("app", { "koodrive:maxretries": "5" })).toEqual([
      expect.stringMatching(/koodrive:maxretries is not a pulumi-koodrive setting.*did you mean koodrive:maxRetries/),
    ]);
    expect(warningsOf("koodrive", { "koodrive:mine": "1" })).toEqual([]);
  });

  it("says a token in stack config is not used only when the environment holds app credentials and no token", () => {
    const unused = /stack config koodrive:accessToken is not used/;
    const app = { KOODRIVE_APP_ID: "app", KOODRIVE_APP_SECRET: "secret-1" };
    expect(warningsOf("app", { "koodrive:accessToken": "t" }, app).join("\n")).toMatch(unused);
    expect(warningsOf("app", { "koodrive:accessToken": "t" }, { ...app, KOODRIVE_ACCESS_TOKEN: "t2" }).join("\n")).not.toMatch(unused);
  });
});
