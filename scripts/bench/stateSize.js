// Bytes per resource in `pulumi stack export` output, in total and by field, for the dynamic resources of a stack.
"use strict";

const bytes = (value) => Buffer.byteLength(JSON.stringify(value));

/**
 * @param {string} exportText the stdout of `pulumi stack export`
 * @returns {{ exportBytes: number, resources: number, bytesPerResource: number,
 *   fieldBytesPerResource: Record<string, number> }} sizes of compact JSON; by field, each `"name":value` pair of
 *   `inputs`/`outputs` (e.g. `outputs.__provider`) and of the resource object's other keys (e.g. `urn`).
 */
function stateSize(exportText) {
  const deployment = JSON.parse(exportText).deployment;
  const dynamic = (deployment.resources || []).filter((r) => String(r.type).startsWith("pulumi-nodejs:dynamic"));
  /** @type {Record<string, number>} */
  const fieldTotals = {};
  const add = (key, n) => {
    fieldTotals[key] = (fieldTotals[key] || 0) + n;
  };
  let total = 0;
  for (const resource of dynamic) {
    total += bytes(resource);
    for (const [key, value] of Object.entries(resource)) {
      if ((key === "inputs" || key === "outputs") && value && typeof value === "object") {
        for (const [field, v] of Object.entries(value)) add(`${key}.${field}`, bytes(field) + 1 + bytes(v));
      } else add(key, bytes(key) + 1 + bytes(value));
    }
  }
  const count = dynamic.length || 1;
  const fieldBytesPerResource = Object.fromEntries(
    Object.entries(fieldTotals)
      .map(([k, v]) => /** @type {[string, number]} */ ([k, v / count]))
      .sort((a, b) => b[1] - a[1]),
  );
  return { exportBytes: Buffer.byteLength(exportText), resources: dynamic.length, bytesPerResource: total / count, fieldBytesPerResource };
}

module.exports = { stateSize };
