//! The social-post queue derived from the posts.

use crate::Site;

const SOCIAL: &str = "title = \"Carnet\"\nbase_url = \"https://example.org/\"\nlanguage = \"fr\"\ntimezone = \"Europe/Paris\"\n\
[social]\nhorizon = \"21 days\"\nmax_per_day = 1\npullquote_spacing = \"2 days\"\nrecycle_after = \"1 year\"\nrecycle_every = \"30 days\"\n\
[social.schedule]\ndays = [\"mon\", \"tue\", \"wed\", \"thu\", \"fri\"]\ntimes = [\"09:00\", \"12:30\"]\n\
[social.channels.x]\n[social.channels.mastodon]\nlimit = 500\n[social.channels.bluesky]\n";

fn queue(site: &Site, args: &[&str]) -> serde_json::Value {
    let mut all = vec!["queue", "--format", "json"];
    all.extend_from_slice(args);
    serde_json::from_str(&site.run(&all).ok().stdout).unwrap()
}

fn items(q: &serde_json::Value) -> Vec<(String, String, String)> {
    q["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| {
            (
                i["at"].as_str().unwrap().to_string(),
                i["channel"].as_str().unwrap().to_string(),
                i["id"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

#[test]
fn scheduled_articles_are_announced_at_the_first_slot_after_going_live() {
    let site = Site::with_config(SOCIAL);
    // Now is Monday 2026-11-23 13:00 Paris; the post goes live Tuesday 10:00.
    site.post(
        "demain",
        "title = \"Demain\"\ndate = 2026-11-24T10:00",
        "x\n",
    );
    site.post(
        "brouillon",
        "title = \"Brouillon\"\ndate = 2026-11-24T10:00\ndraft = true",
        "x\n",
    );
    let q = queue(&site, &["--channel", "x"]);
    assert_eq!(
        items(&q),
        [(
            "2026-11-24T12:30:00+01:00".to_string(),
            "x".to_string(),
            "posts/demain/:announce:0:x".to_string()
        )],
        "never before the article is live, nothing about drafts"
    );
    let item = &q["items"][0];
    assert_eq!(item["text"], "Demain\n\nhttps://example.org/posts/demain/");
    assert_eq!(item["length"], 31);
    assert_eq!(item["limit"], 280);
    assert_eq!(item["zone"], "Europe/Paris");
    assert_eq!(item["link"], "https://example.org/posts/demain/");
}

#[test]
fn pull_quotes_follow_up_and_slots_respect_daily_limits_and_gaps() {
    let site = Site::with_config(SOCIAL);
    site.post(
        "cm",
        "title = \"Community Manager, un métier captivant\"\ndate = 2026-11-24T08:00\ntags = [\"community management\"]\npullquotes = [\"Le contenu est à Internet ce que le coeur est au corps.\"]",
        "Le CM. [pullquote]Fédération d’une part, Engagement d’autre part. C’est la formule qui crée une communauté participative et engagée.[/pullquote] Fin.\n",
    );
    site.post("autre", "title = \"Autre\"\ndate = 2026-11-24T08:30", "x\n");
    let q = queue(&site, &["--channel", "x"]);
    let got: Vec<(String, String)> = items(&q).into_iter().map(|(at, _, id)| (at, id)).collect();
    let want = [
        ("2026-11-24T09:00:00+01:00", "posts/cm/:announce:0:x"),
        ("2026-11-25T09:00:00+01:00", "posts/autre/:announce:0:x"),
        ("2026-11-26T09:00:00+01:00", "posts/cm/:pullquote:0:x"),
        ("2026-11-30T09:00:00+01:00", "posts/cm/:pullquote:1:x"),
    ];
    assert_eq!(
        got,
        want.map(|(a, b)| (a.to_string(), b.to_string())),
        "one a day on each channel"
    );
    let quote = &q["items"][2];
    let text = quote["text"].as_str().unwrap();
    assert!(
        text.starts_with("«\u{A0}Fédération d’une part, Engagement d’autre part."),
        "{text}"
    );
    assert!(
        text.contains("https://example.org/posts/cm/") && text.contains("#CommunityManagement")
    );
    assert!(
        quote["length"].as_u64().unwrap() <= 280,
        "the seed's pull quote fits on X"
    );
}

#[test]
fn long_texts_are_shortened_at_a_word_and_never_lose_the_link() {
    let site = Site::with_config(SOCIAL);
    let long = "Une description très longue qui raconte tout ".repeat(12);
    site.post("long", &format!("title = \"Long\"\ndate = 2026-11-24T08:00\ndescription = \"{long}\"\ntags = [\"un\", \"deux\"]"), "x\n");
    let q = queue(&site, &["--channel", "x"]);
    let text = q["items"][0]["text"].as_str().unwrap();
    assert!(q["items"][0]["length"].as_u64().unwrap() <= 280);
    assert!(
        text.contains("…") && text.contains("https://example.org/posts/long/"),
        "{text}"
    );
    assert!(
        text.contains(" tout…")
            || text.contains(" qui…")
            || text.contains(" raconte…")
            || text.contains(" très…")
            || text.contains(" longue…")
            || text.contains(" description…")
            || text.contains(" Une…"),
        "cut at a word: {text}"
    );
}

#[test]
fn a_title_that_cannot_fit_is_an_error_naming_the_post() {
    let site = Site::with_config(&SOCIAL.replace(
        "[social.channels.bluesky]\n",
        "[social.channels.bluesky]\nlimit = 30\n",
    ));
    site.post(
        "titre",
        "title = \"Un titre bien trop long pour trente caractères\"\ndate = 2026-11-24T08:00",
        "x\n",
    );
    site.run(&["build"]).fails(
        1,
        &[
            "content/posts/titre.md:2: even the title and link of this post do not fit on bluesky: \
           they are 80 long; the limit is 30 (Bluesky's count in graphemes, URLs in full)",
        ],
    );
}

#[test]
fn slots_follow_the_site_zone_through_daylight_saving() {
    let site = Site::with_config(SOCIAL);
    site.post(
        "dst",
        "title = \"DST\"\ndate = 2026-10-23T10:00\npullquotes = [\"Un.\", \"Deux.\"]",
        "x\n",
    );
    let q = queue(
        &site,
        &["--now", "2026-10-23T11:00:00+02:00", "--channel", "x"],
    );
    let times: Vec<String> = items(&q).into_iter().map(|(at, _, _)| at).collect();
    assert_eq!(
        times,
        [
            "2026-10-23T12:30:00+02:00",
            "2026-10-26T09:00:00+01:00",
            "2026-10-27T09:00:00+01:00"
        ]
    );
}

#[test]
fn hand_written_posts_and_opt_outs() {
    let site = Site::with_config(SOCIAL);
    site.post(
        "main",
        "title = \"À la main\"\ndate = 2026-11-24T08:00\n[social]\nskip = [\"bluesky\"]\n[[social.posts]]\ntext = \"Mon message écrit à la main\"\nchannels = [\"mastodon\"]\nat = 2026-11-25T18:45",
        "x\n",
    );
    site.post(
        "muet",
        "title = \"Muet\"\ndate = 2026-11-24T08:00\nsocial = false",
        "x\n",
    );
    let q = queue(&site, &[]);
    let ids: Vec<String> = items(&q).into_iter().map(|(_, _, id)| id).collect();
    assert!(
        ids.contains(&"posts/main/:custom:0:mastodon".to_string()),
        "{ids:?}"
    );
    assert!(
        !ids.iter().any(|id| id.contains("bluesky")),
        "skipped channel"
    );
    assert!(!ids.iter().any(|id| id.contains("muet")), "opted out");
    let custom = q["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["kind"] == "custom")
        .unwrap();
    assert_eq!(custom["at"], "2026-11-25T18:45:00+01:00");
    assert_eq!(custom["text"], "Mon message écrit à la main");
}

#[test]
fn evergreen_posts_come_back_with_varying_texts() {
    let site = Site::with_config(SOCIAL);
    site.post(
        "toujours",
        "title = \"Toujours\"\ndate = 2026-08-01T08:00\nevergreen = true\ndescription = \"Une description.\"\npullquotes = [\"Une citation.\"]",
        "x\n",
    );
    let recycled = |now: &str| -> Vec<String> {
        let q = queue(&site, &["--channel", "mastodon", "--now", now]);
        q["items"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|i| i["kind"] == "recycle")
            .map(|i| i["text"].as_str().unwrap().to_string())
            .collect()
    };
    // Every 30 days from 1 August: 31 August with the description, 30 September with the quote.
    assert_eq!(
        recycled("2026-08-30"),
        ["À relire\u{A0}: Toujours — Une description.\n\nhttps://example.org/posts/toujours/"]
    );
    assert_eq!(
        recycled("2026-09-29"),
        ["À relire\u{A0}: Toujours — Une citation.\n\nhttps://example.org/posts/toujours/"]
    );
}

#[test]
fn a_build_writes_the_queue_outside_the_public_output_reproducibly() {
    let site = Site::with_config(SOCIAL);
    site.post(
        "demain",
        "title = \"Demain, « enfin » ; ça y est\"\ndate = 2026-11-24T10:00\nimage = \"/img.png\"",
        "x\n",
    );
    site.bytes("static/img.png", &crate::png(4, 3));
    site.build();
    let first = site.tree("social");
    assert_eq!(
        first.keys().collect::<Vec<_>>(),
        [
            "buffer-bluesky.csv",
            "buffer-mastodon.csv",
            "buffer-x.csv",
            "hootsuite-bluesky.csv",
            "hootsuite-mastodon.csv",
            "hootsuite-x.csv",
            "queue.ics",
            "queue.json"
        ]
    );
    assert!(
        !site.tree("public").keys().any(|k| k.contains("queue")),
        "the queue announces what is not public yet"
    );
    site.build();
    assert_eq!(
        site.tree("social"),
        first,
        "same input, same clock, same bytes"
    );

    let ics = String::from_utf8(first["queue.ics"].clone()).unwrap();
    assert!(ics.contains("\r\n") && !ics.replace("\r\n", "").contains('\n'));
    let calendar: icalendar::Calendar = ics.parse().unwrap();
    let events: Vec<_> = calendar
        .components
        .iter()
        .filter_map(|c| c.as_event())
        .collect();
    assert_eq!(events.len(), 3);
    use icalendar::Component;
    assert_eq!(
        events[0].get_uid(),
        Some("posts/demain/:announce:0:bluesky@tribune")
    );

    let buffer = String::from_utf8(first["buffer-bluesky.csv"].clone()).unwrap();
    assert!(
        buffer.starts_with("Text,Image URL,Tags,Posting Time\r\n"),
        "{buffer}"
    );
    assert!(
        // The cover is a photo of the site's: the card that shows it goes with the post.
        buffer.contains("https://example.org/posts/demain/card.jpg,bluesky,2026-11-24 12:30"),
        "{buffer}"
    );
}

#[test]
fn the_queue_command_prints_a_table_and_filters() {
    let site = Site::with_config(SOCIAL);
    site.post(
        "demain",
        "title = \"Demain\"\ndate = 2026-11-24T10:00",
        "x\n",
    );
    site.post(
        "plus-tard",
        "title = \"Plus tard\"\ndate = 2026-12-07T10:00",
        "x\n",
    );
    let table = site.run(&["queue"]).ok().stdout;
    assert!(table.contains("2026-11-24 12:30  x         announce    31/280  Demain https://example.org/posts/demain/"), "{table}");
    let soon = queue(&site, &["--days", "3"]);
    assert!(
        items(&soon)
            .iter()
            .all(|(_, _, id)| id.starts_with("posts/demain/"))
    );
    assert!(
        site.run(&["queue", "--format", "ics"])
            .ok()
            .stdout
            .starts_with("BEGIN:VCALENDAR\r\n")
    );
    assert!(
        site.run(&["queue", "--format", "csv"])
            .ok()
            .stdout
            .starts_with("Text,Image URL,Tags,Posting Time")
    );
}

#[test]
fn a_hand_written_text_over_its_limit_fails_the_build_with_its_line() {
    let site = Site::with_config(SOCIAL);
    // twitter-text counts each bare domain as a URL of 23: 12 × 23 + 11 spaces = 287.
    let domains = ["GOV.UK", "example.com", "web.dev", "README.md"]
        .repeat(3)
        .join(" ");
    site.post(
        "main",
        &format!(
            "title = \"À la main\"\ndate = 2026-11-24T08:00\n[social]\n\n[[social.posts]]\nchannels = [\"x\"]\ntext = \"{domains}\""
        ),
        "x\n",
    );
    site.run(&["build"]).fails(
        1,
        &[
            "content/posts/main.md:8: the hand-written text for x is 287 long; the limit is 280 \
           (X's weighted length: a URL counts 23, CJK and emoji 2)",
        ],
    );
    // Mastodon counts bare domains as they are written: the same text fits there.
    site.file(
        "content/posts/main.md",
        &format!(
            "+++\ntitle = \"À la main\"\ndate = 2026-11-24T08:00\n[[social.posts]]\nchannels = [\"mastodon\"]\ntext = \"{domains}\"\n+++\nx\n"
        ),
    );
    let q = queue(&site, &["--channel", "mastodon"]);
    let custom = q["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["kind"] == "custom")
        .unwrap();
    assert_eq!(custom["length"], domains.chars().count());
}

#[test]
fn the_demo_link_post_about_gov_uk_counts_as_twitter_text_does() {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_tribune"))
        .args([
            "queue",
            "--format",
            "json",
            "--channel",
            "x",
            "--days",
            "10",
        ])
        .args(["--root", env!("CARGO_MANIFEST_DIR"), "--now", "2026-03-15"])
        .env_remove("SOURCE_DATE_EPOCH")
        .output()
        .unwrap();
    let q: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let item = q["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["id"] == "posts/lien-le-guide-de-redaction-de-gov-uk/:recycle:0:x")
        .expect("the GOV.UK post is recycled on 18 March");
    // GOV.UK is a URL for twitter-text (23), as is the post's link; "À relire\u{A0}:" weighs
    // 11 with its no-break space.
    assert!(item["text"].as_str().unwrap().contains("GOV.UK"));
    assert_eq!(item["length"], 268);
}

/// Every record of a CSV file, read by a CSV reader.
fn records(bytes: &[u8], header: bool) -> Vec<Vec<String>> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(header)
        .flexible(false)
        .from_reader(bytes);
    reader
        .records()
        .map(|r| {
            r.expect("a valid CSV record")
                .iter()
                .map(String::from)
                .collect()
        })
        .collect()
}

#[test]
fn csv_exports_carry_plain_text_one_file_per_channel() {
    let site = Site::with_config(&SOCIAL.replace(
        "[social.channels.bluesky]\n",
        "[social.channels.bluesky]\n[social.channels.linkedin]\n",
    ));
    site.post(
        "cm",
        "title = \"Écrire (vraiment) pour #RéseauxSociaux, @camille@example.com\"\ndate = 2026-11-24T08:00\n\
         tags = [\"réseaux sociaux\"]\nlink = \"https://fr.wikipedia.org/wiki/Paris_(ville)\"\n\
         [[social.posts]]\ntext = \"Un message à 18 h 07 https://fr.wikipedia.org/wiki/Paris_(ville)\"\n\
         channels = [\"linkedin\"]\nat = 2026-11-25T18:07",
        "x\n",
    );
    site.build();
    let social = site.tree("social");
    for (name, bytes) in social.iter().filter(|(name, _)| name.ends_with(".csv")) {
        let text = String::from_utf8(bytes.clone()).unwrap();
        assert!(
            !text.contains("\\#") && !text.contains("\\@") && !text.contains("\\_"),
            "{name}: {text}"
        );
    }
    let buffer = records(&social["buffer-linkedin.csv"], true);
    assert!(
        buffer.iter().all(|r| r.len() == 4 && r[2] == "linkedin"),
        "{buffer:?}"
    );
    assert!(
        buffer.iter().any(|r| r[0].contains("#RéseauxSociaux")),
        "{buffer:?}"
    );
    let hootsuite = records(&social["hootsuite-linkedin.csv"], false);
    let custom = hootsuite
        .iter()
        .find(|r| r[1].starts_with("Un message"))
        .expect("the hand-written message");
    // Hootsuite takes 5-minute steps: 18:07 goes to 18:10, never earlier.
    assert_eq!(custom[0], "25/11/2026 18:10");
    assert_eq!(
        custom.len(),
        2,
        "the link is in the message only, not again beside it"
    );
    assert_eq!(custom[1].matches("https://").count(), 1);
    for row in &hootsuite {
        assert!(row[0].ends_with(['0', '5']), "{row:?}");
    }
    // LinkedIn's API escaping is only in the JSON, for tools that post through that API.
    let json: serde_json::Value = serde_json::from_slice(&social["queue.json"]).unwrap();
    let linkedin = json["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["channel"] == "linkedin" && i["kind"] == "announce")
        .unwrap();
    assert!(
        linkedin["commentary"]
            .as_str()
            .unwrap()
            .contains("\\#RéseauxSociaux")
    );
    assert!(!linkedin["text"].as_str().unwrap().contains('\\'));
}

/// Two posts of one morning take two posting times of one channel, not the same minute.
#[test]
fn one_item_per_slot_on_a_channel() {
    let site = Site::with_config(&SOCIAL.replace("max_per_day = 1", "max_per_day = 2"));
    site.post("un", "title = \"Un\"\ndate = 2026-11-24T08:00", "x\n");
    site.post("deux", "title = \"Deux\"\ndate = 2026-11-24T08:30", "x\n");
    let q = queue(&site, &["--channel", "mastodon"]);
    let got: Vec<(String, String)> = items(&q).into_iter().map(|(at, _, id)| (at, id)).collect();
    assert_eq!(
        got,
        [
            (
                "2026-11-24T09:00:00+01:00".to_string(),
                "posts/un/:announce:0:mastodon".to_string()
            ),
            (
                "2026-11-24T12:30:00+01:00".to_string(),
                "posts/deux/:announce:0:mastodon".to_string()
            ),
        ]
    );
}

/// The queue links to where the site is deployed: `queue --base-url` and `build --base-url`
/// both replace site.toml's address in every item and export.
#[test]
fn the_queue_links_to_the_deployed_address() {
    let site = Site::with_config(SOCIAL);
    site.post("un", "title = \"Un\"\ndate = 2026-11-24T08:00", "x\n");
    let q = queue(&site, &["--base-url", "https://carnet.example.net/blog/"]);
    for item in q["items"].as_array().unwrap() {
        assert_eq!(item["link"], "https://carnet.example.net/blog/posts/un/");
        assert!(
            item["text"]
                .as_str()
                .unwrap()
                .contains("https://carnet.example.net/blog/posts/un/"),
            "{item}"
        );
    }
    let csv = site
        .run(&[
            "queue",
            "--format",
            "csv",
            "--base-url",
            "https://carnet.example.net/blog/",
        ])
        .ok();
    assert!(!csv.stdout.contains("example.org"), "{}", csv.stdout);
    site.run(&["build", "--base-url", "https://carnet.example.net/blog/"])
        .ok();
    for file in ["queue.json", "buffer-x.csv", "hootsuite-x.csv", "queue.ics"] {
        let text = std::fs::read_to_string(site.root().join("social").join(file)).unwrap();
        assert!(
            text.contains("https://carnet.example.net/blog/posts/un/"),
            "{file}"
        );
        assert!(!text.contains("example.org/posts"), "{file}: {text}");
    }
    let bad = site.run(&["queue", "--base-url", "carnet"]);
    assert_eq!(bad.code, 2, "{}", bad.stderr);
    assert!(bad.stderr.contains("--base-url"), "{}", bad.stderr);
}

/// A post that names a channel Tribune does not know, to skip or to write for, is told so at
/// the line, with the name to write instead.
#[test]
fn unknown_channels_in_front_matter_are_errors() {
    let site = Site::with_config(SOCIAL);
    site.post(
        "un",
        "title = \"Un\"\ndate = 2026-11-24T08:00\n[social]\nskip = [\"twitter\"]",
        "x\n",
    );
    let run = site.run(&["check"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr.contains("content/posts/un.md:4"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr
            .contains("unknown social channel `twitter` (Twitter is the channel `x`)"),
        "{}",
        run.stderr
    );
    site.post(
        "un",
        "title = \"Un\"\ndate = 2026-11-24T08:00\n[[social.posts]]\ntext = \"Salut\"\nchannels = [\"mastodn\"]",
        "x\n",
    );
    let run = site.run(&["check"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("unknown social channel `mastodn` (did you mean `mastodon`?)"),
        "{}",
        run.stderr
    );
}

/// `share.platforms = ["twitter"]` says which key X has now.
#[test]
fn twitter_as_a_share_platform_points_to_x() {
    let site = Site::new();
    site.file(
        "site.toml",
        &format!(
            "{}[share]\nplatforms = [\"twitter\", \"mastodon\"]\n",
            std::fs::read_to_string(site.root().join("site.toml")).unwrap()
        ),
    );
    let run = site.run(&["check"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr.contains("unknown share platform `twitter`"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("did you mean `x`?"), "{}", run.stderr);
}

#[test]
fn bluesky_items_mark_links_tags_and_mentions_as_its_app_does() {
    let site = Site::with_config(SOCIAL);
    site.post(
        "merci",
        "title = \"Merci\"\ndate = 2026-11-24T08:00\n[[social.posts]]\ntext = \"Merci @ami.test ! #écriture, $eur et carnet.fr/x.\"\nchannels = [\"bluesky\"]\nat = 2026-11-25T18:45",
        "x\n",
    );
    let q = queue(&site, &["--channel", "bluesky"]);
    let item = |kind: &str| {
        q["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|i| i["kind"] == kind)
            .unwrap()
            .clone()
    };
    assert_eq!(
        item("custom")["facets"],
        serde_json::json!([
            {"byte_start": 6, "byte_end": 15, "kind": "mention", "handle": "ami.test"},
            {"byte_start": 18, "byte_end": 28, "kind": "tag", "tag": "écriture"},
            {"byte_start": 30, "byte_end": 34, "kind": "tag", "tag": "$EUR"},
            {"byte_start": 38, "byte_end": 49, "kind": "link", "uri": "https://carnet.fr/x"},
        ])
    );
    let announce = item("announce");
    let link = "https://example.org/posts/merci/";
    let start = announce["text"].as_str().unwrap().find(link).unwrap();
    assert_eq!(
        announce["facets"],
        serde_json::json!([
            {"byte_start": start, "byte_end": start + link.len(), "kind": "link", "uri": link},
        ])
    );
}
