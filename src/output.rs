//! What every stage hands on: one generated file ([`Output`]) and where
//! files go as soon as each is made ([`Sink`]). Its own module so that the
//! render, post-process and publish stages can all use it without importing
//! each other.

use rayon::prelude::*;

/// One generated file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Output {
    /// Path inside `public/`, `/`-separated, no leading slash.
    pub path: String,
    /// Contents.
    pub bytes: Vec<u8>,
}

impl Output {
    /// An output from text.
    pub fn text(path: impl Into<String>, text: String) -> Self {
        Output {
            path: path.into(),
            bytes: text.into_bytes(),
        }
    }
}

/// Where rendered files go, one by one, as soon as each is made: a build
/// streams them to disk (the site is never held in memory whole), `check`
/// only scans them, tests and `serve` keep them ([`Collect`]).
pub trait Sink: Sync {
    /// Takes one generated file.
    fn put(&self, output: Output);
}

/// A sink that keeps every file in memory.
#[derive(Debug, Default)]
pub struct Collect(std::sync::Mutex<Vec<Output>>);

impl Collect {
    /// The files received, sorted by path.
    pub fn into_sorted(self) -> Vec<Output> {
        let mut v = self.0.into_inner().unwrap_or_else(|e| e.into_inner());
        v.par_sort_by(|a, b| a.path.cmp(&b.path));
        v
    }
}

impl Sink for Collect {
    fn put(&self, output: Output) {
        self.0
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(output);
    }
}

/// A sink that drops every file (`check`).
#[derive(Debug, Default)]
pub struct Discard;

impl Sink for Discard {
    fn put(&self, _output: Output) {}
}
