//! Percent-encoding of URL path segments and query values (RFC 3986: all but the unreserved
//! characters), so an article title with `/`, `?` or Hangul reaches the API as one segment.

pub fn encode(text: &str) -> String {
    let mut encoded = String::with_capacity(text.len());
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'_' | b'.' | b'~') {
            encoded.push(char::from(byte));
        } else {
            encoded.push_str(&format!("%{byte:02X}"));
        }
    }
    encoded
}

/// `base?name=value&…` with each value encoded.
pub fn with_query(base: &str, parameters: &[(&str, &str)]) -> String {
    let query: Vec<String> = parameters.iter().map(|(name, value)| format!("{name}={}", encode(value))).collect();
    format!("{base}?{}", query.join("&"))
}

#[cfg(test)]
mod tests {
    #[test]
    fn titles_become_one_segment() {
        assert_eq!(super::encode("Goblin_(TV_series)"), "Goblin_%28TV_series%29");
        assert_eq!(super::encode("AC/DC"), "AC%2FDC");
        assert_eq!(super::encode("도"), "%EB%8F%84");
    }
}
