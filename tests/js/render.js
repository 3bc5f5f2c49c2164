// Render CSL-JSON with citeproc-js, Zotero's engine, for archcite's cross-engine tests.
// stdin: {locale, requests: [{style, items, format, bibliography: bool, citations: [[cite...]...]}]}
//   citations are clusters rendered in order in one engine, so a repeated item takes
//   the style's subsequent form, as in a document's notes.
// stdout: [{bibliography: [entry...], citations: [text...], warnings: [...]}]
"use strict";
const CSL = require("citeproc");

const input = JSON.parse(require("fs").readFileSync(0, "utf8"));
const warnings = [];
console.warn = (...args) => warnings.push(args.join(" "));
console.log = (...args) => warnings.push(args.join(" "));
CSL.debug = (...args) => warnings.push(args.join(" "));

function run(request) {
  warnings.length = 0;
  const items = Object.fromEntries(request.items.map((item) => [item.id, item]));
  const sys = { retrieveLocale: () => input.locale, retrieveItem: (id) => items[id] };
  const result = { bibliography: [], citations: [], warnings: [] };
  if (request.bibliography) {
    const engine = new CSL.Engine(sys, request.style, "en-US", true);
    engine.setOutputFormat(request.format);
    engine.updateItems(Object.keys(items));
    const [, entries] = engine.makeBibliography();
    result.bibliography = entries.map((entry) =>
      entry.trim().replace(/^<div class="csl-entry">/, "").replace(/<\/div>$/, ""));
  }
  if (request.citations && request.citations.length) {
    const engine = new CSL.Engine(sys, request.style, "en-US", true);
    engine.setOutputFormat(request.format);
    engine.updateItems(Object.keys(items));
    const before = [];
    for (const [index, cites] of request.citations.entries()) {
      const citation = { citationItems: cites, properties: { noteIndex: index + 1 } };
      const [, rendered] = engine.processCitationCluster(citation, before, []);
      const mine = rendered.find((r) => r[2] === citation.citationID);
      result.citations.push(mine ? mine[1] : "");
      before.push([citation.citationID, index + 1]);
    }
  }
  result.warnings = [...warnings];
  return result;
}

process.stdout.write(JSON.stringify(input.requests.map(run)));
