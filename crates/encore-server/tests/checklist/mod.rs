//! `/api/lyrics`, `/api/checklist`, `/api/songs/{id}/checklist` and `/api/dramas/{id}/timeline`
//! on the shared server, whose lyrics folder is the real Melon year-end lists; and `/api/lyrics`
//! on a server started without one.

use std::collections::BTreeSet;

use serde_json::Value;

use super::{get, server, support};

fn items_by_name(checklist: &Value) -> Vec<(String, String, String)> {
    checklist["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|item| {
            (
                item["item"].as_str().unwrap().to_string(),
                item["status"].as_str().unwrap().to_string(),
                item["detail"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

#[test]
fn the_lyrics_answer_tests_the_claim_on_the_real_lists() {
    let (status, lyrics) = get("/api/lyrics");
    assert_eq!(status, 200, "{lyrics}");
    assert_eq!(lyrics["files"], 24);
    assert_eq!(lyrics["periods"].as_array().unwrap().len(), 3);
    let lasting = lyrics["claim"]["lasting_osts"].as_array().unwrap().len();
    assert!(lasting >= 10, "only {lasting} lasting OSTs");
    let answer = lyrics["claim"]["answer"].as_str().unwrap();
    assert!(answer.contains("supported") && answer.contains("points"), "{answer}");
    let first_period = &lyrics["periods"][0];
    assert_eq!(first_period["motifs"].as_array().unwrap().len(), 6);
    assert!(first_period["ost_words"].as_array().unwrap().len() <= 10);
}

#[test]
fn a_song_checklist_reads_its_lyric_and_says_what_no_data_can_show() {
    let (status, checklist) = get("/api/songs/stay_with_me/checklist");
    assert_eq!(status, 200, "{checklist}");
    let items = items_by_name(&checklist);
    assert_eq!(items.len(), 10);
    let motifs = items.iter().find(|(name, _, _)| name == "universal_motifs").unwrap();
    assert_eq!(motifs.1, "evidenced", "{motifs:?}");
    assert!(motifs.2.contains("melon-year-end"), "{motifs:?}");
    let quality = items.iter().find(|(name, _, _)| name == "production_quality").unwrap();
    assert_eq!(quality.1, "no_data");
    let (missing, error) = get("/api/songs/no_such_song/checklist");
    assert_eq!(missing, 404, "{error}");
}

#[test]
fn the_catalog_checklist_has_every_song_and_an_outcome_row_per_item_and_metric() {
    let (status, checklist) = get("/api/checklist");
    assert_eq!(status, 200);
    let catalog = encore_ingest::read_catalog(&server().catalog).unwrap().catalog;
    assert_eq!(checklist["songs"].as_array().unwrap().len(), catalog.songs.len());
    let outcomes = checklist["outcomes"].as_array().unwrap();
    assert_eq!(outcomes.len(), 10 * 2);
    for row in outcomes {
        let measured = row.get("difference").is_some();
        assert_eq!(measured, row.get("not_measurable").is_none(), "{row}");
        if measured {
            let interval = row["interval"].as_array().unwrap();
            assert!(interval[0].as_f64().unwrap() <= interval[1].as_f64().unwrap(), "{row}");
        }
    }
}

#[test]
fn a_drama_timeline_has_each_episode_once_and_draws_as_svg() {
    let (status, timeline) = get("/api/dramas/goblin/timeline");
    assert_eq!(status, 200, "{timeline}");
    // The catalog holds Goblin's episodes once per ratings source, some without their number.
    let episodes: Vec<(Option<u64>, String)> = timeline["episodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|episode| (episode["episode"].as_u64(), episode["air_date"].as_str().unwrap().to_string()))
        .collect();
    let distinct: BTreeSet<&(Option<u64>, String)> = episodes.iter().collect();
    assert_eq!(distinct.len(), episodes.len(), "an episode twice in {episodes:?}");
    let dates: BTreeSet<&str> = episodes.iter().map(|(_, date)| date.as_str()).collect();
    assert_eq!(dates.len(), episodes.len(), "a day twice in {episodes:?}");
    let stay = timeline["songs"].as_array().unwrap().iter().find(|song| song["song_id"] == "stay_with_me").unwrap();
    assert_eq!(stay["release_date"], "2016-12-03");
    assert!(stay["timing"].as_str().unwrap().contains("episode 2"), "{stay}");

    let response = ureq::get(&format!("{}/api/dramas/goblin/timeline?plot=svg", server().base)).call().unwrap();
    assert_eq!(response.content_type(), "image/svg+xml");
    assert!(response.into_string().unwrap().starts_with("<svg"));
    let refused = ureq::get(&format!("{}/api/dramas/goblin/timeline?plot=png", server().base)).call();
    assert!(matches!(refused, Err(ureq::Error::Status(400, _))), "{refused:?}");
}

#[test]
fn without_a_lyrics_folder_the_lyrics_answer_says_how_to_give_one() {
    let bare = support::start(|_| {});
    let refused = ureq::get(&format!("{}/api/lyrics", bare.base)).call();
    let Err(ureq::Error::Status(404, response)) = refused else { panic!("{refused:?}") };
    let body: Value = response.into_json().unwrap();
    assert!(body["error"].as_str().unwrap().contains("--data"), "{body}");
    let (status, checklist) = {
        let response = ureq::get(&format!("{}/api/songs/stay_with_me/checklist", bare.base)).call().unwrap();
        (response.status(), response.into_json::<Value>().unwrap())
    };
    assert_eq!(status, 200);
    let motifs = items_by_name(&checklist).into_iter().find(|(name, _, _)| name == "universal_motifs").unwrap();
    assert_eq!(motifs.1, "no_data", "{motifs:?}");
}
