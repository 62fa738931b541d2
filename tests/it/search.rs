//! Search, built in: each language's index, as files a static host serves.

use serde_json::Value;

use crate::Site;

/// FNV-1a over a stem's bytes, as the search page's script picks a shard.
fn shard(stem: &str, shards: u64) -> u64 {
    let h = stem.bytes().fold(0x811c_9dc5_u32, |h, b| {
        (h ^ u32::from(b)).wrapping_mul(0x0100_0193)
    });
    u64::from(h) % shards
}

fn json(site: &Site, path: &str) -> Value {
    serde_json::from_str(&site.read(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// The documents a stem finds, decoded from its shard: (id, weight).
fn postings(site: &Site, folder: &str, stem: &str) -> Vec<(u64, u64)> {
    let meta = json(site, &format!("{folder}meta.json"));
    let k = shard(stem, meta["shards"].as_u64().unwrap());
    let file = json(site, &format!("{folder}s/{k}.json"));
    let Some(list) = file[stem].as_array() else {
        return Vec::new();
    };
    let mut id = 0;
    list.chunks(2)
        .map(|pair| {
            id += pair[0].as_u64().unwrap();
            (id, pair[1].as_u64().unwrap())
        })
        .collect()
}

fn blog() -> Site {
    let site = Site::new();
    site.post(
        "communaute",
        "title = \"Animer une communauté\"\ndate = 2026-01-10\ntags = [\"réseaux sociaux\"]\nauthors = [\"Camille\"]",
        "L'audit des contenus précède la stratégie. Écrire pour les communautés.\n",
    );
    site.post(
        "audit",
        "title = \"L’audit éditorial\"\ndate = 2026-02-10\ndescription = \"Inventaire des contenus\"",
        "Un texte sur l'inventaire, sans le mot du titre de l'autre billet.\n",
    );
    site.post(
        "brouillon",
        "title = \"Brouillon secret\"\ndate = 2026-03-01\ndraft = true",
        "Texte confidentiel.\n",
    );
    site
}

#[test]
fn each_post_is_found_by_its_words_folded_and_stemmed() {
    let site = blog();
    site.build();
    let meta = json(&site, "search/meta.json");
    assert_eq!(meta["version"], 1);
    assert_eq!(meta["lang"], "fr");
    assert_eq!(meta["count"], 2, "drafts are not indexed: {meta}");

    // Oldest first: the January post is 0.
    let doc = json(&site, "search/d/0.json");
    assert_eq!(doc["title"], "Animer une communauté");
    assert_eq!(doc["url"], "/posts/communaute/");
    assert_eq!(doc["date"], "2026-01-10");
    assert_eq!(doc["date_display"], "10 janvier 2026");
    assert_eq!(doc["tags"][0], "réseaux sociaux");
    assert!(
        doc["text"]
            .as_str()
            .unwrap()
            .starts_with("L’audit des contenus")
    );
    assert!(!site.has("search/d/2.json"));

    // "communautés" and "communauté" share a stem without accents; the title weighs more than
    // the body; "l'audit" is indexed as "audit".
    let found = postings(&site, "search/", "communaut");
    assert_eq!(found.len(), 1, "{found:?}");
    let audit = postings(&site, "search/", "audit");
    assert_eq!(audit.iter().map(|p| p.0).collect::<Vec<_>>(), [0, 1]);
    assert!(
        audit[1].1 > audit[0].1,
        "a title word weighs more: {audit:?}"
    );
    assert!(postings(&site, "search/", "confidentiel").is_empty());
    assert!(postings(&site, "search/", "secret").is_empty());

    // The prefix files give each stem's document frequency.
    let prefixes = meta["prefixes"].as_u64().unwrap();
    let k = shard("au", prefixes);
    assert_eq!(json(&site, &format!("search/p/{k}.json"))["audit"], 2);

    // The page and the form on every page.
    let page = site.read("search/index.html");
    assert!(page.contains("search.js"), "{page}");
    let home = site.read("index.html");
    assert!(home.contains("action=\"/search/\""), "{home}");
    assert!(site.has("search.js"));
}

#[test]
fn without_script_the_search_page_leads_to_the_archive_and_the_topics() {
    let site = blog();
    site.build();
    let page = site.read("search/index.html");
    // The form alone still searches: a GET to the page itself, its words in `q`.
    assert!(
        page.contains(r#"action="/search/" method="get""#) && page.contains(r#"name="q""#),
        "{page}"
    );
    // Results and "more" stay hidden until the script shows them.
    assert!(
        page.contains(r#"id="search-results""#) && page.contains("hidden></ol>"),
        "{page}"
    );
    let (_, rest) = page.split_once("<noscript>").expect("a noscript block");
    let (noscript, _) = rest.split_once("</noscript>").unwrap();
    assert!(noscript.contains("nécessite JavaScript"), "{noscript}");
    let links: Vec<&str> = noscript
        .split("href=\"")
        .skip(1)
        .map(|tail| tail.split('"').next().unwrap())
        .collect();
    assert!(links.contains(&"/archive/"), "{links:?}");
    assert!(links.contains(&"/tags/"), "{links:?}");
    for link in links {
        let file = format!("{}index.html", link.trim_start_matches('/'));
        assert!(site.has(&file), "{link} leads to no page");
    }
}

#[test]
fn turning_search_off_leaves_no_trace() {
    let site = blog();
    let config = std::fs::read_to_string(site.root().join("site.toml")).unwrap();
    site.file(
        "site.toml",
        &format!("{config}\n[search]\nenabled = false\n"),
    );
    site.build();
    assert!(!site.has("search/index.html"));
    assert!(!site.has("search/meta.json"));
    assert!(!site.has("search.js"));
    let home = site.read("index.html");
    assert!(!home.contains("/search/"), "{home}");
    assert!(!home.contains("role=\"search\""), "{home}");
}

#[test]
fn each_language_has_its_own_index() {
    let site = Site::with_config(
        "title = \"Le Carnet\"\nbase_url = \"https://example.org/\"\nlanguage = \"fr\"\n\n[languages.en]\ntitle = \"The Notebook\"\n",
    );
    site.post(
        "bonjour",
        "title = \"Bonjour\"\ndate = 2026-01-01",
        "Les communautés.\n",
    );
    site.post(
        "bonjour.en",
        "title = \"Hello\"\ndate = 2026-01-01",
        "Writing for communities.\n",
    );
    site.build();
    assert_eq!(json(&site, "search/meta.json")["count"], 1);
    let english = json(&site, "en/search/meta.json");
    assert_eq!(english["lang"], "en");
    assert_eq!(english["count"], 1);
    assert_eq!(postings(&site, "en/search/", "writ").len(), 1);
    assert_eq!(postings(&site, "en/search/", "community").len(), 1);
    assert!(postings(&site, "en/search/", "communaut").is_empty());
    assert_eq!(
        json(&site, "en/search/d/0.json")["url"],
        "/en/posts/bonjour/"
    );
    let page = site.read("en/index.html");
    assert!(page.contains("action=\"/en/search/\""), "{page}");
}

/// Sixty posts that share most of their words, each with one of its own (`unique7`).
fn sixty_posts() -> Site {
    let site = Site::new();
    for n in 0..60 {
        site.post(
            &format!("p{n}"),
            &format!("title = \"Billet {n}\"\ndate = 2026-01-{:02}", n % 28 + 1),
            &format!("Le texte du billet numéro {n}, unique{n}.\n"),
        );
    }
    site
}

#[test]
fn words_most_posts_have_are_left_out_and_listed() {
    let site = sixty_posts();
    site.build();
    let meta = json(&site, "search/meta.json");
    let common: Vec<&str> = meta["common"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    assert!(common.contains(&"text"), "{common:?}");
    assert!(postings(&site, "search/", "text").is_empty());
    assert_eq!(postings(&site, "search/", "unique7").len(), 1);
}

/// The search page's script, run by Node on the files a build wrote, finds what a reader
/// expects: accents and plurals folded, an elision split off, a word being typed completed,
/// every word required, titles first.
#[test]
fn the_page_script_finds_posts_in_the_built_index() {
    let site = blog();
    site.post(
        "ecrire",
        "title = \"Écrire pour le Web\"\ndate = 2026-02-20\ntags = [\"écriture\"]",
        "Écrire court, pour des communautés pressées.\n",
    );
    site.build();
    let folder = site.root().join("public/search");
    let found = crate::search_client::node(
        r#"
        const fs = require("fs");
        const read = (f) => JSON.parse(fs.readFileSync(input.dir + "/" + f, "utf8"));
        const meta = read("meta.json");
        const shards = [...Array(meta.shards).keys()].map((k) => read(`s/${k}.json`));
        const prefixes = [...Array(meta.prefixes).keys()].map((k) => read(`p/${k}.json`));
        const urls = (q) => search.rank(q, meta, shards, prefixes).map((r) => read(`d/${r.id}.json`).url);
        return input.queries.map(urls);
        "#,
        &serde_json::json!({
            "dir": folder.to_str().unwrap(),
            "queries": ["communautes", "ecrire", "l'audit", "commu", "audit inventaire", "brouillon"]
        }),
    );
    assert_eq!(
        found,
        serde_json::json!([
            ["/posts/communaute/", "/posts/ecrire/"],
            ["/posts/ecrire/", "/posts/communaute/"],
            ["/posts/audit/", "/posts/communaute/"],
            ["/posts/communaute/", "/posts/ecrire/"],
            ["/posts/audit/"],
            []
        ])
    );
}

/// The search page run by Node on the files a build wrote, with just enough of a page for the
/// script (its form, field, status, list and button): what the status announced (each text it
/// took, joined by ` | `) and how many results the list shows after opening `?q=QUERY` and
/// after each of `typed`.
fn page_states(site: &Site, query: &str, typed: &[&str]) -> Vec<(String, usize)> {
    let program = r#"
        const fs = require("fs");
        const [script, dir, query, typed] = [process.argv[1], process.argv[2], process.argv[3], JSON.parse(process.argv[4])];
        class Node {
          constructor() { this.children = []; this.hidden = false; this.textContent = ""; this.dataset = {}; this.listeners = {}; }
          append(...nodes) { this.children.push(...nodes); }
          appendChild(node) { this.children.push(node); return node; }
          replaceChildren(...nodes) { this.children = nodes; }
          addEventListener(type, f) { this.listeners[type] = f; }
          querySelector() { return new Node(); }
        }
        const ids = ["search-form", "search-q", "search-status", "search-results", "search-more"];
        const page = Object.fromEntries(ids.map((id) => [id, new Node()]));
        // Each text the status takes is announced: all of them since the last look are kept.
        let said = [], shown = "";
        Object.defineProperty(page["search-status"], "textContent", {
          get: () => shown,
          set: (text) => { shown = text; said.push(text); },
        });
        const tag = new Node();
        tag.dataset = { index: "/search/", lang: "fr", one: "1 résultat", many: "{n} résultats", none: "aucun", common: "trop courants", loading: "…", error: "erreur", tags: "Étiquettes :" };
        const address = "http://localhost/search/?q=" + encodeURIComponent(query);
        global.document = { readyState: "complete", getElementById: (id) => page[id], querySelector: () => tag, createElement: () => new Node(), addEventListener() {} };
        global.location = new URL(address);
        global.history = { state: null, replaceState() {} };
        global.fetch = async (path) => {
          const file = dir + "/" + path.slice("/search/".length);
          const there = fs.existsSync(file);
          return { ok: there, status: there ? 200 : 404, json: async () => JSON.parse(fs.readFileSync(file, "utf8")) };
        };
        // The stand-in `fetch` answers at once: a search is over before any timer fires.
        const settle = () => new Promise((done) => setTimeout(done, 100));
        const state = () => [said.splice(0).join(" | "), page["search-results"].hidden ? 0 : page["search-results"].children.length];
        (async () => {
          require(script);
          await settle();
          const states = [state()];
          for (const words of typed) {
            page["search-q"].value = words;
            page["search-q"].listeners.input();
            await settle();
            states.push(state());
          }
          process.stdout.write(JSON.stringify(states));
        })();
    "#;
    let out = std::process::Command::new("node")
        .arg("-e")
        .arg(program)
        .arg(crate::search_client::script())
        .arg(site.root().join("public/search"))
        .arg(query)
        .arg(serde_json::to_string(typed).unwrap())
        .output()
        .expect("these tests need Node.js on the PATH");
    assert!(
        out.status.success(),
        "node failed on the search page:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

/// A search that finds nothing says so and takes the last search's results away, whether it
/// is opened as it is or typed after one that found posts.
#[test]
fn a_search_that_finds_nothing_says_so_and_clears_the_list() {
    let site = blog();
    site.build();
    let states = page_states(
        &site,
        "communautes",
        &["communautes zzzqx", "audit", "qqqzz"],
    );
    assert_eq!(
        states,
        [
            ("1 résultat".to_string(), 1),
            ("aucun".to_string(), 0),
            ("2 résultats".to_string(), 2),
            ("aucun".to_string(), 0),
        ]
    );
    assert_eq!(page_states(&site, "zzzqx", &[]), [("aucun".to_string(), 0)]);
}

/// Words most posts have are not searched for: a search of those alone says so, and one with a
/// rarer word beside them finds what the rarer word finds.
#[test]
fn a_search_of_words_most_posts_have_says_they_are_not_searched_for() {
    let site = sixty_posts();
    site.build();
    assert_eq!(
        page_states(&site, "textes", &["texte unique7"]),
        [
            ("trop courants".to_string(), 0),
            ("1 résultat".to_string(), 1)
        ]
    );
}
