//! Every HTML page of the sample site and of the minimal fixture passes the
//! W3C Nu HTML checker (vnu-jar, run with java) with zero errors. One JVM
//! runs over all files: it is slow to start.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::TempSite;

fn html_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            html_files(&p, out);
        } else if p.extension().is_some_and(|e| e == "html")
            // The e-mail editions are table layouts for mail clients, checked apart.
            && !p.file_name().is_some_and(|n| n.to_string_lossy().starts_with("email"))
        {
            out.push(p);
        }
    }
}

#[test]
fn every_page_passes_the_nu_html_checker() {
    let jar = common::project_root().join("tests/browser/node_modules/vnu-jar/build/dist/vnu.jar");
    assert!(
        jar.is_file(),
        "vnu.jar absent : lancez `bash scripts/setup-test-tools.sh` (ou `npm install` dans tests/browser)"
    );
    let sample = TempSite::sample();
    let minimal = TempSite::fixture("core-minimal");
    let mut files = Vec::new();
    for site in [&sample, &minimal] {
        let r = site.build(&[]);
        assert_eq!(r.code, 0, "{}", r.stderr);
        html_files(&site.path().join("public"), &mut files);
    }
    files.sort();
    assert!(files.len() > 60, "only {} pages", files.len());
    let out = Command::new("java")
        .arg("-Xss4m")
        .arg("-jar")
        .arg(&jar)
        .args(["--format", "json", "--errors-only", "--exit-zero-always"])
        .args(&files)
        .output()
        .expect("java (installez un JRE : apt-get install default-jre-headless)");
    let stderr = String::from_utf8_lossy(&out.stderr);
    let report: serde_json::Value = serde_json::from_str(&stderr)
        .unwrap_or_else(|e| panic!("vnu output is not JSON ({e}):\n{stderr}"));
    let messages = report["messages"].as_array().expect("messages");
    let shown: Vec<String> = messages
        .iter()
        .map(|m| {
            let url = m["url"].as_str().unwrap_or("");
            let short = url.rsplit_once("/public/").map_or(url, |(_, r)| r);
            format!(
                "{short}:{}:{}: {}: {}",
                m["lastLine"],
                m["firstColumn"],
                m["type"].as_str().unwrap_or(""),
                m["message"].as_str().unwrap_or("")
            )
        })
        .collect();
    assert!(
        shown.is_empty(),
        "{} errors over {} pages:\n{}",
        shown.len(),
        files.len(),
        shown.join("\n")
    );
}
