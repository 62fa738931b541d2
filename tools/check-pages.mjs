// Serves a folder of built sites on 127.0.0.1, then checks every HTML page in it with the Nu
// HTML checker and with axe-core in headless Chromium, light and dark, phone and desktop.
// Usage: node check-pages.mjs SITE_DIR PORT TOOLS_DIR CHROMIUM
import { createServer } from "node:http";
import { readFileSync, readdirSync, statSync, existsSync } from "node:fs";
import { join, extname, relative } from "node:path";
import { execFileSync } from "node:child_process";
import { createRequire } from "node:module";

const [dir, port, tools, chromium] = process.argv.slice(2);
const require = createRequire(join(tools, "package.json"));
const { chromium: launcher } = require("playwright-core");
const axeSource = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");
const vnuJar = require("vnu-jar");

const types = {
  ".html": "text/html; charset=utf-8", ".css": "text/css", ".js": "text/javascript",
  ".xml": "application/xml", ".json": "application/json", ".svg": "image/svg+xml",
  ".png": "image/png", ".jpg": "image/jpeg", ".webp": "image/webp", ".txt": "text/plain",
  ".woff2": "font/woff2",
};

function pages(folder) {
  const out = [];
  for (const name of readdirSync(folder)) {
    const path = join(folder, name);
    if (statSync(path).isDirectory()) out.push(...pages(path));
    else if (name.endsWith(".html")) out.push(path);
  }
  return out.sort();
}

const server = createServer((req, res) => {
  let path = join(dir, decodeURIComponent(new URL(req.url, "http://x").pathname));
  if (existsSync(path) && statSync(path).isDirectory()) path = join(path, "index.html");
  if (!path.startsWith(dir) || !existsSync(path)) { res.writeHead(404); res.end(); return; }
  res.writeHead(200, { "Content-Type": types[extname(path)] ?? "application/octet-stream" });
  res.end(readFileSync(path));
});
await new Promise((ok) => server.listen(Number(port), "127.0.0.1", ok));

let problems = 0;
const started = Date.now();
const files = pages(dir);

// The Nu HTML checker over every page (and the stylesheets they use), errors only.
let vnuOut = "";
try {
  execFileSync("java", ["-jar", vnuJar, "--errors-only", "--skip-non-html", "--also-check-css", "--format", "gnu", dir],
    { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
} catch (e) {
  vnuOut = `${e.stdout ?? ""}${e.stderr ?? ""}`;
}
const vnuLines = vnuOut.split("\n").filter((l) => l.trim());
for (const line of vnuLines) console.log(`vnu: ${line.replace(dir + "/", "")}`);
problems += vnuLines.length;
console.log(`Nu HTML checker: ${files.length} pages, ${vnuLines.length} errors`);

const browser = await launcher.launch({
  executablePath: chromium,
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run"],
});
let runs = 0;
let violations = 0;
for (const scheme of ["light", "dark"]) {
  for (const width of [390, 1280]) {
    const context = await browser.newContext({
      colorScheme: scheme, viewport: { width, height: 900 }, bypassCSP: true,
    });
    const page = await context.newPage();
    for (const file of files) {
      const path = "/" + relative(dir, file).replace(/index\.html$/, "");
      const url = `http://127.0.0.1:${port}${path}`;
      // A redirect page would move on while it is checked: check it as shown before it does.
      const html = readFileSync(file, "utf8");
      if (/http-equiv="refresh"/i.test(html)) {
        await page.route(url, (route) => route.fulfill({ contentType: "text/html; charset=utf-8",
          body: html.replace(/<meta http-equiv="refresh"[^>]*>/i, "") }));
      }
      await page.goto(url, { waitUntil: "load" });
      await page.unrouteAll();
      await page.addScriptTag({ content: axeSource });
      const result = await page.evaluate(async () => {
        const r = await window.axe.run(document, { resultTypes: ["violations"] });
        const wide = document.documentElement.scrollWidth > document.documentElement.clientWidth;
        return { violations: r.violations.map((v) => ({ id: v.id, impact: v.impact,
          targets: v.nodes.map((n) => n.target.join(" ")).slice(0, 5), count: v.nodes.length,
          help: v.help })), wide, width: document.documentElement.scrollWidth };
      });
      runs += 1;
      const where = `${path} (${scheme}, ${width} px)`;
      for (const v of result.violations) {
        violations += 1;
        console.log(`axe: ${where}: ${v.id} [${v.impact}] ${v.help}: ${v.count}× ${v.targets.join(" | ")}`);
      }
      if (result.wide) {
        violations += 1;
        console.log(`layout: ${where}: scrolls sideways (${result.width} px wide)`);
      }
    }
    await context.close();
  }
}
await browser.close();
server.close();
problems += violations;
console.log(`axe-core ${JSON.parse(readFileSync(require.resolve("axe-core/package.json"))).version}: ${runs} page views, ${violations} violations`);
console.log(`${problems === 0 ? "OK" : "FAILED"}: ${problems} problems in ${Math.round((Date.now() - started) / 1000)} s`);
process.exit(problems === 0 ? 0 : 1);
