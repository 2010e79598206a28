import fs from "node:fs";
import path from "node:path";

// The emulator must catch the client's mistakes, not repeat them: it shares no code with pulumi-koodrive. That holds
// by package boundary; this checks the boundary itself.
const root = path.join(__dirname, "..");

describe("koodrive-emulator is independent of pulumi-koodrive", () => {
  it("declares no runtime dependencies at all (and never pulumi-koodrive)", () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8"));
    expect(pkg.name).toBe("koodrive-emulator");
    expect(pkg.dependencies ?? {}).toEqual({});
    expect(pkg.peerDependencies ?? {}).toEqual({});
    expect(JSON.stringify(pkg)).not.toContain("pulumi-koodrive");
  });

  it("its sources import only Node built-ins and files inside src/", () => {
    const src = path.join(root, "src");
    const files = fs.readdirSync(src).filter((f) => f.endsWith(".ts"));
    expect(files.length).toBeGreaterThan(10);
    for (const file of files) {
      const source = fs.readFileSync(path.join(src, file), "utf8");
      const specifiers = [...source.matchAll(/(?:from|require\()\s*"([^"]+)"/g)].map((m) => m[1]!);
      const outside = specifiers.filter((s) => !(s.startsWith("node:") || (s.startsWith("./") && fs.existsSync(path.join(src, `${s}.ts`)))));
      expect({ file, outside }).toEqual({ file, outside: [] });
    }
  });
});
