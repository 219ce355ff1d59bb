//! Lighthouse 12.2.3 (mobile) on the sample site, in Debian's chromium:
//! accessibility, best practices and SEO at 100, performance at least 95,
//! on the pages readers open most (and the e-mail edition, performance
//! aside); a page under the performance floor is judged by the median of
//! three runs. `bench/lighthouse.sh` prints the same
//! scores as a table for the README.

mod common;

use common::{TempSite, node_json};

const PAGES: &[&str] = &[
    "/",
    "/lettres/2025-09/",
    "/lettres/2025-09/assises-franco-malgaches/",
    "/agenda/",
    "/repertoire/japon/",
    "/repertoire/japon/aix-en-provence-kumamoto/",
    "/recherche/",
    "/lettres/2025-09/email.html",
];

#[test]
fn lighthouse_scores_on_the_pages_readers_open() {
    let site = TempSite::sample();
    // Built for the address it is served at, so that the e-mail edition's
    // absolute image addresses load (offline, the production host does not
    // answer and each image would be a console error).
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .unwrap()
        .port()
        .to_string();
    let base = format!("http://127.0.0.1:{port}");
    // With the PDF editions, so that their links are on the pages.
    let r = site.build_with_pdf(&["--base-url", &base]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let public = site.path().join("public");
    let mut args = vec![public.to_str().unwrap(), "--port", &port];
    args.extend_from_slice(PAGES);
    let v = node_json("lighthouse.mjs", &args);
    let score = |v: &serde_json::Value, page: &str, category: &str| {
        v[page]["scores"][category].as_u64().unwrap_or(0)
    };
    // The e-mail edition is read in mail clients, which fetch its 1,200 px
    // photos whatever Lighthouse's simulated phone thinks of them: its
    // performance score is printed by bench/lighthouse.sh, not held to the
    // pages' floor.
    let performance_floor = |page: &str| if page.ends_with("email.html") { 0 } else { 95 };
    // Performance is timed, so it moves with the machine's load (the other
    // scores do not): as Lighthouse CI advises, a page under the floor is
    // measured twice more and judged by the median of its three runs.
    let slow: Vec<&str> = PAGES
        .iter()
        .copied()
        .filter(|p| score(&v, p, "performance") < performance_floor(p))
        .collect();
    let mut performance: std::collections::HashMap<&str, Vec<u64>> = PAGES
        .iter()
        .map(|p| (*p, vec![score(&v, p, "performance")]))
        .collect();
    if !slow.is_empty() {
        let mut again = vec![public.to_str().unwrap(), "--port", &port];
        again.extend_from_slice(&slow);
        for _ in 0..2 {
            let w = node_json("lighthouse.mjs", &again);
            for p in &slow {
                performance
                    .get_mut(p)
                    .unwrap()
                    .push(score(&w, p, "performance"));
            }
        }
    }
    let mut failures = Vec::new();
    for page in PAGES {
        let lost = &v[page]["lost"];
        let mut runs = performance[page].clone();
        runs.sort_unstable();
        let median = runs[runs.len() / 2];
        let floor = performance_floor(page);
        if median < floor {
            failures.push(format!("{page} : performance {runs:?} < {floor} ; {lost}"));
        }
        for (category, floor) in [
            ("accessibility", 100),
            ("best-practices", 100),
            ("seo", 100),
        ] {
            let got = score(&v, page, category);
            if got < floor {
                failures.push(format!("{page} : {category} {got} < {floor} ; {lost}"));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
