//! Hangul syllables as their jamo: which syllable has a final consonant, and which one.
//!
//! A precomposed syllable is `0xAC00 + (initial × 21 + medial) × 28 + final`, final 0 meaning none
//! (Unicode's Hangul Syllables block), so a final is read and changed by arithmetic alone.

const FIRST_SYLLABLE: u32 = 0xAC00;
const LAST_SYLLABLE: u32 = 0xD7A3;
const FINALS: u32 = 28;

/// The final consonant ㄹ's index among finals.
pub const FINAL_RIEUL: u32 = 8;
/// The final consonant ㅂ's index among finals.
pub const FINAL_BIEUP: u32 = 17;

/// Whether `character` is a precomposed Hangul syllable.
pub fn is_syllable(character: char) -> bool {
    (FIRST_SYLLABLE..=LAST_SYLLABLE).contains(&(character as u32))
}

/// The index of a syllable's final consonant (0 for none); `None` for a character that is not a syllable.
pub fn final_of(character: char) -> Option<u32> {
    is_syllable(character).then(|| (character as u32 - FIRST_SYLLABLE) % FINALS)
}

/// The syllable with its final consonant replaced by `final_index` (0 removes it).
pub fn with_final(character: char, final_index: u32) -> Option<char> {
    let current = final_of(character)?;
    char::from_u32(character as u32 - current + final_index.min(FINALS - 1))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_and_replaces_final_consonants() {
        assert_eq!(final_of('가'), Some(0));
        assert_eq!(final_of('간'), Some(4));
        assert_eq!(final_of('갈'), Some(FINAL_RIEUL));
        assert_eq!(final_of('a'), None);
        assert_eq!(with_final('리', FINAL_BIEUP), Some('립'));
        assert_eq!(with_final('한', 0), Some('하'));
    }
}
