//! How an ingest reports its progress: the command line draws a bar, the server says nothing.

/// Told as an ingest goes. Every method does nothing unless overridden.
pub trait Progress {
    /// Reading starts; `files` will be read.
    fn reading(&mut self, _files: usize) {}
    /// `file` is read next.
    fn file(&mut self, _file: &str) {}
    /// Reading is over; the datasets are committed next.
    fn committing(&mut self) {}
}

/// Reports nothing.
#[derive(Debug, Clone, Copy, Default)]
pub struct NoProgress;

impl Progress for NoProgress {}
