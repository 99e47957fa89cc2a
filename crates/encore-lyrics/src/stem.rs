//! A rule-based Korean stemmer: it strips particles and verb and adjective endings from a word
//! (a run of Hangul syllables) by a table of suffixes, with no dictionary.
//!
//! The rules, in order, repeated up to [`MAX_STRIPS`] times:
//! - a word in [`KEEP_WHOLE`] (common lyric words that end like a particle or an ending: 바다,
//!   노래, 겨울…) is its own stem, and so is a contraction's base in [`CONTRACTIONS`]
//!   (난 → 나, 그댈 → 그대);
//! - the longest suffix of [`SUFFIXES`] whose condition holds is stripped. A particle with two
//!   shapes strips only after the sound its shape follows: 은, 이, 을, 과, 으로, 아 after a final
//!   consonant, 는 (the topic particle; the ending 는 follows anything), 가, 를, 와, 야 after a
//!   vowel, 로 after a vowel or ㄹ. So 사랑을 → 사랑, but 가을 stays (을 never follows a vowel);
//! - what remains must keep at least the suffix's minimum of syllables: one for most, two for the
//!   light verb 하다's forms (하, 해, 했, 한, 할), so 사랑한다 → 사랑 while 한 and 해 stay.
//!
//! Then the ㅂ-irregular adjectives are brought to one stem: a stem ending in 워, 웠, 운 or 움
//! after a syllable without a final consonant takes ㅂ back (그리워, 그리운, 그리움 → 그립).
//!
//! Limits, stated: without a dictionary the stemmer cannot tell a noun that ends like an ending
//! (가지, 정도) from an inflected word, so such nouns lose their last syllable unless listed;
//! irregular stems other than ㅂ (듣다/들어, 모르다/몰라) and contracted vowels (가+아 → 가,
//! 보+아 → 봐) keep their surface shape, so one verb may have two stems (기다리, 기다려). The
//! motif lexicon matches by stem prefix for that reason.

use crate::hangul::{final_of, with_final, FINAL_BIEUP, FINAL_RIEUL};

/// How many suffixes one word may lose (a particle after an ending, an ending after a tense).
pub const MAX_STRIPS: usize = 3;

/// Words kept whole: they end like a particle or an ending but are not inflected.
pub const KEEP_WHOLE: [&str; 44] = [
    "사랑",
    "자랑",
    "파도",
    "기도",
    "아버지",
    "소나기",
    "만들",
    "흔들",
    "힘들",
    "바다",
    "하나",
    "하루",
    "노래",
    "겨울",
    "여름",
    "우리",
    "아니",
    "어디",
    "여기",
    "거기",
    "저기",
    "누구",
    "최고",
    "정도",
    "다시",
    "모두",
    "모든",
    "함께",
    "처음",
    "이제",
    "지금",
    "아직",
    "혼자",
    "서로",
    "마치",
    "조금",
    "그대",
    "그녀",
    "바보",
    "오늘",
    "내일",
    "어제",
    "하늘",
    "가지",
];

/// Contractions of a pronoun and a particle, and the pronoun they stand for.
pub const CONTRACTIONS: [(&str, &str); 8] = [
    ("난", "나"),
    ("넌", "너"),
    ("널", "너"),
    ("맘", "마음"),
    ("그댈", "그대"),
    ("그댄", "그대"),
    ("우린", "우리"),
    ("우릴", "우리"),
];

/// After which sound a suffix may be stripped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Follows {
    /// Any syllable.
    Anything,
    /// A syllable with a final consonant.
    Consonant,
    /// A syllable without a final consonant.
    Vowel,
    /// A syllable without a final consonant or with ㄹ.
    VowelOrRieul,
}

/// One suffix the stemmer strips: its text, the sound it follows, and the fewest syllables the
/// stem must keep.
#[derive(Debug, Clone, Copy)]
pub struct Suffix {
    pub text: &'static str,
    pub follows: Follows,
    pub min_stem_syllables: usize,
}

const fn suffix(text: &'static str, follows: Follows, min_stem_syllables: usize) -> Suffix {
    Suffix { text, follows, min_stem_syllables }
}

use Follows::{Anything, Consonant, Vowel, VowelOrRieul};

/// Particles, then endings; the longest that applies is stripped first.
pub const SUFFIXES: [Suffix; 82] = [
    // Particles.
    suffix("에게서", Anything, 1),
    suffix("에서는", Anything, 1),
    suffix("에서도", Anything, 1),
    suffix("으로는", Consonant, 1),
    suffix("에서", Anything, 1),
    suffix("에게", Anything, 1),
    suffix("한테", Anything, 1),
    suffix("까지", Anything, 1),
    suffix("부터", Anything, 1),
    suffix("처럼", Anything, 1),
    suffix("마다", Anything, 1),
    suffix("조차", Anything, 1),
    suffix("마저", Anything, 1),
    suffix("보다", Anything, 1),
    suffix("으로", Consonant, 1),
    suffix("이라도", Consonant, 1),
    suffix("라도", Vowel, 1),
    // 걸 is 것을 contracted (모든걸), after a word of its own.
    suffix("걸", Anything, 2),
    // The plural marker, before a particle or alone: 날들, 우리들.
    suffix("들", Anything, 1),
    suffix("이랑", Consonant, 1),
    suffix("로", VowelOrRieul, 1),
    suffix("랑", Vowel, 1),
    suffix("은", Consonant, 1),
    suffix("는", Anything, 1),
    suffix("이", Consonant, 1),
    suffix("가", Vowel, 1),
    suffix("을", Consonant, 1),
    suffix("를", Vowel, 1),
    suffix("과", Consonant, 1),
    suffix("와", Vowel, 1),
    suffix("에", Anything, 1),
    suffix("의", Anything, 1),
    suffix("도", Anything, 1),
    suffix("만", Anything, 1),
    suffix("야", Vowel, 1),
    suffix("아", Consonant, 1),
    // Endings: politeness, connectives, tense, the copula.
    suffix("습니다", Anything, 1),
    suffix("이에요", Consonant, 1),
    suffix("어요", Anything, 1),
    suffix("아요", Anything, 1),
    suffix("에요", Anything, 1),
    suffix("예요", Vowel, 1),
    suffix("세요", Anything, 1),
    suffix("지만", Anything, 1),
    suffix("는데", Anything, 1),
    suffix("은데", Consonant, 1),
    suffix("니까", Anything, 1),
    suffix("면서", Anything, 1),
    suffix("으면", Consonant, 1),
    suffix("어서", Anything, 1),
    suffix("아서", Anything, 1),
    suffix("다면", Anything, 1),
    suffix("라면", Anything, 1),
    suffix("잖아", Anything, 1),
    suffix("을까", Consonant, 1),
    suffix("까요", Anything, 1),
    suffix("네요", Anything, 1),
    suffix("도록", Anything, 1),
    suffix("이야", Consonant, 1),
    suffix("이다", Consonant, 1),
    suffix("고", Anything, 1),
    suffix("며", Anything, 1),
    suffix("면", Anything, 1),
    suffix("서", Anything, 1),
    suffix("지", Anything, 1),
    suffix("다", Anything, 1),
    suffix("요", Anything, 1),
    suffix("어", Anything, 1),
    suffix("네", Anything, 1),
    suffix("던", Anything, 1),
    suffix("게", Anything, 1),
    suffix("죠", Anything, 1),
    suffix("었", Anything, 1),
    suffix("았", Anything, 1),
    suffix("였", Vowel, 1),
    // The progressive 고 있 written as one word (웃고있어), the copula's adnominal after a noun
    // of two syllables or more, and its question 인가 (사랑인, 사랑인가 → 사랑; 연인 stays), and 께, the spoken spelling of 게
    // (줄께 as 줄게).
    suffix("고있", Anything, 1),
    suffix("인", Consonant, 2),
    suffix("인가", Consonant, 2),
    suffix("께", Anything, 1),
    // The light verb 하다 after a noun of two syllables or more: 사랑하, 사랑해, 사랑했.
    suffix("하", Anything, 2),
    suffix("해", Anything, 2),
    suffix("했", Anything, 2),
];

/// Forms of 하다 kept for the light-verb rule with a final ㄴ or ㄹ (사랑한, 사랑할).
const LIGHT_VERB_ADNOMINALS: [&str; 2] = ["한", "할"];

/// The stem of one Korean word (a run of Hangul syllables).
pub fn stem_korean(word: &str) -> String {
    let mut stem: Vec<char> = word.chars().collect();
    for _ in 0..MAX_STRIPS {
        let text: String = stem.iter().collect();
        if KEEP_WHOLE.contains(&text.as_str()) {
            return text;
        }
        if let Some((_, base)) = CONTRACTIONS.iter().find(|(contracted, _)| *contracted == text) {
            return (*base).to_string();
        }
        match strippable_length(&stem) {
            Some(length) => stem.truncate(stem.len() - length),
            None => break,
        }
    }
    restore_bieup(&mut stem);
    stem.into_iter().collect()
}

/// The length in syllables of the longest suffix that may be stripped from `stem`.
fn strippable_length(stem: &[char]) -> Option<usize> {
    let text: String = stem.iter().collect();
    let adnominal = LIGHT_VERB_ADNOMINALS.iter().filter(|form| text.ends_with(**form) && stem.len() >= 3).map(|_| 1);
    SUFFIXES
        .iter()
        .filter(|candidate| text.ends_with(candidate.text))
        .filter_map(|candidate| {
            let length = candidate.text.chars().count();
            let kept = stem.len().checked_sub(length)?;
            if kept < candidate.min_stem_syllables.max(1) {
                return None;
            }
            let before = final_of(stem[kept - 1])?;
            let allowed = match candidate.follows {
                Anything => true,
                Consonant => before != 0,
                Vowel => before == 0,
                VowelOrRieul => before == 0 || before == FINAL_RIEUL,
            };
            allowed.then_some(length)
        })
        .chain(adnominal)
        .max()
}

/// The ㅂ-irregular rule: 그리워, 그리웠, 그리운, 그리움 → 그립.
fn restore_bieup(stem: &mut Vec<char>) {
    let Some(&last) = stem.last() else { return };
    if stem.len() < 2 || !matches!(last, '워' | '웠' | '운' | '움') {
        return;
    }
    let previous = stem[stem.len() - 2];
    if final_of(previous) != Some(0) {
        return;
    }
    if let Some(with_bieup) = with_final(previous, FINAL_BIEUP) {
        stem.pop();
        if let Some(slot) = stem.last_mut() {
            *slot = with_bieup;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(cases: &[(&str, &str)]) {
        for (word, expected) in cases {
            assert_eq!(stem_korean(word), *expected, "the stem of {word}");
        }
    }

    #[test]
    fn strips_particles_by_the_sound_they_follow() {
        check(&[
            ("사랑을", "사랑"),
            ("너를", "너"),
            ("마음이", "마음"),
            ("그대가", "그대"),
            ("눈물은", "눈물"),
            ("나는", "나"),
            ("바람에", "바람"),
            ("하늘로", "하늘"),
            ("마음으로", "마음"),
            ("그대와", "그대"),
            ("사람과", "사람"),
            ("너에게서", "너"),
            ("우리의", "우리"),
            // 을 and 이 never follow a vowel: these are whole words, not stem and particle.
            ("가을", "가을"),
            ("아이", "아이"),
            ("사이", "사이"),
        ]);
    }

    #[test]
    fn strips_endings_tense_and_the_light_verb() {
        check(&[
            ("사랑해", "사랑"),
            ("사랑해요", "사랑"),
            ("사랑한다", "사랑"),
            ("사랑했던", "사랑"),
            ("사랑하는", "사랑"),
            ("사랑할", "사랑"),
            ("기다리고", "기다리"),
            ("보았다", "보"),
            ("아니야", "아니"),
            ("사랑이야", "사랑"),
            ("없는데", "없"),
            // One syllable stays: 한 (one), 해 (sun).
            ("한", "한"),
            ("해", "해"),
            ("웃고있어", "웃"),
            ("사랑인", "사랑"),
            ("운명인가요", "운명"),
            ("연인", "연인"),
            ("애인", "애인"),
            ("줄께", "줄"),
            ("줄게", "줄"),
        ]);
    }

    #[test]
    fn keeps_listed_words_and_expands_contractions() {
        check(&[
            ("바다", "바다"),
            ("바다가", "바다"),
            ("겨울이", "겨울"),
            ("난", "나"),
            ("널", "너"),
            ("맘", "마음"),
            ("그댈", "그대"),
            ("날들이", "날"),
            ("만들어", "만들"),
            ("우린", "우리"),
            ("꿈에서라도", "꿈"),
            ("모든걸", "모든"),
        ]);
    }

    #[test]
    fn brings_b_irregular_adjectives_to_one_stem() {
        check(&[
            ("그리워", "그립"),
            ("그리워요", "그립"),
            ("그리운", "그립"),
            ("그리움", "그립"),
            ("그리움이", "그립"),
            ("외로워서", "외롭"),
            // A syllable with its own final consonant is not the ㅂ-irregular: 행운 (luck) stays.
            ("행운", "행운"),
        ]);
    }
}
