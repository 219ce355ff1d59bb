//! `cufpress serve`: builds the site in memory, serves it over HTTP on
//! loopback, watches `content/` and `themes/`, rebuilds what a change
//! touches and reloads the open pages (server-sent events). Never writes
//! to `public/` nor anywhere else.

mod http;
mod preview;
pub mod state;
mod watch;
mod wire;

use std::path::PathBuf;
use std::sync::mpsc::{self, Receiver, Sender};
use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, Instant};

use crate::Options;
use state::{Builder, Outcome, Served};

/// What `cufpress serve` is asked to do.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    /// The site's options (root, drafts, today).
    pub site: Options,
    /// Address to listen on (`127.0.0.1`).
    pub bind: String,
    /// Port; 0 picks a free one.
    pub port: u16,
}

/// Quiet time after the last file event before rebuilding.
const DEBOUNCE: Duration = Duration::from_millis(20);

/// Messages to the rebuild loop.
enum Msg {
    Changed(Vec<PathBuf>),
    Stop,
}

/// State shared by the HTTP threads and the rebuild loop.
pub(crate) struct Hub {
    served: RwLock<Served>,
    clients: Mutex<Vec<Sender<String>>>,
}

impl Hub {
    fn subscribe(&self) -> Receiver<String> {
        let (tx, rx) = mpsc::channel();
        self.lock_clients().push(tx);
        rx
    }

    fn lock_clients(&self) -> std::sync::MutexGuard<'_, Vec<Sender<String>>> {
        self.clients.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Sends one server-sent event to every open page.
    fn broadcast(&self, event: &str, data: &str) {
        let msg = format!("event: {event}\ndata: {data}\n\n");
        self.lock_clients().retain(|c| c.send(msg.clone()).is_ok());
    }

    fn read(&self) -> std::sync::RwLockReadGuard<'_, Served> {
        self.served.read().unwrap_or_else(|e| e.into_inner())
    }
}

/// Runs the server until Ctrl-C. Errors are French messages for the user.
pub fn run(opts: &ServeOptions) -> Result<(), String> {
    let root = opts.site.root.canonicalize().map_err(|e| {
        format!(
            "dossier du site introuvable : {} ({e})",
            opts.site.root.display()
        )
    })?;
    let server = http::Server::bind(&opts.bind, opts.port, &root).map_err(|e| {
        format!(
            "impossible d'écouter sur {}:{} : {}",
            opts.bind,
            opts.port,
            crate::publish::folder::french(&e)
        )
    })?;
    let port = server.port().unwrap_or(opts.port);
    let host = if opts.bind.contains(':') {
        format!("[{}]", opts.bind)
    } else {
        opts.bind.clone()
    };
    let base_url = format!("http://{host}:{port}");
    let gen_opts = Options {
        root: root.clone(),
        base_url: Some(base_url.clone()),
        search_index: true,
        // PDFs are typeset when asked for (see `http::file`), not on every save.
        pdf: crate::render::pdf::Settings {
            mode: crate::render::pdf::Mode::Lazy,
            cache: None,
        },
        ..opts.site.clone()
    }
    .with_pdf_cache(true);
    let hub = Arc::new(Hub {
        served: RwLock::new(Served::default()),
        clients: Mutex::new(Vec::new()),
    });
    let start = Instant::now();
    let mut builder = Builder::new(&root, gen_opts);
    let outcome = builder.build(&hub.served);
    report(&outcome, start.elapsed());
    if outcome.ok {
        check_links(&builder, &hub);
    }
    let (tx, rx) = mpsc::channel();
    let stop = tx.clone();
    ctrlc::set_handler(move || {
        let _ = stop.send(Msg::Stop);
    })
    .map_err(|e| format!("impossible d'intercepter Ctrl-C : {e}"))?;
    let _watcher = watch::start(&root, tx)?;
    let server = Arc::new(server);
    let http = {
        let (server, hub) = (server.clone(), hub.clone());
        std::thread::spawn(move || http::serve(&server, &hub))
    };
    eprintln!(
        "Site servi sur {base_url}/ (aperçu des e-mails : {base_url}/__cufpress/apercu/). Ctrl-C pour arrêter."
    );
    rebuild_loop(&rx, &mut builder, &hub);
    server.unblock();
    hub.lock_clients().clear();
    let _ = http.join();
    eprintln!("Serveur arrêté. Rien n'a été écrit dans public/.");
    Ok(())
}

fn rebuild_loop(rx: &Receiver<Msg>, builder: &mut Builder, hub: &Hub) {
    while let Ok(msg) = rx.recv() {
        let Msg::Changed(mut paths) = msg else {
            return;
        };
        let start = Instant::now();
        // Debounce: wait until 20 ms pass without an event (at most 250 ms),
        // so that a save in several writes is seen once, complete.
        while start.elapsed() < Duration::from_millis(250) {
            match rx.recv_timeout(DEBOUNCE) {
                Ok(Msg::Changed(p)) => paths.extend(p),
                Ok(Msg::Stop) => return,
                Err(_) => break,
            }
        }
        if builder.update(&paths).is_empty() {
            continue;
        }
        // The pages first (the reload), then the search records, the
        // back-office and the PDF jobs: no open page is made of those, so
        // the second step is announced to the browsers only if it fails.
        let mut steps = 0;
        let outcome = builder.build_steps(&hub.served, |step| {
            let elapsed = start.elapsed();
            steps += 1;
            let nothing = step.changed.as_ref().is_some_and(Vec::is_empty);
            if (steps == 1 && !nothing) || !step.ok {
                announce(hub, step, elapsed);
            }
            if steps == 1 || !step.ok {
                report(step, elapsed);
            } else if !nothing {
                eprintln!(
                    "Recherche, back-office et PDF à jour en {} ms.",
                    elapsed.as_millis()
                );
            }
        });
        if outcome.ok {
            check_links(builder, hub);
        }
    }
}

/// Runs the link check and, when it finds errors, shows them like `check`.
fn check_links(builder: &Builder, hub: &Hub) {
    let start = Instant::now();
    let diags = builder.link_check(&hub.served);
    if diags.iter().any(|d| d.is_error()) {
        let outcome = builder.fail_with(&hub.served, diags);
        announce(hub, &outcome, start.elapsed());
        eprintln!(
            "Liens cassés : {}",
            outcome.diagnostics.iter().filter(|d| d.is_error()).count()
        );
    }
    hub.broadcast("verifie", &format!("{}", hub.read().generation));
}

/// Sends the reload message with the URLs of the changed pages.
fn announce(hub: &Hub, outcome: &Outcome, elapsed: Duration) {
    let generation = hub.read().generation;
    let changed = outcome
        .changed
        .as_ref()
        .filter(|c| c.len() <= 2000)
        .map(|c| c.iter().map(|p| url_of(p)).collect::<Vec<_>>());
    let data = serde_json::json!({
        "generation": generation,
        "ok": outcome.ok,
        "changed": changed,
        "ms": elapsed.as_millis() as u64,
    });
    hub.broadcast("reload", &data.to_string());
}

/// `lettres/2025-09/index.html` → `/lettres/2025-09/`.
fn url_of(path: &str) -> String {
    match path.strip_suffix("index.html") {
        Some(dir) if dir.is_empty() || dir.ends_with('/') => format!("/{dir}"),
        _ => format!("/{path}"),
    }
}

fn report(o: &Outcome, elapsed: Duration) {
    let ms = elapsed.as_millis();
    if o.ok {
        let n = o.changed.as_ref().map_or(0, Vec::len);
        eprintln!(
            "Reconstruit en {ms} ms : {} fichier(s) relu(s), {} page(s) produite(s), {n} modifiée(s).",
            o.parsed, o.rendered
        );
    } else {
        let errors = o.diagnostics.iter().filter(|d| d.is_error()).count();
        eprintln!(
            "Échec de la construction ({ms} ms) : {errors} erreur(s), affichées dans le navigateur :"
        );
        for d in o.diagnostics.iter().filter(|d| d.is_error()) {
            eprint!("{}", d.to_human());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_of_outputs() {
        assert_eq!(url_of("index.html"), "/");
        assert_eq!(url_of("lettres/2025-09/index.html"), "/lettres/2025-09/");
        assert_eq!(
            url_of("lettres/2025-09/email.html"),
            "/lettres/2025-09/email.html"
        );
        assert_eq!(url_of("404.html"), "/404.html");
    }
}
