//! The image step on whole sites: sizes and `srcset` of the web, the
//! e-mail's 1200/600 rule and weights, stripped metadata, EXIF orientation,
//! the cache, and bad images reported with file and line.

mod common;

use std::io::Cursor;
use std::path::Path;
use std::sync::LazyLock;

use common::{TempSite, project_root, select};
use cufpress::{BuildReport, Options};
use image::{DynamicImage, ImageFormat, Rgb, RgbImage, Rgba, RgbaImage};

/// The sample site, built once.
static SAMPLE: LazyLock<TempSite> = LazyLock::new(|| {
    let site = TempSite::sample();
    let run = site.build(&[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    site
});

fn build(root: &Path) -> BuildReport {
    cufpress::build(&Options {
        root: root.to_path_buf(),
        output: root.join("public"),
        today: chrono::NaiveDate::from_ymd_opt(2025, 9, 10).unwrap(),
        ..Options::default()
    })
}

fn attr(el: &scraper::ElementRef<'_>, name: &str) -> String {
    el.value().attr(name).unwrap_or("").to_string()
}

fn public_file(site: &TempSite, url: &str) -> Vec<u8> {
    let rel = url
        .trim_start_matches("https://www.cites-unies-france.org")
        .trim_start_matches('/');
    std::fs::read(site.path().join("public").join(rel)).unwrap_or_else(|e| panic!("{url}: {e}"))
}

/// No EXIF segment, no GPS bytes, nothing kamadak-exif can read.
fn assert_no_metadata(bytes: &[u8], what: &str) {
    assert!(
        exif::Reader::new()
            .continue_on_error(true)
            .read_from_container(&mut Cursor::new(bytes))
            .is_err(),
        "{what}: EXIF left"
    );
    for needle in [
        &b"Exif\0"[..],
        b"GPS",
        b"SN-4815162342",
        b"FakePhone",
        b"eXIf",
    ] {
        assert!(
            !bytes.windows(needle.len()).any(|w| w == needle),
            "{what}: {:?} left",
            String::from_utf8_lossy(needle)
        );
    }
}

#[test]
fn web_images_have_srcset_sizes_dimensions_and_lazy_loading() {
    let doc = SAMPLE.html("lettres/2025-09/index.html");
    let imgs = select(&doc, "main img");
    assert!(imgs.len() >= 5);
    assert_eq!(attr(&imgs[0], "loading"), "", "first image is not lazy");
    for (i, img) in imgs.iter().enumerate() {
        let srcset = attr(img, "srcset");
        let widths: Vec<u32> = srcset
            .split(", ")
            .map(|c| {
                c.rsplit_once(' ')
                    .unwrap()
                    .1
                    .trim_end_matches('w')
                    .parse()
                    .unwrap()
            })
            .collect();
        assert!(
            widths.len() >= 2 && widths.iter().all(|&w| w <= 1440),
            "{srcset}"
        );
        assert!(!attr(img, "sizes").is_empty());
        let (w, h): (u32, u32) = (
            attr(img, "width").parse().unwrap(),
            attr(img, "height").parse().unwrap(),
        );
        if i > 0 {
            assert_eq!(attr(img, "loading"), "lazy");
        }
        // Every candidate is the size it claims, with the aspect of width × height.
        for cand in srcset.split(", ") {
            let (url, wd) = cand.rsplit_once(' ').unwrap();
            let bytes = public_file(&SAMPLE, url);
            assert_no_metadata(&bytes, url);
            let d = image::load_from_memory(&bytes).unwrap();
            assert_eq!(format!("{}w", d.width()), wd, "{url}");
            let want_h = f64::from(d.width()) * f64::from(h) / f64::from(w);
            assert!((f64::from(d.height()) - want_h).abs() <= 1.0, "{url}");
        }
    }
    let photo = imgs
        .iter()
        .find(|i| attr(i, "src").contains("assises-antananarivo"))
        .unwrap();
    assert!(attr(photo, "srcset").contains("480w") && attr(photo, "srcset").contains("1440w"));
    assert!(attr(photo, "src").ends_with(".jpg") && attr(photo, "src").contains("-960."));
}

#[test]
fn exif_orientation_is_applied_and_originals_are_not_published() {
    let source = project_root().join("content/lettres/2025-09/images/haut-atlas-ijoukak.jpg");
    let bytes = std::fs::read(&source).unwrap();
    let exif = exif::Reader::new()
        .continue_on_error(true)
        .read_from_container(&mut Cursor::new(&bytes))
        .or_else(|e| e.distill_partial_result(|_| {}))
        .expect("the sample photo carries EXIF");
    assert!(
        exif.get_field(exif::Tag::GPSLatitude, exif::In::PRIMARY)
            .is_some()
    );
    let orientation = exif.get_field(exif::Tag::Orientation, exif::In::PRIMARY);
    assert_eq!(orientation.and_then(|f| f.value.get_uint(0)), Some(6));
    let stored = image::load_from_memory(&bytes).unwrap();
    assert!(stored.height() > stored.width(), "stored sideways");
    let doc = SAMPLE.html("lettres/2025-09/fonds-solidarite-maroc-mission/index.html");
    let img = select(&doc, "main img")[0];
    let out = image::load_from_memory(&public_file(&SAMPLE, &attr(&img, "src"))).unwrap();
    assert!(out.width() > out.height(), "shown upright (landscape)");
    let public = SAMPLE.path().join("public/lettres/2025-09/images");
    assert!(!public.join("haut-atlas-ijoukak.jpg").exists());
    for f in std::fs::read_dir(&public).unwrap() {
        let p = f.unwrap().path();
        assert_no_metadata(&std::fs::read(&p).unwrap(), &p.display().to_string());
    }
}

#[test]
fn email_images_are_1200_px_files_shown_at_the_column_width_and_light() {
    let doc = SAMPLE.html("lettres/2025-09/email.html");
    let imgs = select(&doc, "img");
    assert!(imgs.len() >= 5);
    let mut total = 0;
    for img in &imgs {
        let src = attr(img, "src");
        assert!(src.starts_with("https://"), "{src}");
        assert!(src.ends_with(".jpg") || src.ends_with(".png"), "{src}");
        assert!(src.contains("-email."), "{src}");
        assert!(img.value().attr("loading").is_none() && img.value().attr("srcset").is_none());
        let width: u32 = attr(img, "width").parse().unwrap();
        let height: u32 = attr(img, "height").parse().unwrap();
        assert!(width <= 600 && width > 0);
        let bytes = public_file(&SAMPLE, &src);
        assert!(bytes.len() < 200 * 1024, "{src}: {} bytes", bytes.len());
        total += bytes.len();
        let d = image::load_from_memory(&bytes).unwrap();
        assert!(d.width() <= 1200 && d.width() >= width, "{src}");
        let want_h = f64::from(width) * f64::from(d.height()) / f64::from(d.width());
        assert!((f64::from(height) - want_h).abs() <= 1.0, "{src}");
        if d.width() >= 1200 {
            assert_eq!(d.width(), 1200, "{src}: twice the column");
        }
    }
    assert!(total < 1024 * 1024, "letter images: {total} bytes");
    let eml = SAMPLE.read("lettres/2025-09/lettre-2025-09.eml");
    assert!(eml.contains("-email."), "the .eml shows the same files");
}

fn jpeg(img: &DynamicImage) -> Vec<u8> {
    let mut out = Vec::new();
    img.to_rgb8()
        .write_to(&mut Cursor::new(&mut out), ImageFormat::Jpeg)
        .unwrap();
    out
}

/// A photo-like picture: smooth gradients and noise (many colours).
fn photo(w: u32, h: u32, seed: u32) -> DynamicImage {
    let mut x = seed.wrapping_mul(2_654_435_761).max(1);
    DynamicImage::ImageRgb8(RgbImage::from_fn(w, h, |i, j| {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        let n = (x % 40) as u8;
        Rgb([(i * 200 / w) as u8 + n, (j * 200 / h) as u8 + n, 90 + n])
    }))
}

/// A fixture site with one article per image (and one body image).
fn site_with(images: &[(&str, Vec<u8>)], body_image: &str) -> TempSite {
    let site = TempSite::fixture("core-minimal");
    for (i, (name, bytes)) in images.iter().enumerate() {
        let p = site
            .path()
            .join("content/lettres/2025-09/images")
            .join(name);
        std::fs::write(p, bytes).unwrap();
        site.write(
            &format!("lettres/2025-09/img-{i}.md"),
            &format!(
                "---\ntitle: Image {i}\nsection: thematique\nimage: images/{name}\nimage_alt: Image {i}\n---\nTexte.\n"
            ),
        );
    }
    // Line 7 of the group's file is the image.
    site.write(
        "groupes/climat.md",
        &format!(
            "---\nname: Climat\nkind: thematique\n---\nUn texte.\n\n![Une image du corps](../lettres/2025-09/images/{body_image})\n"
        ),
    );
    site
}

#[test]
fn cache_makes_the_second_build_encode_nothing_and_a_change_once() {
    let site = site_with(
        &[
            ("a.jpg", jpeg(&photo(2000, 1200, 1))),
            ("b.jpg", jpeg(&photo(1600, 1200, 2))),
        ],
        "a.jpg",
    );
    let first = build(site.path());
    assert!(first.ok, "{:?}", first.diagnostics);
    assert_eq!((first.images.encoded, first.images.cached), (3, 0));
    let second = build(site.path());
    assert_eq!((second.images.encoded, second.images.cached), (0, 3));
    assert!(
        second.images.millis * 20 <= first.images.millis.max(20),
        "second {} ms vs first {} ms",
        second.images.millis,
        first.images.millis
    );
    let b = site.path().join("content/lettres/2025-09/images/b.jpg");
    std::fs::write(&b, jpeg(&photo(1600, 1200, 3))).unwrap();
    let third = build(site.path());
    assert_eq!((third.images.encoded, third.images.cached), (1, 2));
    let fourth = build(site.path());
    assert_eq!(fourth.images.encoded, 0);
    assert!(site.path().join(".cufpress-cache/images").is_dir());
    assert!(!site.path().join("public/.cufpress-cache").exists());
}

#[test]
fn webp_and_transparency_become_mail_safe_formats() {
    let mut webp = Vec::new();
    photo(800, 500, 4)
        .to_rgba8()
        .write_to(&mut Cursor::new(&mut webp), ImageFormat::WebP)
        .unwrap();
    let mut logo = Vec::new();
    RgbaImage::from_fn(700, 300, |i, _| {
        Rgba([200, 30, 30, if i < 350 { 0 } else { 255 }])
    })
    .write_to(&mut Cursor::new(&mut logo), ImageFormat::Png)
    .unwrap();
    let site = site_with(&[("slide.webp", webp), ("logo.png", logo)], "logo.png");
    let report = build(site.path());
    assert!(report.ok, "{:?}", report.diagnostics);
    assert!(
        !report
            .diagnostics
            .iter()
            .any(|d| d.message.contains("slide.webp")),
        "{:?}",
        report.diagnostics
    );
    let doc = site.html("lettres/2025-09/email.html");
    let srcs: Vec<String> = select(&doc, "img").iter().map(|i| attr(i, "src")).collect();
    let slide = srcs
        .iter()
        .find(|s| s.contains("slide-email."))
        .expect("WebP shown");
    assert!(slide.ends_with(".jpg"), "{slide}");
    let logo = srcs
        .iter()
        .find(|s| s.contains("logo-email."))
        .expect("logo shown");
    assert!(logo.ends_with(".png"), "{logo}");
    let rel = logo.trim_start_matches("https://example.org/");
    let d = image::open(site.path().join("public").join(rel)).unwrap();
    assert!(d.color().has_alpha(), "transparency kept");
    // The body image of a group page gets the same treatment.
    let group = site.html("groupes/climat/index.html");
    let img = select(&group, "main img")[0];
    assert!(
        attr(&img, "src").contains("logo-700."),
        "{}",
        attr(&img, "src")
    );
    assert_eq!(
        (attr(&img, "width"), attr(&img, "height")),
        ("700".into(), "300".into())
    );
}

#[test]
fn bad_images_are_reported_with_file_and_line() {
    let good = jpeg(&photo(1600, 1000, 5));
    let truncated = good[..good.len() / 2].to_vec();
    let site = site_with(
        &[
            ("coupee.jpg", truncated),
            ("texte.jpg", b"ceci n'est pas une image\n".to_vec()),
            ("petite.jpg", jpeg(&photo(300, 200, 6))),
        ],
        "coupee.jpg",
    );
    let report = build(site.path());
    assert!(!report.ok);
    let find = |file: &str, what: &str| {
        report
            .diagnostics
            .iter()
            .find(|d| d.file.ends_with(file) && d.message.contains(what))
            .unwrap_or_else(|| panic!("{file} {what}: {:#?}", report.diagnostics))
    };
    let cut = find("img-0.md", "coupee.jpg");
    assert!(cut.is_error() && cut.line == 4 && cut.message.contains("incomplète"));
    let body = find("groupes/climat.md", "coupee.jpg");
    assert!(body.is_error() && body.line == 7, "{body:?}");
    let text = find("img-1.md", "texte.jpg");
    assert!(text.is_error() && text.message.contains("n'est pas une image"));
    let small = find("img-2.md", "petite.jpg");
    assert!(!small.is_error() && small.line == 4);
    assert!(small.message.contains("300 × 200 px") && small.message.contains("600 px"));
    assert!(
        small
            .suggestion
            .as_deref()
            .unwrap_or("")
            .contains("1200 px")
    );
}

/// The sender's identity (#16, point 8): the logo of `site.yaml` in the
/// site's header and the e-mail's, with its size set and a light file; the
/// supporters in the e-mail's footer.
#[test]
fn the_logo_heads_the_site_and_the_email_light_and_sized() {
    let site = &*SAMPLE;
    let home = site.html("index.html");
    let brand = select(&home, "header .brand img.brand-logo");
    assert_eq!(brand.len(), 1, "logo in the site header");
    assert_eq!(attr(&brand[0], "alt"), "Cités Unies France");
    for a in ["width", "height"] {
        assert!(attr(&brand[0], a).parse::<u32>().unwrap() > 0, "{a}");
    }
    let header_logo = public_file(site, &attr(&brand[0], "src"));
    assert!(image::load_from_memory(&header_logo).is_ok());

    let mail = site.html("lettres/2025-09/email.html");
    // Classes are gone once the CSS is inlined: images are told by their files.
    let imgs = select(&mail, "img");
    let logo: Vec<_> = imgs
        .iter()
        .filter(|i| attr(i, "src").contains("/images/logo-cuf-email."))
        .collect();
    assert_eq!(logo.len(), 1, "logo in the e-mail header");
    let width: u32 = attr(logo[0], "width").parse().unwrap();
    assert!(
        (1..=200).contains(&width),
        "shown at most 200 px wide: {width}"
    );
    assert!(attr(logo[0], "height").parse::<u32>().unwrap() > 0);
    let bytes = public_file(site, &attr(logo[0], "src"));
    assert!(bytes.len() <= 30 * 1024, "logo of {} bytes", bytes.len());
    // The masthead keeps its blue in dark mode, so the logo designed for it stays readable.
    let raw = site.read("lettres/2025-09/email.html");
    assert!(raw.contains(".m-mast { background-color: #0b4f8a !important; }"));
    let supporters: Vec<_> = imgs
        .iter()
        .filter(|i| attr(i, "src").contains("/images/soutien-exemple-email."))
        .collect();
    assert_eq!(supporters.len(), 1);
    assert_eq!(attr(supporters[0], "height"), "48");
    assert!(raw.contains("Dispositif soutenu par"));
    assert!(public_file(site, &attr(supporters[0], "src")).len() <= 30 * 1024);
}

#[test]
fn a_heavy_logo_is_reported_on_its_line_of_site_yaml() {
    let site = TempSite::fixture("core-minimal");
    // A noisy 1,600 × 800 picture stays far above 30 KB even at 400 px.
    let mut png = Vec::new();
    photo(1600, 800, 9)
        .write_to(&mut Cursor::new(&mut png), ImageFormat::Png)
        .unwrap();
    std::fs::create_dir_all(site.path().join("content/images")).unwrap();
    std::fs::write(site.path().join("content/images/logo.png"), png).unwrap();
    let yaml = std::fs::read_to_string(site.path().join("content/site.yaml")).unwrap();
    let line = yaml.lines().count() + 1;
    site.write(
        "site.yaml",
        &format!("{yaml}logo:\n  src: images/logo.png\n  alt: Cités Unies France\n"),
    );
    let report = build(site.path());
    assert!(report.ok, "{:?}", report.diagnostics);
    let d = report
        .diagnostics
        .iter()
        .find(|d| d.message.contains("logo.src"))
        .unwrap_or_else(|| panic!("no logo warning: {:?}", report.diagnostics));
    assert_eq!(
        (d.file.as_str(), d.line),
        ("content/site.yaml", line as u32)
    );
    assert!(d.message.contains("au-delà de 30 Ko"), "{}", d.message);
}
