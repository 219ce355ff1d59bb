//! Which folders `publish` may write into and delete: its own output
//! (marked by a file it writes), never a folder holding `content/` or
//! `themes/`, never a folder it did not make; the lock that keeps two
//! builds from writing the same output at once; French words for the
//! system's errors.

use std::fs;
use std::io;
use std::path::{Component, Path, PathBuf};

use crate::diagnostics::Diagnostic;

/// The marker file written at the top of every tree cufpress publishes.
pub const MARKER: &str = ".cufpress";

/// First lines of the marker: what the folder is, for whoever opens it.
const MARKER_HEAD: &str = "Dossier publié par cufpress : son contenu est remplacé à chaque « cufpress build ».\nN'y rangez rien : tout fichier ajouté ici serait supprimé au build suivant.\n";

/// The files beside the output that cufpress owns, all named after it.
#[derive(Debug, Clone)]
pub struct Names {
    /// The published folder (`public/`).
    pub target: PathBuf,
    /// The tree being written (`.public.nouveau`).
    pub staging: PathBuf,
    /// The site of the build before last (`.public.precedent`).
    pub spare: PathBuf,
    /// Fingerprint lists, each naming the tree it describes: the new
    /// tree's, the published one's, the spare's.
    pub manifests: [PathBuf; 3],
    /// The lock file (`.public.verrou`).
    pub lock: PathBuf,
}

impl Names {
    /// The names used beside `target`.
    pub fn of(target: &Path) -> Names {
        let name = target
            .file_name()
            .map_or("public".into(), |n| n.to_string_lossy().into_owned());
        let parent = match target.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        let at = |suffix: &str| parent.join(format!(".{name}.{suffix}"));
        Names {
            target: target.to_path_buf(),
            staging: at("nouveau"),
            spare: at("precedent"),
            manifests: [
                at("nouveau.empreintes"),
                at("empreintes"),
                at("precedent.empreintes"),
            ],
            lock: at("verrou"),
        }
    }

    /// The folder holding the output.
    pub fn parent(&self) -> &Path {
        self.lock.parent().unwrap_or(Path::new("."))
    }
}

/// What a tree's marker says.
#[derive(Debug, PartialEq, Eq)]
pub enum Mark {
    /// No marker.
    None,
    /// A build was writing into it: its content is unknown.
    InProgress,
    /// A complete tree, described by the fingerprint list of this id.
    Complete(String),
}

/// Reads the marker of `tree`.
pub fn mark_of(tree: &Path) -> Mark {
    let Ok(text) = fs::read_to_string(tree.join(MARKER)) else {
        return Mark::None;
    };
    match text.lines().find_map(|l| l.strip_prefix("empreinte : ")) {
        Some(id) if id != "en cours" && !id.is_empty() => Mark::Complete(id.to_string()),
        _ => Mark::InProgress,
    }
}

/// Writes the marker of `tree`: complete with `id`, or in progress.
pub fn write_mark(tree: &Path, id: Option<&str>) -> io::Result<()> {
    let id = id.unwrap_or("en cours");
    fs::write(
        tree.join(MARKER),
        format!("{MARKER_HEAD}empreinte : {id}\n"),
    )
}

/// An error about the output folder, with what to do.
fn refuse(p: &Path, message: String, fix: &str) -> Diagnostic {
    Diagnostic::error(p.display().to_string(), 0, 0, message).with_suggestion(fix)
}

/// Refuses an output equal to, inside, or containing `content/` or
/// `themes/` of the site at `root`: publishing would delete the sources.
pub fn refuse_overlap(root: &Path, target: &Path) -> Result<(), Diagnostic> {
    let out = absolute(target);
    for dir in ["content", "themes"] {
        let src = absolute(&root.join(dir));
        let clash = if out == src {
            Some("est le dossier")
        } else if out.starts_with(&src) {
            Some("est à l'intérieur du dossier")
        } else if src.starts_with(&out) {
            Some("contient le dossier")
        } else {
            None
        };
        if let Some(how) = clash {
            return Err(refuse(
                target,
                format!(
                    "dossier de sortie refusé : {} {how} {dir}/ du site ({})",
                    target.display(),
                    src.display()
                ),
                "chaque build remplace tout le dossier de sortie : choisissez un dossier à part, par exemple public/ (l'option par défaut)",
            ));
        }
    }
    Ok(())
}

/// `p` made absolute with symbolic links resolved, for the part that
/// exists; the rest is appended with `.` and `..` applied.
fn absolute(p: &Path) -> PathBuf {
    let p = if p.is_absolute() {
        p.to_path_buf()
    } else {
        std::env::current_dir().unwrap_or_default().join(p)
    };
    let mut existing = p.as_path();
    let mut rest = Vec::new();
    loop {
        if let Ok(real) = existing.canonicalize() {
            let mut out = real;
            for part in rest.iter().rev() {
                match part {
                    Component::ParentDir => {
                        out.pop();
                    }
                    Component::Normal(n) => out.push(n),
                    _ => {}
                }
            }
            return out;
        }
        match (existing.parent(), existing.components().next_back()) {
            (Some(parent), Some(last)) => {
                rest.push(last);
                existing = parent;
            }
            _ => return p,
        }
    }
}

/// Accepts `target` when it is missing, empty, marked as cufpress's own,
/// or (folders built before the marker existed) holds only files listed
/// in the fingerprint list the previous version wrote beside it.
pub fn check_target(names: &Names) -> Result<(), Diagnostic> {
    let target = &names.target;
    let meta = match fs::symlink_metadata(target) {
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(io_fail("lecture du dossier de sortie", target, &e)),
        Ok(m) => m,
    };
    if !meta.is_dir() {
        return Err(refuse(
            target,
            format!(
                "dossier de sortie refusé : {} n'est pas un dossier",
                target.display()
            ),
            "indiquez avec --output un dossier vide ou qui n'existe pas encore",
        ));
    }
    if mark_of(target) != Mark::None || is_empty(target) || built_before_marker(names, target) {
        return Ok(());
    }
    Err(refuse(
        target,
        format!(
            "dossier de sortie refusé : {} n'est pas vide et n'a pas été construit par cufpress (il n'a pas de fichier {MARKER})",
            target.display()
        ),
        "chaque build remplace tout le contenu du dossier de sortie : indiquez avec --output un dossier vide ou qui n'existe pas encore ; si c'est bien un ancien site construit par cufpress, videz-le vous-même",
    ))
}

/// Accepts a leftover folder of cufpress's (`.public.precedent`,
/// `.public.nouveau`) before reusing or removing it.
pub fn check_own(names: &Names, dir: &Path) -> Result<(), Diagnostic> {
    if mark_of(dir) != Mark::None || is_empty(dir) || built_before_marker(names, dir) {
        return Ok(());
    }
    Err(refuse(
        dir,
        format!(
            "le dossier {} porte le nom d'un dossier provisoire de cufpress mais n'a pas été créé par lui",
            dir.display()
        ),
        "déplacez ou renommez ce dossier : cufpress ne supprime que ce qu'il a créé",
    ))
}

fn is_empty(dir: &Path) -> bool {
    fs::read_dir(dir).is_ok_and(|mut d| d.next().is_none())
}

/// True when every file under `dir` is listed in one of the fingerprint
/// lists the previous version of cufpress wrote beside the output.
fn built_before_marker(names: &Names, dir: &Path) -> bool {
    let mut listed = std::collections::HashSet::new();
    for m in &names.manifests[1..] {
        if let Ok(text) = fs::read_to_string(m) {
            listed.extend(
                text.lines()
                    .filter_map(|l| Some(l.split_once('\t')?.0.to_string())),
            );
        }
    }
    if listed.is_empty() {
        return false;
    }
    walkdir::WalkDir::new(dir)
        .min_depth(1)
        .into_iter()
        .all(|e| {
            e.is_ok_and(|e| {
                e.file_type().is_dir()
                    || e.path()
                        .strip_prefix(dir)
                        .is_ok_and(|rel| listed.contains(&rel.to_string_lossy().replace('\\', "/")))
            })
        })
}

/// Takes the lock of the output; when another build holds it, says so
/// and waits for it to finish. Released when the file is dropped (or the
/// process ends, however it ends).
pub fn lock(names: &Names) -> Result<fs::File, Diagnostic> {
    let p = &names.lock;
    let file = fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(p)
        .map_err(|e| io_fail("création du verrou", p, &e))?;
    if !try_lock(&file).map_err(|e| io_fail("verrouillage", p, &e))? {
        eprintln!(
            "Un autre « cufpress build » publie dans {} : attente de la fin de celui-ci…",
            names.target.display()
        );
        wait_lock(&file).map_err(|e| io_fail("verrouillage", p, &e))?;
    }
    Ok(file)
}

/// False when another process holds the lock.
#[cfg(unix)]
fn try_lock(file: &fs::File) -> io::Result<bool> {
    use rustix::fs::{FlockOperation, flock};
    match flock(file, FlockOperation::NonBlockingLockExclusive) {
        Ok(()) => Ok(true),
        Err(rustix::io::Errno::WOULDBLOCK) => Ok(false),
        Err(e) => Err(e.into()),
    }
}

#[cfg(unix)]
fn wait_lock(file: &fs::File) -> io::Result<()> {
    use rustix::fs::{FlockOperation, flock};
    flock(file, FlockOperation::LockExclusive).map_err(io::Error::from)
}

#[cfg(not(unix))]
fn try_lock(_: &fs::File) -> io::Result<bool> {
    Ok(true)
}

#[cfg(not(unix))]
fn wait_lock(_: &fs::File) -> io::Result<()> {
    Ok(())
}

/// A failed file-system operation, in French.
pub fn io_fail(what: &str, p: &Path, e: &io::Error) -> Diagnostic {
    Diagnostic::error(
        p.display().to_string(),
        0,
        0,
        format!("{what} impossible : {}", french(e)),
    )
    .with_suggestion(
        "vérifiez les droits d'écriture et la place disque ; le site publié précédemment n'a pas été modifié",
    )
}

/// What the system said, in French.
pub fn french(e: &io::Error) -> String {
    let what = match (e.raw_os_error(), e.kind()) {
        (Some(28), _) | (_, io::ErrorKind::StorageFull) => "le disque est plein",
        (Some(122), _) | (_, io::ErrorKind::QuotaExceeded) => "le quota disque est dépassé",
        (Some(30), _) | (_, io::ErrorKind::ReadOnlyFilesystem) => "le disque est en lecture seule",
        (_, io::ErrorKind::PermissionDenied) => "permission refusée",
        (_, io::ErrorKind::NotFound) => "fichier ou dossier introuvable",
        (_, io::ErrorKind::AlreadyExists) => "un fichier de ce nom existe déjà",
        (_, io::ErrorKind::DirectoryNotEmpty) => "le dossier n'est pas vide",
        (_, io::ErrorKind::NotADirectory) => "un fichier est là où un dossier est attendu",
        (_, io::ErrorKind::IsADirectory) => "un dossier est là où un fichier est attendu",
        (_, io::ErrorKind::AddrInUse) => "ce port est déjà utilisé (un autre « cufpress serve » ?)",
        (_, io::ErrorKind::AddrNotAvailable) => "cette adresse n'est pas celle de cet ordinateur",
        (_, io::ErrorKind::CrossesDevices) => "les deux dossiers sont sur des disques différents",
        (Some(n), _) => return format!("erreur du système n° {n}"),
        _ => "erreur d'entrée-sortie",
    };
    what.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn outputs_over_the_sources_are_refused() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path();
        fs::create_dir_all(root.join("content/lettres")).unwrap();
        fs::create_dir_all(root.join("themes")).unwrap();
        for bad in [
            "content",
            "content/lettres/x",
            "themes/cuf",
            ".",
            "content/../themes",
        ] {
            let err = refuse_overlap(root, &root.join(bad)).unwrap_err();
            assert!(err.message.contains("refusé"), "{bad}: {}", err.message);
        }
        refuse_overlap(root, &root.join("public")).unwrap();
        refuse_overlap(root, &root.join("content-public")).unwrap();
    }

    #[test]
    fn system_errors_are_french() {
        assert_eq!(
            french(&io::Error::from_raw_os_error(28)),
            "le disque est plein"
        );
        assert_eq!(
            french(&io::Error::from(io::ErrorKind::PermissionDenied)),
            "permission refusée"
        );
    }
}
