//! The recommendation endpoints, on the shared server's store (real catalog and charts, generated
//! listens of two dramas) and on a store of their own that starts without listens.

use std::collections::BTreeSet;

use serde_json::Value;

use super::{answer, get, manifest_dir, post_sql, server, support, TOKEN};

/// Status, content type, content disposition and text of a request, whatever the status.
fn download(path: &str) -> (u16, String, String, String) {
    let response = match ureq::get(&format!("{}{path}", server().base)).call() {
        Ok(response) | Err(ureq::Error::Status(_, response)) => response,
        Err(error) => panic!("{path}: no answer: {error}"),
    };
    let status = response.status();
    let content_type = response.header("content-type").unwrap_or_default().to_string();
    let disposition = response.header("content-disposition").unwrap_or_default().to_string();
    (status, content_type, disposition, response.into_string().unwrap())
}

fn sql_rows(query: &str) -> Vec<Value> {
    let (status, rows) = post_sql(query);
    assert_eq!(status, 200, "{rows}");
    rows["rows"].as_array().unwrap().clone()
}

/// The catalog dramas a listener has played an OST of, from the store itself.
fn dramas_played(user: &str) -> BTreeSet<String> {
    let query = format!(
        "SELECT DISTINCT songs.drama_id FROM listens JOIN songs ON listens.song_id = songs.song_id \
         WHERE listens.\"user\" = '{}'",
        user.replace('\'', "''")
    );
    sql_rows(&query).iter().map(|row| row["drama_id"].as_str().unwrap().to_string()).collect()
}

#[test]
fn the_listeners_to_pick_from_are_the_store_s_most_plays_first_and_labelled_generated() {
    let (status, choices) = get("/api/recommend/listeners?limit=5");
    assert_eq!(status, 200, "{choices}");
    let listed = choices["listeners"].as_array().unwrap();
    assert_eq!(listed.len(), 5);
    let listeners = sql_rows("SELECT count(DISTINCT \"user\") AS n FROM listens")[0]["n"].as_u64().unwrap();
    assert_eq!(choices["total"].as_u64(), Some(listeners));
    assert_eq!(choices["generated"], true);
    let plays: Vec<u64> = listed.iter().map(|listener| listener["plays"].as_u64().unwrap()).collect();
    assert!(plays.windows(2).all(|pair| pair[0] >= pair[1]), "not most plays first: {plays:?}");
    let first = listed[0]["user"].as_str().unwrap();
    let query = format!("SELECT count(*) AS n FROM listens WHERE \"user\" = '{first}'");
    assert_eq!(sql_rows(&query)[0]["n"].as_u64(), Some(plays[0]), "the plays of {first}");

    let (status, all) = get("/api/recommend/listeners");
    assert_eq!(status, 200);
    assert_eq!(all["listeners"].as_array().unwrap().len() as u64, listeners.min(100));
    assert_eq!(all["listeners"][0], listed[0]);
}

#[test]
fn a_listener_gets_osts_of_dramas_they_never_played_each_explained() {
    // A watcher of one of the two dramas: the other's OSTs are what the model should bring.
    let query = "SELECT listens.\"user\" AS user FROM listens JOIN songs ON listens.song_id = songs.song_id \
         GROUP BY listens.\"user\" HAVING count(DISTINCT songs.drama_id) = 1 ORDER BY count(*) DESC, 1 LIMIT 1";
    let user = sql_rows(query)[0]["user"].as_str().unwrap().to_string();
    let played = dramas_played(&user);
    assert_eq!(played.len(), 1, "{user} played {played:?}");

    let (status, recommended) = get(&format!("/api/recommend?user={user}&top=12"));
    assert_eq!(status, 200, "{recommended}");
    assert_eq!(recommended["user"], user.as_str());
    assert_eq!(recommended["generated"], true);
    // A song nothing is known of (no plays, nor any of its drama's or artists') is not recommended,
    // so the list may be shorter than asked.
    let recommendations = recommended["recommendations"].as_array().unwrap();
    assert!((1..=12).contains(&recommendations.len()), "{recommended}");
    for (index, recommendation) in recommendations.iter().enumerate() {
        assert_eq!(recommendation["rank"].as_u64(), Some(index as u64 + 1));
        let drama = recommendation["drama_id"].as_str().unwrap();
        assert!(!played.contains(drama), "{user} has played {drama}: {recommendation}");
        assert!(recommendation["song_id"].is_string() && recommendation["drama"].is_string(), "{recommendation}");
        assert!(!recommendation["explanation"].as_str().unwrap().is_empty(), "{recommendation}");
        assert!(recommendation["similar"].is_array() && recommendation["because"].is_array(), "{recommendation}");
    }
    let scores: Vec<f64> = recommendations.iter().map(|row| row["score"].as_f64().unwrap()).collect();
    assert!(scores.windows(2).all(|pair| pair[0] >= pair[1]), "not best first: {scores:?}");
    // The other drama's songs have listeners: some come with the songs of the user's they share.
    let other =
        ["business_proposal", "twenty_five_twenty_one"].into_iter().find(|drama| !played.contains(*drama)).unwrap();
    let explained = recommendations.iter().find(|row| {
        row["drama_id"] == other && row["cold_start"] == false && !row["because"].as_array().unwrap().is_empty()
    });
    assert!(explained.is_some(), "no song of {other} explained by co-listeners: {recommended}");

    let model = &recommended["model"];
    assert_eq!((model["factors"].as_u64(), model["iterations"].as_u64()), (Some(64), Some(15)));
    let (_, choices) = get("/api/recommend/listeners?limit=1");
    assert_eq!(model["listeners"], choices["total"]);
    assert!(model["songs"].as_u64().unwrap() > model["listeners"].as_u64().unwrap());
    let (_, default_top) = get(&format!("/api/recommend?user={user}"));
    assert_eq!(default_top["recommendations"].as_array().unwrap().len(), recommendations.len().min(10));
    assert_eq!(default_top["recommendations"][0], recommendations[0]);
}

#[test]
fn an_unknown_listener_or_seed_is_a_404_json_error() {
    let (status, error) = get("/api/recommend?user=nobody-at-all");
    assert_eq!(status, 404, "{error}");
    assert!(error["error"].as_str().unwrap().contains("nobody-at-all"), "{error}");
    let (status, error) = get("/api/playlist?seed=no%20such%20thing%20anywhere");
    assert_eq!(status, 404, "{error}");
    assert!(error["error"].as_str().unwrap().contains("no such thing anywhere"), "{error}");
    let (status, error) = get("/api/recommend");
    assert_eq!(status, 400, "{error}");
    assert!(error["error"].as_str().unwrap().contains("user"), "{error}");
    assert_eq!(get("/api/playlist?seed=").0, 400);
}

#[test]
fn a_playlist_has_the_asked_length_and_downloads_as_csv_and_m3u() {
    let (status, playlist) = get("/api/playlist?seed=Business%20Proposal&length=7&variety=0.5");
    assert_eq!(status, 200, "{playlist}");
    assert_eq!(playlist["seed"], serde_json::json!({"kind": "drama", "id": "business_proposal"}));
    assert_eq!((playlist["variety"].as_f64(), playlist["generated"].as_bool()), (Some(0.5), Some(true)));
    let tracks = playlist["tracks"].as_array().unwrap();
    let positions: Vec<u64> = tracks.iter().map(|track| track["position"].as_u64().unwrap()).collect();
    assert_eq!(positions, (1..=7).collect::<Vec<_>>());
    let songs: BTreeSet<&str> = tracks.iter().map(|track| track["song_id"].as_str().unwrap()).collect();
    assert_eq!(songs.len(), 7, "a song twice: {playlist}");
    assert_eq!(tracks[0]["closest_before"].as_f64(), Some(0.0));
    // 20 by default, or every song something is known of when there are fewer.
    let known = get("/api/playlist?seed=business_proposal&length=100").1["tracks"].as_array().unwrap().len();
    assert!(known > 7, "{known} songs");
    assert_eq!(get("/api/playlist?seed=business_proposal").1["tracks"].as_array().unwrap().len(), known.min(20));

    let (status, content_type, disposition, csv) =
        download("/api/playlist?seed=Business%20Proposal&length=7&variety=0.5&format=csv");
    assert_eq!(status, 200, "{csv}");
    assert!(content_type.starts_with("text/csv"), "{content_type}");
    assert_eq!(disposition, "attachment; filename=\"encore-playlist-business_proposal.csv\"");
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines.len(), 8, "{csv}");
    assert!(lines[0].starts_with("position,song_id,title,artist,drama"), "{csv}");
    assert!(lines[1].starts_with(&format!("1,{},", tracks[0]["song_id"].as_str().unwrap())), "{csv}");

    let (status, content_type, disposition, m3u) = download("/api/playlist?seed=business_proposal&length=7&format=m3u");
    assert_eq!(status, 200, "{m3u}");
    assert!(content_type.starts_with("audio/x-mpegurl"), "{content_type}");
    assert!(disposition.starts_with("attachment; filename=\"encore-playlist-") && disposition.ends_with(".m3u\""));
    assert!(m3u.starts_with("#EXTM3U\n"), "{m3u}");
    assert_eq!(m3u.lines().filter(|line| line.starts_with("#EXTINF:")).count(), 7, "{m3u}");
}

#[test]
fn bad_parameters_are_400_json_errors() {
    for path in [
        "/api/playlist?seed=business_proposal&variety=2",
        "/api/playlist?seed=business_proposal&variety=-0.1",
        "/api/playlist?seed=business_proposal&variety=NaN",
        "/api/playlist?seed=business_proposal&length=0",
        "/api/playlist?seed=business_proposal&length=201",
        "/api/playlist?seed=business_proposal&length=100000000000000000000000",
        "/api/playlist?seed=business_proposal&length=ten",
        "/api/playlist?seed=business_proposal&format=xml",
        "/api/recommend?user=someone&top=0",
        "/api/recommend?user=someone&top=101",
        "/api/recommend/listeners?limit=0",
        "/api/recommend/listeners?limit=1001",
    ] {
        let (status, error) = get(path);
        assert_eq!(status, 400, "{path}: {error}");
        assert!(error["error"].is_string(), "{path}: {error}");
    }
}

/// A store without listens has no listener to pick and nothing to learn from; a log uploaded is
/// learned from at once (the model follows the store's generation).
#[test]
fn recommendations_follow_the_store_from_no_listens_to_an_upload() {
    let server = support::start(|config| config.token = Some(TOKEN.to_string()));
    let ask = |path: &str| answer(ureq::get(&format!("{}{path}", server.base)).call());
    let (status, choices) = ask("/api/recommend/listeners");
    assert_eq!(status, 200, "{choices}");
    assert_eq!(choices, serde_json::json!({"listeners": [], "total": 0, "generated": false}));
    let (status, error) = ask("/api/recommend?user=minji");
    assert_eq!(status, 409, "{error}");
    assert!(error["error"].as_str().unwrap().contains("no plays"), "{error}");
    assert_eq!(ask("/api/playlist?seed=goblin").0, 409);

    let bytes =
        std::fs::read(manifest_dir().join("../encore-ingest/tests/fixtures/series/lastfm-scrobbles.csv")).unwrap();
    let url = format!("{}/api/ingest?file=lastfm-scrobbles.csv", server.base);
    let (status, summary) =
        answer(ureq::post(&url).set("Authorization", &format!("Bearer {TOKEN}")).send_bytes(&bytes));
    assert_eq!(status, 200, "{summary}");
    let (status, choices) = ask("/api/recommend/listeners");
    assert_eq!(status, 200, "{choices}");
    assert_eq!(
        (choices["listeners"][0]["user"].as_str(), choices["generated"].as_bool()),
        (Some("minji"), Some(false))
    );
    let (status, recommended) = ask("/api/recommend?user=minji&top=3");
    assert_eq!(status, 200, "{recommended}");
    assert!(
        recommended["recommendations"].as_array().unwrap().iter().all(|row| row["drama_id"] != "goblin"),
        "{recommended}"
    );
    assert_eq!(ask("/api/playlist?seed=goblin&length=3").1["tracks"].as_array().unwrap().len(), 3);
}
