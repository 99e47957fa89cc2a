//! The loopback server the tests use, on its own: every public API the collectors call, answering
//! in its documented shape from a made-up history, for trying `encore collect` without the
//! internet. Prints its base URL (give it as the collectors' base, e.g. through
//! `Endpoints::all_at`) and serves until killed. Keys it accepts: those of `tests/collect/fakes.rs`.

#[path = "../tests/collect/fakes.rs"]
#[allow(dead_code)]
mod fakes;
#[path = "../tests/collect/server.rs"]
#[allow(dead_code)]
mod server;

fn main() {
    let world = fakes::World::new(fakes::flat_views);
    let server = server::Server::start(move |request| world.answer(request));
    println!("{}", server.base);
    println!("YOUTUBE_API_KEY={} LASTFM_API_KEY={}", fakes::YOUTUBE_KEY, fakes::LASTFM_KEY);
    loop {
        std::thread::park();
    }
}
