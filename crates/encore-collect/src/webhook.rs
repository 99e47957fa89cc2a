//! The alert webhook: each alert's JSON POSTed to the watch list's URL through the injected
//! transport, signed with HMAC-SHA256 of the body under the secret from `ENCORE_WEBHOOK_SECRET`,
//! in `X-Encore-Signature: sha256=<hex>` (as GitHub signs its webhooks), so the receiver can tell
//! the body came from whoever holds the secret and was not changed on the way.

use hmac::{Hmac, Mac};
use sha2::Sha256;

use crate::alerts::Alert;
use crate::error::CollectError;
use crate::keys::{Secret, WEBHOOK_SECRET_VARIABLE};
use crate::polite::Client;
use crate::Environment;

pub const SIGNATURE_HEADER: &str = "X-Encore-Signature";

/// `sha256=<hex>` of `body` under `secret`.
pub fn signature(secret: &str, body: &[u8]) -> String {
    let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(secret.as_bytes()) else {
        // HMAC takes a key of any length; this is never reached.
        return String::new();
    };
    mac.update(body);
    let digest = mac.finalize().into_bytes();
    format!("sha256={}", digest.iter().map(|byte| format!("{byte:02x}")).collect::<String>())
}

/// POSTs each alert; the first failure of each is returned, the others still sent.
pub(crate) fn post_all(url: &str, alerts: &[Alert], environment: &Environment) -> Vec<CollectError> {
    if alerts.is_empty() {
        return Vec::new();
    }
    let Some(secret) = environment.keys.webhook_secret.as_ref() else {
        return vec![CollectError::MissingKey { api: "the alert webhook", variable: WEBHOOK_SECRET_VARIABLE }];
    };
    let mut client = Client::new("webhook", environment, environment.politeness.webhook);
    alerts.iter().filter_map(|alert| post(&mut client, url, secret, alert).err()).collect()
}

fn post(client: &mut Client<'_>, url: &str, secret: &Secret, alert: &Alert) -> Result<(), CollectError> {
    let body = serde_json::to_vec(alert).map_err(|error| CollectError::Internal(error.to_string()))?;
    let headers = vec![
        ("Content-Type".to_string(), "application/json".to_string()),
        (SIGNATURE_HEADER.to_string(), signature(secret.expose(), &body)),
    ];
    let response = client.post(url, headers, body)?;
    if (200..300).contains(&response.status) {
        Ok(())
    } else {
        Err(CollectError::Webhook { url: client.redact(url), status: response.status })
    }
}
