/* Tribune's search page: ranks posts in the browser from the index built beside the page
   (meta.json, term shards s/K.json, prefix files p/K.json, documents d/ID.json). The text
   analysis must match Tribune's own exactly: tests/search_cases.json holds cases for both. */
(function () {
  "use strict";

  const ELISION = /^(?:l|d|j|m|t|n|s|c|qu|jusqu|lorsqu|puisqu|quoiqu)'(.+)$/u;
  const TOKEN = /[\p{L}\p{N}\p{M}'’ʼ]+/gu;
  const ELIDED = /^(?:l|d|j|m|t|n|s|c|qu|jusqu|lorsqu|puisqu|quoiqu)['’ʼ](?=.)/iu;
  const encoder = new TextEncoder();
  // Lengths are in code points, as Tribune counts them, not UTF-16 units.
  const len = (text) => Array.from(text).length;

  function words(text) {
    // Most words of a text are plain ASCII, which folding and elision leave as they are.
    if (/^[A-Za-z0-9]+$/.test(text)) return text.length >= 2 ? [text.toLowerCase()] : [];
    const folded = String(text).toLowerCase().normalize("NFD").replace(/\p{M}/gu, "")
      .replace(/œ/g, "oe").replace(/æ/g, "ae").replace(/ß/g, "ss").replace(/ς/g, "σ").replace(/[’ʼ]/g, "'");
    const out = [];
    for (const run of folded.match(/[\p{L}\p{N}']+/gu) || []) {
      let w = run.replace(/^'+|'+$/g, "");
      const elided = ELISION.exec(w);
      if (elided) w = elided[1];
      if (w.endsWith("'s")) w = w.slice(0, -2);
      w = w.replace(/'/g, "");
      if (len(w) >= 2) out.push(w);
    }
    return out;
  }

  function stem(word, lang) {
    const primary = String(lang || "").split("-")[0].toLowerCase();
    let w = word;
    const long = (n) => len(w) > n;
    const ends = (...tails) => tails.some((t) => w.endsWith(t));
    const cut = (n, add = "") => (w = w.slice(0, w.length - n) + add);
    if (primary === "fr") {
      if (long(5) && ends("aux") && !ends("eaux")) cut(3, "al");
      else if (long(3) && ends("s", "x")) cut(1);
      if (long(3) && ends("e")) cut(1);
    } else if (primary === "en") {
      if (long(4) && ends("ies") && !ends("eies", "aies")) cut(3, "y");
      else if (long(3) && ends("s") && !ends("us", "ss")) cut(1);
      if (long(5) && ends("ing")) cut(3);
      else if (long(4) && ends("ed")) cut(2);
      if (long(3) && ends("e")) cut(1);
    }
    return w;
  }

  function fnv1a(text) {
    let h = 0x811c9dc5;
    for (const byte of encoder.encode(text)) h = Math.imul(h ^ byte, 0x01000193) >>> 0;
    return h;
  }
  const shardOf = (stem, shards) => fnv1a(stem) % shards;
  const prefixFileOf = (word, files) => fnv1a(Array.from(word).slice(0, 2).join("")) % files;

  // The query's words as the index has them: stems, common ones dropped, and the last word,
  // unless a space ends the query, also standing for the 8 most frequent stems it begins
  // (`more`), found in the prefix files `prefixes[k]` (none while they are not loaded).
  function plan(query, meta, prefixes) {
    const list = words(query);
    const open = !/\s$/u.test(query);
    const common = new Set(meta.common || []);
    const terms = [];
    list.forEach((word, i) => {
      const t = { word, stem: stem(word, meta.lang), prefix: open && i === list.length - 1, more: [] };
      // A common word is left out, unless it is being typed: "ecol" may yet be "ecology".
      if (common.has(t.stem) && !t.prefix) return;
      const file = t.prefix && prefixes && prefixes[prefixFileOf(word, meta.prefixes)];
      if (file) {
        t.more = Object.keys(file).filter((k) => k.startsWith(word))
          .sort((a, b) => file[b] - file[a] || len(a) - len(b) || (a < b ? -1 : a > b ? 1 : 0))
          .slice(0, 8);
      }
      if (common.has(t.stem) && prefixes && !t.more.length) return;
      terms.push(t);
    });
    return terms;
  }

  // `shards[k]`, `prefixes[k]`: the files loaded (absent ones count as empty).
  // Returns [{id, score}], best first, then newest first.
  function rank(query, meta, shards, prefixes) {
    let scores = null;
    for (const t of plan(query, meta, prefixes)) {
      const best = new Map();
      for (const key of [t.stem, ...t.more]) {
        const shard = shards[shardOf(key, meta.shards)];
        if (!shard || !Object.prototype.hasOwnProperty.call(shard, key)) continue;
        const map = new Map();
        for (let i = 0, id = 0, list = shard[key]; i + 1 < list.length; i += 2) map.set((id += list[i]), list[i + 1]);
        const factor = key === t.stem ? 1 : 0.7;
        const idf = Math.log(1 + meta.count / map.size);
        for (const [id, w] of map) {
          if (!(best.get(id) >= w * idf * factor)) best.set(id, w * idf * factor);
        }
      }
      const next = new Map();
      for (const [id, s] of best) {
        if (!scores) next.set(id, s);
        else if (scores.has(id)) next.set(id, scores.get(id) + s);
      }
      scores = next;
    }
    return [...(scores || [])].sort((a, b) => b[1] - a[1] || b[0] - a[0]).map(([id, score]) => ({ id, score }));
  }

  // Pieces of `text` as [string, matched] pairs: all of it, or about `size` characters from
  // a little before its first match, cut between words. Only the words up to the first match
  // and those shown are looked up: a result's text is long, its excerpt short.
  function excerpt(text, hit, size) {
    const tokens = Array.from(text.matchAll(TOKEN), (m) => ({ start: m.index, end: m.index + m[0].length, word: m[0] }));
    let start = 0;
    let end = text.length;
    if (size && end > size) {
      const first = tokens.find((t) => hit(t.word));
      const from = first ? Math.max(0, Math.min(first.start - 50, end - size)) : 0;
      const inside = tokens.filter((t) => t.start >= from && t.end <= from + size);
      start = from && inside.length ? inside[0].start : from;
      if (from + size < end) end = inside.length ? inside[inside.length - 1].end : from + size;
    }
    const out = start ? [["… ", false]] : [];
    let at = start;
    for (const t of tokens) {
      if (t.start < start || t.end > end || !hit(t.word)) continue;
      // "l’audit" found by "audit": the mark leaves out the elided article.
      const elided = ELIDED.exec(t.word);
      const mark = t.start + (elided ? elided[0].length : 0);
      if (mark > at) out.push([text.slice(at, mark), false]);
      out.push([text.slice(mark, t.end), true]);
      at = t.end;
    }
    if (end > at) out.push([text.slice(at, end), false]);
    if (end < text.length) out.push([" …", false]);
    return out;
  }

  function page() {
    const $ = (id) => document.getElementById(id);
    const [form, input, status, list, more] = ["search-form", "search-q", "search-status", "search-results", "search-more"].map($);
    const script = document.querySelector("script[data-index]");
    if (!script || !form || !input || !status || !list || !more) return;
    const data = script.dataset;
    const cache = new Map();
    let seq = 0, hits = [], shown = 0, showing = -1, lang = data.lang, hit = () => false;

    // Each file is fetched once; a failed one is forgotten, so the next search tries again.
    const load = (path) => {
      if (!cache.has(path)) {
        const p = fetch(data.index + path).then((r) => {
          if (!r.ok) throw new Error(path + ": " + r.status);
          return r.json();
        });
        p.catch(() => cache.delete(path));
        cache.set(path, p);
      }
      return cache.get(path);
    };
    const say = (text) => { if (status.textContent !== text) status.textContent = text || ""; };
    const node = (tag, cls, text) => {
      const e = document.createElement(tag);
      if (cls) e.className = cls;
      if (text != null) e.textContent = text;
      return e;
    };
    // Text goes in as text nodes only: a document's words are never parsed as HTML.
    const fill = (parent, text, size) => {
      for (const [part, matched] of excerpt(String(text || ""), hit, size)) parent.append(matched ? node("mark", "", part) : part);
      return parent;
    };
    const item = (doc) => {
      const li = node("li", "search-result");
      if (doc.lang) li.lang = doc.lang;
      const a = node("a");
      a.href = doc.url;
      li.appendChild(node("h2", "search-result-title")).append(fill(a, doc.title));
      const meta = li.appendChild(node("p", "meta search-result-meta"));
      if (doc.date) meta.appendChild(node("time", "", doc.date_display || doc.date)).dateTime = doc.date;
      const tags = Array.isArray(doc.tags) ? doc.tags : [];
      if (tags.length) {
        if (doc.date) meta.append(node("span", "meta-sep", " · "));
        if (data.tags) meta.append(node("span", "visually-hidden", data.tags + " "));
        for (const tag of tags) meta.append(node("span", "search-tag", tag), " ");
      }
      li.append(fill(node("p", "search-result-excerpt"), doc.text, 160));
      return li;
    };
    let numbers = null;
    const format = (n) => {
      if (!numbers) {
        try { numbers = new Intl.NumberFormat(data.lang); } catch { numbers = new Intl.NumberFormat(); }
      }
      return numbers.format(n);
    };
    const count = (n) => (n ? (n === 1 ? data.one : data.many).replace("{n}", format(n)) : data.none);

    // The next ten results, after those shown or in their place. The first five, a screenful,
    // show as soon as their files are there; the others follow.
    const show = async (mine, replace, none = count(0)) => {
      // No result: the last search's list goes, and `none` says why.
      if (replace && !hits.length) {
        list.replaceChildren();
        list.hidden = more.hidden = true;
        showing = mine;
        say(none);
        return [];
      }
      const files = hits.slice(shown, shown + 10).map((h) => load(`d/${h.id}.json`));
      const added = [];
      for (const part of [files.slice(0, 5), files.slice(5)]) {
        if (!part.length) break;
        const docs = await Promise.all(part);
        if (mine !== seq) return [];
        const items = docs.map(item);
        if (replace && !added.length) list.replaceChildren(...items);
        else list.append(...items);
        added.push(...items);
        shown += items.length;
        showing = mine;
        list.hidden = !shown;
        more.hidden = shown >= hits.length;
        say(count(hits.length));
      }
      return added;
    };
    const failed = (mine) => mine === seq && say(data.error);

    const search = async (query) => {
      const mine = ++seq;
      const url = new URL(location.href);
      if (query.trim()) url.searchParams.set("q", query);
      else url.searchParams.delete("q");
      try { history.replaceState(history.state, "", url); } catch { /* a file: page may refuse */ }
      if (!words(query).length) {
        list.replaceChildren();
        list.hidden = more.hidden = true;
        return say("");
      }
      // Only a search waiting on the network says so: typing over loaded shards stays quiet.
      const slow = setTimeout(() => mine === seq && say(data.loading), 250);
      try {
        const meta = await load("meta.json");
        lang = meta.lang || lang;
        const prefixes = {};
        const shards = {};
        const loadAll = (files, dir, keys) => Promise.all([...new Set(keys)].map(async (k) => (files[k] = await load(`${dir}/${k}.json`))));
        // The shards of the words as typed load with the prefix files, which only add the
        // completions of the last word.
        const typed = plan(query, meta);
        const common = new Set(meta.common || []);
        const stemShards = loadAll(shards, "s", typed.filter((t) => !common.has(t.stem)).map((t) => shardOf(t.stem, meta.shards)));
        await loadAll(prefixes, "p", typed.filter((t) => t.prefix).map((t) => prefixFileOf(t.word, meta.prefixes)));
        const terms = plan(query, meta, prefixes);
        await Promise.all([stemShards, loadAll(shards, "s", terms.flatMap((t) => [t.stem, ...t.more]).map((k) => shardOf(k, meta.shards)))]);
        if (mine !== seq) return;
        hits = rank(query, meta, shards, prefixes);
        hit = matcher(terms, lang);
        shown = 0;
        // Words in most posts are left out of the index: a search of those alone finds nothing,
        // and says why, in one announcement.
        await show(mine, true, terms.length || !data.common ? count(0) : data.common);
      } catch {
        failed(mine);
      } finally {
        clearTimeout(slow);
      }
    };

    // Each keystroke searches at once: a search a later one overtakes is dropped, and the
    // files it asked for stay cached for the words typed next.
    input.addEventListener("input", () => search(input.value));
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      search(input.value);
    });
    // The first new result takes the focus, so the keyboard goes on where the list grew.
    more.addEventListener("click", () => {
      const mine = seq;
      if (showing !== mine || more.dataset.busy) return;
      more.dataset.busy = "1";
      show(mine, false)
        .then((items) => items.length && items[0].querySelector("a").focus(), () => failed(mine))
        .finally(() => delete more.dataset.busy);
    });
    input.value = new URLSearchParams(location.search).get("q") || "";
    if (input.value) search(input.value);
    // Number formatting loads its locale's data on first use: done while the index loads,
    // rather than between the results and their count.
    format(0);
  }

  // Whether a word of a document is one the query matched: its stem is one of the terms'.
  // A text repeats its words: each is analysed once.
  function matcher(terms, lang) {
    const stems = new Set(terms.flatMap((t) => [t.stem, ...t.more]));
    const known = new Map();
    return (token) => {
      let found = known.get(token);
      if (found === undefined) {
        found = words(token).some((w) => stems.has(stem(w, lang)));
        known.set(token, found);
      }
      return found;
    };
  }

  if (typeof module === "object" && module.exports) {
    module.exports = { words, stem, shardOf, prefixFileOf, plan, rank, excerpt, matcher };
  }
  if (typeof document === "object") {
    if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", page);
    else page();
  }
})();
