//! Responsive images: derived sizes and formats, orientation, privacy, errors, the cache.

use crate::{Site, png};

/// A JPEG of this size: a gradient.
pub(crate) fn jpeg(width: u32, height: u32) -> Vec<u8> {
    let image = image::RgbImage::from_fn(width, height, |x, y| {
        image::Rgb([(x % 256) as u8, (y % 256) as u8, 60])
    });
    let mut bytes = Vec::new();
    image::DynamicImage::ImageRgb8(image)
        .write_with_encoder(image::codecs::jpeg::JpegEncoder::new_with_quality(
            &mut bytes, 90,
        ))
        .unwrap();
    bytes
}

/// A photo as a phone takes it: a JPEG 40×20 as stored, to be turned a quarter clockwise
/// (EXIF orientation 6), with a GPS position and a camera serial number in its EXIF block.
fn phone_photo() -> Vec<u8> {
    let mut tiff: Vec<u8> = b"MM\0\x2a\0\0\0\x08".to_vec();
    // IFD0: orientation, serial (ASCII, at offset 50), GPS IFD pointer (at offset 62).
    tiff.extend([0, 3]);
    tiff.extend([0x01, 0x12, 0, 3, 0, 0, 0, 1, 0, 6, 0, 0]);
    tiff.extend([0xa4, 0x31, 0, 2, 0, 0, 0, 12, 0, 0, 0, 50]);
    tiff.extend([0x88, 0x25, 0, 4, 0, 0, 0, 1, 0, 0, 0, 62]);
    tiff.extend([0, 0, 0, 0]);
    assert_eq!(tiff.len(), 50);
    tiff.extend(b"SERIAL-4242\0");
    // GPS IFD: latitude reference "N".
    tiff.extend([0, 1]);
    tiff.extend([0, 1, 0, 2, 0, 0, 0, 2, b'N', 0, 0, 0]);
    tiff.extend([0, 0, 0, 0]);
    let mut app1 = b"Exif\0\0".to_vec();
    app1.extend(tiff);
    let plain = jpeg(40, 20);
    let mut photo = plain[..2].to_vec();
    photo.extend([0xff, 0xe1]);
    photo.extend(u16::try_from(app1.len() + 2).unwrap().to_be_bytes());
    photo.extend(app1);
    photo.extend(&plain[2..]);
    photo
}

fn size(bytes: &[u8]) -> (u32, u32) {
    let image = image::load_from_memory(bytes).unwrap();
    (image.width(), image.height())
}

fn album(widths: &str) -> Site {
    let site = Site::with_config(&format!(
        "title = \"T\"\nbase_url = \"https://e.org/\"\nlanguage = \"fr\"\n[images]\nwidths = {widths}\ncards = false\n"
    ));
    site.file(
        "content/posts/album/index.md",
        "+++\ntitle = \"Album\"\ndate = 2026-06-01\n+++\n![Le « port »](port.jpg)\n\nEt ![la plage](plage.png \"Été\").\n",
    )
    .bytes("content/posts/album/port.jpg", &jpeg(1000, 500))
    .bytes("content/posts/album/plage.png", &png(300, 100));
    site
}

#[test]
fn images_are_published_at_each_width_in_webp_and_their_own_format() {
    let site = album("[480, 800, 1200]");
    site.build();
    let out = site.tree("public/posts/album");
    for (file, expected) in [
        ("port-480w.jpg", (480, 240)),
        ("port-480w.webp", (480, 240)),
        ("port-800w.jpg", (800, 400)),
        ("port-800w.webp", (800, 400)),
        ("port.jpg", (1000, 500)),
        ("port.webp", (1000, 500)),
        ("plage.png", (300, 100)),
        ("plage.webp", (300, 100)),
    ] {
        assert_eq!(size(&out[file]), expected, "{file}");
    }
    // Never upscaled: no 1200 for a 1000-pixel photo, no variant at all for a small one.
    assert!(
        !out.keys()
            .any(|f| f.contains("1200w") || f.starts_with("plage-"))
    );
    let page = site.read("posts/album/index.html");
    assert!(page.contains(
        r#"<picture><source type="image/webp" srcset="port-480w.webp 480w, port-800w.webp 800w, port.webp 1000w" sizes="(max-width: 46rem) 100vw, 46rem"><img src="port.jpg" srcset="port-480w.jpg 480w, port-800w.jpg 800w, port.jpg 1000w" sizes="(max-width: 46rem) 100vw, 46rem" width="1000" height="500" alt="Le « port »" decoding="async"></picture>"#
    ), "the first image loads at once:\n{page}");
    assert!(page.contains(
        r#"<img src="plage.png" srcset="plage.png 300w" sizes="(max-width: 46rem) 100vw, 46rem" width="300" height="100" alt="la plage" title="Été" loading="lazy" decoding="async">"#
    ), "{page}");
    // Feeds carry absolute addresses in every candidate.
    let feed = site.read("atom.xml");
    assert!(feed.contains("https://e.org/posts/album/port-480w.webp 480w, https://e.org/posts/album/port-800w.webp 800w"), "{feed}");
}

#[test]
fn photos_are_turned_upright_and_lose_their_metadata() {
    let site = Site::new();
    let photo = phone_photo();
    assert!(image::load_from_memory(&photo).is_ok());
    assert!(photo.windows(11).any(|w| w == b"SERIAL-4242"));
    site.file(
        "content/posts/selfie/index.md",
        "+++\ntitle = \"Selfie\"\ndate = 2026-06-01\n+++\n![Moi](moi.jpg)\n",
    )
    .bytes("content/posts/selfie/moi.jpg", &photo);
    site.build();
    let out = site.tree("public/posts/selfie");
    for file in ["moi.jpg", "moi.webp"] {
        assert_eq!(size(&out[file]), (20, 40), "{file} is upright");
        let bytes = &out[file];
        for secret in [&b"Exif"[..], b"SERIAL-4242", b"GPS"] {
            assert!(!bytes.windows(secret.len()).any(|w| w == secret), "{file}");
        }
    }
    assert!(
        site.read("posts/selfie/index.html")
            .contains(r#"width="20" height="40""#)
    );
}

#[test]
fn a_broken_image_is_an_error_naming_it_and_the_old_site_stays() {
    let site = album("[480]");
    site.build();
    let before = site.tree("public");
    let good = jpeg(1000, 500);
    site.bytes("content/posts/album/port.jpg", &good[..200]);
    site.run(&["build"]).fails(
        1,
        &[
            "content/posts/album/port.jpg",
            "image `port.jpg` is not a readable image",
        ],
    );
    assert_eq!(site.tree("public"), before, "the old site stays");

    // An image no post shows is still published, so it must be readable too.
    site.bytes("content/posts/album/port.jpg", &good)
        .bytes("content/posts/album/vide.png", b"");
    site.run(&["build"])
        .fails(1, &["content/posts/album/vide.png: this image is"]);
    assert_eq!(site.tree("public"), before);
}

#[test]
fn unchanged_images_come_from_the_cache_and_stale_variants_leave() {
    let site = album("[480, 800]");
    site.build();
    let variants = |site: &Site| {
        let mut cache = site.tree(".tribune/images");
        cache.remove("sources.tsv");
        cache
    };
    let cache = variants(&site);
    assert_eq!(cache.len(), 8, "{:?}", cache.keys());
    // Mark every cached variant: a build that re-encoded would not publish the mark.
    for name in cache.keys() {
        site.bytes(&format!(".tribune/images/{name}"), b"cached");
    }
    site.file(
        "content/posts/album/index.md",
        "+++\ntitle = \"Album\"\ndate = 2026-06-01\n+++\n![Le port](port.jpg)\n",
    );
    site.build();
    assert_eq!(site.tree("public/posts/album")["port-480w.webp"], b"cached");

    site.file(
        "site.toml",
        "title = \"T\"\nbase_url = \"https://e.org/\"\n[images]\nwidths = [600]\ncards = false\n",
    );
    site.build();
    let out = site.tree("public/posts/album");
    assert!(out.contains_key("port-600w.jpg"));
    assert!(
        !out.keys().any(|f| f.contains("480w") || f.contains("800w")),
        "{:?}",
        out.keys()
    );
    // The cache keeps what this build used, and no more.
    let now = variants(&site);
    assert_eq!(now.len(), 6, "{:?}", now.keys());
    assert!(
        now.keys()
            .all(|name| !cache.contains_key(name) || now[name] == b"cached")
    );
}

#[test]
fn figures_and_galleries_offer_every_width_too() {
    let site = album("[480]");
    site.file(
        "content/posts/album/index.md",
        "+++\ntitle = \"Album\"\ndate = 2026-06-01\n+++\nIntro.\n\n\
         [caption id=\"attachment_1\" align=\"alignright\"]![Le port](port.jpg) Le port, le soir[/caption]\n\n\
         [gallery ids=\"2,3\" images=\"port.jpg|plage.png|/ailleurs.jpg\" alts=\"Le port|La plage|Ailleurs\"]\n",
    );
    site.build();
    let page = site.read("posts/album/index.html");
    assert!(page.contains(
        r#"<figure class="wp-caption wp-caption--right">
  <picture><source type="image/webp" srcset="port-480w.webp 480w, port.webp 1000w" sizes="(max-width: 46rem) 100vw, 46rem"><img src="port.jpg" srcset="port-480w.jpg 480w, port.jpg 1000w" sizes="(max-width: 46rem) 100vw, 46rem" width="1000" height="500" alt="Le port" loading="lazy" decoding="async"></picture>
  <figcaption>Le port, le soir</figcaption>"#
    ), "{page}");
    assert!(page.contains(
        r#"<figure class="gallery-item"><picture><source type="image/webp" srcset="port-480w.webp 480w, port.webp 1000w" sizes="(max-width: 26rem) 100vw, (max-width: 46rem) 50vw, 22rem"><img src="port.jpg" srcset="port-480w.jpg 480w, port.jpg 1000w" sizes="(max-width: 26rem) 100vw, (max-width: 46rem) 50vw, 22rem" width="1000" height="500" alt="Le port" loading="lazy" decoding="async"></picture></figure>"#
    ), "{page}");
    assert!(
        page.contains(r#"width="300" height="100" alt="La plage""#),
        "{page}"
    );
    // An image that is not the site's own stays as it was written.
    assert!(
        page.contains(
            r#"<img src="/ailleurs.jpg" alt="Ailleurs" loading="lazy" decoding="async">"#
        ),
        "{page}"
    );
    let out = site.tree("public/posts/album");
    assert_eq!(size(&out["port-480w.webp"]), (480, 240));
}

#[test]
fn image_widths_are_checked() {
    let site = Site::with_config(
        "title = \"T\"\nbase_url = \"https://e.org/\"\n[images]\nwidths = [480, 0]\n",
    );
    site.run(&["build"])
        .fails(1, &["site.toml", "image width 0 is out of range"]);
}

#[test]
fn a_bundle_cover_is_a_picture_and_the_body_images_then_wait() {
    let site = album("[480]");
    site.file(
        "content/posts/album/index.md",
        "+++\ntitle = \"Album\"\ndate = 2026-06-01\nimage = \"port.jpg\"\nimage_alt = \"Le port\"\n+++\n![La plage](plage.png)\n",
    );
    site.build();
    let page = site.read("posts/album/index.html");
    assert!(page.contains(
        r#"<picture><source type="image/webp" srcset="/posts/album/port-480w.webp 480w, /posts/album/port.webp 1000w" sizes="(max-width: 46rem) 100vw, 46rem"><img src="/posts/album/port.jpg" srcset="/posts/album/port-480w.jpg 480w, /posts/album/port.jpg 1000w" sizes="(max-width: 46rem) 100vw, 46rem" alt="Le port" width="1000" height="500" decoding="async"></picture>"#
    ), "{page}");
    assert!(page.contains(r#"alt="La plage" loading="lazy""#), "{page}");
}

fn card_site() -> Site {
    let site = Site::with_config(
        "title = \"Le Carnet\"\nbase_url = \"https://example.org/\"\nlanguage = \"fr\"\ntimezone = \"Europe/Paris\"\nauthor = \"Camille\"\n[images]\ncards = true\n",
    );
    site.post(
        "long",
        "title = \"Bientôt sur Tribune : « Métiers éditoriaux », une série en six épisodes qui raconte les coulisses\"\ndate = 2026-06-01\ntags = [\"édition\"]",
        "Texte.",
    );
    site
}

/// A card's title has the apostrophes of the post's page: `L'été` is drawn as `L’été`.
#[test]
fn a_card_curls_the_apostrophes_of_its_title() {
    let card = |title: &str| {
        let site = card_site();
        site.post(
            "long",
            &format!("title = \"{title}\"\ndate = 2026-06-01"),
            "Texte.",
        );
        site.build();
        std::fs::read(site.root().join("public/posts/long/card.png")).unwrap()
    };
    let typed = card("L'été d'un auditeur");
    assert_eq!(typed, card("L’été d’un auditeur"));
    assert_ne!(
        typed,
        card("L´été d´un auditeur"),
        "another mark, another card"
    );
}

#[test]
fn every_post_gets_its_card_as_its_social_image() {
    let site = card_site();
    site.build();
    let card = std::fs::read(site.root().join("public/posts/long/card.png")).unwrap();
    assert_eq!(size(&card), (1200, 630));
    let page = site.read("posts/long/index.html");
    for meta in [
        r#"<meta property="og:image" content="https://example.org/posts/long/card.png">"#,
        r#"<meta property="og:image:width" content="1200">"#,
        r#"<meta property="og:image:height" content="630">"#,
        r#"<meta property="og:image:alt" content="Bientôt sur Tribune : « Métiers éditoriaux »"#,
        r#"<meta name="twitter:image" content="https://example.org/posts/long/card.png">"#,
    ] {
        assert!(page.contains(meta), "{meta}\n{page}");
    }

    // Another body: the same card, from the cache; another title: another card.
    let cached = site.tree(".tribune/images").len();
    site.post("long", "title = \"Bientôt sur Tribune : « Métiers éditoriaux », une série en six épisodes qui raconte les coulisses\"\ndate = 2026-06-01\ntags = [\"édition\"]", "Autre texte.");
    site.build();
    assert_eq!(
        site.tree(".tribune/images").len(),
        cached,
        "nothing drawn again"
    );
    assert_eq!(
        std::fs::read(site.root().join("public/posts/long/card.png")).unwrap(),
        card
    );
    site.post(
        "long",
        "title = \"Court\"\ndate = 2026-06-01",
        "Autre texte.",
    );
    site.build();
    assert_ne!(
        std::fs::read(site.root().join("public/posts/long/card.png")).unwrap(),
        card
    );
}

#[test]
fn cards_can_be_turned_off_or_drawn_from_the_site_template() {
    let site = card_site();
    site.file(
        "templates/card.svg",
        r##"<svg xmlns="http://www.w3.org/2000/svg" width="600" height="315"><rect width="600" height="315" fill="#000"/><text x="10" y="100" font-family="Inter" fill="#fff">{{ card.title_lines | join(sep=" ") }}</text></svg>"##,
    );
    site.build();
    let card = std::fs::read(site.root().join("public/posts/long/card.png")).unwrap();
    assert_eq!(size(&card), (600, 315), "the site's template");

    site.remove("templates/card.svg");
    site.file(
        "site.toml",
        "title = \"T\"\nbase_url = \"https://e.org/\"\nimage = \"/defaut.png\"\n[images]\ncards = false\n",
    )
    .bytes("static/defaut.png", &png(1200, 630));
    site.build();
    assert!(!site.has("posts/long/card.png"));
    let page = site.read("posts/long/index.html");
    assert!(page.contains(r#"<meta property="og:image" content="https://e.org/defaut.png">"#));
    // Without a word from the site, every post has its card.
    site.file(
        "site.toml",
        "title = \"T\"\nbase_url = \"https://e.org/\"\n",
    );
    site.build();
    assert!(site.has("posts/long/card.png"));
}

#[test]
fn a_cover_photo_is_drawn_on_the_card_upright() {
    let site = card_site();
    site.post(
        "photo",
        "title = \"Le port\"\ndate = 2026-06-01\nimage = \"/images/port.jpg\"",
        "Texte.",
    )
    .bytes("content/images/port.jpg", &jpeg(1000, 500));
    site.post("plain", "title = \"Le port\"\ndate = 2026-06-01", "Texte.");
    site.build();
    let card =
        |file: &str| std::fs::read(site.root().join(format!("public/posts/{file}"))).unwrap();
    let with_cover = image::load_from_memory(&card("photo/card.jpg"))
        .unwrap()
        .to_rgb8();
    assert_eq!(with_cover.dimensions(), (1200, 630));
    // The right of the card shows the photo (a gradient with blue 60), not the paper.
    let pixel = with_cover.get_pixel(940, 315);
    assert!(pixel[2] < 120, "{pixel:?}");
    let plain = image::load_from_memory(&card("plain/card.png"))
        .unwrap()
        .to_rgb8();
    assert_eq!(plain.get_pixel(940, 315), &image::Rgb([0xfb, 0xf9, 0xf4]));
    // The post's own image stays its og:image; its card goes to the social queue.
    let page = site.read("posts/photo/index.html");
    assert!(
        page.contains(
            r#"<meta property="og:image" content="https://example.org/images/port.jpg">"#
        ),
        "{page}"
    );

    // Another photo at the same address: another card.
    let before = card("photo/card.jpg");
    site.bytes("content/images/port.jpg", &jpeg(800, 800));
    site.build();
    assert_ne!(card("photo/card.jpg"), before);
    // Even a photo all detail and no flat colour keeps the card under what Bluesky takes.
    let noise = image::RgbImage::from_fn(1600, 1200, |x, y| {
        let n = (x.wrapping_mul(2_654_435_761) ^ y.wrapping_mul(2_246_822_519)) >> 7;
        image::Rgb([n as u8, (n >> 8) as u8, (n >> 16) as u8])
    });
    let mut noisy = Vec::new();
    image::DynamicImage::ImageRgb8(noise)
        .write_with_encoder(image::codecs::jpeg::JpegEncoder::new_with_quality(
            &mut noisy, 95,
        ))
        .unwrap();
    site.bytes("content/images/port.jpg", &noisy);
    site.build();
    assert!(
        card("photo/card.jpg").len() < 1_000_000,
        "{}",
        card("photo/card.jpg").len()
    );
    // A photo turned by its EXIF orientation is drawn upright, as on the page.
    site.bytes("content/images/port.jpg", &phone_photo());
    site.build();
    assert!(
        site.read("posts/photo/index.html")
            .contains(r#"width="20" height="40""#)
    );
}

#[test]
fn a_photo_s_webp_is_smaller_than_its_jpeg_and_a_drawing_s_is_exact() {
    let site = album("[480]");
    site.build();
    let out = site.tree("public/posts/album");
    for (webp, jpeg) in [
        ("port-480w.webp", "port-480w.jpg"),
        ("port.webp", "port.jpg"),
    ] {
        assert!(
            out[webp].len() < out[jpeg].len(),
            "{webp}: {} bytes, {jpeg}: {}",
            out[webp].len(),
            out[jpeg].len()
        );
    }
    // A PNG (a drawing, a screenshot) keeps every pixel in WebP, in fewer bytes.
    assert!(out["plage.webp"].len() < out["plage.png"].len());
    let drawn = image::load_from_memory(&out["plage.png"])
        .unwrap()
        .to_rgb8();
    let webp = image::load_from_memory(&out["plage.webp"])
        .unwrap()
        .to_rgb8();
    assert_eq!(drawn, webp);
}

#[test]
fn the_social_queue_carries_each_post_s_card_photo_or_not() {
    let site = Site::with_config(
        "title = \"Carnet\"\nbase_url = \"https://example.org/\"\nlanguage = \"fr\"\ntimezone = \"Europe/Paris\"\n[social]\n[social.channels.mastodon]\n",
    );
    // Both go live after now (Monday 2026-11-23 13:00 Paris), so both are announced.
    site.post(
        "photo",
        "title = \"Le port\"\ndate = 2026-11-24T10:00\nimage = \"/images/port.jpg\"",
        "Texte.",
    )
    .bytes("content/images/port.jpg", &jpeg(1000, 500));
    site.post(
        "plain",
        "title = \"La plage\"\ndate = 2026-11-24T11:00",
        "Texte.",
    );
    let run = site.run(&["queue", "--format", "json"]).ok();
    let queue: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let mut images: Vec<&str> = queue["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["image"].as_str().unwrap())
        .collect();
    images.sort_unstable();
    images.dedup();
    assert_eq!(
        images,
        [
            "https://example.org/posts/photo/card.jpg",
            "https://example.org/posts/plain/card.png"
        ]
    );
}

#[test]
fn a_card_is_drawn_again_when_the_site_it_shows_changes() {
    let site = card_site();
    site.build();
    let card = || std::fs::read(site.root().join("public/posts/long/card.png")).unwrap();
    let before = card();
    // The site's title is on every card, though no post changed.
    site.file(
        "site.toml",
        "title = \"Le Nouveau Carnet\"\nbase_url = \"https://example.org/\"\nlanguage = \"fr\"\ntimezone = \"Europe/Paris\"\nauthor = \"Camille\"\n",
    );
    site.build();
    assert_ne!(card(), before);
    // A template the card's template includes is part of what it shows.
    let renamed = card();
    site.file(
        "templates/card_band.svg",
        r##"<rect width="1200" height="40" fill="#123456"/>"##,
    )
    .file(
        "templates/card.svg",
        &std::fs::read_to_string(
            std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("themes/default/templates/card.svg"),
        )
        .unwrap()
        .replace("</svg>", "{% include \"card_band.svg\" %}</svg>"),
    );
    site.build();
    let banded = card();
    assert_ne!(banded, renamed);
    site.file(
        "templates/card_band.svg",
        r##"<rect width="1200" height="40" fill="#654321"/>"##,
    );
    site.build();
    assert_ne!(card(), banded);
}

#[test]
fn a_broken_cover_stops_the_build_naming_it_and_the_old_site_stays() {
    let site = card_site();
    site.post(
        "photo",
        "title = \"Le port\"\ndate = 2026-06-01\nimage = \"/images/port.jpg\"",
        "Texte.",
    )
    .bytes("content/images/port.jpg", &jpeg(1000, 500));
    site.build();
    let before = site.tree("public");
    site.bytes("content/images/port.jpg", b"<html>not a photo</html>");
    site.run(&["build"]).fails(
        1,
        &["content/posts/photo.md:4: the cover image `content/images/port.jpg` is not a readable image"],
    );
    assert_eq!(site.tree("public"), before, "the old site stays");
}

#[test]
fn a_cover_that_is_not_there_is_an_error_naming_the_line() {
    let site = Site::built();
    let before = site.tree("public");
    for image in ["nope.png", "/images/nope.png"] {
        site.post(
            "absente",
            &format!("title = \"Absente\"\ndate = 2026-01-01\nimage = \"{image}\""),
            "Texte.\n",
        );
        site.run(&["check"]).fails(
            1,
            &[&format!(
                "content/posts/absente.md:4: the cover image `{image}` is not a file of the site"
            )],
        );
        site.run(&["build"]).fails(1, &["the cover image"]);
        assert_eq!(site.tree("public"), before);
    }
    // Beside a single-file post, the folder of its name holds its pictures.
    site.bytes("content/posts/absente/nope.png", &crate::png(4, 3));
    site.post(
        "absente",
        "title = \"Absente\"\ndate = 2026-01-01\nimage = \"nope.png\"",
        "Texte.\n",
    );
    site.build();
}
