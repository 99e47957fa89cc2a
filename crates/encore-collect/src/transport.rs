//! The HTTP transport, injected: collectors and the alert webhook send every request through a
//! [`Transport`], so tests answer from a loopback server or a fake without the internet.
//! [`UreqTransport`] is the real one (HTTPS through rustls).

use std::io::Read;
use std::time::Duration;

/// The most an answer may be: a page of any of these APIs is far smaller, so more is a fault.
const MAX_BODY_BYTES: u64 = 64 * 1024 * 1024;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    Get,
    Post,
}

/// One request. The URL may hold an API key: never log or store it unredacted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Request {
    pub method: Method,
    pub url: String,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
    /// For the whole exchange: connecting, sending and reading the answer.
    pub timeout: Duration,
}

/// One answer, whatever its status.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Response {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Response {
    /// The first header of that name, compared without case as HTTP does.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(header, _)| header.eq_ignore_ascii_case(name)).map(|(_, value)| value.as_str())
    }
}

/// Why no answer came.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TransportError {
    /// The request's timeout passed.
    Timeout,
    /// Anything else between us and the server (DNS, refused connection, a cut answer). The text may
    /// name the URL: it is redacted before it goes anywhere.
    Failed(String),
}

pub trait Transport: Send + Sync {
    fn send(&self, request: &Request) -> Result<Response, TransportError>;
}

/// The real transport: ureq with rustls, one connection pool for the process.
#[derive(Debug, Clone)]
pub struct UreqTransport {
    agent: ureq::Agent,
}

impl Default for UreqTransport {
    fn default() -> UreqTransport {
        // Statuses are answers the retry policy reads, not errors; redirects are followed.
        UreqTransport { agent: ureq::AgentBuilder::new().redirects(5).build() }
    }
}

impl Transport for UreqTransport {
    fn send(&self, request: &Request) -> Result<Response, TransportError> {
        let method = match request.method {
            Method::Get => "GET",
            Method::Post => "POST",
        };
        let mut call = self.agent.request(method, &request.url).timeout(request.timeout);
        for (name, value) in &request.headers {
            call = call.set(name, value);
        }
        let answer = match request.method {
            Method::Get => call.call(),
            Method::Post => call.send_bytes(&request.body),
        };
        let response = match answer {
            Ok(response) | Err(ureq::Error::Status(_, response)) => response,
            Err(ureq::Error::Transport(transport)) => return Err(transport_error(&transport.to_string())),
        };
        let status = response.status();
        let headers = response
            .headers_names()
            .into_iter()
            .filter_map(|name| response.header(&name).map(|value| (name.clone(), value.to_string())))
            .collect();
        let mut body = Vec::new();
        response
            .into_reader()
            .take(MAX_BODY_BYTES)
            .read_to_end(&mut body)
            .map_err(|error| transport_error(&error.to_string()))?;
        Ok(Response { status, headers, body })
    }
}

fn transport_error(text: &str) -> TransportError {
    let lower = text.to_lowercase();
    if lower.contains("timed out") || lower.contains("timeout") || lower.contains("would block") {
        TransportError::Timeout
    } else {
        TransportError::Failed(text.to_string())
    }
}
