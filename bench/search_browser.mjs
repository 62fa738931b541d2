// Measures search in a real browser: Tribune's search page, and Pagefind's default UI when its
// output is given, the same queries served by the same local server to the same Chromium.
//
//   node bench/search_browser.mjs --modules WORK/node_modules --tribune OUT [--pagefind DIR]
//        [--repeat 3] [--label "10,000 posts"]
//
// OUT is a Tribune output folder (its search page at /search/). DIR is a Pagefind bundle (the
// folder holding pagefind-ui.js); a page loading the default UI is written into it as
// search.html. WORK/node_modules must hold playwright-core (`npm install playwright-core`);
// the browser is Debian's Chromium (CHROMIUM=path to use another).
//
// Per query and engine: a new browser context (empty cache) opens the search page with the
// query, and the page itself times the first results shown from its navigation start; the bytes
// are the gzip size (zlib level 6) of each response body the server sent meanwhile, the server
// compressing nothing. Then the query's addition arrives in the search field as one input event
// and the page times, from that event, the list showing the new results.
//
// SEARCH_BENCH_DEBUG=1 prints, per query, when each file the page fetched started and ended, and
// the page's performance marks, on opening and after typing (times from the input event).
import { createRequire } from "node:module";
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import zlib from "node:zlib";

// Query opened with ?q=, then what is added in the field. French words of the generated corpus:
// one word, two, a second word typed as a prefix; each addition changes the results.
const QUERIES = [
  ["écologie", " urbanisme"],
  ["georges perec", " chat"],
  ["voyage ph", "o"],
  ["hannah arendt", " santé"],
  ["reportage", " musique"],
];

const FLAGS = [
  "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
  "--disable-background-networking", "--disable-component-update", "--disable-sync",
];

function parseArgs(argv) {
  const args = { repeat: 3, label: "" };
  for (let i = 0; i < argv.length; i += 2) {
    const key = argv[i].replace(/^--/, "");
    if (!(key in { modules: 1, tribune: 1, pagefind: 1, repeat: 1, label: 1 }) || argv[i + 1] === undefined) {
      throw new Error(`unknown or incomplete option: ${argv[i]}`);
    }
    args[key] = key === "repeat" ? Number(argv[i + 1]) : argv[i + 1];
  }
  if (!args.modules || !args.tribune) throw new Error("--modules and --tribune are required");
  return args;
}

const TYPES = {
  ".html": "text/html; charset=utf-8", ".js": "text/javascript", ".mjs": "text/javascript",
  ".css": "text/css", ".json": "application/json", ".svg": "image/svg+xml", ".png": "image/png",
  ".jpg": "image/jpeg", ".webp": "image/webp", ".woff2": "font/woff2", ".xml": "application/xml",
  ".wasm": "application/wasm",
};

// A static server over `mounts` ([url prefix, folder], longest prefix first) that logs every
// response with the gzip size of its body, and counts requests still in flight.
function serve(mounts) {
  const state = { log: [], inflight: 0, last: Date.now() };
  const server = http.createServer((req, res) => {
    state.inflight++;
    const done = (status, body, type) => {
      res.writeHead(status, { "Content-Type": type, "Content-Length": body.length, "Cache-Control": "no-cache" });
      res.end(body);
      state.log.push({ path: req.url, status, raw: body.length, gzip: zlib.gzipSync(body, { level: 6 }).length });
      state.inflight--;
      state.last = Date.now();
    };
    let url = decodeURIComponent(new URL(req.url, "http://x").pathname);
    const mount = mounts.find(([prefix]) => url.startsWith(prefix));
    if (!mount || url.includes("..")) return done(404, Buffer.from("not found"), "text/plain");
    let file = path.join(mount[1], url.slice(mount[0].length));
    if (url.endsWith("/")) file = path.join(file, "index.html");
    fs.readFile(file, (err, body) => {
      if (err) done(404, Buffer.from("not found"), "text/plain");
      else done(200, body, TYPES[path.extname(file)] || "application/octet-stream");
    });
  });
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve({ server, state, port: server.address().port })));
}

// Resolves once no request has been in flight for `ms`.
async function quiet(state, ms = 300) {
  for (;;) {
    await new Promise((r) => setTimeout(r, 50));
    if (!state.inflight && Date.now() - state.last >= ms) return;
  }
}

// The page's probe, installed before any script of the page: `STATE` (an engine's function
// source) says whether results are shown and gives their signature; the probe notes when results
// first show, and when, after the last input event, a different set shows.
const PROBE = (STATE) => `(() => {
  const state = ${STATE};
  const p = window.__probe = { first: null, inputAt: null, changed: null, base: null };
  const check = () => {
    const s = state();
    if (!s.ready) return;
    const now = performance.now();
    if (p.first === null) p.first = now;
    if (p.inputAt !== null && p.changed === null && s.sig !== p.base) p.changed = now;
  };
  window.__state = state;
  window.addEventListener("input", () => { p.inputAt = performance.now(); p.changed = null; }, true);
  new MutationObserver(check).observe(document, { subtree: true, childList: true, characterData: true, attributes: true });
})();`;

// Tribune's page: results are shown when the list has items, or the status says there are none,
// and it is not saying it is loading.
const TRIBUNE_STATE = `() => {
  const list = document.getElementById("search-results");
  const status = document.getElementById("search-status");
  const script = document.querySelector("script[data-index]");
  if (!list || !status || !script) return { ready: false };
  const text = status.textContent;
  const items = list.querySelectorAll("li .search-result-title");
  const ready = text !== script.dataset.loading && (items.length > 0 || (text !== "" && text === script.dataset.none));
  return { ready, sig: text + "|" + Array.from(items, (e) => e.textContent).join("|") };
}`;

// Pagefind's default UI: while searching it shows only a message; then the message and the list,
// whose items show a placeholder until their result is loaded.
const PAGEFIND_STATE = `() => {
  const list = document.querySelector(".pagefind-ui__results");
  const message = document.querySelector(".pagefind-ui__message");
  if (!list || !message) return { ready: false };
  const first = list.querySelector(".pagefind-ui__result");
  const ready = !first || !!first.querySelector(".pagefind-ui__result-link");
  const titles = Array.from(list.querySelectorAll(".pagefind-ui__result-link"), (e) => e.textContent);
  return { ready, sig: message.textContent + "|" + titles.join("|") };
}`;

const PAGEFIND_PAGE = (debounce) => `<!doctype html>
<html lang="fr">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Recherche</title>
<link href="pagefind-ui.css" rel="stylesheet">
<script src="pagefind-ui.js"></script>
</head>
<body>
<div id="search"></div>
<script>
  window.addEventListener("DOMContentLoaded", () => {
    const ui = new PagefindUI(${debounce === null ? `{ element: "#search" }` : `{ element: "#search", debounceTimeoutMs: ${debounce} }`});
    const q = new URLSearchParams(location.search).get("q");
    if (q) ui.triggerSearch(q);
  });
</script>
</body>
</html>
`;

const median = (xs) => {
  const s = xs.filter((x) => x !== null).sort((a, b) => a - b);
  if (!s.length) return null;
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

async function measure(browser, srv, engine, query, addition) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.addInitScript(PROBE(engine.state));
  srv.state.log = [];
  await page.goto(`http://127.0.0.1:${srv.port}${engine.url}?q=${encodeURIComponent(query)}`, { waitUntil: "commit" });
  await page.waitForFunction(() => window.__probe && window.__probe.first !== null, null, { timeout: 30000 });
  await quiet(srv.state);
  const open = await page.evaluate(() => window.__probe.first);
  if (process.env.SEARCH_BENCH_DEBUG) {
    console.error(engine.name, query, await page.evaluate(() => JSON.stringify(performance.getEntriesByType("resource").map((e) => [e.name.replace(/^http:..[^/]+/, ""), Math.round(e.startTime), Math.round(e.responseEnd)]).concat([["dcl", Math.round(performance.getEntriesByType("navigation")[0].domContentLoadedEventEnd)]], performance.getEntriesByType("mark").map((m) => [m.name, Math.round(m.startTime)]), [["first", Math.round(window.__probe.first)]]))));
  }
  const before = srv.state.log;
  srv.state.log = [];
  await page.evaluate(() => { window.__probe.base = window.__state().sig; });
  await page.focus(engine.input);
  await page.keyboard.press("End");
  await page.keyboard.insertText(addition);
  let typed = null;
  try {
    await page.waitForFunction(() => window.__probe.changed !== null, null, { timeout: 10000 });
    typed = await page.evaluate(() => window.__probe.changed - window.__probe.inputAt);
    if (process.env.SEARCH_BENCH_DEBUG) {
      console.error(engine.name, query + addition, await page.evaluate(() => JSON.stringify(performance.getEntriesByType("resource").filter((e) => e.startTime >= window.__probe.inputAt).map((e) => [e.name.replace(/^http:..[^/]+/, ""), Math.round(e.startTime - window.__probe.inputAt), Math.round(e.responseEnd - window.__probe.inputAt)]).concat(performance.getEntriesByType("mark").filter((m) => m.startTime >= window.__probe.inputAt).map((m) => [m.name, Math.round(m.startTime - window.__probe.inputAt)]), [["changed", Math.round(window.__probe.changed - window.__probe.inputAt)]]))));
    }
  } catch {
    // The results did not change: reported as missing rather than as a time.
  }
  await quiet(srv.state);
  const after = srv.state.log;
  await context.close();
  const sum = (log, pick) => log.filter(pick).reduce((n, r) => n + r.gzip, 0) / 1024;
  return {
    open, typed,
    search: sum(before, (r) => engine.isSearch(r.path)),
    all: sum(before, () => true),
    more: sum(after, (r) => engine.isSearch(r.path)),
    requests: before.length,
  };
}

function table(title, rows) {
  const f = (x, d = 1) => (x === null ? "—" : x.toFixed(d));
  console.log(`\n${title}`);
  console.log("| query | search KB gz | all KB gz | requests | ms to results on open | + typed | ms after typing | search KB gz after typing |");
  console.log("| --- | ---: | ---: | ---: | ---: | --- | ---: | ---: |");
  for (const r of rows) {
    console.log(`| ${r.query} | ${f(r.search)} | ${f(r.all)} | ${r.requests} | ${f(r.open, 0)} | \`${r.addition}\` | ${f(r.typed, 0)} | ${f(r.more)} |`);
  }
  const m = (k) => median(rows.map((r) => r[k]));
  console.log(`| median | ${f(m("search"))} | ${f(m("all"))} | ${m("requests")} | ${f(m("open"), 0)} | | ${f(m("typed"), 0)} | ${f(m("more"))} |`);
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  const require = createRequire(path.join(path.resolve(args.modules), "index.js"));
  const { chromium } = require("playwright-core");
  const mounts = [["/", path.resolve(args.tribune)]];
  const engines = [{
    name: "Tribune (search page)", url: "/search/", input: "#search-q", state: TRIBUNE_STATE,
    isSearch: (p) => /^\/(search\.js|search\/(meta\.json|[spd]\/))/.test(p),
  }];
  if (args.pagefind) {
    const dir = path.resolve(args.pagefind);
    mounts.unshift(["/_pagefind/", dir]);
    fs.writeFileSync(path.join(dir, "search.html"), PAGEFIND_PAGE(null));
    fs.writeFileSync(path.join(dir, "search-0.html"), PAGEFIND_PAGE(0));
    const entry = JSON.parse(fs.readFileSync(path.join(dir, "pagefind-entry.json"), "utf8"));
    const pages = Object.values(entry.languages).reduce((n, l) => n + l.page_count, 0);
    const common = {
      input: ".pagefind-ui__search-input", state: PAGEFIND_STATE,
      // Every file of the bundle is search; the page itself is not.
      isSearch: (p) => p.startsWith("/_pagefind/") && !/^\/_pagefind\/search(-0)?\.html/.test(p),
    };
    engines.push({ ...common, name: `Pagefind ${entry.version}, default UI (${pages.toLocaleString("en")} pages indexed)`, url: "/_pagefind/search.html" });
    engines.push({ ...common, name: `Pagefind ${entry.version}, default UI with debounceTimeoutMs: 0`, url: "/_pagefind/search-0.html" });
  }
  const srv = await serve(mounts);
  const load = os.loadavg();
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium", headless: true, args: FLAGS,
  });
  const results = new Map(engines.map((e) => [e.name, QUERIES.map(() => [])]));
  try {
    // Engines take turns on each query, so the machine's other work weighs on them alike.
    for (let rep = 0; rep < args.repeat; rep++) {
      for (const [i, [query, addition]] of QUERIES.entries()) {
        for (const engine of engines) results.get(engine.name)[i].push(await measure(browser, srv, engine, query, addition));
      }
    }
  } finally {
    await browser.close();
    srv.server.close();
  }
  const label = args.label.replace(/\d{4,}/g, (n) => Number(n).toLocaleString("en"));
  console.log(`\nSearch in Chromium${label ? `, ${label}` : ""}: each query opened cold ${args.repeat} times per engine (medians), `
    + "bytes as gzip (level 6) of every response while the results showed; then the addition entered in the field.");
  console.log(`Load average ${load.map((x) => x.toFixed(1)).join(" ")} before, ${os.loadavg().map((x) => x.toFixed(1)).join(" ")} after, on ${os.cpus().length} cores. `
    + "Tribune's page searches on each keystroke and shows its first five results once their files are there; "
    + `Pagefind's UI waits for typing to pause for 300 ms by default, also for the query it is given on opening (triggerSearch)${args.pagefind ? ", hence the last table" : ""}.`);
  for (const engine of engines) {
    const rows = results.get(engine.name).map((runs, i) => {
      const row = { query: `\`${QUERIES[i][0]}\``, addition: QUERIES[i][1] };
      for (const k of ["open", "typed", "search", "all", "more", "requests"]) row[k] = median(runs.map((r) => r[k]));
      return row;
    });
    table(engine.name, rows);
  }
}

main().catch((err) => {
  console.error(`search_browser.mjs: ${err.stack || err}`);
  process.exit(1);
});
