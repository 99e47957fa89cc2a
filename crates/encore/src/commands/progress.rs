//! Progress bars on standard error; hidden when standard error is not a terminal.

use indicatif::{ProgressBar, ProgressStyle};

fn files_bar(total: usize, label: &str) -> ProgressBar {
    let bar = ProgressBar::new(total as u64);
    let style = ProgressStyle::with_template("{prefix:>12} [{bar:30}] {pos}/{len} files {elapsed} {msg}")
        .unwrap_or_else(|_| ProgressStyle::default_bar())
        .progress_chars("=> ");
    bar.set_style(style);
    bar.set_prefix(label.to_string());
    bar
}

/// The ingest pipeline's progress as a bar of files read.
pub struct IngestBar {
    bar: Option<ProgressBar>,
}

impl IngestBar {
    pub fn new() -> IngestBar {
        IngestBar { bar: None }
    }
}

impl encore_pipeline::Progress for IngestBar {
    fn reading(&mut self, files: usize) {
        self.bar = Some(files_bar(files, "reading"));
    }

    fn file(&mut self, file: &str) {
        if let Some(bar) = &self.bar {
            let name = std::path::Path::new(file).file_name().map(|name| name.to_string_lossy().into_owned());
            bar.set_message(name.unwrap_or_default());
            bar.inc(1);
        }
    }

    fn committing(&mut self) {
        if let Some(bar) = self.bar.take() {
            bar.finish_and_clear();
        }
    }
}
