//! Build script: embeds the default theme (`themes/cuf/`, templates and
//! static files) in the binary, so an installed `cufpress` needs nothing but
//! a site's `content/` (see `src/render/theme.rs`).

use std::fmt::Write as _;
use std::path::Path;

/// Same rule as `load::is_ignored`: editor and system leftovers.
fn is_ignored(name: &str) -> bool {
    name.starts_with('.')
        || name.starts_with('~')
        || name.ends_with('~')
        || [".swp", ".swx", ".tmp", ".bak"]
            .iter()
            .any(|s| name.ends_with(s))
}

fn collect(dir: &Path, rel: &str, out: &mut Vec<String>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut entries: Vec<_> = entries.filter_map(Result::ok).collect();
    entries.sort_by_key(|e| e.file_name());
    for e in entries {
        let name = e.file_name().to_string_lossy().into_owned();
        if is_ignored(&name) {
            continue;
        }
        let child = if rel.is_empty() {
            name.clone()
        } else {
            format!("{rel}/{name}")
        };
        let path = e.path();
        if path.is_dir() {
            collect(&path, &child, out);
        } else {
            out.push(child);
        }
    }
}

fn main() {
    let theme = Path::new("themes/cuf");
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-changed=themes/cuf");
    // `cfg(cufpress_ci)` under CI=true: slow tests (a release `cargo install`)
    // run there and are marked ignored on a workstation.
    println!("cargo::rustc-check-cfg=cfg(cufpress_ci)");
    println!("cargo:rerun-if-env-changed=CI");
    if std::env::var("CI").is_ok_and(|v| !v.is_empty() && v != "false" && v != "0") {
        println!("cargo:rustc-cfg=cufpress_ci");
    }
    let mut files = Vec::new();
    collect(theme, "", &mut files);
    let mut code = String::from(
        "/// The files of `themes/cuf/`, path inside the theme and bytes, sorted.\n\
         pub static EMBEDDED_CUF: &[(&str, &[u8])] = &[\n",
    );
    for f in &files {
        let _ = writeln!(
            code,
            "    ({f:?}, include_bytes!(concat!(env!(\"CARGO_MANIFEST_DIR\"), {:?}))),",
            format!("/themes/cuf/{f}")
        );
    }
    code.push_str("];\n");
    let out = Path::new(&std::env::var("OUT_DIR").expect("OUT_DIR")).join("embedded_theme.rs");
    std::fs::write(out, code).expect("write embedded_theme.rs");
}
