//! Matching examples: scripts, credits, versions, romanisation and aliases.

use super::*;
use crate::catalog::{ArtistAlias, Song};
use crate::ids::DramaId;

fn song(id: &str, title_en: &str, title_ko: &str, artists: &[&str]) -> Song {
    Song {
        id: SongId::new(id),
        drama_id: DramaId::new("drama"),
        ost_part: None,
        title_en: title_en.to_string(),
        title_ko: title_ko.to_string(),
        artists: artists.iter().map(|artist| artist.to_string()).collect(),
        release_date: None,
        source: String::new(),
    }
}

fn catalog() -> Catalog {
    Catalog {
        songs: vec![
            song("first_snow", "I Will Go to You Like the First Snow", "첫눈처럼 너에게 가겠다", &["Ailee"]),
            song("stay_with_me", "Stay With Me", "스테이 위드 미", &["Chanyeol", "Punch"]),
            song("this_love", "This Love", "이 사랑", &["Davichi"]),
            song("someday", "", "어떤날엔", &["Kim Jae-hwan"]),
            song("ruth", "Running Up That Hill", "", &["Kate Bush"]),
            song("always", "Always", "올웨이즈", &["Yoon Mi-rae"]),
        ],
        artist_aliases: vec![
            ArtistAlias { name: "Davichi".into(), alias: "다비치".into(), source: String::new() },
            ArtistAlias { name: "Kim Jae-hwan".into(), alias: "김재환".into(), source: String::new() },
        ],
        ..Catalog::default()
    }
}

fn check(title: &str, artist: &str, expected: Option<&str>) {
    let matcher = SongMatcher::new(&catalog());
    let outcome = matcher.match_row(title, artist);
    assert_eq!(outcome.song_id().map(SongId::as_str), expected, "{title} / {artist}: {outcome:?}");
}

#[test]
fn matches_across_scripts_case_and_credits() {
    check("첫눈처럼 너에게 가겠다", "에일리(Ailee)", Some("first_snow"));
    check("I Will Go To You Like the First Snow", "AILEE", Some("first_snow"));
    check("Stay With Me", "찬열 (CHANYEOL), 펀치 (Punch)", Some("stay_with_me"));
    check("Stay with me (feat. Someone)", "Punch", Some("stay_with_me"));
    check("이 사랑", "다비치", Some("this_love"));
    check("어떤 날엔", "김재환", Some("someday"));
    check("Running Up That Hill (A Deal With God)", "Kate Bush", Some("ruth"));
}

#[test]
fn a_title_alone_is_not_enough() {
    check("Always", "Bon Jovi", None);
    let matcher = SongMatcher::new(&catalog());
    assert_eq!(matcher.match_row("Always", "Bon Jovi"), MatchOutcome::ArtistDiffers(vec![SongId::new("always")]));
    assert_eq!(matcher.match_row("Yesterday", "The Beatles"), MatchOutcome::NoSuchTitle);
}

#[test]
fn versions_match_the_song_unless_the_catalog_lists_the_version() {
    check("This Love (Inst.)", "Davichi", Some("this_love"));
    check("Stay With Me - Acoustic Ver.", "Punch", Some("stay_with_me"));
    check("첫눈처럼 너에게 가겠다 (Explicit Ver.)", "Ailee", Some("first_snow"));
    let mut with_remix = catalog();
    with_remix.songs.push(song("stay_with_me_remix", "Stay With Me (Remix)", "", &["Punch"]));
    let matcher = SongMatcher::new(&with_remix);
    assert_eq!(
        matcher.match_row("Stay With Me - Remix", "Punch").song_id().map(SongId::as_str),
        Some("stay_with_me_remix")
    );
    assert_eq!(matcher.match_row("Stay With Me", "Punch").song_id().map(SongId::as_str), Some("stay_with_me"));
    assert_eq!(matcher.match_row("Stay With Me (Live)", "Punch").song_id().map(SongId::as_str), Some("stay_with_me"));
    assert_eq!(title_keys("Live Your Life (Live)"), ["liveyourlifelive", "liveyourlife"]);
    assert_eq!(title_keys("Half-Life - Side B"), ["halflifesideb"]);
}

#[test]
fn artist_order_and_separators_do_not_matter() {
    check("Stay With Me", "Punch x CHANYEOL", Some("stay_with_me"));
    check("Stay With Me", "Punch + Chanyeol", Some("stay_with_me"));
    check("Stay With Me", "Someone with Punch", Some("stay_with_me"));
    check("Stay With Me", "Chanyeol × Punch", Some("stay_with_me"));
}

#[test]
fn romanised_titles_and_names_meet_their_hangul() {
    check("Cheonnuncheoreom Neoege Gagetda", "Ailee", None);
    check("Cheotnuncheoreom Neoege Gagetda", "Ailee", Some("first_snow"));
    check("Eotteon Naren", "Gim Jae-hwan", Some("someday"));
}

#[test]
fn a_song_alias_is_one_more_title() {
    let mut with_alias = catalog();
    with_alias.song_aliases.push(crate::catalog::SongAlias {
        song_id: SongId::new("this_love"),
        alias: "Descendants of the Sun OST This Love".into(),
        source: String::new(),
    });
    let matcher = SongMatcher::new(&with_alias);
    assert_eq!(
        matcher.match_row("Descendants of the Sun OST This Love", "다비치").song_id().map(SongId::as_str),
        Some("this_love")
    );
}

#[test]
fn credits_split_into_names_with_their_alternatives() {
    assert_eq!(
        artist_keys("찬열 (CHANYEOL), 펀치 (Punch)"),
        ["찬열chanyeol", "찬열", "chanyeol", "펀치punch", "펀치", "punch"]
    );
    assert_eq!(artist_keys("Future Featuring Drake & Tems"), ["future", "drake", "tems"]);
    assert_eq!(
        title_keys("모든 날, 모든 순간 (Every day, Every Moment)"),
        ["모든날모든순간everydayeverymoment", "모든날모든순간", "everydayeverymoment"]
    );
    assert_eq!(title_keys("환청 (Feat. 나쑈 (NaShow))").first().map(String::as_str), Some("환청"));
}

/// Korean charts' spellings of the same credit, duets joined three ways, and title case.
#[test]
fn korean_chart_spellings_and_duets_match() {
    let catalog = Catalog {
        songs: vec![
            song("love_maybe", "Love, Maybe", "사랑인가 봐", &["MeloMance"]),
            song("duet", "Two of Us", "우리 둘", &["Crush", "Heize"]),
        ],
        artist_aliases: vec![
            ArtistAlias { name: "MeloMance".into(), alias: "멜로망스".into(), source: String::new() },
            ArtistAlias { name: "Crush".into(), alias: "크러쉬".into(), source: String::new() },
            ArtistAlias { name: "Heize".into(), alias: "헤이즈".into(), source: String::new() },
        ],
        ..Catalog::default()
    };
    let matcher = SongMatcher::new(&catalog);
    let matched = |title: &str, artist: &str| matcher.match_row(title, artist).song_id().map(|id| id.to_string());
    for artist in ["멜로망스", "멜로망스 (MeloMance)", "멜로망스(Melomance)", "MELOMANCE", "Melo Mance"] {
        assert_eq!(matched("사랑인가 봐", artist).as_deref(), Some("love_maybe"), "{artist}");
    }
    assert_eq!(matched("LOVE, MAYBE", "MeloMance").as_deref(), Some("love_maybe"));
    assert_eq!(matched("love, maybe", "멜로망스").as_deref(), Some("love_maybe"));
    for artist in
        ["크러쉬 & 헤이즈", "Crush, Heize", "Crush X Heize", "헤이즈 x 크러쉬", "크러쉬 (Crush) & 헤이즈 (Heize)"]
    {
        assert_eq!(matched("우리 둘", artist).as_deref(), Some("duet"), "{artist}");
    }
}

/// Jaurim's 2013 song 스물다섯, 스물하나 charted again in 2022 beside the drama of that name: a
/// row is linked by its song, never by a drama's title, and a catalog song of the same title by
/// another artist does not take it.
#[test]
fn a_song_named_like_a_drama_is_not_that_drama_s() {
    let mut catalog = Catalog { songs: vec![song("starlight", "Starlight", "", &["Taeil"])], ..Catalog::default() };
    catalog.dramas.push(crate::catalog::Drama::titled(
        "twenty_five_twenty_one",
        "Twenty-Five Twenty-One",
        "스물다섯 스물하나",
    ));
    let matcher = SongMatcher::new(&catalog);
    assert_eq!(matcher.match_row("스물다섯, 스물하나", "자우림(Jaurim)"), MatchOutcome::NoSuchTitle);
    catalog.songs.push(song("ost_remake", "Twenty-Five, Twenty-One", "스물다섯, 스물하나", &["Someone Else"]));
    let matcher = SongMatcher::new(&catalog);
    assert_eq!(
        matcher.match_row("스물다섯, 스물하나", "자우림(Jaurim)"),
        MatchOutcome::ArtistDiffers(vec![SongId::new("ost_remake")])
    );
}
