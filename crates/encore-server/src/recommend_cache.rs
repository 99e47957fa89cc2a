//! The fitted recommender of one store generation. Fitting reads every listen and takes seconds
//! of every core, so it is done once per generation: the first request fills the cell, requests
//! that arrive meanwhile wait for the same fit instead of starting their own, and a newer
//! generation (a write loaded a new snapshot) replaces the cell. A request still holding an older
//! snapshot fits without caching, so it never replaces the newer model.

use std::sync::{Arc, Mutex};

use tokio::sync::OnceCell;

/// A model to be fitted once and shared by every request waiting on it.
type Cell<T> = Arc<OnceCell<Arc<T>>>;

#[derive(Debug)]
pub struct ModelCache<T> {
    /// The generation cached and its cell.
    entry: Mutex<Option<(u64, Cell<T>)>>,
}

impl<T> Default for ModelCache<T> {
    fn default() -> ModelCache<T> {
        ModelCache { entry: Mutex::new(None) }
    }
}

impl<T> ModelCache<T> {
    /// The cell holding (or to hold) the model of `generation`.
    pub fn cell(&self, generation: u64) -> Cell<T> {
        // A poisoned lock still holds a whole entry: it is replaced in one move.
        let mut entry = self.entry.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        match &*entry {
            Some((cached, cell)) if *cached == generation => cell.clone(),
            Some((cached, _)) if *cached > generation => Arc::new(OnceCell::new()),
            _ => {
                let cell = Arc::new(OnceCell::new());
                *entry = Some((generation, cell.clone()));
                cell
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::time::Duration;

    use super::*;

    #[test]
    fn a_generation_keeps_its_model_until_a_newer_one_and_old_snapshots_never_replace_it() {
        let cache: ModelCache<&str> = ModelCache::default();
        assert!(cache.cell(3).set(Arc::new("third")).is_ok());
        assert_eq!(cache.cell(3).get().map(|model| **model), Some("third"));
        assert!(cache.cell(2).get().is_none(), "an older snapshot fits afresh");
        assert!(cache.cell(3).get().is_some(), "and leaves the newer model cached");
        assert!(cache.cell(4).get().is_none(), "a write makes the model stale");
        assert!(cache.cell(3).get().is_none(), "and the older one is gone");
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn requests_arriving_together_share_one_fit() {
        let cache: Arc<ModelCache<usize>> = Arc::default();
        let fits = Arc::new(AtomicUsize::new(0));
        let requests: Vec<_> = (0..8)
            .map(|_| {
                let (cache, fits) = (cache.clone(), fits.clone());
                tokio::spawn(async move {
                    let cell = cache.cell(1);
                    let model = cell
                        .get_or_init(|| async {
                            tokio::time::sleep(Duration::from_millis(50)).await;
                            Arc::new(fits.fetch_add(1, Ordering::SeqCst))
                        })
                        .await;
                    **model
                })
            })
            .collect();
        for request in requests {
            assert_eq!(request.await.unwrap(), 0);
        }
        assert_eq!(fits.load(Ordering::SeqCst), 1);
    }
}
