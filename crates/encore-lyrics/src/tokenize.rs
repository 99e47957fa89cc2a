//! Lyrics into tokens: runs of Hangul syllables and runs of Latin letters, each with its stem.
//!
//! A Korean word is stemmed by [`crate::stem::stem_korean`]. An English word is lowercased, loses
//! a final `'s`, and is dropped when it is a function word of [`ENGLISH_STOP_WORDS`] or a single
//! letter. Digits, punctuation, lone jamo (ㅋㅋ) and other scripts separate tokens and are not
//! tokens themselves. A Korean stem of [`KOREAN_STOP_STEMS`] (bound nouns and adverbs that carry
//! no theme: 것, 수, 더) is dropped too.

use serde::Serialize;

use crate::hangul::is_syllable;
use crate::stem::stem_korean;

/// English function words, which say nothing of a song's themes.
pub const ENGLISH_STOP_WORDS: [&str; 64] = [
    "the", "a", "an", "and", "or", "but", "if", "of", "to", "in", "on", "at", "by", "for", "with", "from", "up",
    "down", "out", "is", "am", "are", "was", "were", "be", "been", "do", "does", "did", "i", "me", "my", "you", "your",
    "we", "us", "our", "he", "she", "it", "its", "they", "them", "their", "this", "that", "so", "oh", "yeah", "ah",
    "la", "na", "uh", "ooh", "baby", "i'm", "you're", "it's", "don't", "can't", "i'll", "let", "just", "all",
];

/// Korean stems that carry no theme: bound nouns, demonstratives, degree adverbs.
pub const KOREAN_STOP_STEMS: [&str; 12] = ["것", "거", "수", "그", "이", "저", "더", "또", "좀", "안", "못", "왜"];

/// The writing system a token is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Script {
    Hangul,
    Latin,
}

/// One word of a lyric, as written and as stemmed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Token {
    pub surface: String,
    pub stem: String,
    pub script: Script,
}

/// The tokens of a lyric, in order.
pub fn tokenize(lyric: &str) -> Vec<Token> {
    let mut tokens = Vec::new();
    let mut current = String::new();
    let mut current_script: Option<Script> = None;
    for character in lyric.chars() {
        let script = script_of(character, current_script);
        if script != current_script {
            finish(&mut current, current_script, &mut tokens);
            current_script = script;
        }
        if script.is_some() {
            current.push(character);
        }
    }
    finish(&mut current, current_script, &mut tokens);
    tokens
}

/// The script a character continues or starts; an apostrophe belongs to a Latin word it is inside.
fn script_of(character: char, current: Option<Script>) -> Option<Script> {
    if is_syllable(character) {
        Some(Script::Hangul)
    } else if character.is_ascii_alphabetic() || (matches!(character, '\'' | '’') && current == Some(Script::Latin)) {
        Some(Script::Latin)
    } else {
        None
    }
}

fn finish(current: &mut String, script: Option<Script>, tokens: &mut Vec<Token>) {
    let surface = std::mem::take(current);
    let token = match script {
        Some(Script::Hangul) => Some(korean_token(surface)),
        Some(Script::Latin) => english_token(&surface),
        None => None,
    };
    tokens.extend(token.filter(|token| !token.stem.is_empty()));
}

fn korean_token(surface: String) -> Token {
    let stem = stem_korean(&surface);
    let stem = if KOREAN_STOP_STEMS.contains(&stem.as_str()) { String::new() } else { stem };
    Token { surface, stem, script: Script::Hangul }
}

fn english_token(surface: &str) -> Option<Token> {
    let lowered = surface.to_lowercase().replace('’', "'");
    let word = lowered.trim_matches('\'');
    let stem = word.strip_suffix("'s").unwrap_or(word);
    if stem.chars().count() < 2 || ENGLISH_STOP_WORDS.contains(&word) || ENGLISH_STOP_WORDS.contains(&stem) {
        return None;
    }
    Some(Token { surface: surface.to_string(), stem: stem.to_string(), script: Script::Latin })
}

/// The stems of a lyric, in order.
pub fn stems(lyric: &str) -> Vec<String> {
    tokenize(lyric).into_iter().map(|token| token.stem).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_korean_and_english_lines_into_stems() {
        let lyric = "첫눈처럼 너에게 가겠다\nI miss you, baby — 그리워요!\nShe's my winter's snow 123 ㅋㅋ";
        assert_eq!(stems(lyric), ["첫눈", "너", "가겠", "miss", "그립", "winter", "snow"].map(String::from).to_vec());
    }

    #[test]
    fn keeps_surfaces_and_scripts() {
        let tokens = tokenize("사랑해 love");
        assert_eq!(
            tokens,
            vec![
                Token { surface: "사랑해".into(), stem: "사랑".into(), script: Script::Hangul },
                Token { surface: "love".into(), stem: "love".into(), script: Script::Latin },
            ]
        );
    }

    #[test]
    fn a_word_split_between_scripts_is_two_tokens_and_stop_words_go() {
        assert_eq!(stems("OST사랑 the 것이 더 rain's"), ["ost", "사랑", "rain"].map(String::from).to_vec());
    }
}
