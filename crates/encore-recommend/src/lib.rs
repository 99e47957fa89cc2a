//! Encore's recommender: OSTs for listeners who never watched their drama, and playlists.
//!
//! - [`als`]: implicit-feedback ALS (Hu, Koren & Volinsky) by conjugate gradient, multi-threaded,
//!   seeded;
//! - [`cold`]: factors for songs nobody has played yet, from their drama, artists, part and
//!   release;
//! - [`recommend`]: a listener's best OSTs of dramas it has played nothing of, each with the
//!   co-listeners and nearest songs that explain it;
//! - [`playlist`]: maximal marginal relevance from a song, drama or artist, as CSV, JSON or M3U;
//! - [`source`]: play counts from the store's listens or a play-count file;
//! - [`evaluate`]: precision, recall, nDCG and MAP at k.

pub mod als;
pub mod cold;
pub mod error;
pub mod evaluate;
pub mod matrix;
pub mod playlist;
pub mod recommend;
pub mod source;

pub use als::{fit, AlsConfig, Factors, Iteration};
pub use error::RecommendError;
pub use matrix::{Plays, PlaysBuilder, Sparse};
pub use playlist::{playlist, Playlist, Seed};
pub use recommend::{Recommendation, Recommender};
pub use source::{Dataset, ItemInfo};
