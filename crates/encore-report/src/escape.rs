//! Escaping text for the two text formats the report writes: HTML and CSV.

/// Text safe inside HTML elements and quoted attributes.
pub fn escape_html(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for character in text.chars() {
        match character {
            '&' => escaped.push_str("&amp;"),
            '<' => escaped.push_str("&lt;"),
            '>' => escaped.push_str("&gt;"),
            '"' => escaped.push_str("&quot;"),
            '\'' => escaped.push_str("&#39;"),
            _ => escaped.push(character),
        }
    }
    escaped
}

/// One CSV field (RFC 4180): quoted, with quotes doubled, when it holds a comma, quote or line
/// break.
pub fn csv_field(text: &str) -> String {
    if text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_special_characters_are_escaped() {
        assert_eq!(escape_html(r#"Tom & Jerry <3 "it's""#), "Tom &amp; Jerry &lt;3 &quot;it&#39;s&quot;");
        assert_eq!(escape_html("첫눈처럼 너에게 가겠다"), "첫눈처럼 너에게 가겠다");
    }

    #[test]
    fn csv_fields_are_quoted_only_when_needed() {
        assert_eq!(csv_field("Ailee"), "Ailee");
        assert_eq!(csv_field("Chanyeol, Punch"), "\"Chanyeol, Punch\"");
        assert_eq!(csv_field("the \"one\""), "\"the \"\"one\"\"\"");
    }
}
