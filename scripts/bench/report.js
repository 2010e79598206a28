// Turns the raw results (results.json) into the markdown tables printed by `npm run bench`: medians with min–max
// over runs, and KooDrive ÷ floor ratios paired run by run (each run measures both on the same machine state).
"use strict";

const OPERATIONS = [
  ["up", "up (create)"],
  ["preview", "preview, no change"],
  ["upNoChange", "up, no change"],
  ["refresh", "refresh"],
  ["destroy", "destroy (retain)"],
];

function median(values) {
  const v = values.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  if (v.length === 0) return NaN;
  const mid = Math.floor(v.length / 2);
  return v.length % 2 ? v[mid] : (v[mid - 1] + v[mid]) / 2;
}

/** "median (min–max)" of the finite values, or "–" when there are none. */
function spread(values, digits, unit = "") {
  const v = values.filter((x) => Number.isFinite(x));
  if (v.length === 0) return "–";
  const f = (x) => x.toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits });
  if (v.length === 1) return `${f(v[0])}${unit} (1 run)`;
  return `${f(median(v))}${unit} (${f(Math.min(...v))}–${f(Math.max(...v))})`;
}

/** Per-run ratios a[i] / b[i], for runs where both sides have a value. */
function pairedRatios(a, b) {
  const out = [];
  for (let i = 0; i < Math.min(a.length, b.length); i++) if (Number.isFinite(a[i]) && Number.isFinite(b[i]) && b[i] > 0) out.push(a[i] / b[i]);
  return out;
}

const ratioCell = (a, b) => spread(pairedRatios(a, b), 2, "x");

/** Values of `pick(op)` for one variant of one case, run by run (NaN where the operation failed or was skipped). */
function series(caseResult, variant, opName, pick) {
  return caseResult.runs.map((run) => {
    const op = run[variant]?.ops[opName];
    return op && !op.error ? pick(op) : NaN;
  });
}

function requestCell(caseResult, opName) {
  const totals = series(caseResult, "koodrive", opName, (op) => op.requests);
  const last = caseResult.runs
    .map((r) => r.koodrive?.ops[opName])
    .filter(Boolean)
    .pop();
  const kinds = last
    ? Object.entries(last.requestsByKind)
        .map(([k, v]) => `${v} ${k}`)
        .join(", ")
    : "";
  const m = median(totals);
  return Number.isFinite(m) ? `${m.toLocaleString("en-US")}${kinds ? ` (${kinds})` : ""}` : "–";
}

function table(header, rows) {
  return [`| ${header.join(" | ")} |`, `| ${header.map((_, i) => (i < 2 ? "---" : "---:")).join(" | ")} |`, ...rows.map((r) => `| ${r.join(" | ")} |`)].join(
    "\n",
  );
}

function caseLabel(c) {
  return `${c.n.toLocaleString("en-US")}${c.latencyMs ? ` @ ${c.latencyMs} ms` : ""}`;
}

/** Problems worth a reader's attention: failed operations, unexpected changes, runs that did not complete. */
function anomalies(results) {
  const notes = [];
  for (const c of results.cases) {
    c.runs.forEach((run, i) => {
      for (const variant of ["koodrive", "floor"]) {
        const r = run[variant];
        if (!r) continue;
        const opErrors = Object.values(r.ops).map((op) => op.error);
        if (r.error && !opErrors.includes(r.error)) notes.push(`N=${caseLabel(c)} run ${i + 1} ${variant}: ${r.error}`);
        for (const [name, op] of Object.entries(r.ops)) {
          if (op.error) notes.push(`N=${caseLabel(c)} run ${i + 1} ${variant} ${name}: ${op.error}`);
          const changed = op.changes && Object.keys(op.changes).filter((k) => k !== "same");
          if (["preview", "upNoChange", "refresh"].includes(name) && changed && changed.length > 0)
            notes.push(`N=${caseLabel(c)} run ${i + 1} ${variant} ${name} reported changes: ${JSON.stringify(op.changes)}`);
        }
      }
    });
  }
  return notes;
}

/**
 * A micro-benchmark's table: per figure, each side's spread over the rounds and the ratios, paired round by round.
 * @param {Array<Record<string, Record<string, number>>>} rounds
 * @param {{ unit: string, sides: Array<[string, string]>, ratios: Array<[string, string, string]>, figures: Array<[string, string]> }} layout
 *   sides: [key, header]; ratios: [side, base side, header]; figures: [key, label]
 */
function roundsTable(rounds, { unit, sides, ratios, figures }) {
  const per = (side, figure) => rounds.map((r) => (r[side] ? r[side][figure] : NaN));
  return table(
    ["figure", ...sides.map(([, header]) => header), ...ratios.map(([, , header]) => header)],
    figures.map(([figure, label]) => [
      label,
      ...sides.map(([side]) => spread(per(side, figure), 0, unit)),
      ...ratios.map(([side, base]) => ratioCell(per(side, figure), per(base, figure))),
    ]),
  );
}

/** The whole report as markdown. */
function renderMarkdown(results) {
  const m = results.meta;
  const out = [];
  out.push(`# pulumi-koodrive benchmark (${m.mode})`, "");
  out.push(
    `${m.startedAt} · commit ${m.commit} · Node ${m.node} · Pulumi CLI ${m.pulumiCli} · @pulumi/pulumi ${m.pulumiSdk} · ${m.cpus} CPUs · ` +
      `load average ${m.loadStart} at start, ${m.loadEnd} at end · runs per case: ${m.runs} · took ${m.totalMinutes} min` +
      `${m.parallel ? ` · --parallel ${m.parallel}` : ` · default --parallel (${m.cpus * 4})`}` +
      `${
        Object.keys(m.engineEnv || {}).length
          ? ` · engine environment ${Object.entries(m.engineEnv)
              .map(([k, v]) => `${k}=${v}`)
              .join(" ")}`
          : ""
      }.`,
    "",
  );
  // --client-only runs no engine: no engine tables.
  if (results.cases.length > 0) {
    out.push(
      "Times are medians (min–max) over runs; ratios are KooDrive ÷ no-op floor, paired within each run, median (min–max). " +
        "The floor is a dynamic resource whose provider implements check, diff, create, read, update and delete as no-ops, with the same inputs" +
        (m.secretFloor ? " and its access code a secret, as KooDrive's is (--secret-floor). " : ". ") +
        "Shared, noisy machine: compare ratios, not absolute times, and rerun before drawing conclusions from small differences." +
        (m.mode === "profile"
          ? " Profiling was on (an inspector in this process and in every provider process), which inflates program and provider times."
          : ""),
      "",
    );

    /** One row per case and operation, built by `cells(caseResult, operation)`. */
    // Operations a run did not measure (--refresh-only) get no row.
    const measured = (c, op) => c.runs.some((run) => Object.values(run).some((r) => r?.ops[op] !== undefined));
    const perOperation = (cells) =>
      results.cases.flatMap((c) => OPERATIONS.filter(([op]) => measured(c, op)).map(([op, label]) => [caseLabel(c), label, ...cells(c, op)]));
    /** KooDrive, floor and their ratio for one figure of one case and operation. */
    const comparison = (c, op, pick, digits, unit = "") => {
      const k = series(c, "koodrive", op, pick);
      const f = series(c, "floor", op, pick);
      return [spread(k, digits, unit), spread(f, digits, unit), ratioCell(k, f)];
    };

    out.push("## Wall time", "");
    const timeRows = perOperation((c, op) => [...comparison(c, op, (o) => o.wallSeconds, 2, " s"), requestCell(c, op)]);
    out.push(table(["N", "operation", "KooDrive", "floor", "ratio", "requests sent (KooDrive)"], timeRows), "");

    out.push(
      "## Peak RSS (MiB)",
      "",
      "Engine = the `pulumi` CLI processes of the operation; provider = the dynamic-provider node process. The largest VmHWM of one process, sampled every 150 ms.",
      "",
    );
    const rssRows = perOperation((c, op) => [...comparison(c, op, (o) => o.engine.peakRssMiB, 0), ...comparison(c, op, (o) => o.provider.peakRssMiB, 0)]);
    out.push(table(["N", "operation", "engine KooDrive", "engine floor", "ratio", "provider KooDrive", "provider floor", "ratio"], rssRows), "");

    out.push(
      "## CPU time (s)",
      "",
      "Engine and provider from /proc (utime + stime of every such process of the operation); program = this benchmark process, which runs the inline Pulumi program.",
      "",
    );
    const cpuRows = perOperation((c, op) => [
      ...comparison(c, op, (o) => o.engine.cpuSeconds, 2),
      ...comparison(c, op, (o) => o.provider.cpuSeconds, 2),
      ...comparison(c, op, (o) => o.programCpuSeconds, 2),
    ]);
    out.push(
      table(
        [
          "N",
          "operation",
          "engine KooDrive",
          "engine floor",
          "ratio",
          "provider KooDrive",
          "provider floor",
          "ratio",
          "program KooDrive",
          "program floor",
          "ratio",
        ],
        cpuRows,
      ),
      "",
    );

    out.push("## State per resource (`pulumi stack export`, after up)", "");
    const stateRows = [];
    for (const c of results.cases) {
      const pick = (variant, fn) => c.runs.map((r) => (r[variant]?.state ? fn(r[variant].state) : NaN));
      const exportK = pick("koodrive", (s) => s.exportBytes / s.resources);
      const exportF = pick("floor", (s) => s.exportBytes / s.resources);
      stateRows.push([caseLabel(c), "export bytes ÷ N", spread(exportK, 0, " B"), spread(exportF, 0, " B"), ratioCell(exportK, exportF), ""]);
      const k = pick("koodrive", (s) => s.bytesPerResource);
      const f = pick("floor", (s) => s.bytesPerResource);
      const provider = (s) => (s.fieldBytesPerResource["inputs.__provider"] || 0) + (s.fieldBytesPerResource["outputs.__provider"] || 0);
      const kProv = pick("koodrive", provider);
      const share = pairedRatios(kProv, k).map((x) => x * 100);
      stateRows.push([
        caseLabel(c),
        "one resource, compact JSON",
        spread(k, 0, " B"),
        spread(f, 0, " B"),
        ratioCell(k, f),
        `${spread(kProv, 0, " B")} = ${spread(share, 0, "%")}`,
      ]);
    }
    out.push(
      "Export bytes ÷ N is the indented `pulumi stack export` text (the stack, default provider and header included) divided by N; compact JSON is one dynamic resource's object alone.",
      "",
    );
    out.push(table(["N", "figure", "KooDrive", "floor", "ratio", "KooDrive `__provider` (inputs + outputs)"], stateRows), "");
    const lastState = results.cases
      .flatMap((c) => c.runs)
      .map((r) => r.koodrive?.state)
      .filter(Boolean)
      .pop();
    const lastFloorState = results.cases
      .flatMap((c) => c.runs)
      .map((r) => r.floor?.state)
      .filter(Boolean)
      .pop();
    if (lastState && lastFloorState) {
      out.push('Largest fields per resource (compact JSON of `"name":value`; from the last run):', "");
      const fields = Object.entries(lastState.fieldBytesPerResource).slice(0, 12);
      out.push(
        table(
          ["field", "", "KooDrive", "floor"],
          fields.map(([k, v]) => [
            `\`${k}\``,
            "",
            `${Math.round(v)} B`,
            lastFloorState.fieldBytesPerResource[k] ? `${Math.round(lastFloorState.fieldBytesPerResource[k])} B` : "–",
          ]),
        ),
        "",
      );
    }
  }

  const latencyCases = results.cases.filter((c) => c.latencyMs);
  if (latencyCases.length > 0) {
    out.push(
      "## API latency: requests in flight",
      "",
      "Mean requests in flight while the emulator was busy (first request to last answer), time-weighted; the bound is requests × latency ÷ parallelism.",
      "",
    );
    const rows = [];
    for (const c of latencyCases) {
      const parallel = m.parallel || m.cpus * 4;
      for (const op of ["up", "refresh"]) {
        const k = series(c, "koodrive", op, (o) => o.wallSeconds);
        const busy = series(c, "koodrive", op, (o) => o.inFlight.meanWhileBusy);
        const peak = series(c, "koodrive", op, (o) => o.inFlight.peak);
        const req = median(series(c, "koodrive", op, (o) => o.requests));
        const bound = (req * c.latencyMs) / 1000 / parallel;
        rows.push([
          caseLabel(c),
          op === "up" ? "up (create)" : "refresh",
          spread(k, 2, " s"),
          `${spread(busy, 1)} of ${parallel}`,
          spread(peak, 0),
          `${bound.toFixed(2)} s`,
        ]);
      }
    }
    out.push(table(["N", "operation", "KooDrive wall", "mean in flight", "peak in flight", "requests × latency ÷ parallel"], rows), "");
  }

  const throttled = results.cases.filter((c) => c.throttleRps);
  if (throttled.length > 0) {
    out.push(
      `## Refresh under the emulator's throttle`,
      "",
      "The floor's refresh (no API) of the same N in the same run is the base of the ratio. A failed refresh is listed under Notes.",
      "",
    );
    const rows = [];
    for (const c of throttled) {
      const all = c.runs.map((r) => r.koodrive?.ops.refreshThrottled).filter(Boolean);
      const k = all.map((o) => o.wallSeconds);
      const f = c.runs.map((r) => (r.floor?.ops.refresh && !r.floor.ops.refresh.error ? r.floor.ops.refresh.wallSeconds : NaN));
      const outcomes = all.map((o) => (o.error ? "failed" : "ok")).join(", ");
      const kinds = all.length
        ? Object.entries(all[all.length - 1].requestsByKind)
            .map(([kk, v]) => `${v} ${kk}`)
            .join(", ")
        : "";
      rows.push([
        caseLabel(c),
        `refresh, ${c.throttleRps} requests/s`,
        spread(k, 1, " s"),
        spread(f, 2, " s"),
        ratioCell(k, f),
        `${spread(
          all.map((o) => o.requests),
          0,
        )} (last: ${kinds})`,
        outcomes,
      ]);
    }
    out.push(table(["N", "operation", "KooDrive (all attempts)", "floor refresh", "ratio", "requests", "outcome per run"], rows), "");
  }

  if (results.client) {
    out.push(
      "## One sequential PUT: KooDriveClient vs raw `node:http` keep-alive (loopback)",
      "",
      `${results.client.rounds.length} rounds of ${results.client.putsPerRound} PUTs each side, alternating the order; the emulator runs in its own process. ` +
        "\"axios alone\" sends the raw side's requests through the client's axios instance (`axiosFor`): what keeping axios costs before the client's own work.",
      "",
      roundsTable(results.client.rounds, {
        unit: " µs",
        sides: [
          ["client", "KooDriveClient"],
          ["axios", "axios alone"],
          ["raw", "raw node:http"],
        ],
        ratios: [
          ["client", "raw", "client ÷ raw"],
          ["axios", "raw", "axios ÷ raw"],
        ],
        figures: [
          ["wallUs", "wall per PUT"],
          ["cpuUs", "CPU per PUT (this process)"],
        ],
      }),
      "",
    );
  }

  if (results.startup) {
    out.push(
      "## Provider start-up: load the implementation and answer the first read, after the SDK",
      "",
      `${results.startup.rounds.length} rounds; each the median of ${results.startup.samplesPerRound} fresh node processes per side, interleaved. ` +
        "Both sides run the same code: the bundle `pulumi-koodrive/provider-impl` resolves to, and tsc's unbundled build, which loads zod and the implementation file by file (axios comes from node_modules for both).",
      "",
      roundsTable(results.startup.rounds, {
        unit: " ms",
        sides: [
          ["bundle", "bundle"],
          ["unbundled", "unbundled"],
        ],
        ratios: [["bundle", "unbundled", "bundle ÷ unbundled"]],
        figures: [
          ["cpuMs", "CPU"],
          ["wallMs", "wall"],
        ],
      }),
      "",
    );
  }

  if (results.profile) out.push("## Profile", "", results.profile, "");

  const notes = anomalies(results);
  if (results.meta.skipped.length > 0) notes.push(...results.meta.skipped);
  const bounded = (note) => (note.length > 300 ? `${note.slice(0, 300)}…` : note);
  out.push(
    "## Notes",
    "",
    notes.length ? notes.map((n) => `- ${bounded(n)}`).join("\n") : "- every operation completed; no-change operations reported no changes",
    "",
  );
  out.push(`Rerun: \`${m.command}\` (results in ${m.outDir}/latest.md and latest.json).`, "");
  return out.join("\n");
}

module.exports = { renderMarkdown, median, OPERATIONS };
