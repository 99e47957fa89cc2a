//! Motif families: the lexicon of stems that name a theme, and each song's motif profile.
//!
//! A lexicon entry ending in `*` matches every stem that starts with it (그리* would be too wide,
//! so entries are the stem's first syllables that no common word shares: 그립*, 기다*); any other
//! entry matches its stem exactly (별, 비, 봄), so 이별 is not a star and 비밀 not rain. The
//! stemmer leaves some verbs with two stems (기다리, 기다려), which the prefix entries cover. One
//! phrase counts too: 보고 followed by a form of 싶다 (보고 싶어, "I miss you") is longing.
//!
//! Limits, stated: 눈 (snow, and eye) and 꽃 (flower) are left out as too ambiguous (첫눈, 눈꽃,
//! 함박눈, 벚꽃 are in); 바람 is wind, and sometimes a wish; 안녕 is goodbye, and sometimes hello.

use serde::Serialize;

use crate::tokenize::Token;

/// The motif families.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub enum Motif {
    SeasonAndWeather,
    DistanceAndParting,
    LongingAndWaiting,
    Destiny,
    Memory,
    LightAndDark,
}

impl Motif {
    /// Every family, in the lexicon's order.
    pub const ALL: [Motif; 6] = [
        Motif::SeasonAndWeather,
        Motif::DistanceAndParting,
        Motif::LongingAndWaiting,
        Motif::Destiny,
        Motif::Memory,
        Motif::LightAndDark,
    ];

    /// The family's name in text and JSON.
    pub fn name(self) -> &'static str {
        match self {
            Motif::SeasonAndWeather => "season and weather",
            Motif::DistanceAndParting => "distance and parting",
            Motif::LongingAndWaiting => "longing and waiting",
            Motif::Destiny => "destiny",
            Motif::Memory => "memory",
            Motif::LightAndDark => "light and dark",
        }
    }

    fn index(self) -> usize {
        self as usize
    }
}

/// One family of the lexicon and its entries, Korean and English.
#[derive(Debug, Clone, Copy)]
pub struct MotifFamily {
    pub motif: Motif,
    pub entries: &'static [&'static str],
}

/// The lexicon. A stem belongs to the first family with an entry it matches.
#[rustfmt::skip]
pub const MOTIF_LEXICON: [MotifFamily; 6] = [
    MotifFamily {
        motif: Motif::SeasonAndWeather,
        entries: &[
            "봄", "여름", "가을", "겨울", "계절*", "첫눈*", "눈송이*", "눈꽃*", "함박눈*", "벚꽃*", "낙엽*", "비", "빗*", "소나기*", "장마*",
            "바람*", "구름*", "안개*", "태풍*", "spring", "summer", "autumn", "winter*", "season*", "snow*", "rain*",
            "wind", "windy", "cloud*", "storm*",
        ],
    },
    MotifFamily {
        motif: Motif::DistanceAndParting,
        entries: &[
            "이별*", "헤어*", "떠나*", "떠난*", "떠났*", "멀*", "먼", "작별*", "안녕", "보내*", "놓아*", "놓치*", "돌아서*", "남겨*",
            "goodbye", "bye", "far", "away", "apart", "leave", "leaving", "gone", "distance*",
        ],
    },
    MotifFamily {
        motif: Motif::LongingAndWaiting,
        entries: &["그립*", "기다*", "애타*", "간절*", "miss*", "wait*", "longing", "yearn*"],
    },
    MotifFamily {
        motif: Motif::Destiny,
        entries: &["운명*", "인연*", "숙명*", "필연*", "우연*", "destiny", "fate*", "meant"],
    },
    MotifFamily {
        motif: Motif::Memory,
        entries: &[
            "기억*", "추억*", "잊*", "그때*", "그날*", "옛날*", "지난*", "시절*", "회상*", "흔적*", "떠올*", "memor*", "remember*",
            "forget*", "forgot*", "yesterday*",
        ],
    },
    MotifFamily {
        motif: Motif::LightAndDark,
        entries: &[
            "빛*", "별", "별빛*", "달", "달빛*", "햇살*", "햇빛*", "밤*", "어둠*", "어두*", "그림자*", "새벽*", "불빛*", "태양*", "밝*",
            "light*", "dark*", "shine*", "shining", "star*", "sun", "sunshine", "moon*", "night*",
        ],
    },
];

/// The family a stem belongs to, if any.
pub fn motif_of(stem: &str) -> Option<Motif> {
    MOTIF_LEXICON
        .iter()
        .find(|family| family.entries.iter().any(|entry| entry_matches(entry, stem)))
        .map(|family| family.motif)
}

fn entry_matches(entry: &str, stem: &str) -> bool {
    match entry.strip_suffix('*') {
        Some(prefix) => stem.starts_with(prefix),
        None => stem == entry,
    }
}

/// One song's motifs: how many of its tokens fall in each family.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct MotifProfile {
    pub tokens: usize,
    counts: [usize; 6],
}

impl MotifProfile {
    /// The tokens of the family.
    pub fn count(&self, motif: Motif) -> usize {
        self.counts[motif.index()]
    }

    /// The family's share of the song's tokens (0 for a song without tokens).
    pub fn share(&self, motif: Motif) -> f64 {
        if self.tokens == 0 {
            0.0
        } else {
            self.count(motif) as f64 / self.tokens as f64
        }
    }

    /// Whether the song uses the family at all.
    pub fn has(&self, motif: Motif) -> bool {
        self.count(motif) > 0
    }
}

/// The motif profile of a song's tokens.
pub fn motif_profile(tokens: &[Token]) -> MotifProfile {
    let mut profile = MotifProfile { tokens: tokens.len(), counts: [0; 6] };
    for (position, token) in tokens.iter().enumerate() {
        let motif = motif_of(&token.stem).or_else(|| {
            let after_bogo = position > 0 && tokens[position - 1].surface == "보고";
            (after_bogo && token.surface.starts_with('싶')).then_some(Motif::LongingAndWaiting)
        });
        if let Some(motif) = motif {
            profile.counts[motif.index()] += 1;
        }
    }
    profile
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tokenize::tokenize;

    #[test]
    fn stems_find_their_family_and_near_words_do_not() {
        let cases = [
            ("첫눈", Some(Motif::SeasonAndWeather)),
            ("겨울", Some(Motif::SeasonAndWeather)),
            ("비", Some(Motif::SeasonAndWeather)),
            ("비밀", None),
            ("이별", Some(Motif::DistanceAndParting)),
            ("별", Some(Motif::LightAndDark)),
            ("그립", Some(Motif::LongingAndWaiting)),
            ("기다려", Some(Motif::LongingAndWaiting)),
            ("인연", Some(Motif::Destiny)),
            ("추억", Some(Motif::Memory)),
            ("잊혀", Some(Motif::Memory)),
            ("missing", Some(Motif::LongingAndWaiting)),
            ("starlight", Some(Motif::LightAndDark)),
            ("사랑", None),
        ];
        for (stem, expected) in cases {
            assert_eq!(motif_of(stem), expected, "the family of {stem}");
        }
    }

    #[test]
    fn a_song_profile_counts_its_tokens_per_family() {
        let profile = motif_profile(&tokenize("첫눈이 오면 보고 싶어 그대를 기다려요\n별빛 아래 우리의 추억"));
        // 첫눈, 오, 보, 싶, 그대, 기다려, 별빛, 아래, 우리, 추억
        assert_eq!(profile.tokens, 10);
        assert_eq!(profile.count(Motif::SeasonAndWeather), 1);
        assert_eq!(profile.count(Motif::LongingAndWaiting), 2);
        assert_eq!(profile.count(Motif::LightAndDark), 1);
        assert_eq!(profile.count(Motif::Memory), 1);
        assert!(!profile.has(Motif::Destiny));
        assert!((profile.share(Motif::LongingAndWaiting) - 0.2).abs() < 1e-12);
    }
}
