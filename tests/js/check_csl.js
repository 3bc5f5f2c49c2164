// Renders CSL-JSON items with citeproc-js (Zotero's CSL engine) and reports what it warned about.
//
//   node check_csl.js ITEMS.json STYLE.csl LOCALE.xml
//   node check_csl.js --serve      (one request a line on stdin: {"items", "style", "locale"},
//                                   the three as paths; one answer a line on stdout)
//
// Prints one JSON object: {"processor", "warnings", "errors", "citations", "bibliography"}.
// citeproc-js reports problems through CSL.debug (and sometimes console.log), so both are
// captured; the caller decides what counts as a failure.
//
// --serve builds each style's engine once: building one for a stock Chicago style takes
// citeproc-js 2-3 s, rendering a few items a tenth of that.  Between requests the engine's
// items are all removed (updateItems([]) drops them from its registry and forgets the items it
// had retrieved), so each request's items are retrieved afresh, even under an id seen before.
// What the engine warned about while it was built is reported with every request.
'use strict';

const fs = require('fs');
const readline = require('readline');
const CSL = require('citeproc');

const warnings = [];
CSL.debug = (message) => warnings.push(String(message));
console.log = (...args) => warnings.push(args.join(' '));
console.warn = console.log;

let byId = new Map();
const localeXml = new Map();
const sys = {
  retrieveLocale: (lang) => (lang === 'en-US' ? sys.locale : false),
  retrieveItem: (id) => byId.get(String(id)),
  locale: '',
};

function engineFor(stylePath, localePath) {
  if (!localeXml.has(localePath)) localeXml.set(localePath, fs.readFileSync(localePath, 'utf8'));
  sys.locale = localeXml.get(localePath);
  warnings.length = 0;
  const engine = new CSL.Engine(sys, fs.readFileSync(stylePath, 'utf8'), 'en-US');
  engine.setOutputFormat('text');
  return { engine, built: [...warnings] };
}

function check(built, engine, items) {
  byId = new Map(items.map((item) => [String(item.id), item]));
  warnings.length = 0;
  engine.updateItems([...byId.keys()]);
  const citations = [...byId.keys()].map((id) => engine.makeCitationCluster([{ id }]));
  const [meta, entries] = engine.makeBibliography();
  const answer = {
    processor: CSL.PROCESSOR_VERSION,
    warnings: [...built, ...warnings],
    errors: meta.bibliography_errors,
    citations,
    bibliography: entries.map((entry) => entry.trim()),
  };
  engine.updateItems([]);
  return answer;
}

const readItems = (path) => JSON.parse(fs.readFileSync(path, 'utf8'));

if (process.argv[2] === '--serve') {
  const engines = new Map();
  const lines = readline.createInterface({ input: process.stdin, crlfDelay: Infinity });
  lines.on('line', (line) => {
    const request = JSON.parse(line);
    const key = `${request.style}\n${request.locale}`;
    if (!engines.has(key)) engines.set(key, engineFor(request.style, request.locale));
    const { engine, built } = engines.get(key);
    sys.locale = localeXml.get(request.locale);
    process.stdout.write(JSON.stringify(check(built, engine, readItems(request.items))) + '\n');
  });
} else {
  const [itemsPath, stylePath, localePath] = process.argv.slice(2);
  if (!itemsPath || !stylePath || !localePath) {
    process.stderr.write('usage: node check_csl.js ITEMS.json STYLE.csl LOCALE.xml | --serve\n');
    process.exit(2);
  }
  const { engine, built } = engineFor(stylePath, localePath);
  process.stdout.write(JSON.stringify(check(built, engine, readItems(itemsPath))) + '\n');
}
