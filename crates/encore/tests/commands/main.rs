//! The command line end to end: every test here runs the real `encore` binary (or, for `views`,
//! the libraries behind it) on real files. One test binary rather than one a file: each links
//! the whole engine.

mod support;

#[path = "../../../encore-collect/tests/collect/fakes.rs"]
#[allow(dead_code)]
mod fakes;
#[path = "../../../encore-collect/tests/collect/server.rs"]
#[allow(dead_code)]
mod server;
// The server tests' own store-and-serve helpers: a server on a free loopback port.
#[path = "../../../encore-server/tests/support/mod.rs"]
mod server_support;

mod analyze;
mod architecture;
mod cli;
mod cluster;
mod collect;
mod concurrency;
mod crash;
mod demo;
mod ingest;
mod listeners;
mod lyrics;
mod recommend;
mod series;
mod views;
