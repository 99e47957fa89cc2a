//! A limit on idle and slow connections: a connection that moves no byte either way for the idle
//! time is closed. It stops a client that opens connections and sends its headers a byte at a time
//! (or never), or never reads its answer, from holding a socket and a task for ever; axum's `serve`
//! sets no such timeout of its own. Hyper reads the socket while a request is computed, so the
//! clock runs then too: the limit must be longer than any request, which is why it is opt-in.

use std::future::Future;
use std::io;
use std::net::SocketAddr;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use axum::serve::Listener;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream};
use tokio::time::{Instant, Sleep};

/// Accepts connections from `inner`, each closed after `idle` without a byte moved (never, when
/// `idle` is `None`).
#[derive(Debug)]
pub struct IdleLimitedListener {
    inner: TcpListener,
    idle: Option<Duration>,
}

impl IdleLimitedListener {
    pub fn new(inner: TcpListener, idle: Option<Duration>) -> IdleLimitedListener {
        IdleLimitedListener { inner, idle }
    }
}

impl Listener for IdleLimitedListener {
    type Io = IdleLimited;
    type Addr = SocketAddr;

    async fn accept(&mut self) -> (IdleLimited, SocketAddr) {
        let (stream, address) = Listener::accept(&mut self.inner).await;
        let deadline = self.idle.map(|idle| Box::pin(tokio::time::sleep(idle)));
        (IdleLimited { stream, idle: self.idle.unwrap_or_default(), deadline }, address)
    }

    fn local_addr(&self) -> io::Result<SocketAddr> {
        self.inner.local_addr()
    }
}

/// A connection whose reads and writes fail once nothing moved for `idle`.
#[derive(Debug)]
pub struct IdleLimited {
    stream: TcpStream,
    idle: Duration,
    deadline: Option<Pin<Box<Sleep>>>,
}

impl IdleLimited {
    /// After progress the clock starts again; while waiting, an expired clock ends the connection.
    fn watch<T>(&mut self, context: &mut Context<'_>, poll: Poll<io::Result<T>>) -> Poll<io::Result<T>> {
        let Some(deadline) = self.deadline.as_mut() else {
            return poll;
        };
        match poll {
            Poll::Ready(result) => {
                deadline.as_mut().reset(Instant::now() + self.idle);
                Poll::Ready(result)
            }
            Poll::Pending => match deadline.as_mut().poll(context) {
                Poll::Ready(()) => Poll::Ready(Err(io::Error::new(
                    io::ErrorKind::TimedOut,
                    format!("no byte moved for {} s", self.idle.as_secs()),
                ))),
                Poll::Pending => Poll::Pending,
            },
        }
    }
}

impl AsyncRead for IdleLimited {
    fn poll_read(self: Pin<&mut Self>, context: &mut Context<'_>, buffer: &mut ReadBuf<'_>) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        let poll = Pin::new(&mut this.stream).poll_read(context, buffer);
        this.watch(context, poll)
    }
}

impl AsyncWrite for IdleLimited {
    fn poll_write(self: Pin<&mut Self>, context: &mut Context<'_>, bytes: &[u8]) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        let poll = Pin::new(&mut this.stream).poll_write(context, bytes);
        this.watch(context, poll)
    }

    fn poll_flush(self: Pin<&mut Self>, context: &mut Context<'_>) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        let poll = Pin::new(&mut this.stream).poll_flush(context);
        this.watch(context, poll)
    }

    fn poll_shutdown(self: Pin<&mut Self>, context: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().stream).poll_shutdown(context)
    }

    fn poll_write_vectored(
        self: Pin<&mut Self>,
        context: &mut Context<'_>,
        buffers: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        let poll = Pin::new(&mut this.stream).poll_write_vectored(context, buffers);
        this.watch(context, poll)
    }

    fn is_write_vectored(&self) -> bool {
        self.stream.is_write_vectored()
    }
}
