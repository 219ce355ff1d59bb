//! Progress of long work (the image step's encodes, the PDFs' typesetting),
//! for a progress bar.
//! The library only counts; the binary registers a [`Reporter`] that draws
//! a bar when stderr is a terminal. Without one, counting costs nothing.

use std::sync::OnceLock;

/// What is told of a long task.
pub trait Reporter: Send + Sync {
    /// A task of `total` steps begins (`label`: « Images »).
    fn start(&self, label: &'static str, total: u64);
    /// `n` more steps are done.
    fn advance(&self, n: u64);
    /// The task is over (its bar is cleared).
    fn finish(&self);
}

static REPORTER: OnceLock<Box<dyn Reporter>> = OnceLock::new();

/// Registers the reporter of this process (once; later calls are ignored).
pub fn set_reporter(r: Box<dyn Reporter>) {
    let _ = REPORTER.set(r);
}

/// A running task: advance it step by step; it finishes when dropped.
pub struct Task {
    reporter: Option<&'static dyn Reporter>,
}

/// Starts a task of `total` steps (nothing is shown for an empty task).
pub fn task(label: &'static str, total: u64) -> Task {
    let reporter = REPORTER.get().map(|b| &**b).filter(|_| total > 0);
    if let Some(r) = reporter {
        r.start(label, total);
    }
    Task { reporter }
}

impl Task {
    /// One more step done.
    pub fn step(&self) {
        if let Some(r) = self.reporter {
            r.advance(1);
        }
    }
}

impl Drop for Task {
    fn drop(&mut self) {
        if let Some(r) = self.reporter {
            r.finish();
        }
    }
}
