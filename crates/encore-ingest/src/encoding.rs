//! Text encodings of Korean sources: UTF-8 (with or without a byte-order mark) or EUC-KR (as
//! Windows Excel and older Korean sites save CSV files).

use std::borrow::Cow;

const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";

/// The file as UTF-8 bytes: unchanged when it is UTF-8 (the byte-order mark dropped), decoded when
/// it is wholly valid EUC-KR (Windows code page 949's superset, as encoding_rs reads it). A file
/// that is neither is returned as it is, so the CSV reader rejects just the rows with bad bytes.
pub(crate) fn utf8_or_euc_kr(bytes: &[u8]) -> Cow<'_, [u8]> {
    let bytes = bytes.strip_prefix(UTF8_BOM).unwrap_or(bytes);
    if std::str::from_utf8(bytes).is_ok() {
        return Cow::Borrowed(bytes);
    }
    match encoding_rs::EUC_KR.decode_without_bom_handling_and_without_replacement(bytes) {
        Some(text) => Cow::Owned(text.into_owned().into_bytes()),
        None => Cow::Borrowed(bytes),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn euc_kr_is_decoded_and_utf8_kept() {
        let (euc_kr, _, _) = encoding_rs::EUC_KR.encode("순위,곡명\n1,첫눈처럼 너에게 가겠다\n");
        assert_eq!(utf8_or_euc_kr(&euc_kr).as_ref(), "순위,곡명\n1,첫눈처럼 너에게 가겠다\n".as_bytes());
        assert_eq!(utf8_or_euc_kr("\u{FEFF}순위".as_bytes()).as_ref(), "순위".as_bytes());
        assert_eq!(utf8_or_euc_kr(b"a,\xFF\xFF\n").as_ref(), b"a,\xFF\xFF\n");
    }
}
