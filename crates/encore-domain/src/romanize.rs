//! Hangul in Latin letters, so a romanised title or name can meet its Hangul spelling.
//!
//! [`romanize`] is the Revised Romanisation of Korean applied syllable by syllable: each precomposed
//! syllable (U+AC00..U+D7A3) decomposes algorithmically into its initial, vowel and final jamo, each
//! written from a table (final consonants as pronounced at the end of a syllable: ㅅ is `t`). It
//! leaves out the sound-change rules between syllables (신라 is `sinra`, not `silla`).
//!
//! Real romanisations mix systems (성시경 is "Sung Si-kyung", 첫눈 is "cheonnun" or "cheotnun"),
//! so [`loose_key`] folds the letters the systems disagree on (g/k, d/t, b/p, r/l, j/ch, eo/u,
//! eu/u, ee/i, oo/u, ae/e) and doubled letters. Both sides of a comparison go through it.

const SYLLABLE_FIRST: u32 = 0xAC00;
const SYLLABLE_LAST: u32 = 0xD7A3;

const INITIALS: [&str; 19] =
    ["g", "kk", "n", "d", "tt", "r", "m", "b", "pp", "s", "ss", "", "j", "jj", "ch", "k", "t", "p", "h"];
const VOWELS: [&str; 21] = [
    "a", "ae", "ya", "yae", "eo", "e", "yeo", "ye", "o", "wa", "wae", "oe", "yo", "u", "wo", "we", "wi", "yu", "eu",
    "ui", "i",
];
const FINALS: [&str; 28] = [
    "", "k", "k", "k", "n", "n", "n", "t", "l", "k", "m", "l", "l", "l", "p", "l", "m", "p", "p", "t", "t", "ng", "t",
    "t", "k", "t", "p", "t",
];

/// The text with every Hangul syllable in Revised Romanisation; other characters unchanged.
pub fn romanize(text: &str) -> String {
    let mut latin = String::with_capacity(text.len() * 2);
    for character in text.chars() {
        let code = u32::from(character);
        if !(SYLLABLE_FIRST..=SYLLABLE_LAST).contains(&code) {
            latin.push(character);
            continue;
        }
        let index = (code - SYLLABLE_FIRST) as usize;
        let (initial, vowel, last) = (index / 588, (index % 588) / 28, index % 28);
        for part in [INITIALS.get(initial), VOWELS.get(vowel), FINALS.get(last)].into_iter().flatten() {
            latin.push_str(part);
        }
    }
    latin
}

/// Whether the text has a Hangul syllable.
pub fn has_hangul(text: &str) -> bool {
    text.chars().any(|character| (SYLLABLE_FIRST..=SYLLABLE_LAST).contains(&u32::from(character)))
}

/// A key under which romanisations from different systems (and the Hangul itself) agree: the
/// text romanised, ASCII letters and digits only, with the letters the systems disagree on folded.
/// Empty when nothing of the text is Latin or Hangul.
pub fn loose_key(text: &str) -> String {
    let latin: String = romanize(&text.to_lowercase()).chars().filter(char::is_ascii_alphanumeric).collect();
    let mut folded = latin;
    for (from, to) in
        [("eo", "u"), ("eu", "u"), ("oo", "u"), ("ee", "i"), ("ae", "e"), ("ch", "j"), ("sh", "s"), ("ph", "p")]
    {
        folded = folded.replace(from, to);
    }
    let mut key = String::with_capacity(folded.len());
    for character in folded.chars() {
        let folded_character = match character {
            'g' => 'k',
            'd' => 't',
            'b' | 'f' | 'v' => 'p',
            'r' => 'l',
            'z' => 'j',
            other => other,
        };
        if !key.ends_with(folded_character) {
            key.push(folded_character);
        }
    }
    key
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn syllables_decompose_into_revised_romanisation() {
        assert_eq!(romanize("첫눈처럼 너에게 가겠다"), "cheotnuncheoreom neoege gagetda");
        assert_eq!(romanize("도깨비 OST"), "dokkaebi OST");
        assert_eq!(romanize("사랑"), "sarang");
        assert_eq!(romanize("쓸쓸하고 찬란하神"), "sseulsseulhago chanranha神");
    }

    #[test]
    fn romanisations_of_different_systems_meet_under_the_loose_key() {
        assert_eq!(loose_key("성시경"), loose_key("Sung Si-kyung"));
        assert_eq!(loose_key("너의 모든 순간"), loose_key("Neoui Modeun Sungan"));
        assert_eq!(loose_key("첫눈처럼 너에게 가겠다"), loose_key("Cheotnuncheoreom Neoege Gagetda"));
        assert_eq!(loose_key("소나기"), loose_key("Sonagi"));
        assert_ne!(loose_key("소나기"), loose_key("Sudden Shower"));
        assert!(has_hangul("에일리(Ailee)") && !has_hangul("Ailee"));
        assert_eq!(loose_key("!!"), "");
    }
}
