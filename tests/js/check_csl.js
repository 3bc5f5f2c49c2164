// Renders CSL-JSON items with citeproc-js (Zotero's CSL engine) and reports what it warned about.
//
//   node check_csl.js ITEMS.json STYLE.csl LOCALE.xml
//
// Prints one JSON object: {"processor", "warnings", "errors", "citations", "bibliography"}.
// citeproc-js reports problems through CSL.debug (and sometimes console.log), so both are
// captured; the caller decides what counts as a failure.
'use strict';

const fs = require('fs');
const CSL = require('citeproc');

const [itemsPath, stylePath, localePath] = process.argv.slice(2);
if (!itemsPath || !stylePath || !localePath) {
  process.stderr.write('usage: node check_csl.js ITEMS.json STYLE.csl LOCALE.xml\n');
  process.exit(2);
}

const warnings = [];
CSL.debug = (message) => warnings.push(String(message));
console.log = (...args) => warnings.push(args.join(' '));
console.warn = console.log;

const items = JSON.parse(fs.readFileSync(itemsPath, 'utf8'));
const byId = new Map(items.map((item) => [String(item.id), item]));
const localeXml = fs.readFileSync(localePath, 'utf8');

const sys = {
  retrieveLocale: (lang) => (lang === 'en-US' ? localeXml : false),
  retrieveItem: (id) => byId.get(String(id)),
};

const engine = new CSL.Engine(sys, fs.readFileSync(stylePath, 'utf8'), 'en-US');
engine.setOutputFormat('text');
engine.updateItems([...byId.keys()]);
const citations = [...byId.keys()].map((id) => engine.makeCitationCluster([{ id }]));
const [meta, entries] = engine.makeBibliography();

process.stdout.write(
  JSON.stringify({
    processor: CSL.PROCESSOR_VERSION,
    warnings,
    errors: meta.bibliography_errors,
    citations,
    bibliography: entries.map((entry) => entry.trim()),
  }) + '\n',
);
