//! `tribune import hugo` and `tribune import jekyll`: small sites written for the mappings,
//! imported into a new site, which then builds and checks.

use crate::Site;

/// A new site as `tribune init` makes it, in English.
fn blog() -> Site {
    let site = Site::new();
    site.remove("site.toml");
    site.run(&["init", "--language", "en"]).ok();
    site
}

/// An empty folder for the other engine's site, filled with `files`.
fn source(files: &[(&str, &str)]) -> Site {
    let site = Site::new();
    site.remove("site.toml");
    for (path, text) in files {
        site.file(path, text);
    }
    site
}

fn import(blog: &Site, engine: &str, src: &Site, extra: &[&str]) -> crate::Run {
    let mut args = vec!["import", engine, src.root().to_str().unwrap()];
    args.extend(extra);
    blog.run(&args)
}

/// Fails when a page shows template marks outside code.
fn assert_no_template_text(page: &str) {
    let mut text = String::new();
    let mut rest = page;
    while let Some(at) = rest.find("<code") {
        text.push_str(&rest[..at]);
        rest = rest[at..].split_once("</code>").map_or("", |(_, r)| r);
    }
    text.push_str(rest);
    for raw in ["{{&lt;", "{{<", "{%", "{{%"] {
        if let Some(at) = text.find(raw) {
            panic!(
                "{raw} in the page: {}",
                &text[at.saturating_sub(200)..at + 50]
            );
        }
    }
}

fn text(site: &Site, path: &str) -> String {
    std::fs::read_to_string(site.root().join(path))
        .unwrap_or_else(|e| panic!("{path}: {e}\n{:?}", site.tree("content").keys()))
}

const HUGO_CONFIG: &str = "\
title: The Old Blog
baseURL: https://old.example.org/
languageCode: en-us
timeZone: Europe/Paris
copyright: Me
defaultContentLanguage: en
languages:
  en: {weight: 1}
  fr: {weight: 2, title: Le Vieux Blog}
pagination:
  pagerSize: 7
taxonomies:
  tag: tags
  category: categories
  series: series
permalinks:
  post: /:year/:month/:slug/
params:
  description: Notes from the old blog
  author: Ann Writer
  mainSections: [post]
menus:
  main:
    - name: Docs
      url: /docs/
      weight: 2
    - name: About
      pageRef: /about
      weight: 1
    - name: Nowhere
      url: /missing/
      weight: 3
";

fn hugo_site() -> Site {
    let site = source(&[
        ("hugo.yaml", HUGO_CONFIG),
        (
            "content/post/first.md",
            "\u{feff}\n\n---\ntitle: \"First: a post\"\ndate: \"2021-03-04T10:20:00+01:00\"\nlastmod: 2021-04-01\ntag: [rust, web]\ncategory: News\ncategories: [Dev]\nseries: Basics\naliases: [/old/first/, legacy-first]\nimages: [/images/cover.png]\nweight: 3\nlayout: wide\n---\nSee [the third]({{< ref \"third\" >}}) and [the trip]({{< relref \"post/trip/index.md\" >}}).\n\n{{< figure src=\"/images/cover.png\" alt=\"Cover\" caption=\"The cover\" >}}\n\n{{< youtube w7Ft2ymGmfc >}}\n\n{{< highlight rust \"linenos=table\" >}}\nfn main() {}\n{{< /highlight >}}\n\nWrite {{</* figure src=\"x\" */>}} for a figure. By {{< param author >}}.\n\n{{% note kind=\"tip\" %}}Read *this*{{% /note %}}\n\n{{< chart 1 >}}\n",
        ),
        (
            "content/post/second.md",
            "+++\ntitle = \"Second\"\ndate = 2021-05-06\ndraft = true\nslug = \"the-second\"\n+++\nA draft.\n",
        ),
        (
            "content/post/third.md",
            "{\n  \"title\": \"Third\",\n  \"date\": \"2021-06-07\",\n  \"summary\": \"The third one\",\n  \"url\": \"/special/third.html\"\n}\nThird text.\n",
        ),
        (
            "content/post/trip/index.md",
            "---\ntitle: Trip\ndate: 2021-07-08 09:00:00 +0200\nfeatured_image: hero\nresources:\n  - src: photo.png\n    name: hero\n---\n![Photo](photo.png)\n",
        ),
        ("content/post/_index.md", "---\ntitle: Posts\n---\n"),
        ("content/_index.md", "---\ntitle: Home\n---\nWelcome.\n"),
        ("content/docs/_index.md", "---\n---\nThe docs.\n"),
        (
            "content/docs/install.md",
            "---\ntitle: Install\n---\nSee [first](https://old.example.org/2021/03/first/).\n",
        ),
        (
            "content/about.md",
            "---\ntitle: About\nurl: /about-me/\n---\nAbout me.\n",
        ),
        ("content/about.fr.md", "---\ntitle: À propos\n---\nMoi.\n"),
        (
            "content/post/only.fr.md",
            "---\ntitle: Seul\ndate: 2021-01-01\n---\nSeul.\n",
        ),
        ("content/notes.adoc", "= Notes\n"),
        (
            "layouts/shortcodes/note.html",
            "<aside class=\"{{ .Get \"kind\" }}\">{{ .Inner }}</aside>\n",
        ),
        (
            "layouts/shortcodes/chart.html",
            "{{ range .Params }}{{ . }}{{ end }}\n",
        ),
    ]);
    site.bytes("content/post/trip/photo.png", &crate::png(40, 30));
    site.bytes("static/images/cover.png", &crate::png(40, 30));
    site.file(
        "static/.well-known/security.txt",
        "Contact: mailto:a@example.org\n",
    );
    site.file("static/.htaccess", "ErrorDocument 404 /404.html\n");
    site.file("static/.DS_Store", "junk");
    site.file("static/images/.htaccess", "Options -Indexes\n");
    site
}

#[test]
fn a_hugo_site_comes_in_with_its_settings_posts_pages_and_old_addresses() {
    let src = hugo_site();
    let site = blog();
    let before = src.tree("");
    let run = import(&site, "hugo", &src, &[]).ok();
    assert_eq!(src.tree(""), before, "the Hugo site is only read");
    assert!(
        run.stdout
            .contains("Imported 3 posts, 4 pages, 1 draft and 0 scheduled posts."),
        "{}",
        run.stdout
    );
    let first = text(&site, "content/posts/first.md");
    for part in [
        "title = \"First: a post\"",
        "date = 2021-03-04T10:20:00+01:00",
        "updated = 2021-04-01",
        "tags = [\"rust\", \"web\"]",
        "themes = [\"Dev\", \"News\"]",
        "image = \"/images/cover.png\"",
        "aliases = [\"/2021/03/first/\", \"/old/first/\", \"/post/legacy-first/\"]",
        "[taxonomies]\nseries = [\"Basics\"]",
        "[extra]\nweight = 3",
        "[the third](/posts/third/) and [the trip](/posts/trip/)",
        "[caption]![Cover](/images/cover.png) The cover[/caption]",
        "[embed]https://www.youtube.com/watch?v=w7Ft2ymGmfc[/embed]",
        "```rust\nfn main() {}\n```",
        "Write ` {{< figure src=\"x\" >}} ` for a figure. By Ann Writer.",
        "[note kind=\"tip\"]Read *this*[/note]",
        "` {{< chart 1 >}} `",
    ] {
        assert!(first.contains(part), "{part}\n{first}");
    }
    assert!(!first.contains("layout"), "{first}");
    let second = text(&site, "content/posts/the-second.md");
    assert!(second.contains("draft = true") && second.contains("slug = \"the-second\""));
    let third = text(&site, "content/posts/third.md");
    assert!(third.contains("description = \"The third one\""));
    assert!(
        third.contains("aliases = [\"/special/third.html\"]"),
        "{third}"
    );
    let trip = text(&site, "content/posts/trip/index.md");
    assert!(
        trip.contains("date = 2021-07-08T09:00:00+02:00") && trip.contains("image = \"photo.png\"")
    );
    assert!(site.root().join("content/posts/trip/photo.png").is_file());
    let docs = text(&site, "content/docs.md");
    assert!(
        docs.contains("title = \"Docs\"") && docs.contains("The docs."),
        "{docs}"
    );
    let install = text(&site, "content/docs/install.md");
    assert!(install.contains("[first](/posts/first/)"), "{install}");
    let about = text(&site, "content/about-me.md");
    assert!(about.contains("About me."));
    let french = text(&site, "content/about-me.fr.md");
    assert!(
        french.contains("Moi.") && french.contains("aliases = [\"/fr/about/\"]"),
        "{french}"
    );
    assert!(site.root().join("static/images/cover.png").is_file());
    // Hugo publishes the whole of `static/`; what Tribune publishes of its hidden files comes.
    assert!(
        site.root()
            .join("static/.well-known/security.txt")
            .is_file()
    );
    assert!(site.root().join("static/.htaccess").is_file());
    assert!(!site.root().join("static/.DS_Store").exists());
    assert!(!site.root().join("static/images/.htaccess").exists());
    assert!(text(&site, "templates/shortcodes/note.html").contains("{{ attrs.kind"));
    let config = text(&site, "site.toml");
    for part in [
        "title = \"The Old Blog\"",
        "description = \"Notes from the old blog\"",
        "base_url = \"https://old.example.org/\"",
        "timezone = \"Europe/Paris\"",
        "author = \"Ann Writer\"",
        "taxonomies = [\"tags\", \"themes\", \"series\"]",
        "[build]\nposts_per_page = 7",
        "[languages.fr]\ntitle = \"Le Vieux Blog\"",
        "[[menu]]\ntitle = \"About\"\nurl = \"/about-me/\"\n\n[[menu]]\ntitle = \"Docs\"\nurl = \"/docs/\"",
        "\"/categories/news/\" = \"/themes/news/\"",
        "\"/post/\" = \"/archive/\"",
        "\"/index.xml\" = \"/rss.xml\"",
    ] {
        assert!(config.contains(part), "{part}\n{config}");
    }
    for part in [
        "content/post/only.fr.md: the fr version of content/post/only.md, which is not imported",
        "content/notes.adoc",
        "`copyright`",
        "\"Nowhere\" (/missing/)",
        "content/_index.md: the list of the home page",
    ] {
        assert!(run.stdout.contains(part), "{part}\n{}", run.stdout);
    }
    assert!(
        run.stderr
            .contains("content/post/first.md:30: {{< chart 1 >}}"),
        "{}",
        run.stderr
    );
    site.build();
    assert!(
        site.read("2021/03/first/index.html")
            .contains("/posts/first/")
    );
    assert!(site.read("special/third.html").contains("/posts/third/"));
    assert!(site.read("fr/about-me/index.html").contains("Moi."));
    assert!(site.read("fr/about/index.html").contains("/fr/about-me/"));
    let page = site.read("posts/first/index.html");
    assert_no_template_text(&page);
    site.run(&["check"]).ok();
    // Importing again changes nothing; an edited file is kept unless forced.
    let again = import(&site, "hugo", &src, &[]).ok();
    assert!(again.stdout.contains("Wrote 0 files"), "{}", again.stdout);
    let edited = text(&site, "content/posts/first.md") + "\nMine.\n";
    site.file("content/posts/first.md", &edited);
    let kept = import(&site, "hugo", &src, &[]).ok();
    assert!(
        kept.stderr
            .contains("content/posts/first.md was edited since the last import")
    );
    import(&site, "hugo", &src, &["--force"]).ok();
    assert!(!text(&site, "content/posts/first.md").contains("Mine."));
}

#[test]
fn a_folder_that_is_no_hugo_site_is_refused() {
    let src = source(&[("notes.txt", "x")]);
    let site = blog();
    import(&site, "hugo", &src, &[]).fails(1, &["is not a Hugo site"]);
    let bad = source(&[("hugo.toml", "title = \n")]);
    import(&site, "hugo", &bad, &[]).fails(1, &["hugo.toml:1", "cannot read the settings"]);
}

const JEKYLL_CONFIG: &str = "\
title: Old Jekyll
description: A Jekyll blog
url: https://jek.example.org
baseurl: /blog
lang: fr-FR
timezone: America/New_York
author:
  name: Jo Poster
paginate: 4
permalink: /:categories/:year/:month/:day/:title:output_ext
plugins: [jekyll-feed]
header_pages: [about.md]
collections:
  recipes:
    output: true
    permalink: /:collection/:name/
  authors:
    output: false
defaults:
  - scope: {path: \"\", type: posts}
    values: {layout: post, comments: true}
exclude: [notes/]
";

fn jekyll_site() -> Site {
    let site = source(&[
        ("_config.yml", JEKYLL_CONFIG),
        (
            "_posts/2020-01-02-hello-world.md",
            "---\r\ntitle: Hello World\r\ncategory: News\r\ntags: liquid jekyll\r\n---\r\nRead [the next]({% post_url 2020-02-03-second %}) and [about]({% link about.md %}).\n\n{% highlight ruby linenos %}\nputs 1\n{% endhighlight %}\n\n{% raw %}Write {{ site.title }} and {% if x %}{% endraw %}\n\nOn {{ site.title }}: ![logo]({{ \"/assets/logo.png\" | relative_url }}) {{ page.mood }}\n\n{% comment %}Hidden{% endcomment %}{% include note.html text=\"Careful\" %}\n\n{% include complex.html %}\n\n{% mytag arg %}\n{: .lead}\n",
        ),
        (
            "_posts/2020/2020-02-03-second.markdown",
            "---\ntitle: Second\ndate: 2020-02-03 22:30:00 -0500\npermalink: /second-post/\nlast_modified_at: 2020-03-01\nexcerpt: The second one\n---\nSecond.\n",
        ),
        (
            "news/_posts/2020-03-04-third.md",
            "---\ntitle: Third\npublished: false\nredirect_from: [/old-third/]\n---\nThird.\n",
        ),
        ("_posts/notes.txt", "not a post"),
        (
            "_drafts/coming-soon.md",
            "---\ntitle: Coming soon\n---\nSoon.\n",
        ),
        (
            "about.md",
            "---\ntitle: About\nlayout: page\n---\nAbout {{ site.author.name }}.\n",
        ),
        (
            "index.html",
            "---\nlayout: home\n---\n{% for post in site.posts %}{{ post.title }}{% endfor %}\n",
        ),
        ("feed.xml", "---\nlayout: null\n---\n<feed/>\n"),
        ("assets/main.scss", "---\n---\n@import \"minima\";\n"),
        (
            "_includes/note.html",
            "<p class=\"note\">{{ include.text }}</p>\n",
        ),
        ("_includes/complex.html", "{% if page.x %}x{% endif %}\n"),
        ("_recipes/soup.md", "---\ntitle: Soup\n---\nSoup.\n"),
        ("_authors/ann.md", "---\nname: Ann\n---\n"),
        ("notes/private.md", "---\ntitle: Private\n---\n"),
        ("Gemfile", "source 'https://rubygems.org'\n"),
        ("CNAME", "jek.example.org\n"),
    ]);
    site.bytes("assets/logo.png", &crate::png(20, 20));
    site
}

#[test]
fn a_jekyll_site_comes_in_with_its_settings_posts_drafts_pages_and_old_addresses() {
    let src = jekyll_site();
    let site = blog();
    let run = import(&site, "jekyll", &src, &[]).ok();
    assert!(
        run.stdout
            .contains("Imported 2 posts, 2 pages, 2 drafts and 0 scheduled posts."),
        "{}",
        run.stdout
    );
    let hello = text(&site, "content/posts/hello-world.md");
    for part in [
        "date = 2020-01-02\n",
        "tags = [\"liquid\", \"jekyll\"]",
        "themes = [\"News\"]",
        "aliases = [\"/news/2020/01/02/hello-world.html\"]",
        "[extra]\ncomments = true",
        "Read [the next](/posts/second/) and [about](/about/).",
        "```ruby\nputs 1\n```",
        "Write {{ site.title }} and ` {% if x %} `",
        "On Old Jekyll: ![logo](/assets/logo.png)",
        "<p class=\"note\">Careful</p>",
        "` {% include complex.html %} `",
        "` {% mytag arg %} `",
    ] {
        assert!(hello.contains(part), "{part}\n{hello}");
    }
    assert!(!hello.contains("Hidden") && !hello.contains("{: .lead}") && !hello.contains("layout"));
    let second = text(&site, "content/posts/second.md");
    for part in [
        "date = 2020-02-03T22:30:00-05:00",
        "updated = 2020-03-01",
        "description = \"The second one\"",
        "aliases = [\"/second-post/\"]",
    ] {
        assert!(second.contains(part), "{part}\n{second}");
    }
    let third = text(&site, "content/posts/third.md");
    assert!(
        third.contains("draft = true") && third.contains("themes = [\"news\"]"),
        "{third}"
    );
    assert!(
        third.contains("\"/news/2020/03/04/third.html\", \"/old-third/\""),
        "{third}"
    );
    let draft = text(&site, "content/posts/coming-soon.md");
    assert!(draft.contains("draft = true") && draft.contains("date = "));
    assert!(text(&site, "content/about.md").contains("About Jo Poster."));
    assert!(text(&site, "content/recipes/soup.md").contains("Soup."));
    assert!(site.root().join("static/assets/logo.png").is_file());
    assert!(site.root().join("static/CNAME").is_file());
    assert!(site.root().join("static/_posts/notes.txt").is_file());
    assert!(!site.root().join("static/Gemfile").exists());
    assert!(!site.root().join("static/notes").exists());
    let config = text(&site, "site.toml");
    for part in [
        "title = \"Old Jekyll\"",
        "base_url = \"https://jek.example.org/blog/\"",
        "language = \"fr\"",
        "timezone = \"America/New_York\"",
        "author = \"Jo Poster\"",
        "posts_per_page = 4",
        "[[menu]]\ntitle = \"About\"\nurl = \"/about/\"",
        "\"/feed.xml\" = \"/rss.xml\"",
    ] {
        assert!(config.contains(part), "{part}\n{config}");
    }
    for part in [
        "_authors/: 1 files of a collection",
        "index.html: a list of posts made by Liquid",
        "feed.xml: Liquid for Jekyll's templates",
        "`plugins`",
    ] {
        assert!(run.stdout.contains(part), "{part}\n{}", run.stdout);
    }
    assert!(
        run.stderr
            .contains("_posts/2020-01-02-hello-world.md:18: {% include complex.html %}"),
        "{}",
        run.stderr
    );
    site.build();
    assert!(
        site.read("news/2020/01/02/hello-world.html")
            .contains("/posts/hello-world/")
    );
    assert_no_template_text(&site.read("posts/hello-world/index.html"));
    site.run(&["check"]).ok();
}

#[test]
fn odd_front_matter_forms_each_come_in() {
    // One post per form real files have, and what its front matter must say once imported.
    let cases: [(&str, &str, &str); 10] = [
        (
            "2021-01-01-bom.md",
            "\u{feff}---\ntitle: Bom\n---\nText.\n",
            "title = \"Bom\"",
        ),
        (
            "2021-01-02-blank.md",
            "\n\n---\ntitle: Blank line first\n---\nText.\n",
            "title = \"Blank line first\"",
        ),
        (
            "2021-01-03-crlf.md",
            "---\r\ntitle: Windows\r\n---\r\nText.\r\n",
            "title = \"Windows\"",
        ),
        (
            "2021-01-04-tag.md",
            "---\ntitle: Tag\ntag: solo\n---\nText.\n",
            "tags = [\"solo\"]",
        ),
        (
            "2021-01-05-both.md",
            "---\ntitle: Both\ncategory: One\ncategories: [Two, One]\n---\nText.\n",
            "themes = [\"Two\", \"One\"]",
        ),
        (
            "2021-01-06-quoted.md",
            "---\ntitle: Quoted\ndate: '2021-01-06 08:15:00 +0530'\n---\nText.\n",
            "date = 2021-01-06T08:15:00+05:30",
        ),
        (
            "2021-01-07-day.md",
            "---\ntitle: Day\ndate: 2021-01-07\n---\nText.\n",
            "date = 2021-01-07\n",
        ),
        (
            "2021-01-08-from-name.md",
            "---\ntitle: From the name\n---\nText.\n",
            "date = 2021-01-08\n",
        ),
        (
            "2021-01-09-twice.md",
            "---\ntitle: First\ntitle: Twice\n---\nText.\n",
            "title = \"Twice\"",
        ),
        (
            // A control character pasted long ago, which pages and feeds cannot carry.
            "2021-01-10-control.md",
            "---\ntitle: Control\n---\nThe generation\u{e} of computing.\n",
            "The generation of computing.",
        ),
    ];
    let files: Vec<(String, &str)> = cases
        .iter()
        .map(|(name, text, _)| (format!("_posts/{name}"), *text))
        .collect();
    let files: Vec<(&str, &str)> = files.iter().map(|(p, t)| (p.as_str(), *t)).collect();
    let src = source(&files);
    src.file("_config.yml", "title: Odd\n");
    let site = blog();
    import(&site, "jekyll", &src, &[]).ok();
    for (name, _, expected) in cases {
        let slug = &name[11..name.len() - 3];
        let text = text(&site, &format!("content/posts/{slug}.md"));
        assert!(text.contains(expected), "{name}: {expected}\n{text}");
    }
    site.build();
}

#[test]
fn hugo_ugly_addresses_are_kept_as_html_files() {
    let src = source(&[
        (
            "config.toml",
            "title = \"Ugly\"\nuglyURLs = true\n[permalinks]\nposts = \"/:filename\"\n",
        ),
        (
            "content/posts/one.md",
            "---\ntitle: One\ndate: 2020-01-01\ntags: [Rust Lang]\n---\n[Two](/two.html), [Rust](/tags/rust-lang.html)\n",
        ),
        (
            "content/posts/two.md",
            "---\ntitle: Two\ndate: 2020-01-02\n---\nTwo.\n",
        ),
    ]);
    let site = blog();
    import(&site, "hugo", &src, &[]).ok();
    let one = text(&site, "content/posts/one.md");
    assert!(one.contains("aliases = [\"/one.html\"]"), "{one}");
    assert!(
        one.contains("[Two](/posts/two/), [Rust](/tags/rust-lang/)"),
        "{one}"
    );
    assert!(text(&site, "site.toml").contains("\"/tags/rust-lang.html\" = \"/tags/rust-lang/\""));
    site.build();
    assert!(site.read("one.html").contains("/posts/one/"));
}

#[test]
fn jekyll_tags_that_would_share_a_page_are_told_apart_and_the_site_builds() {
    let src = source(&[
        ("_config.yml", "title: Tags\n"),
        (
            "_posts/2021-05-06-c.md",
            "---\ntitle: On C\ntags: [C]\n---\nx\n",
        ),
        (
            "_posts/2021-05-07-cpp.md",
            "---\ntitle: On C++\ntags: [C++, c]\n---\ny\n",
        ),
    ]);
    let site = blog();
    let run = import(&site, "jekyll", &src, &[]).ok();
    assert!(
        run.stderr.contains("tags: `C++` is written `C-plus-plus`"),
        "{}",
        run.stderr
    );
    assert!(text(&site, "content/posts/cpp.md").contains("tags = [\"C-plus-plus\", \"c\"]"));
    site.build();
    assert!(site.read("tags/c-plus-plus/index.html").contains("On C++"));
    let c = site.read("tags/c/index.html");
    assert!(c.contains("On C") && c.contains("On C++"), "{c}");
}

#[test]
fn jekyll_headings_keep_the_ids_kramdown_gave_them_in_either_input() {
    let post = (
        "_posts/2021-05-06-ids.md",
        "---\ntitle: Ids\n---\n## 2. Démarrer vite\n\nx\n",
    );
    // Jekyll's default: kramdown reads GitHub-flavoured Markdown and names headings as GitHub.
    let src = source(&[("_config.yml", "title: Ids\n"), post]);
    let site = blog();
    import(&site, "jekyll", &src, &[]).ok();
    assert!(
        text(&site, "content/posts/ids.md").contains("## 2. Démarrer vite {#2-démarrer-vite}"),
        "{}",
        text(&site, "content/posts/ids.md")
    );
    site.build();
    assert!(
        site.read("posts/ids/index.html")
            .contains("id=\"2-démarrer-vite\"")
    );
    // Read as plain kramdown, ASCII from the first letter.
    let src = source(&[
        ("_config.yml", "title: Ids\nkramdown:\n  input: kramdown\n"),
        post,
    ]);
    let site = blog();
    import(&site, "jekyll", &src, &[]).ok();
    assert!(
        text(&site, "content/posts/ids.md").contains("## 2. Démarrer vite {#dmarrer-vite}"),
        "{}",
        text(&site, "content/posts/ids.md")
    );
}

#[test]
fn the_sample_page_gives_way_to_the_old_sites_own() {
    let src = source(&[
        ("_config.yml", "title: Mine\n"),
        (
            "about.md",
            "---\ntitle: About me\npermalink: /about/\n---\nIt is me.\n",
        ),
    ]);
    let site = blog();
    let run = import(&site, "jekyll", &src, &[]).ok();
    assert!(
        run.stderr.contains(
            "content/about.md was the sample page of a new site: replaced by the imported one"
        ),
        "{}",
        run.stderr
    );
    assert!(text(&site, "content/about.md").contains("It is me."));
}

#[test]
fn the_sample_page_gives_way_to_a_post_the_old_site_showed_at_its_address() {
    // A Hugo post given the about page's address by its `url`: it is imported as a post with
    // `/about/` as an old address, which the new site's sample page held.
    let src = source(&[
        ("config.toml", "title = \"Mine\"\n"),
        (
            "content/post/about.md",
            "---\ntitle: About me\ndate: 2021-11-16\nurl: about\n---\nIt is me.\n",
        ),
    ]);
    let site = blog();
    let run = import(&site, "hugo", &src, &[]).ok();
    assert!(
        run.stderr
            .contains("content/about.md was the sample page of a new site"),
        "{}",
        run.stderr
    );
    assert!(!site.root().join("content/about.md").exists());
    let about = text(&site, "content/posts/about.md");
    assert!(about.contains("\"/about/\""), "{about}");
    site.build();
    assert!(site.read("about/index.html").contains("/posts/about/"));

    // A page the site's owner wrote there stays, and the build says the address is taken twice.
    let site = blog();
    site.file("content/about.md", "+++\ntitle = \"Mine\"\n+++\nMine.\n");
    let run = import(&site, "hugo", &src, &[]).ok();
    assert!(!run.stderr.contains("sample page"), "{}", run.stderr);
    assert!(text(&site, "content/about.md").contains("Mine."));
}

#[test]
fn links_that_led_nowhere_become_text_and_the_new_site_checks_clean() {
    let src = source(&[
        (
            "hugo.toml",
            "title = \"Old\"\nbaseURL = \"https://old.example.org/\"\n",
        ),
        (
            "content/posts/a.md",
            "---\ntitle: A\ndate: 2020-01-01\n---\n## App 启动\n\nSee [the reply](#172 \"2013\"), \
             [the start](#app-启动), [a gone page](https://old.example.org/blog/gone.html), \
             [B's lost part](/posts/b/#nope), [B's start](/posts/b/#démarrer-vite) \
             and [a list](/tags/rust/).\n",
        ),
        (
            "content/posts/b.md",
            "---\ntitle: B\ndate: 2020-01-02\ntags: [rust]\n---\n## Démarrer vite\n\nB.\n",
        ),
    ]);
    let site = blog();
    let run = import(&site, "hugo", &src, &["--verbose"]).ok();
    let a = text(&site, "content/posts/a.md");
    for part in [
        "## App 启动 {#app-启动}",
        "See the reply, [the start](#app-启动), a gone page, [B's lost part](</posts/b/>), \
         [B's start](/posts/b/#démarrer-vite) and [a list](/tags/rust/).",
    ] {
        assert!(a.contains(part), "{part}\n{a}");
    }
    assert!(text(&site, "content/posts/b.md").contains("## Démarrer vite {#démarrer-vite}"));
    for part in [
        "links that led nowhere on the old site either",
        "content/posts/a.md: #172",
        "content/posts/a.md: https://old.example.org/blog/gone.html",
    ] {
        let said = format!("{}{}", run.stdout, run.stderr);
        assert!(said.contains(part), "{part}\n{said}");
    }
    site.build();
    let checked = site.run(&["check"]).ok();
    assert!(!checked.stdout.contains("error"), "{}", checked.stdout);
    assert!(!checked.stderr.contains("error"), "{}", checked.stderr);
}

#[test]
fn relative_links_lead_to_the_imported_pages_or_become_text() {
    let src = source(&[
        ("_config.yml", "title: Rel\nurl: https://rel.example.org\n"),
        (
            "_posts/2020-01-01-a.md",
            "---\ntitle: A\n---\nSee [B](2020-01-02-b.md#more), [B again](../02/b.html), \
             [nothing](../nothing/), [no file](notes.pdf) and [B by its old address][b].\n\n\
             [b]: /2020/01/02/b.html#more \"B\"\n",
        ),
        (
            "_posts/2020-01-02-b.md",
            "---\ntitle: B\n---\n## More\n\nB.\n",
        ),
    ]);
    let site = blog();
    import(&site, "jekyll", &src, &[]).ok();
    let a = text(&site, "content/posts/a.md");
    assert!(
        a.contains(
            "See [B](/posts/b/#more), [B again](/posts/b/), nothing, no file and \
             [B by its old address][b].\n\n[b]: /posts/b/#more \"B\""
        ),
        "{a}"
    );
}

#[test]
fn hugo_languages_in_folders_of_their_own_and_images_of_assets_come_in() {
    let src = source(&[
        (
            "hugo.toml",
            "title = \"Docs\"\ndefaultContentLanguage = \"en\"\n\
             [[module.mounts]]\nsource = \"content/en\"\ntarget = \"content\"\n\
             [module.mounts.sites.matrix]\nlanguages = [\"en\"]\n\
             [[module.mounts]]\nsource = \"content/fr\"\ntarget = \"content\"\nlang = \"fr\"\n\
             [languages.en]\ntitle = \"Docs\"\n[languages.fr]\ntitle = \"Doc\"\n",
        ),
        (
            "content/en/guide/start.md",
            "---\ntitle: Start\n---\n{{< figure src=\"/images/park.png\" alt=\"A park\" >}}\n\n\
             See [the end](/guide/end/).\n",
        ),
        (
            "content/en/guide/end.md",
            "---\ntitle: End\n---\nThe end, not [the draft](/guide/draft/).\n",
        ),
        (
            "content/en/guide/draft.md",
            "---\ntitle: Draft\ndraft: true\n---\nSoon.\n",
        ),
        (
            "content/fr/guide/start.md",
            "---\ntitle: Début\n---\nDébut.\n",
        ),
        (
            "content/en/search.md",
            "---\ntitle: Search\n---\nSearch here.\n",
        ),
        (
            "content/fr/search.md",
            "---\ntitle: Recherche\n---\nCherchez ici.\n",
        ),
        ("assets/css/main.css", "body {}\n"),
    ]);
    src.bytes("assets/images/park.png", &crate::png(40, 30));
    let site = blog();
    let run = import(&site, "hugo", &src, &[]).ok();
    let start = text(&site, "content/guide/start.md");
    assert!(start.contains("[the end](/guide/end/)"), "{start}");
    assert!(site.root().join("static/images/park.png").is_file());
    assert!(!site.root().join("static/css/main.css").exists());
    let french = text(&site, "content/guide/start.fr.md");
    assert!(french.contains("Début."), "{french}");
    assert!(text(&site, "content/guide/end.md").contains("The end, not the draft."));
    // `/fr/search/` is the French search page's: the translation keeps no alias there.
    assert!(!text(&site, "content/search-2.fr.md").contains("aliases"));
    assert!(
        run.stdout.contains("Imported 0 posts, 5 pages, 1 draft"),
        "{}",
        run.stdout
    );
    assert!(text(&site, "site.toml").contains("[languages.fr]"));
    site.build();
    assert!(
        site.read("guide/start/index.html")
            .contains("/images/park.png")
    );
    assert!(site.read("fr/guide/start/index.html").contains("Début."));
    site.run(&["check"]).ok();
}

#[test]
fn a_hugo_taxonomy_named_as_a_tribune_list_is_left_out_and_the_site_builds() {
    let src = source(&[
        (
            "hugo.toml",
            "title = \"Years\"\n[taxonomies]\ntag = \"tags\"\narchive = \"archive\"\n",
        ),
        (
            "content/posts/one.md",
            "---\ntitle: One\ndate: 2020-01-01\narchive: [\"2020\"]\n---\nOne.\n",
        ),
    ]);
    let site = blog();
    let run = import(&site, "hugo", &src, &["--verbose"]).ok();
    assert!(
        run.stdout
            .contains("`archive`: `archive` cannot be a taxonomy: the site uses /archive/ already"),
        "{}",
        run.stdout
    );
    assert!(!text(&site, "site.toml").contains("\"archive\"]"));
    assert!(text(&site, "content/posts/one.md").contains("[extra]\narchive = [\"2020\"]"));
    site.build();
    assert!(site.read("posts/one/index.html").contains("One."));
}
