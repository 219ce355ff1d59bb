//! The back-office in the browser (#14): `public/admin/config.yml` is made
//! from the content model and the site's own data (collections, widgets,
//! choices, patterns, French hints), the admin page is `noindex` and left
//! out of the sitemap, the forms follow the content after the next build,
//! and the `admin:` keys of `site.yaml` are checked with French errors.

mod common;

use common::{TempSite, select};
use yaml_serde::Value;

fn config(site: &TempSite) -> Value {
    yaml_serde::from_str(&site.read("admin/config.yml")).expect("config.yml is YAML")
}

fn built(fixture: &str) -> TempSite {
    let site = TempSite::fixture(fixture);
    let r = site.build(&[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    site
}

fn collection<'a>(c: &'a Value, name: &str) -> &'a Value {
    c["collections"]
        .as_sequence()
        .unwrap()
        .iter()
        .find(|x| x["name"].as_str() == Some(name))
        .unwrap_or_else(|| panic!("no collection {name}"))
}

fn file<'a>(coll: &'a Value, name: &str) -> &'a Value {
    coll["files"]
        .as_sequence()
        .unwrap()
        .iter()
        .find(|x| x["name"].as_str() == Some(name))
        .unwrap_or_else(|| panic!("no file {name}"))
}

fn field<'a>(fields: &'a Value, name: &str) -> &'a Value {
    fields
        .as_sequence()
        .unwrap()
        .iter()
        .find(|x| x["name"].as_str() == Some(name))
        .unwrap_or_else(|| panic!("no field {name}"))
}

fn options(f: &Value) -> Vec<(String, String)> {
    f["options"]
        .as_sequence()
        .unwrap()
        .iter()
        .map(|o| {
            (
                o["value"].as_str().unwrap().to_string(),
                o["label"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

fn names(v: &Value) -> Vec<String> {
    v.as_sequence()
        .unwrap()
        .iter()
        .map(|x| x["name"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn config_has_a_collection_per_kind_with_the_fitting_widgets() {
    let site = built("admin-site");
    let c = config(&site);
    assert_eq!(c["locale"].as_str(), Some("fr"));
    assert_eq!(c["local_backend"].as_bool(), Some(true));
    assert_eq!(c["slug"]["encoding"].as_str(), Some("ascii"));
    assert_eq!(c["slug"]["clean_accents"].as_bool(), Some(true));
    let all = names(&c["collections"]);
    for want in [
        "nouveau-numero",
        "lettre-2025-09",
        "articles-2025-09",
        "lettre-2025-07",
        "agenda",
        "programmes",
        "repertoire-madagascar",
        "partenariats-madagascar",
        "groupes",
        "reglages",
    ] {
        assert!(all.contains(&want.to_string()), "{want} in {all:?}");
    }
    // The issue, then its articles, each with its own form.
    let issue = collection(&c, "lettre-2025-09");
    let index = file(issue, "_index");
    assert_eq!(
        index["file"].as_str(),
        Some("content/lettres/2025-09/_index.md")
    );
    let date = field(&index["fields"], "date");
    assert_eq!(date["widget"].as_str(), Some("datetime"));
    assert_eq!(date["format"].as_str(), Some("YYYY-MM-DD"));
    assert_eq!(date["time_format"].as_bool(), Some(false));
    assert_eq!(date["required"].as_bool(), Some(true));
    let period = field(&index["fields"], "period");
    assert_eq!(period["widget"].as_str(), Some("object"));
    assert_eq!(names(&period["fields"]), ["from", "to"]);
    assert_eq!(
        field(&index["fields"], "draft")["widget"].as_str(),
        Some("boolean")
    );

    let article = file(issue, "mada-un");
    assert_eq!(article["media_folder"].as_str(), Some("images"));
    assert_eq!(article["public_folder"].as_str(), Some("images"));
    let f = &article["fields"];
    let section = field(f, "section");
    assert_eq!(section["widget"].as_str(), Some("select"));
    assert_eq!(section["required"].as_bool(), Some(true));
    assert_eq!(
        options(section),
        [
            ("editorial".to_string(), "Éditorial".to_string()),
            ("thematique".into(), "Actualités thématiques".into()),
            ("geographique".into(), "Actualités géographiques".into()),
        ]
    );
    let group = field(f, "group");
    assert_eq!(group["required"].as_bool(), Some(false));
    assert_eq!(
        options(group),
        [
            ("climat".to_string(), "Climat".to_string()),
            ("madagascar".into(), "Madagascar".into())
        ]
    );
    let themes = field(f, "themes");
    assert_eq!(themes["multiple"].as_bool(), Some(true));
    assert_eq!(
        options(themes)
            .into_iter()
            .map(|(v, _)| v)
            .collect::<Vec<_>>(),
        ["climat", "eau"]
    );
    assert_eq!(field(f, "image")["widget"].as_str(), Some("image"));
    assert!(
        field(f, "image_alt")["hint"]
            .as_str()
            .unwrap()
            .contains("obligatoire")
    );
    let link = field(f, "link");
    assert!(link["pattern"][1].as_str().unwrap().contains("https://"));
    assert_eq!(field(f, "body")["widget"].as_str(), Some("markdown"));
    assert_eq!(field(f, "body")["sanitize_preview"].as_bool(), Some(true));
    // Each kind's fields are written once (anchor) and then referred to,
    // so the file grows by a few lines per content file, not by a form.
    let yml = site.read("admin/config.yml");
    assert_eq!(yml.matches("fields: &article\n").count(), 1);
    assert!(yml.matches("fields: *article\n").count() >= 8);
    // A new article of this issue goes to its folder, its images to images/.
    let new = collection(&c, "articles-2025-09");
    assert_eq!(new["path"].as_str(), Some("2025-09/{{slug}}"));
    assert_eq!(new["media_folder"].as_str(), Some("images"));
    let new_issue = collection(&c, "nouveau-numero");
    assert_eq!(
        new_issue["path"].as_str(),
        Some("{{year}}-{{month}}/_index")
    );

    // Events: sub-folders listed, dates in both forms, programmes offered.
    let ev = collection(&c, "agenda");
    assert_eq!(ev["folder"].as_str(), Some("content/agenda"));
    assert!(ev["nested"]["depth"].as_i64().unwrap() >= 3);
    let start = field(&ev["fields"], "start");
    let re = regex_of(start);
    for ok in ["2025-10-14", "2025-10-14T14:00"] {
        assert!(matches_js(&re, ok), "{ok}");
    }
    for bad in ["14/10/2025", "2025-10-14 14:00", "2025-13-01"] {
        assert!(!matches_js(&re, bad), "{bad}");
    }
    assert!(
        start["pattern"][1]
            .as_str()
            .unwrap()
            .starts_with("date invalide")
    );
    assert_eq!(
        options(field(&ev["fields"], "programme")),
        [("parcours".to_string(), "Parcours de test".to_string())]
    );
    assert_eq!(
        field(&ev["fields"], "members_only")["widget"].as_str(),
        Some("boolean")
    );
    // Nested objects and lists.
    let prog = &collection(&c, "programmes")["fields"];
    for (list, sub) in [
        ("contacts", vec!["name", "role", "email"]),
        ("partners", vec!["name", "description"]),
        ("timeline", vec!["date", "label"]),
    ] {
        assert_eq!(field(prog, list)["widget"].as_str(), Some("list"));
        assert_eq!(names(&field(prog, list)["fields"]), sub);
    }
    let rep = collection(&c, "repertoire-madagascar");
    let p = &file(rep, "villetest-antsirabe")["fields"];
    assert_eq!(
        names(&field(p, "french")["fields"]),
        ["name", "type", "region", "department"]
    );
    assert_eq!(
        names(&field(p, "partner")["fields"]),
        ["name", "type", "region", "country"]
    );
    assert_eq!(
        names(&field(p, "projects")["fields"]),
        ["title", "years", "funding"]
    );
    let groups = &collection(&c, "groupes")["fields"];
    assert_eq!(
        names(&field(groups, "president")["fields"]),
        ["name", "gender", "function", "collectivite"]
    );
    // site.yaml as a file collection; section ids are slugs.
    let settings = file(collection(&c, "reglages"), "site");
    assert_eq!(settings["file"].as_str(), Some("content/site.yaml"));
    let id = field(&field(&settings["fields"], "sections")["fields"], "id");
    let re = regex_of(id);
    assert!(matches_js(&re, "appui-conseil"));
    assert!(!matches_js(&re, "Appui conseil"));
    assert!(!matches_js(&re, "réseau"));
    assert_eq!(
        id["pattern"][1].as_str(),
        Some(
            "nom invalide : seuls les minuscules sans accent, les chiffres et le tiret sont permis"
        )
    );
}

/// The pattern of a field (a JavaScript regex within the subset Rust's
/// tests can check by hand: anchored alternatives of simple classes).
fn regex_of(f: &Value) -> String {
    f["pattern"][0].as_str().unwrap().to_string()
}

/// Runs the pattern in node (the CMS runs it in the browser).
fn matches_js(re: &str, s: &str) -> bool {
    let out = std::process::Command::new("node")
        .args([
            "-e",
            "process.stdout.write(String(new RegExp(process.argv[1]).test(process.argv[2])))",
            re,
            s,
        ])
        .output()
        .expect("node");
    String::from_utf8_lossy(&out.stdout) == "true"
}

#[test]
fn admin_page_is_french_noindex_and_out_of_the_sitemap() {
    let site = built("admin-site");
    let doc = site.html("admin/index.html");
    let robots = select(&doc, "meta[name=robots]");
    assert_eq!(robots[0].value().attr("content"), Some("noindex, nofollow"));
    assert_eq!(select(&doc, "html")[0].value().attr("lang"), Some("fr"));
    let scripts = select(&doc, "script[src]");
    let cms = scripts
        .iter()
        .find(|s| s.value().attr("src").unwrap().contains("decap-cms@"))
        .expect("Decap CMS script");
    assert!(
        cms.value()
            .attr("integrity")
            .unwrap()
            .starts_with("sha384-")
    );
    assert_eq!(cms.value().attr("crossorigin"), Some("anonymous"));
    // Without admin: keys, the page says what to configure.
    let notice = select(&doc, "#cufpress-admin-notice");
    assert_eq!(notice.len(), 1);
    let text = common::text(&notice[0]);
    assert!(text.contains("backend: github"), "{text}");
    assert!(text.contains("npx decap-server"), "{text}");
    // The preview pane gets the theme's CSS.
    let body = select(&doc, "body");
    assert_eq!(body[0].value().attr("data-style-url"), Some("/style.css"));
    let js = site.read("admin/cufpress-admin.js");
    assert!(js.contains("registerPreviewStyle"));
    // No page, feed, sitemap, search index or e-mail points at it.
    let public = site.path().join("public");
    for e in walkdir::WalkDir::new(&public) {
        let e = e.unwrap();
        let rel = e
            .path()
            .strip_prefix(&public)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        if !e.file_type().is_file() || rel.starts_with("admin/") {
            continue;
        }
        if let Ok(text) = std::fs::read_to_string(e.path()) {
            assert!(!text.contains("/admin/"), "public/{rel} mentionne /admin/");
        }
    }
    assert!(site.path().join("public/sitemap.xml").is_file());
    // Same input, same bytes.
    let again = TempSite::fixture("admin-site");
    assert_eq!(again.build(&[]).code, 0);
    for f in ["admin/config.yml", "admin/index.html"] {
        assert_eq!(site.read(f), again.read(f), "{f}");
    }
}

#[test]
fn values_from_content_are_quoted_not_run() {
    let site = built("admin-site");
    let yml = site.read("admin/config.yml");
    // The trap article's title is a label: quoted, read back as written.
    let c = config(&site);
    let label = file(collection(&c, "lettre-2025-09"), "piege")["label"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(label.contains("<script>alert(1)</script>"), "{label}");
    assert!(!yml.contains("\n<script"));
    let html = site.read("admin/index.html");
    assert!(!html.contains("alert(1)"));
}

#[test]
fn forms_follow_the_content_after_the_next_build() {
    let site = built("admin-site");
    let before = config(&site);
    let yaml = std::fs::read_to_string(site.path().join("content/site.yaml")).unwrap();
    let yaml = yaml
        .replace(
            "  - id: geographique\n",
            "  - id: reseau\n    title: Actualités réseau\n  - id: geographique\n",
        )
        .replace(
            "  eau: Eau et assainissement\n",
            "  eau: Eau et assainissement\n  sante: Santé\n",
        );
    site.write("site.yaml", &yaml);
    site.write("groupes/japon.md", "---\nname: Japon\nkind: pays\n---\n");
    site.write(
        "lettres/2025-11/_index.md",
        "---\ntitle: Novembre 2025\ndate: 2025-11-05\nperiod:\n  from: 2025-11-01\n  to: 2025-11-30\n---\n",
    );
    let r = site.build(&[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let after = config(&site);
    assert_ne!(before, after);
    let f = &file(collection(&after, "lettre-2025-09"), "mada-un")["fields"];
    let sections: Vec<String> = options(field(f, "section"))
        .into_iter()
        .map(|(v, _)| v)
        .collect();
    assert_eq!(
        sections,
        ["editorial", "thematique", "reseau", "geographique"]
    );
    assert!(options(field(f, "themes")).contains(&("sante".into(), "Santé".into())));
    assert!(options(field(f, "group")).contains(&("japon".into(), "Japon".into())));
    collection(&after, "lettre-2025-11");
    collection(&after, "articles-2025-11");
}

#[test]
fn admin_keys_choose_the_backend_and_the_editorial_workflow() {
    let site = TempSite::fixture("admin-site");
    let yaml = std::fs::read_to_string(site.path().join("content/site.yaml")).unwrap();
    site.write(
        "site.yaml",
        &format!("{yaml}admin:\n  backend: github\n  repo: cites-unies-france/site\n  branch: publication\n"),
    );
    let r = site.build(&[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let c = config(&site);
    assert_eq!(c["backend"]["name"].as_str(), Some("github"));
    assert_eq!(
        c["backend"]["repo"].as_str(),
        Some("cites-unies-france/site")
    );
    assert_eq!(c["backend"]["branch"].as_str(), Some("publication"));
    assert_eq!(c["publish_mode"].as_str(), Some("editorial_workflow"));
    let doc = site.html("admin/index.html");
    assert!(select(&doc, "#cufpress-admin-notice").is_empty());

    site.write(
        "site.yaml",
        &format!("{yaml}admin:\n  backend: gitlab\n  repo: cuf/com/site\n  editorial_workflow: false\n  app_id: abc123\n"),
    );
    assert_eq!(site.build(&[]).code, 0);
    let c = config(&site);
    assert_eq!(c["backend"]["name"].as_str(), Some("gitlab"));
    assert_eq!(c["backend"]["branch"].as_str(), Some("main"));
    assert_eq!(c["backend"]["auth_type"].as_str(), Some("pkce"));
    assert!(c.get("publish_mode").is_none());
}

#[test]
fn bad_admin_keys_are_french_errors_on_their_line() {
    let site = TempSite::fixture("admin-site");
    let yaml = std::fs::read_to_string(site.path().join("content/site.yaml")).unwrap();
    let base = yaml.lines().count();
    let cases: &[(&str, usize, &str)] = &[
        (
            "admin:\n  backend: bitbucket\n",
            2,
            "« bitbucket » non reconnue",
        ),
        ("admin:\n  backend: github\n", 2, "`admin.repo` manque"),
        (
            "admin:\n  backend: github\n  repo: https://github.com/cuf/site\n",
            3,
            "dépôt « https://github.com/cuf/site » invalide",
        ),
        (
            "admin:\n  backend: gitlab\n  repo: cuf/site\n  branch: ma branche\n",
            4,
            "nom de branche « ma branche » invalide",
        ),
        (
            "admin:\n  backend: github\n  repo: cuf/site\n  reop: x\n",
            4,
            "`admin.reop` : clé inconnue",
        ),
        (
            "admin:\n  backend: github\n  repo: cuf/site\n  auth_url: javascript:alert(1)\n",
            4,
            "adresse dangereuse",
        ),
    ];
    for (extra, line, want) in cases {
        site.write("site.yaml", &format!("{yaml}{extra}"));
        let r = site.check();
        assert_ne!(r.code, 0, "{extra}");
        let at = format!("content/site.yaml:{}:", base + line);
        let hit = r
            .stderr
            .lines()
            .any(|l| l.contains(&at) && r.stderr.contains(want));
        assert!(hit, "{extra}: want {at} … {want}\n{}", r.stderr);
    }
}

#[test]
fn form_messages_are_the_checks_messages() {
    // An article with an image and no alternative text: the message the
    // form shows (data-image-alt-message) is the one of `cufpress check`.
    let site = TempSite::fixture("admin-site");
    site.write(
        "lettres/2025-09/sans-alt.md",
        "---\ntitle: Sans alt\nsection: editorial\nimage: images/photo.png\n---\n",
    );
    let r = site.check();
    assert_ne!(r.code, 0);
    let ok = TempSite::fixture("admin-site");
    assert_eq!(ok.build(&[]).code, 0);
    let doc = ok.html("admin/index.html");
    let body = select(&doc, "body");
    let msg = body[0].value().attr("data-image-alt-message").unwrap();
    assert!(r.stderr.contains(msg), "{msg}\n{}", r.stderr);
    // An event without a start.
    site.write(
        "lettres/2025-09/sans-alt.md",
        "---\ntitle: Avec alt\nsection: editorial\n---\n",
    );
    site.write("agenda/sans-date.md", "---\ntitle: Sans date\n---\n");
    let r = site.check();
    let msg = body[0].value().attr("data-start-message").unwrap();
    assert!(r.stderr.contains(msg), "{msg}\n{}", r.stderr);
}

/// `cufpress serve` for the local mode: the back-office is served as built
/// (no reload script under the writer's hands, `config.yml` as YAML) and
/// stays usable while the content has a mistake, to fix it there.
#[test]
fn serve_keeps_the_back_office_usable() {
    use std::io::{BufRead, BufReader, Read, Write};
    use std::process::Stdio;

    struct Kill(std::process::Child);
    impl Drop for Kill {
        fn drop(&mut self) {
            let _ = self.0.kill();
            let _ = self.0.wait();
        }
    }
    let site = TempSite::fixture("admin-site");
    let mut child = common::cufpress()
        .args([
            "serve",
            "--port",
            "0",
            "--today",
            common::SAMPLE_TODAY,
            "--root",
        ])
        .arg(site.path())
        .stderr(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .expect("serve");
    let stderr = child.stderr.take().unwrap();
    let _guard = Kill(child);
    // Read to the end (serve writes a line per rebuild), the port from the
    // start message.
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            if let Some(rest) = line.split("127.0.0.1:").nth(1) {
                let _ = tx.send(rest.split('/').next().unwrap_or("").parse::<u16>());
            }
        }
    });
    let port = rx
        .recv_timeout(std::time::Duration::from_secs(60))
        .expect("start message")
        .expect("port");
    let get = |path: &str| {
        let mut s = std::net::TcpStream::connect(("127.0.0.1", port)).unwrap();
        write!(s, "GET {path} HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n").unwrap();
        let mut raw = String::new();
        s.read_to_string(&mut raw).unwrap();
        raw
    };
    let admin = get("/admin/");
    assert!(admin.starts_with("HTTP/1.1 200"), "{admin}");
    assert!(!admin.contains("/__cufpress/evenements"), "{admin}");
    assert!(get("/").contains("/__cufpress/evenements"));
    let yml = get("/admin/config.yml");
    assert!(yml.contains("Content-Type: text/yaml"), "{yml}");
    site.write("lettres/2025-09/casse.md", "---\ntitle: x\n---\n");
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    while !get("/").starts_with("HTTP/1.1 500") {
        assert!(std::time::Instant::now() < deadline, "no rebuild");
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    let admin = get("/admin/");
    assert!(admin.starts_with("HTTP/1.1 200"), "{admin}");
    assert!(admin.contains("cms-config-url"));
}
