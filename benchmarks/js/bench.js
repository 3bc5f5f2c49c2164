// Time citeproc-js (npm `citeproc`) inside node, so that node's start-up is not counted.
// usage: node bench.js INPUT.json OUTPUT.json
// INPUT: {locale, jobs: [{name, style, items, mode: "citation"|"bibliography", api, format}]}
//   mode "citation": one cluster per item, in item order, processed as one document's notes:
//   api "rebuild" (default): rebuildProcessorState(citations), citeproc-js's batch call;
//   api "incremental": processCitationCluster with the clusters before it, one call per note,
//   as tests/js/render.js does (a word processor's path: each call re-checks earlier notes).
//   mode "bibliography": updateItems(all) then makeBibliography().
// OUTPUT: {version, load_seconds, jobs: [{name, api, items, seconds, cpu_seconds, engine_seconds, texts, warnings}]}
//   seconds: engine construction (style parse) + updateItems + rendering, by process.hrtime.
//   engine_seconds: the part of it spent in new CSL.Engine().
"use strict";
const fs = require("fs");
const path = require("path");
const started = process.hrtime.bigint();
const CSL = require("citeproc");
const version = require(path.join(path.dirname(require.resolve("citeproc")), "package.json")).version;

const input = JSON.parse(fs.readFileSync(process.argv[2], "utf8"));
const loadSeconds = Number(process.hrtime.bigint() - started) / 1e9;
const warnings = [];
console.warn = (...args) => warnings.push(args.join(" "));
console.log = (...args) => warnings.push(args.join(" "));
CSL.debug = (...args) => warnings.push(args.join(" "));

function seconds(from) {
  return Number(process.hrtime.bigint() - from) / 1e9;
}

function run(job) {
  warnings.length = 0;
  const byId = Object.fromEntries(job.items.map((item) => [item.id, item]));
  const ids = job.items.map((item) => item.id);
  const sys = { retrieveLocale: () => input.locale, retrieveItem: (id) => byId[id] };
  const t0 = process.hrtime.bigint();
  const cpu0 = process.cpuUsage();
  const engine = new CSL.Engine(sys, job.style, "en-US", true);
  const engineSeconds = seconds(t0);
  engine.setOutputFormat(job.format || "text");
  engine.updateItems(ids);
  let texts = [];
  if (job.mode === "bibliography") {
    const [, entries] = engine.makeBibliography();
    texts = entries.map((e) => e.trim().replace(/^<div class="csl-entry">/, "").replace(/<\/div>$/, ""));
  } else if ((job.api || "rebuild") === "rebuild") {
    // The batch API: every cluster in document order, positions tracked, one pass.
    const citations = ids.map((id, index) => ({ citationID: `c${index}`, citationItems: [{ id }], properties: { noteIndex: index + 1 } }));
    const byCitation = Object.fromEntries(engine.rebuildProcessorState(citations, job.format || "text").map((r) => [r[0], r[2]]));
    texts = citations.map((c) => byCitation[c.citationID] || "");
  } else {
    const before = [];
    ids.forEach((id, index) => {
      const citation = { citationItems: [{ id }], properties: { noteIndex: index + 1 } };
      const [, rendered] = engine.processCitationCluster(citation, before, []);
      const mine = rendered.find((r) => r[2] === citation.citationID);
      texts.push(mine ? mine[1] : "");
      before.push([citation.citationID, index + 1]);
    });
  }
  const elapsed = seconds(t0);
  const cpu = process.cpuUsage(cpu0);
  return {
    name: job.name, api: job.api || "", items: ids.length, seconds: elapsed, cpu_seconds: (cpu.user + cpu.system) / 1e6,
    engine_seconds: engineSeconds, texts, warnings: [...warnings],
  };
}

const jobs = input.jobs.map(run);
fs.writeFileSync(process.argv[3], JSON.stringify({ version, load_seconds: loadSeconds, jobs }));
