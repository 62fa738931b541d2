//! Bad input: a clear message naming the file and line, a non-zero exit, and the previous
//! output left exactly as it was.

use crate::Site;

/// A site that built once.
fn built() -> Site {
    Site::built()
}

/// Runs a build expected to fail with exit code 1 and `parts` in its message, then checks
/// that the output folder did not change.
fn fails_and_keeps_output(site: &Site, parts: &[&str]) -> String {
    let before = site.tree("public");
    let run = site.run(&["build"]).fails(1, parts);
    assert!(
        run.stderr.contains("the output folder was left as it was"),
        "{}",
        run.stderr
    );
    assert_eq!(site.tree("public"), before, "the previous output changed");
    run.stderr
}

#[test]
fn malformed_toml_names_file_and_line() {
    let site = built();
    site.file(
        "content/posts/casse.md",
        "+++\ntitle = \"Cassé\"\ndate = 2026-01-02\ntags = [\"a\",\n+++\nx\n",
    );
    fails_and_keeps_output(&site, &["error: content/posts/casse.md:4: unclosed array"]);
}

#[test]
fn unknown_front_matter_key_suggests_the_closest() {
    let site = built();
    site.post(
        "faute",
        "title = \"Faute\"\ndate = 2026-01-02\ntgas = [\"a\"]",
        "x\n",
    );
    fails_and_keeps_output(
        &site,
        &[
            "content/posts/faute.md:4: unknown field `tgas`",
            "did you mean `tags`?",
        ],
    );
}

#[test]
fn bad_dates_name_the_line() {
    let site = built();
    site.post("date", "title = \"Date\"\ndate = \"le 3 mars\"", "x\n");
    fails_and_keeps_output(
        &site,
        &["content/posts/date.md:3: `date`: `le 3 mars` is not a date"],
    );
}

#[test]
fn a_post_without_date_or_title_is_an_error() {
    let site = built();
    site.post("vide", "description = \"rien\"", "x\n");
    fails_and_keeps_output(
        &site,
        &[
            "content/posts/vide.md:1: `title` is missing",
            "content/posts/vide.md:1: `date` is missing",
        ],
    );
}

#[test]
fn invalid_utf8_names_file_and_line() {
    let site = built();
    site.bytes(
        "content/posts/latin1.md",
        b"+++\ntitle = \"Caf\xe9\"\ndate = 2026-01-02\n+++\n",
    );
    fails_and_keeps_output(
        &site,
        &["content/posts/latin1.md:2: the file is not valid UTF-8"],
    );
}

#[test]
fn two_posts_on_one_url_name_both_files() {
    let site = built();
    site.post(
        "autre",
        "title = \"Autre\"\ndate = 2026-01-02\nslug = \"bonjour\"",
        "x\n",
    );
    fails_and_keeps_output(
        &site,
        &[
            "2 files want the URL /posts/bonjour/",
            "content/posts/autre.md",
            "content/posts/bonjour.md",
        ],
    );
}

#[test]
fn a_page_on_a_generated_url_is_an_error() {
    let site = built();
    site.file("content/tags.md", "+++\ntitle = \"Tags\"\n+++\nx\n");
    fails_and_keeps_output(
        &site,
        &["content/tags.md, the tags list all write /tags/index.html"],
    );
}

#[test]
fn slugs_and_aliases_cannot_leave_the_output_folder() {
    let site = built();
    site.post(
        "evasion",
        "title = \"Évasion\"\ndate = 2026-01-02\nslug = \"..\"",
        "x\n",
    );
    fails_and_keeps_output(
        &site,
        &["content/posts/evasion.md:4: slug `..` would leave the output folder"],
    );
    site.remove("content/posts/evasion.md");
    site.post(
        "alias",
        "title = \"Alias\"\ndate = 2026-01-02\naliases = [\"/../../etc/\"]",
        "x\n",
    );
    fails_and_keeps_output(
        &site,
        &["content/posts/alias.md:4: alias `/../../etc/`: `..` would leave the output folder"],
    );
    assert!(!site.root().parent().unwrap().join("etc").exists());
}

#[test]
fn every_content_error_is_reported_in_one_run() {
    let site = built();
    site.post("un", "title = \"Un\"\ndate = \"hier\"", "x\n");
    site.post("deux", "titre = \"Deux\"", "x\n");
    site.file("content/posts/trois.md", "no front matter\n");
    let stderr = fails_and_keeps_output(
        &site,
        &[
            "content/posts/un.md:3:",
            "content/posts/deux.md:2:",
            "content/posts/trois.md:1:",
        ],
    );
    assert!(stderr.contains("Build failed with 3 errors"), "{stderr}");
}

#[test]
fn template_errors_name_the_template() {
    let site = built();
    site.file("templates/post.html", "{% extends \"missing.html\" %}");
    fails_and_keeps_output(&site, &["templates/post.html", "missing.html"]);
}

#[test]
fn card_template_errors_name_the_template_and_the_post() {
    let site = built();
    site.file("templates/card.html", "{{ post.no_such_field }}");
    let stderr = fails_and_keeps_output(&site, &["templates/card.html", "no_such_field"]);
    assert!(stderr.contains("posts/"), "names the post: {stderr}");
}

#[test]
fn template_syntax_errors_name_the_template() {
    let site = built();
    site.file("templates/index.html", "<h1>\n{{ site.title </h1>");
    fails_and_keeps_output(
        &site,
        &["error: templates/index.html:2: Found `</` but expected }}"],
    );
}

#[test]
fn config_errors_name_the_key_and_line() {
    let site = built();
    site.file(
        "site.toml",
        "title = \"T\"\nbase_url = \"https://e.org/\"\nlangage = \"fr\"\n",
    );
    fails_and_keeps_output(
        &site,
        &[
            "site.toml:3: unknown field `langage`",
            "did you mean `language`?",
        ],
    );
    site.file(
        "site.toml",
        "title = \"T\"\nbase_url = \"https://e.org/\"\ntimezone = \"Europe/Pariss\"\n",
    );
    fails_and_keeps_output(&site, &["site.toml:3: unknown time zone `Europe/Pariss`"]);
    site.file(
        "site.toml",
        "title = \"T\"\nbase_url = \"https://e.org/\"\n[build]\npermalink = \"/../:slug/\"\n",
    );
    fails_and_keeps_output(
        &site,
        &[
            "site.toml:4: permalink `/../:slug/`",
            "would leave the output folder",
        ],
    );
    site.file(
        "site.toml",
        "title = \"T\"\nbase_url = \"https://e.org/\"\ntheme = \"nowhere\"\n",
    );
    fails_and_keeps_output(&site, &["site.toml: theme `nowhere` not found"]);
}

#[test]
fn a_folder_without_site_toml_is_explained() {
    let site = built();
    site.remove("site.toml");
    site.run(&["build"])
        .fails(1, &["no site.toml in", "--root"]);
}

#[test]
fn an_unknown_taxonomy_is_an_error() {
    let site = built();
    site.post(
        "serie",
        "title = \"Série\"\ndate = 2026-01-02\n[taxonomies]\nseries = [\"x\"]",
        "x\n",
    );
    fails_and_keeps_output(
        &site,
        &[
            "content/posts/serie.md:4: unknown taxonomy `series`",
            "taxonomies = [\"tags\", \"themes\", \"series\"]",
        ],
    );
}

#[test]
fn errors_in_the_newer_site_settings_name_their_line() {
    let site = built();
    let base = "title = \"T\"\nbase_url = \"https://e.org/\"\n";
    site.file(
        "site.toml",
        &format!("{base}[share]\nplatforms = [\"mastodn\"]\n"),
    );
    fails_and_keeps_output(
        &site,
        &[
            "site.toml:4: unknown share platform `mastodn`",
            "did you mean `mastodon`?",
        ],
    );
    site.file(
        "site.toml",
        &format!("{base}[freshness]\nstale_after = \"bientôt\"\n"),
    );
    fails_and_keeps_output(
        &site,
        &["site.toml:4: freshness.stale_after: `bientôt` is not a length of time"],
    );
    site.file("site.toml", &format!("{base}[social.channels.twiter]\n"));
    fails_and_keeps_output(
        &site,
        &[
            "site.toml: unknown social channel `twiter`",
            "Twitter is the channel `x`",
        ],
    );
    site.file(
        "site.toml",
        &format!("{base}[social.schedule]\ntimes = [\"9h\"]\n[social.channels.x]\n"),
    );
    fails_and_keeps_output(
        &site,
        &["site.toml:4: `9h` is not a time: write 09:00 or 12:30"],
    );
    site.file(
        "site.toml",
        &format!("{base}[social]\noutput = \"../dehors\"\n[social.channels.x]\n"),
    );
    fails_and_keeps_output(
        &site,
        &["site.toml:4: social.output `../dehors` must stay inside the site folder"],
    );
}

#[test]
fn errors_in_the_newer_front_matter_tables_name_their_line() {
    let site = built();
    site.post(
        "a",
        "title = \"A\"\ndate = 2026-01-02\n[share]\ntxt = \"x\"",
        "x\n",
    );
    fails_and_keeps_output(
        &site,
        &[
            "content/posts/a.md:4: unknown key `share.txt`",
            "did you mean `text`?",
        ],
    );
    site.post(
        "a",
        "title = \"A\"\ndate = 2026-01-02\n[social]\nposts = [{ texte = \"x\" }]",
        "x\n",
    );
    fails_and_keeps_output(
        &site,
        &["content/posts/a.md:5: unknown key `social.posts.texte`"],
    );
    site.post(
        "a",
        "title = \"A\"\ndate = 2026-01-02\nexpires = 2026-01-01",
        "x\n",
    );
    fails_and_keeps_output(
        &site,
        &["content/posts/a.md:4: `expires` must come after the publication date"],
    );
    site.post(
        "a",
        "title = \"A\"\ndate = 2026-01-02\nlink = \"example.org\"",
        "x\n",
    );
    fails_and_keeps_output(
        &site,
        &["content/posts/a.md:4: `link` must be a full URL starting with https://"],
    );
    site.post(
        "a",
        "title = \"A\"\ndate = 2026-01-02\nreview_by = \"demain\"",
        "x\n",
    );
    fails_and_keeps_output(
        &site,
        &["content/posts/a.md:4: `review_by`: `demain` is not a date"],
    );
}

#[test]
fn taxonomies_cannot_take_generated_folders_or_repeat() {
    let site = built();
    site.file(
        "site.toml",
        "title = \"T\"\nbase_url = \"https://e.org/\"\ntaxonomies = [\"tags\", \"archive\"]\n",
    );
    fails_and_keeps_output(
        &site,
        &["site.toml:3: `archive` cannot be a taxonomy: the site uses /archive/ already"],
    );
    site.file(
        "site.toml",
        "title = \"T\"\nbase_url = \"https://e.org/\"\ntaxonomies = [\"tags\", \"tags\"]\n",
    );
    fails_and_keeps_output(&site, &["site.toml:3: taxonomy `tags` is declared twice"]);
}

#[test]
fn a_language_is_a_language_code() {
    let site = Site::with_config(
        "title = \"T\"\nbase_url = \"https://example.org/\"\nlanguage = \"english\"\n",
    );
    site.run(&["build"]).fails(
        1,
        &[
            "site.toml:3",
            "`english` is not a language code",
            "`fr`, `en` or `fr-CA`",
        ],
    );
    let site = Site::new();
    site.post(
        "p",
        "title = \"P\"\ndate = 2026-01-01\nlang = \"fr_CA\"",
        "x\n",
    );
    site.run(&["build"]).fails(
        1,
        &["content/posts/p.md:4", "`fr_CA` is not a language code"],
    );
}

#[test]
fn a_value_of_the_wrong_type_is_named_in_words() {
    let site = built();
    site.file(
        "site.toml",
        "title = \"Le Carnet\"\nbase_url = \"https://example.org/\"\n\n[build]\nposts_per_page = \"10\"\n",
    );
    let stderr = fails_and_keeps_output(
        &site,
        &[
            "error: site.toml:5: `build.posts_per_page` must be a whole number, not a string\n",
            "  hint: remove the quotes: posts_per_page = 10\n",
        ],
    );
    assert!(!stderr.contains("i64"), "{stderr}");

    let site = built();
    site.post(
        "types",
        "title = \"Types\"\ndate = 2026-01-02\ndraft = \"true\"",
        "x\n",
    );
    fails_and_keeps_output(
        &site,
        &[
            "error: content/posts/types.md:4: `draft` must be true or false, not a string\n",
            "  hint: remove the quotes: draft = true\n",
        ],
    );
    site.post("types", "title = 2026\ndate = 2026-01-02", "x\n");
    fails_and_keeps_output(
        &site,
        &[
            "error: content/posts/types.md:2: `title` must be a string (text in quotes), not a whole number\n",
            "  hint: put it in quotes: title = \"2026\"\n",
        ],
    );
    // Tables read key by key say it alike.
    site.post(
        "types",
        "title = \"Types\"\ndate = 2026\n[share]\noff = \"true\"",
        "x\n",
    );
    fails_and_keeps_output(
        &site,
        &[
            "error: content/posts/types.md:3: `date` must be a date, not a whole number\n",
            "  hint: dates are written 2026-12-06, 2026-12-06T09:30:00 (in the site's time zone) or 2026-12-06T09:30:00+01:00 (with an offset)\n",
            "error: content/posts/types.md:4: `share.off` must be true or false, not a string\n",
            "  hint: remove the quotes: off = true\n",
        ],
    );
}

#[test]
fn a_date_toml_cannot_read_shows_the_forms_it_takes() {
    let site = built();
    site.post("date", "title = \"Date\"\ndate = 2026-12-6", "x\n");
    fails_and_keeps_output(
        &site,
        &[
            "error: content/posts/date.md:3: `date`: invalid date, expected a two-digit day (DD)\n",
            "  hint: write 2026-12-06; dates are written 2026-12-06, 2026-12-06T09:30:00 (in the site's time zone) or 2026-12-06T09:30:00+01:00 (with an offset)\n",
        ],
    );
    site.post("date", "title = \"Date\"\nupdated = 06/12/2026", "x\n");
    fails_and_keeps_output(
        &site,
        &[
            "error: content/posts/date.md:3: `updated`: ",
            "  hint: dates are written 2026-12-06, 2026-12-06T09:30:00 (in the site's time zone) or 2026-12-06T09:30:00+01:00 (with an offset)\n",
        ],
    );
}

#[test]
fn every_unknown_shortcode_is_reported_with_the_name_it_resembles() {
    let site = built();
    site.post(
        "codes",
        "title = \"Codes\"\ndate = 2026-01-02",
        "Un [pullqoute]mot[/pullqoute], puis [shar /] et [encadre titre=\"x\"]y[/encadre].\n\n[pullqoute]Encore.[/pullqoute]\n",
    );
    let stderr = fails_and_keeps_output(
        &site,
        &[
            "error: content/posts/codes.md:5: unknown shortcode `pullqoute`\n",
            "error: content/posts/codes.md:5: unknown shortcode `shar`\n",
            "error: content/posts/codes.md:5: unknown shortcode `encadre`\n",
            "error: content/posts/codes.md:7: unknown shortcode `pullqoute`\n",
            "  hint: did you mean `[pullquote]`?\n",
            "  hint: did you mean `[share]`?\n",
            "  hint: each shortcode renders through a template: add templates/shortcodes/NAME.html\n",
        ],
    );
    assert_eq!(stderr.matches("unknown shortcode").count(), 4, "{stderr}");
    // The caret is under each shortcode, not the whole line.
    assert!(stderr.contains("\n  |    ^^^^^^^^^^^\n"), "{stderr}");
    assert!(stderr.contains("Build failed with 4 errors"), "{stderr}");
}

#[test]
fn shortcodes_nested_too_deep_are_refused_at_the_limit() {
    let site = built();
    // The social queue reads pull quotes too: it is refused there as fast as in the page.
    site.file(
        "site.toml",
        "title = \"Le Carnet\"\nbase_url = \"https://example.org/\"\n[social.channels.mastodon]\n",
    );
    let nested = format!(
        "{}x{}\n",
        "[pullquote]".repeat(4000),
        "[/pullquote]".repeat(4000)
    );
    site.post("gigogne", "title = \"G\"\ndate = 2026-01-02", &nested);
    fails_and_keeps_output(
        &site,
        &[
            "error: content/posts/gigogne.md:5: shortcodes nested more than 16 deep\n",
            "  hint: close each shortcode before opening the next one\n",
        ],
    );
}

#[test]
fn two_terms_on_one_address_are_an_error_naming_both() {
    let site = built();
    site.post(
        "csharp",
        "title = \"C#\"\ndate = 2026-01-02\ntags = [\"C#\", \"rust\"]",
        "x\n",
    );
    site.post(
        "cpp",
        "title = \"C++\"\ndate = 2026-01-03\ntags = [\n  \"Rust\",\n  \"C++\",\n]",
        "x\n",
    );
    let stderr = fails_and_keeps_output(
        &site,
        &[
            "error: content/posts/csharp.md:4: the tags `C++` and `C#` both make the page /tags/c/: `C++` is given in content/posts/cpp.md:6, `C#` in content/posts/csharp.md:4\n",
            "  hint: only letters and digits make a term's address: name one of them otherwise (`C-sharp`, say), or write both the same way\n",
        ],
    );
    assert!(
        !stderr.contains("`rust`"),
        "`Rust` and `rust` are one tag: {stderr}"
    );
    site.remove("content/posts/csharp.md");
    site.post(
        "cpp",
        "title = \"C++\"\ndate = 2026-01-03\nthemes = [\"Web 2.0\", \"Web 2-0\"]",
        "x\n",
    );
    fails_and_keeps_output(
        &site,
        &[
            "error: content/posts/cpp.md:4: the themes `Web 2.0` and `Web 2-0` both make the page /themes/web-2-0/",
        ],
    );
}
