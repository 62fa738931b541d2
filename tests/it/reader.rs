//! What a reader sees on the default theme's pages: one share row, no empty bands, meta lines
//! that wrap cleanly, archives that list posts, responsive and sized covers, typeset comments.

use crate::Site;

#[test]
fn an_svg_cover_has_its_width_and_height() {
    let site = Site::new();
    site.file(
        "content/posts/schema/index.md",
        "+++\ntitle = \"Schéma\"\ndate = 2026-01-01\nimage = \"cover.svg\"\nimage_alt = \"Un schéma\"\n+++\nTexte.\n",
    )
    .file(
        "content/posts/schema/cover.svg",
        r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1200 630"><rect width="1200" height="630"/></svg>"#,
    )
    .file(
        "content/posts/plan.md",
        "+++\ntitle = \"Plan\"\ndate = 2026-01-02\nimage = \"/images/plan.svg\"\n+++\nTexte.\n",
    )
    .file(
        "static/images/plan.svg",
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="800px" viewBox="0 0 400 300"/>"#,
    );
    site.build();
    let page = site.read("posts/schema/index.html");
    assert!(
        page.contains(r#"<img src="/posts/schema/cover.svg" alt="Un schéma" width="1200" height="630" decoding="async">"#),
        "{page}"
    );
    let page = site.read("posts/plan/index.html");
    assert!(
        page.contains(
            r#"<img src="/images/plan.svg" alt="" width="800" height="600" decoding="async">"#
        ),
        "{page}"
    );
}
