//! URLs that run scripts or open documents the site did not write (`javascript:`, `vbscript:`,
//! `file:`, `data:`) never reach a page or a feed, however they are spelled; `[markdown] unsafe`
//! keeps them.

use crate::Site;

/// A body holding every spelling of a dangerous URL, each with its own link text or `alt`.
const DANGEROUS: &str = r#"Markdown: [md case](JaVaScRiPt:alert(1)), [md dec](&#106;avascript:alert(1)),
[md hex](&#x6A;avascript:alert(1)), [md colon](javascript&colon;alert(1)),
[md vb](vbscript:msgbox(1)), [md file](file:///etc/passwd),
[md data](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==), <javascript:alert(1)>,
[md ref][evil], bare javascript://%0Aalert(1) here.

![md img](javascript:alert(1)) ![md svg](data:image/svg+xml;base64,PHN2Zz4=)

[evil]: javascript:alert(1)

Raw: <a href="JaVaScRiPt:alert(1)">raw case</a> <a href=" javascript:alert(1)">raw space</a>
<a href="&#106;avascript:alert(1)">raw dec</a> <a href="&#x6A;avascript:alert(1)">raw hex</a>
<a href="&#0000106avascript:alert(1)">raw dec bare</a> <a href="javascript&colon;alert(1)">raw colon</a>
<a href="java&Tab;script:alert(1)">raw tab entity</a> <a href="java&#x09;script:alert(1)">raw tab hex</a>
<a href="jav	ascript:alert(1)">raw tab</a> <a href='java&NewLine;script&colon;alert(1)'>raw newline</a>
<a href=vbscript:msgbox(1)>raw vb</a> <a href="file:///etc/passwd">raw file</a>
<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">raw data</a>
<img src="javascript:alert(1)" alt="raw img">

<div class="block"><a class="split"
href="java
script:alert(1)">raw split</a>
<iframe title="raw frame" src="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg=="></iframe>
<form action="javascript:alert(1)"><button formaction="JAVASCRIPT:alert(2)">raw form</button></form>
</div>

[audio src="javascript:alert(1)"]

[video src="javascript:alert(2)" poster="javascript:alert(3)"]
"#;

/// Links and images that must stay exactly as written.
const SAFE: &str = "[web](https://example.org/a?b=1) [rel](../autre/) [mail](mailto:a@example.org) \
[tel](tel:+33123456789) [frag](#note) <a href=\"https://example.org/raw\">raw web</a>\n\n\
<img src=\"data:image/png;base64,iVBORw0KGgo=\" alt=\"dot\">\n";

/// The texts every link and image of [`DANGEROUS`] shows, which must stay.
const TEXTS: [&str; 26] = [
    "md case",
    "md dec",
    "md hex",
    "md colon",
    "md vb",
    "md file",
    "md data",
    "md ref",
    "md img",
    "md svg",
    "raw case",
    "raw space",
    "raw dec",
    "raw hex",
    "raw dec bare",
    "raw colon",
    "raw tab entity",
    "raw tab hex",
    "raw tab",
    "raw newline",
    "raw vb",
    "raw file",
    "raw data",
    "raw img",
    "raw split",
    "raw form",
];

/// A site whose post `piege` holds [`DANGEROUS`] and [`SAFE`], with `config` added to
/// `site.toml`.
fn site(config: &str) -> Site {
    let site = Site::with_config(&format!(
        "title = \"Le Carnet\"\nbase_url = \"https://example.org/\"\nlanguage = \"fr\"\n{config}"
    ));
    site.post(
        "piege",
        "title = \"Piège\"\ndate = 2026-01-01",
        &format!("{DANGEROUS}\n{SAFE}"),
    );
    site.build();
    site
}

/// Every attribute of every tag of `html`, by element, name and value, the value decoded as a
/// browser decodes it. Written apart from Tribune's own reading, to check it.
fn attributes(html: &str) -> Vec<(String, String, String)> {
    let bytes = html.as_bytes();
    let mut found = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] != b'<' || !bytes.get(i + 1).is_some_and(u8::is_ascii_alphabetic) {
            i += 1;
            continue;
        }
        let start = i + 1;
        i = start;
        while i < bytes.len() && !bytes[i].is_ascii_whitespace() && !b"/>".contains(&bytes[i]) {
            i += 1;
        }
        let element = html[start..i].to_ascii_lowercase();
        while i < bytes.len() && bytes[i] != b'>' {
            if bytes[i].is_ascii_whitespace() || bytes[i] == b'/' {
                i += 1;
                continue;
            }
            let name_start = i;
            while i < bytes.len() && !bytes[i].is_ascii_whitespace() && !b"/>=".contains(&bytes[i])
            {
                i += 1;
            }
            let name = html[name_start..i].to_ascii_lowercase();
            if bytes.get(i) != Some(&b'=') {
                continue;
            }
            i += 1;
            let value = match bytes.get(i) {
                Some(&q) if q == b'"' || q == b'\'' => {
                    let end = html[i + 1..]
                        .find(q as char)
                        .map_or(html.len(), |e| i + 1 + e);
                    let v = &html[i + 1..end];
                    i = end + 1;
                    v
                }
                _ => {
                    let end = html[i..]
                        .find(|c: char| c.is_ascii_whitespace() || c == '>')
                        .map_or(html.len(), |e| i + e);
                    let v = &html[i..end];
                    i = end;
                    v
                }
            };
            found.push((element.clone(), name, decode(value)));
        }
    }
    found
}

/// `value` with its character references decoded.
fn decode(value: &str) -> String {
    let mut out = String::new();
    let mut rest = value;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        rest = &rest[amp + 1..];
        let named = [
            ("Tab;", '\t'),
            ("NewLine;", '\n'),
            ("colon;", ':'),
            ("amp;", '&'),
            ("quot;", '"'),
            ("lt;", '<'),
            ("gt;", '>'),
        ];
        if let Some((name, c)) = named.iter().find(|(n, _)| rest.starts_with(n)) {
            out.push(*c);
            rest = &rest[name.len()..];
        } else if let Some(number) = rest.strip_prefix('#') {
            let (radix, digits) = match number.strip_prefix(['x', 'X']) {
                Some(hex) => (16, hex),
                None => (10, number),
            };
            let len = digits
                .find(|c: char| !c.is_digit(radix))
                .unwrap_or(digits.len());
            let code = u32::from_str_radix(&digits[..len], radix).unwrap();
            out.push(char::from_u32(code).unwrap());
            rest = digits[len..].strip_prefix(';').unwrap_or(&digits[len..]);
        } else {
            out.push('&');
        }
    }
    out.push_str(rest);
    out
}

/// The URL attributes of `html` whose value, read as a browser reads a URL, has a scheme that
/// runs or opens something: what must never be found.
fn dangerous(html: &str) -> Vec<String> {
    attributes(html)
        .into_iter()
        .filter(|(element, name, value)| {
            let url: String = value
                .trim_start_matches(|c: char| c <= ' ')
                .chars()
                .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
                .collect::<String>()
                .to_ascii_lowercase();
            let picture = matches!(element.as_str(), "img" | "source")
                && name == "src"
                && url.starts_with("data:image/")
                && !url.contains("svg");
            // The theme's own icon, which browsers only ever draw.
            let icon = element == "link" && url.starts_with("data:image/");
            ["javascript:", "vbscript:", "file:", "data:"]
                .iter()
                .any(|scheme| url.starts_with(scheme))
                && !picture
                && !icon
        })
        .map(|(element, name, value)| format!("<{element} {name}=\"{value}\">"))
        .collect()
}

/// The HTML each feed gives readers for its items.
fn feed_html(site: &Site) -> Vec<(&'static str, String)> {
    let rss = rss::Channel::read_from(site.read("rss.xml").as_bytes()).unwrap();
    let atom = atom_syndication::Feed::read_from(site.read("atom.xml").as_bytes()).unwrap();
    let json: serde_json::Value = serde_json::from_str(&site.read("feed.json")).unwrap();
    let mut out = Vec::new();
    for item in rss.items() {
        out.extend(item.description().map(|d| ("rss.xml", d.to_string())));
        out.extend(item.content().map(|c| ("rss.xml", c.to_string())));
    }
    for entry in atom.entries() {
        out.extend(
            entry
                .content()
                .and_then(|c| c.value())
                .map(|v| ("atom.xml", v.to_string())),
        );
    }
    for item in json["items"].as_array().unwrap() {
        out.push((
            "feed.json",
            item["content_html"].as_str().unwrap().to_string(),
        ));
    }
    assert!(!out.is_empty());
    out
}

/// Whether `html` shows `text` as the whole text of an element (a link's, a button's) or as an
/// image's `alt`.
fn shows(html: &str, text: &str) -> bool {
    html.contains(&format!(">{text}</")) || html.contains(&format!("alt=\"{text}\""))
}

#[test]
fn dangerous_urls_reach_no_page_and_their_texts_stay() {
    let site = site("");
    let html = site.read("posts/piege/index.html");
    assert_eq!(dangerous(&html), Vec::<String>::new(), "{html}");
    for text in TEXTS {
        assert!(shows(&html, text), "{text} lost from {html}");
    }
    // The shortcodes' players stay, without their sources; the address shows as text.
    assert!(
        html.contains("<audio controls preload=\"none\"><a>"),
        "{html}"
    );
    assert!(
        html.contains("<video controls preload=\"none\"><a>"),
        "{html}"
    );
    assert!(html.contains("javascript:alert(2)</a></video>"), "{html}");
    // Elements stay, harmless, with their other attributes.
    assert!(html.contains("<a class=\"split\">raw split</a>"), "{html}");
    assert!(
        html.contains("<iframe title=\"raw frame\"></iframe>"),
        "{html}"
    );
    assert!(
        html.contains("<form><button>raw form</button></form>"),
        "{html}"
    );
    // The home page's summary too.
    assert_eq!(dangerous(&site.read("index.html")), Vec::<String>::new());
}

#[test]
fn dangerous_urls_reach_no_feed() {
    let site = site("");
    for (feed, html) in feed_html(&site) {
        assert_eq!(dangerous(&html), Vec::<String>::new(), "{feed}: {html}");
        for text in TEXTS {
            assert!(shows(&html, text), "{feed}: {text} lost from {html}");
        }
    }
}

#[test]
fn safe_links_and_data_pictures_stay_as_written() {
    let site = site("");
    let html = site.read("posts/piege/index.html");
    for kept in [
        r#"<a href="https://example.org/a?b=1">web</a>"#,
        r#"<a href="../autre/">rel</a>"#,
        r#"<a href="mailto:a@example.org">mail</a>"#,
        r#"<a href="tel:+33123456789">tel</a>"#,
        r##"<a href="#note">frag</a>"##,
        r#"<a href="https://example.org/raw">raw web</a>"#,
        r#"<img src="data:image/png;base64,iVBORw0KGgo=" alt="dot">"#,
    ] {
        assert!(html.contains(kept), "{kept} lost from {html}");
    }
    for (feed, html) in feed_html(&site) {
        assert!(
            html.contains(r#"<a href="https://example.org/a?b=1">web</a>"#)
                && html.contains(r#"<a href="mailto:a@example.org">mail</a>"#)
                && html.contains(r#"<a href="tel:+33123456789">tel</a>"#)
                && html.contains(r#"<img src="data:image/png;base64,iVBORw0KGgo=" alt="dot">"#),
            "{feed}: {html}"
        );
    }
}

#[test]
fn markdown_unsafe_keeps_urls_as_written() {
    let site = site("[markdown]\nunsafe = true\n");
    let html = site.read("posts/piege/index.html");
    // Every dangerous URL of the post is there (the check above sees each one): 9 Markdown
    // links, 2 images, 14 raw tags in a paragraph, 4 in a block, 5 in shortcodes' players.
    assert_eq!(dangerous(&html).len(), 34, "{:#?}", dangerous(&html));
    for kept in [
        r#"<a href="JaVaScRiPt:alert(1)">md case</a>"#,
        r#"<a href="JaVaScRiPt:alert(1)">raw case</a>"#,
        r#"<a href="&#106;avascript:alert(1)">raw dec</a>"#,
        r#"<form action="javascript:alert(1)">"#,
        r#"src="javascript:alert(1)""#,
    ] {
        assert!(html.contains(kept), "{kept} lost from {html}");
    }
    let (_, feed) = &feed_html(&site)[0];
    assert!(feed.contains(r#"href="vbscript:msgbox(1)""#), "{feed}");
}

#[test]
fn comments_link_only_to_web_and_mail_addresses() {
    let site = Site::new();
    site.file(
        "content/posts/avis/index.md",
        "+++\ntitle = \"Avis\"\ndate = 2026-01-01\n+++\nTexte.\n",
    );
    site.file(
        "content/posts/avis/comments.toml",
        "[[comment]]\nid = \"1\"\nauthor = \"Mallory\"\ndate = 2026-01-02T10:00:00+01:00\n\
         text = \"\"\"[clic](JaVa&#x09;ScRiPt:alert(1)) [donnees](data:text/html,x) \
         <a href=\"javascript:alert(2)\">brut</a> ![image](javascript:alert(3)) \
         [site](https://example.org/m) <javascript:alert(4)>\"\"\"\n",
    );
    site.build();
    let html = site.read("posts/avis/index.html");
    assert_eq!(dangerous(&html), Vec::<String>::new(), "{html}");
    assert!(html.contains("clic") && html.contains("donnees"), "{html}");
    assert!(
        html.contains(r#"<a rel="nofollow ugc" href="https://example.org/m">site</a>"#),
        "{html}"
    );
    // Raw HTML shows as text.
    assert!(html.contains("&lt;a href="), "{html}");
}

#[test]
fn a_cover_image_that_would_run_is_an_error_naming_the_line() {
    let site = Site::built();
    let before = site.tree("public");
    site.post(
        "piege",
        "title = \"Piège\"\ndate = 2026-01-01\nimage = \" JavaScript:alert(1)\"",
        "Texte.\n",
    );
    site.run(&["build"]).fails(
        1,
        &["content/posts/piege.md:4: `image` must be a picture's address, not ` JavaScript:alert(1)`"],
    );
    assert_eq!(site.tree("public"), before);
    site.post(
        "piege",
        "title = \"Piège\"\ndate = 2026-01-01\nimage = \"data:text/html;base64,PHNjcmlwdD4=\"",
        "Texte.\n",
    );
    site.run(&["build"]).fails(
        1,
        &["content/posts/piege.md:4: `image` must be a picture's address"],
    );
    site.post(
        "piege",
        "title = \"Piège\"\ndate = 2026-01-01\nimage = \"https://example.org/c.png\"",
        "Texte.\n",
    );
    site.build();
}

#[test]
fn an_unknown_markdown_setting_is_refused() {
    let site = Site::with_config(
        "title = \"T\"\nbase_url = \"https://example.org/\"\n[markdown]\nunsafe_html = true\n",
    );
    site.run(&["build"])
        .fails(1, &["site.toml:4", "unsafe_html"]);
}

#[test]
fn a_cover_never_leads_outside_the_site() {
    let outside = tempfile::tempdir().unwrap();
    let secret = crate::png(8, 6);
    std::fs::write(outside.path().join("secret.png"), &secret).unwrap();
    let site = Site::built();
    let before = site.tree("public");
    for (image, line) in [
        ("../../../../etc/hostname", 4),
        ("/../../secret.png", 4),
        ("..\\\\..\\\\..\\\\x.png", 4),
    ] {
        site.post(
            "fuite/index",
            &format!("title = \"Fuite\"\ndate = 2026-01-01\nimage = \"{image}\""),
            "Texte.\n",
        );
        site.run(&["build"]).fails(
            1,
            &[&format!(
                "content/posts/fuite/index.md:{line}: `image` leads outside the site"
            )],
        );
        assert_eq!(site.tree("public"), before);
    }
    // A link in the post's folder to a picture elsewhere is never read: no size, no copies.
    site.remove("content/posts/fuite/index.md");
    site.post(
        "fuite/index",
        "title = \"Fuite\"\ndate = 2026-01-01\nimage = \"cover.png\"",
        "Texte.\n",
    );
    #[cfg(unix)]
    std::os::unix::fs::symlink(
        outside.path().join("secret.png"),
        site.root().join("content/posts/fuite/cover.png"),
    )
    .unwrap();
    site.run(&["build"]).fails(
        1,
        &["content/posts/fuite/index.md:4: the cover image `cover.png` is not a file of the site"],
    );
    assert_eq!(site.tree("public"), before);
}
