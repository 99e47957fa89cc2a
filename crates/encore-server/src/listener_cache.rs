//! The listener answers already encoded, per scope and time zone, for one store generation. A
//! request takes the cell of its key and fills it if empty; requests that arrive meanwhile wait
//! for the same computation instead of starting their own. A newer generation (a write loaded a
//! new snapshot) empties the cache; a request still holding an older snapshot computes without
//! caching, so it never evicts the newer answers.

use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex};

use axum::body::Bytes;
use tokio::sync::OnceCell;

use crate::limits::LISTENER_ANSWERS_CACHED;

/// A scope (`all`, `song:<id>`, `drama:<id>`) and the IANA name of a zone.
pub type ListenerKey = (String, &'static str);

#[derive(Debug, Default)]
pub struct ListenerCache {
    entries: Mutex<Entries>,
}

#[derive(Debug, Default)]
struct Entries {
    generation: u64,
    cells: HashMap<ListenerKey, Arc<OnceCell<Bytes>>>,
    /// Keys oldest first, for eviction.
    order: VecDeque<ListenerKey>,
}

impl ListenerCache {
    /// The cell holding (or to hold) the answer for `key` at `generation`.
    pub fn cell(&self, generation: u64, key: ListenerKey) -> Arc<OnceCell<Bytes>> {
        // A poisoned lock still holds whole entries: each change below is a single insert or removal.
        let mut entries = self.entries.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        if generation < entries.generation {
            return Arc::new(OnceCell::new());
        }
        if generation > entries.generation {
            *entries = Entries { generation, ..Entries::default() };
        }
        if let Some(cell) = entries.cells.get(&key) {
            return cell.clone();
        }
        while entries.order.len() >= LISTENER_ANSWERS_CACHED {
            let Some(oldest) = entries.order.pop_front() else { break };
            entries.cells.remove(&oldest);
        }
        let cell = Arc::new(OnceCell::new());
        entries.cells.insert(key.clone(), cell.clone());
        entries.order.push_back(key);
        cell
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(scope: &str) -> ListenerKey {
        (scope.to_string(), "UTC")
    }

    #[test]
    fn a_key_keeps_its_cell_until_a_newer_generation_and_old_snapshots_never_evict() {
        let cache = ListenerCache::default();
        let first = cache.cell(3, key("all"));
        assert!(first.set(Bytes::from_static(b"{}")).is_ok());
        assert_eq!(cache.cell(3, key("all")).get(), Some(&Bytes::from_static(b"{}")));
        assert!(cache.cell(2, key("all")).get().is_none(), "an older snapshot computes afresh");
        assert!(cache.cell(3, key("all")).get().is_some(), "and leaves the newer answer cached");
        assert!(cache.cell(4, key("all")).get().is_none(), "a write makes every answer stale");
    }

    #[test]
    fn the_oldest_answer_goes_first_when_the_cache_is_full() {
        let cache = ListenerCache::default();
        for number in 0..=LISTENER_ANSWERS_CACHED {
            let _ = cache.cell(1, key(&format!("song:{number}"))).set(Bytes::new());
        }
        assert!(cache.cell(1, key(&format!("song:{LISTENER_ANSWERS_CACHED}"))).get().is_some());
        assert!(cache.cell(1, key("song:0")).get().is_none());
    }
}
