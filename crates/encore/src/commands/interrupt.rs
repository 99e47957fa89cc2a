//! Ctrl-C during an ingest: the first stops reading at the next file (what was read is still
//! committed and reported); a second ends the process at once, which is safe because a commit
//! is one rename.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use crate::exit::INTERRUPTED;

/// Starts watching for Ctrl-C and returns the flag the first one raises. The handler is in place
/// when this returns, so no Ctrl-C after it kills the process before the flag is seen.
pub fn watch_ctrl_c() -> anyhow::Result<Arc<AtomicBool>> {
    let stop = Arc::new(AtomicBool::new(false));
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
    let mut interrupts = {
        let _context = runtime.enter();
        tokio::signal::unix::signal(tokio::signal::unix::SignalKind::interrupt())?
    };
    let raised = Arc::clone(&stop);
    std::thread::spawn(move || {
        runtime.block_on(async move {
            if interrupts.recv().await.is_none() {
                return;
            }
            raised.store(true, Ordering::SeqCst);
            eprintln!(
                "interrupted: finishing the file being read, then storing what was read (Ctrl-C again to quit now)"
            );
            if interrupts.recv().await.is_some() {
                std::process::exit(i32::from(INTERRUPTED));
            }
        });
    });
    Ok(stop)
}
