//! What a collection runs against: the transport, the clock, the keys, each API's base URL and
//! politeness, and who Encore says it is. Everything outside the process comes in through here.

use std::sync::Arc;

use crate::clock::{Clock, SystemClock};
use crate::keys::ApiKeys;
use crate::polite::Politeness;
use crate::transport::{Transport, UreqTransport};

/// The base URLs of the APIs, the documented ones by default; tests point them at a loopback server.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Endpoints {
    /// Wikimedia REST API, before `/metrics/pageviews/…`.
    pub wikimedia: String,
    /// YouTube Data API v3, before `/videos`.
    pub youtube: String,
    /// Last.fm API root, the `…/2.0/` that takes `?method=`.
    pub lastfm: String,
    /// ListenBrainz API, before `/1/user/…`.
    pub listenbrainz: String,
}

impl Default for Endpoints {
    fn default() -> Endpoints {
        Endpoints {
            wikimedia: "https://wikimedia.org/api/rest_v1".to_string(),
            youtube: "https://www.googleapis.com/youtube/v3".to_string(),
            lastfm: "https://ws.audioscrobbler.com/2.0/".to_string(),
            listenbrainz: "https://api.listenbrainz.org".to_string(),
        }
    }
}

impl Endpoints {
    /// Every API under one server (`http://127.0.0.1:PORT`), at the paths the real ones use:
    /// `/api/rest_v1`, `/youtube/v3`, `/2.0/` and the root.
    pub fn all_at(base: &str) -> Endpoints {
        let base = base.trim_end_matches('/');
        Endpoints {
            wikimedia: format!("{base}/api/rest_v1"),
            youtube: format!("{base}/youtube/v3"),
            lastfm: format!("{base}/2.0/"),
            listenbrainz: base.to_string(),
        }
    }
}

/// Each API's politeness. Wikimedia asks for no more than 100 requests a second, Last.fm for no
/// more than 5 a second averaged over 5 minutes, ListenBrainz sends its own rate-limit headers;
/// a second between calls stays well inside all of them. YouTube's limit is a daily quota (10,000
/// units; a `videos.list` call costs 1 whatever its 50 ids), not a rate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ApiPoliteness {
    pub wikimedia: Politeness,
    pub youtube: Politeness,
    pub lastfm: Politeness,
    pub listenbrainz: Politeness,
    pub webhook: Politeness,
}

/// Everything a collection reaches outside the process through.
#[derive(Clone)]
pub struct Environment {
    pub transport: Arc<dyn Transport>,
    pub clock: Arc<dyn Clock>,
    pub keys: ApiKeys,
    pub endpoints: Endpoints,
    pub politeness: ApiPoliteness,
    /// How to reach whoever runs this Encore (a URL or an e-mail address): Wikimedia's User-Agent
    /// policy requires one.
    pub contact: String,
}

impl Environment {
    /// The real world: HTTPS through ureq, the system clock, the documented endpoints.
    pub fn real(keys: ApiKeys, contact: impl Into<String>) -> Environment {
        Environment {
            transport: Arc::new(UreqTransport::default()),
            clock: Arc::new(SystemClock),
            keys,
            endpoints: Endpoints::default(),
            politeness: ApiPoliteness::default(),
            contact: contact.into(),
        }
    }

    /// `Encore/0.1.0 (drama OST analytics; <contact>)`.
    pub fn user_agent(&self) -> String {
        format!("Encore/{} (drama OST analytics; {})", env!("CARGO_PKG_VERSION"), self.contact)
    }
}

impl std::fmt::Debug for Environment {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter
            .debug_struct("Environment")
            .field("keys", &self.keys)
            .field("endpoints", &self.endpoints)
            .field("politeness", &self.politeness)
            .field("contact", &self.contact)
            .finish()
    }
}
