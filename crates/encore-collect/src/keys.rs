//! API keys and the webhook secret: read from the environment or a key file, never from the watch
//! list; and the redaction that keeps them out of every log line, error and stored row.

use std::fmt;
use std::path::Path;

use serde::Deserialize;

use crate::error::CollectError;

pub const YOUTUBE_KEY_VARIABLE: &str = "YOUTUBE_API_KEY";
pub const LASTFM_KEY_VARIABLE: &str = "LASTFM_API_KEY";
pub const WEBHOOK_SECRET_VARIABLE: &str = "ENCORE_WEBHOOK_SECRET";

/// What stands in for a secret wherever text leaves the process.
pub const REDACTED: &str = "REDACTED";

/// A secret whose `Debug` never shows it.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: impl Into<String>) -> Secret {
        Secret(value.into())
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str(REDACTED)
    }
}

/// The keys a collection may use; each is needed only by the entries of its API.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ApiKeys {
    pub youtube: Option<Secret>,
    pub lastfm: Option<Secret>,
    /// Signs the alert webhook's body (HMAC-SHA256).
    pub webhook_secret: Option<Secret>,
}

/// A key file: TOML with any of these fields.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct KeyFile {
    youtube_api_key: Option<String>,
    lastfm_api_key: Option<String>,
    webhook_secret: Option<String>,
}

impl ApiKeys {
    /// The keys from the process environment ([`YOUTUBE_KEY_VARIABLE`], [`LASTFM_KEY_VARIABLE`],
    /// [`WEBHOOK_SECRET_VARIABLE`]), then, for those not set, from the key file if one is given.
    pub fn from_environment(key_file: Option<&Path>) -> Result<ApiKeys, CollectError> {
        ApiKeys::from_lookup(|name| std::env::var(name).ok(), key_file)
    }

    /// [`ApiKeys::from_environment`] with variables read through `lookup` (tests).
    pub fn from_lookup(
        lookup: impl Fn(&str) -> Option<String>,
        key_file: Option<&Path>,
    ) -> Result<ApiKeys, CollectError> {
        let variable =
            |name: &str| lookup(name).filter(|value| !value.trim().is_empty()).map(|value| Secret::new(value.trim()));
        let mut keys = ApiKeys {
            youtube: variable(YOUTUBE_KEY_VARIABLE),
            lastfm: variable(LASTFM_KEY_VARIABLE),
            webhook_secret: variable(WEBHOOK_SECRET_VARIABLE),
        };
        if let Some(path) = key_file {
            let text = std::fs::read_to_string(path).map_err(CollectError::io("read the key file", path))?;
            // The parser's message may quote the line, and with it a key: say only where it failed.
            let file: KeyFile = toml::from_str(&text).map_err(|error| CollectError::Config {
                file: path.to_path_buf(),
                field: error.span().map(|span| format!("at byte {}", span.start)).unwrap_or_default(),
                reason: "not a key file (TOML with youtube_api_key, lastfm_api_key, webhook_secret)".to_string(),
            })?;
            let from_file = |value: Option<String>| {
                value.filter(|value| !value.trim().is_empty()).map(|value| Secret::new(value.trim()))
            };
            keys.youtube = keys.youtube.or(from_file(file.youtube_api_key));
            keys.lastfm = keys.lastfm.or(from_file(file.lastfm_api_key));
            keys.webhook_secret = keys.webhook_secret.or(from_file(file.webhook_secret));
        }
        Ok(keys)
    }

    /// The redactor of these keys.
    pub fn redactor(&self) -> Redactor {
        let secrets = [&self.youtube, &self.lastfm, &self.webhook_secret]
            .into_iter()
            .flatten()
            .map(|secret| secret.expose().to_string())
            .filter(|secret| !secret.is_empty())
            .collect();
        Redactor { secrets }
    }
}

/// Takes secrets out of text: every key, as given and percent-encoded, and the value of any query
/// parameter that carries a key (`key=`, `api_key=`), known or not.
#[derive(Debug, Clone, Default)]
pub struct Redactor {
    secrets: Vec<String>,
}

impl Redactor {
    pub fn redact(&self, text: &str) -> String {
        let mut redacted = redact_key_parameters(text);
        for secret in &self.secrets {
            redacted = redacted.replace(secret.as_str(), REDACTED);
            let encoded = crate::url::encode(secret);
            if encoded != *secret {
                redacted = redacted.replace(encoded.as_str(), REDACTED);
            }
        }
        redacted
    }
}

/// `…&api_key=abc&…` as `…&api_key=REDACTED&…`.
fn redact_key_parameters(text: &str) -> String {
    let mut result = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(position) = find_key_parameter(rest) {
        let (before, after) = rest.split_at(position);
        let Some(equals) = after.find('=') else {
            break;
        };
        result.push_str(before);
        result.push_str(&after[..=equals]);
        result.push_str(REDACTED);
        let value = &after[equals + 1..];
        let end = value.find(['&', ' ', '"', '\'', '#']).unwrap_or(value.len());
        rest = &value[end..];
    }
    result.push_str(rest);
    result
}

fn find_key_parameter(text: &str) -> Option<usize> {
    ["?key=", "&key=", "?api_key=", "&api_key="]
        .iter()
        .filter_map(|parameter| text.find(parameter).map(|position| position + 1))
        .min()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_leave_no_trace() {
        let keys = ApiKeys { youtube: Some(Secret::new("s3cr3t/key")), ..ApiKeys::default() };
        let redactor = keys.redactor();
        let text = "GET https://x/videos?part=statistics&key=abc&id=1 failed: s3cr3t/key s3cr3t%2Fkey";
        assert_eq!(
            redactor.redact(text),
            "GET https://x/videos?part=statistics&key=REDACTED&id=1 failed: REDACTED REDACTED"
        );
        assert!(!format!("{keys:?}").contains("s3cr3t"));
    }
}
