//! Polite calls to one API: a minimum interval between calls, a timeout on each, `Retry-After`
//! honoured on 429 and 503, exponential backoff with jitter on other 5xx answers, timeouts,
//! broken connections and an API's passing faults inside a 2xx answer, a bounded number of attempts, and a User-Agent naming Encore. Every URL
//! that reaches a log line or an error is redacted first.

use std::time::Duration;

use chrono::{DateTime, Utc};

use crate::error::CollectError;
use crate::keys::Redactor;
use crate::transport::{Method, Request, Response, TransportError};
use crate::Environment;

/// How one API is called.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Politeness {
    /// The least time between the starts of two calls to the API.
    pub min_interval: Duration,
    pub timeout: Duration,
    /// Attempts of one call, the first included.
    pub max_attempts: u32,
    /// The first backoff; each retry doubles it, up to `max_backoff`, and jitter takes up to half off.
    pub first_backoff: Duration,
    pub max_backoff: Duration,
    /// The longest `Retry-After` obeyed; a longer one fails the call (the API asks us to come back
    /// another run).
    pub max_retry_after: Duration,
}

impl Politeness {
    /// A gentle default for public APIs: a call a second at most.
    pub const DEFAULT: Politeness = Politeness {
        min_interval: Duration::from_secs(1),
        timeout: Duration::from_secs(30),
        max_attempts: 5,
        first_backoff: Duration::from_secs(2),
        max_backoff: Duration::from_secs(120),
        max_retry_after: Duration::from_secs(900),
    };
}

impl Default for Politeness {
    fn default() -> Politeness {
        Politeness::DEFAULT
    }
}

/// What is wrong with a successful answer's body, when the body reports a passing fault.
type PassingFault = fn(&[u8]) -> Option<String>;

/// One API's caller within a run: remembers its last call for the rate limit.
pub(crate) struct Client<'a> {
    pub api: &'static str,
    environment: &'a Environment,
    politeness: Politeness,
    redactor: Redactor,
    last_call: Option<DateTime<Utc>>,
    /// For an API that reports a passing fault inside a successful answer (Last.fm answers 200
    /// with `{"error": 29}` when rate-limited): what is wrong, when the answer is such a fault,
    /// so that it is retried like a 503.
    passing_fault: Option<PassingFault>,
}

impl<'a> Client<'a> {
    pub fn new(api: &'static str, environment: &'a Environment, politeness: Politeness) -> Client<'a> {
        let redactor = environment.keys.redactor();
        Client { api, environment, politeness, redactor, last_call: None, passing_fault: None }
    }

    /// Retries, with backoff, a 2xx answer that `fault` finds to be a passing fault.
    pub fn retrying_passing_faults(mut self, fault: PassingFault) -> Client<'a> {
        self.passing_fault = Some(fault);
        self
    }

    pub fn environment(&self) -> &'a Environment {
        self.environment
    }

    pub fn redact(&self, text: &str) -> String {
        self.redactor.redact(text)
    }

    /// GET `url` and return the body of a 2xx answer; a 404 is returned as `None` (for APIs where it
    /// means "no data") when `missing_is_none`.
    pub fn get(&mut self, url: &str, missing_is_none: bool) -> Result<Option<Vec<u8>>, CollectError> {
        let request = self.request(Method::Get, url, Vec::new(), Vec::new());
        let response = self.send(&request)?;
        if response.status == 404 && missing_is_none {
            return Ok(None);
        }
        if !(200..300).contains(&response.status) {
            return Err(self.http_error(url, &format!("answered {}{}", response.status, self.snippet(&response))));
        }
        Ok(Some(response.body))
    }

    /// POST `body` to `url` with `headers`; the answer whatever its status, after retries.
    pub fn post(&mut self, url: &str, headers: Vec<(String, String)>, body: Vec<u8>) -> Result<Response, CollectError> {
        let request = self.request(Method::Post, url, headers, body);
        self.send(&request)
    }

    pub fn http_error(&self, url: &str, reason: &str) -> CollectError {
        CollectError::Http { api: self.api, url: self.redact(url), reason: self.redact(reason) }
    }

    pub fn malformed(&self, url: &str, reason: &str) -> CollectError {
        CollectError::Malformed { api: self.api, url: self.redact(url), reason: self.redact(reason) }
    }

    fn request(&self, method: Method, url: &str, mut headers: Vec<(String, String)>, body: Vec<u8>) -> Request {
        headers.push(("User-Agent".to_string(), self.environment.user_agent()));
        headers.push(("Accept".to_string(), "application/json".to_string()));
        Request { method, url: url.to_string(), headers, body, timeout: self.politeness.timeout }
    }

    /// A short, redacted piece of an error answer, for the message.
    fn snippet(&self, response: &Response) -> String {
        let text = String::from_utf8_lossy(&response.body);
        let piece: String = text.chars().take(200).collect();
        if piece.trim().is_empty() {
            String::new()
        } else {
            format!(": {}", self.redact(piece.trim()))
        }
    }

    fn send(&mut self, request: &Request) -> Result<Response, CollectError> {
        let shown_url = self.redact(&request.url);
        let mut attempt = 0;
        loop {
            attempt += 1;
            self.wait_for_turn();
            tracing::debug!(api = self.api, url = %shown_url, attempt, "calling");
            let (why, retry_in) = match self.environment.transport.send(request) {
                Ok(response) if response.status == 429 || response.status == 503 => {
                    let answered = format!("answered {}", response.status);
                    match retry_after(&response, self.environment.clock.now()) {
                        Some(wait) if wait > self.politeness.max_retry_after => {
                            let reason =
                                format!("{answered} and asks to wait {} s, longer than allowed", wait.as_secs());
                            return Err(self.http_error(&request.url, &reason));
                        }
                        Some(wait) => (answered, wait),
                        None => (answered, self.backoff(attempt)),
                    }
                }
                Ok(response) if response.status >= 500 => {
                    (format!("answered {}{}", response.status, self.snippet(&response)), self.backoff(attempt))
                }
                Ok(response) => match self.passing_fault_of(&response) {
                    Some(reason) => (reason, self.backoff(attempt)),
                    None => return Ok(response),
                },
                Err(TransportError::Timeout) => {
                    (format!("timed out after {} s", self.politeness.timeout.as_secs()), self.backoff(attempt))
                }
                Err(TransportError::Failed(reason)) => (self.redact(&reason), self.backoff(attempt)),
            };
            if attempt >= self.politeness.max_attempts {
                return Err(self.http_error(&request.url, &format!("{why}, gave up after {attempt} attempts")));
            }
            tracing::warn!(api = self.api, url = %shown_url, attempt, reason = %why, wait_ms = retry_in.as_millis() as u64, "retrying");
            self.environment.clock.sleep(retry_in);
        }
    }

    /// What is wrong with a 2xx answer that the API's `passing_fault` finds to be one, redacted.
    fn passing_fault_of(&self, response: &Response) -> Option<String> {
        let fault = self.passing_fault.filter(|_| (200..300).contains(&response.status))?;
        fault(&response.body).map(|reason| self.redact(&reason))
    }

    /// Sleeps until the rate limit allows the next call, and notes the call.
    fn wait_for_turn(&mut self) {
        let now = self.environment.clock.now();
        if let Some(last) = self.last_call {
            let since = (now - last).to_std().unwrap_or(Duration::ZERO);
            if since < self.politeness.min_interval {
                self.environment.clock.sleep(self.politeness.min_interval - since);
            }
        }
        self.last_call = Some(self.environment.clock.now());
    }

    /// Exponential backoff with "equal jitter": half the doubled delay, plus a random part of the
    /// other half, so that clients failing together do not retry together.
    fn backoff(&self, attempt: u32) -> Duration {
        let doubled = self.politeness.first_backoff.saturating_mul(1 << attempt.saturating_sub(1).min(16));
        let ceiling = doubled.min(self.politeness.max_backoff);
        let nanos = self.environment.clock.now().timestamp_subsec_nanos();
        let random = split_mix(u64::from(nanos) ^ u64::from(attempt) ^ self.api.len() as u64);
        let fraction = (random >> 11) as f64 / (1u64 << 53) as f64;
        ceiling / 2 + ceiling.mul_f64(fraction / 2.0)
    }
}

/// `Retry-After` as seconds or an HTTP date (RFC 9110), from `now`; without one, ListenBrainz's
/// `X-RateLimit-Reset-In` (seconds until its rate-limit window resets).
fn retry_after(response: &Response, now: DateTime<Utc>) -> Option<Duration> {
    let Some(value) = response.header("Retry-After").map(str::trim) else {
        let reset_in = response.header("X-RateLimit-Reset-In")?.trim().parse::<u64>().ok()?;
        return Some(Duration::from_secs(reset_in));
    };
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let date = DateTime::parse_from_rfc2822(value).ok()?;
    Some((date.with_timezone(&Utc) - now).to_std().unwrap_or(Duration::ZERO))
}

/// SplitMix64: a well-mixed number from any seed, enough for jitter.
fn split_mix(seed: u64) -> u64 {
    let mut value = seed.wrapping_add(0x9E37_79B9_7F4A_7C15);
    value = (value ^ (value >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    value = (value ^ (value >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    value ^ (value >> 31)
}
