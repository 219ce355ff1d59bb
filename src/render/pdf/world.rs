//! The Typst `World` of one PDF: a main source from the binary, the
//! document's data as a JSON file, its images, the embedded fonts. Nothing
//! is read from disk and nothing depends on the clock (`today` is the
//! document's own date), so the same job always gives the same bytes.

use std::collections::HashMap;
use std::sync::OnceLock;

use typst::diag::{FileError, FileResult};
use typst::foundations::{Bytes, Datetime};
use typst::syntax::{FileId, RootedPath, Source, VirtualPath, VirtualRoot};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World};

/// The fonts every PDF may use, parsed once per process: Typst's bundled
/// open-licence fonts (Libertinus Serif, New Computer Modern, DejaVu Sans
/// Mono, all under the SIL Open Font License).
struct Fonts {
    book: LazyHash<FontBook>,
    fonts: Vec<Font>,
}

fn fonts() -> &'static Fonts {
    static FONTS: OnceLock<Fonts> = OnceLock::new();
    FONTS.get_or_init(|| {
        let fonts: Vec<Font> = typst_assets::fonts()
            .flat_map(|data| Font::iter(Bytes::new(data)))
            .collect();
        Fonts {
            book: LazyHash::new(FontBook::from_fonts(&fonts)),
            fonts,
        }
    })
}

fn library() -> &'static LazyHash<Library> {
    static LIB: OnceLock<LazyHash<Library>> = OnceLock::new();
    LIB.get_or_init(|| LazyHash::new(Library::default()))
}

/// A file id of the project root (`/main.typ`, `/data.json`, …).
pub fn file_id(path: &str) -> FileId {
    let vpath = VirtualPath::new(path).unwrap_or_else(|_| {
        // Paths are made by this module (`/img/3.jpg`): never invalid.
        VirtualPath::new("/invalid").expect("constant path")
    });
    FileId::new(RootedPath::new(VirtualRoot::Project, vpath))
}

/// One document to typeset.
pub struct PdfWorld {
    main: Source,
    files: HashMap<FileId, Bytes>,
    today: Option<Datetime>,
}

impl PdfWorld {
    /// `main` is the Typst source; `files` are the other files by virtual
    /// path (`/data.json`, `/img/0.jpg`); `date` is what `today` returns.
    pub fn new(main: &str, files: Vec<(String, Vec<u8>)>, date: chrono::NaiveDate) -> Self {
        use chrono::Datelike;
        let main = Source::new(file_id("/main.typ"), main.to_string());
        let files = files
            .into_iter()
            .map(|(p, b)| (file_id(&p), Bytes::new(b)))
            .collect();
        PdfWorld {
            main,
            files,
            today: Datetime::from_ymd(date.year(), date.month() as u8, date.day() as u8),
        }
    }
}

impl World for PdfWorld {
    fn library(&self) -> &LazyHash<Library> {
        library()
    }

    fn book(&self) -> &LazyHash<FontBook> {
        &fonts().book
    }

    fn main(&self) -> FileId {
        self.main.id()
    }

    fn source(&self, id: FileId) -> FileResult<Source> {
        if id == self.main.id() {
            Ok(self.main.clone())
        } else {
            Err(FileError::NotSource)
        }
    }

    fn file(&self, id: FileId) -> FileResult<Bytes> {
        if id == self.main.id() {
            return Ok(Bytes::from_string(self.main.text().to_string()));
        }
        self.files.get(&id).cloned().ok_or_else(|| {
            FileError::NotFound(id.get().vpath().get_without_slash().to_string().into())
        })
    }

    fn font(&self, index: usize) -> Option<Font> {
        fonts().fonts.get(index).cloned()
    }

    fn today(&self, _offset: Option<typst::foundations::Duration>) -> Option<Datetime> {
        self.today
    }
}
