//! `encore recommend` and `encore playlist` through the real binary: on a store of generated
//! listening logs (the demo's kind of store) and on a play-count file with no store at all.

use std::collections::BTreeSet;

use serde_json::Value;

use crate::support::{json, run, succeed, text};

const MODEL: [&str; 4] = ["--factors", "16", "--iterations", "8"];

#[test]
fn a_store_of_listens_gives_non_viewer_recommendations_and_playlists_in_every_format() {
    let folder = tempfile::tempdir().unwrap();
    let store = folder.path().join("store").display().to_string();
    let mut generate = vec!["listeners", "generate", "--listeners", "300", "--store", &store];
    for drama in ["business_proposal", "twenty_five_twenty_one", "our_beloved_summer"] {
        generate.extend(["--drama", drama]);
    }
    succeed(&generate);

    // The listener with the most plays, found with Encore's own SQL.
    let query = r#"SELECT "user" FROM listens GROUP BY "user" ORDER BY count(*) DESC, "user" LIMIT 1"#;
    let users = json(&["sql", query, "--format", "json", "--store", &store]);
    let user = users[0]["user"].as_str().unwrap_or_else(|| panic!("{users}")).to_string();

    let answer =
        json(&[&["recommend", "--user", &user, "--top", "5", "--json", "--store", &store][..], &MODEL].concat());
    let recommendations = answer["recommendations"].as_array().unwrap();
    assert!(!recommendations.is_empty(), "{answer}");
    let ranks: Vec<u64> = recommendations.iter().map(|one| one["rank"].as_u64().unwrap()).collect();
    assert_eq!(ranks, (1..=recommendations.len() as u64).collect::<Vec<_>>());
    for one in recommendations {
        assert!(one["drama_id"].is_string(), "an OST of a drama: {one}");
        assert!(!one["explanation"].as_str().unwrap().is_empty(), "{one}");
    }
    // None of them is of a drama the listener has played an OST of (the catalog's dramas, by
    // Encore's own SQL), so none was played already.
    let query = format!(
        r#"SELECT DISTINCT s.drama_id FROM listens l JOIN songs s ON l.song_id = s.song_id WHERE l."user" = '{user}'"#
    );
    let played = json(&["sql", &query, "--format", "json", "--store", &store]);
    let played_dramas: BTreeSet<&str> =
        played.as_array().unwrap().iter().filter_map(|row| row["drama_id"].as_str()).collect();
    assert!(!played_dramas.is_empty(), "{played}");
    for one in recommendations {
        assert!(!played_dramas.contains(one["drama_id"].as_str().unwrap()), "{one} is of a drama played already");
    }
    let table = succeed(&[&["recommend", "--user", &user, "--store", &store][..], &MODEL].concat());
    assert!(table.contains(&format!("for {user}")), "{table}");
    let unknown = run(&[&["recommend", "--user", "nobody-at-all", "--store", &store][..], &MODEL].concat());
    assert!(!unknown.status.success());
    assert!(text(&unknown.stderr).contains("nobody-at-all"), "{}", text(&unknown.stderr));

    let m3u = folder.path().join("proposal.m3u");
    let m3u_name = m3u.display().to_string();
    let arguments =
        [&["playlist", "--seed", "business_proposal", "--length", "6", "--store", &store][..], &MODEL].concat();
    succeed(&[&arguments[..], &["--out", &m3u_name]].concat());
    let written = std::fs::read_to_string(&m3u).unwrap();
    assert!(written.starts_with("#EXTM3U\n"), "{written}");
    assert_eq!(written.lines().filter(|line| line.starts_with("#EXTINF:")).count(), 6, "{written}");
    // A second run does not replace the file, and says why.
    let again = run(&[&arguments[..], &["--out", &m3u_name]].concat());
    assert!(!again.status.success());
    assert!(text(&again.stderr).contains("exists"), "{}", text(&again.stderr));
    assert_eq!(std::fs::read_to_string(&m3u).unwrap(), written);

    let playlist = json(&[&arguments[..], &["--format", "json"]].concat());
    let tracks = playlist["tracks"].as_array().unwrap();
    assert_eq!(tracks.len(), 6, "{playlist}");
    let songs: BTreeSet<&str> = tracks.iter().map(|track| track["song_id"].as_str().unwrap()).collect();
    assert_eq!(songs.len(), 6, "a song twice: {playlist}");
    let csv = succeed(&[&arguments[..], &["--format", "csv"]].concat());
    assert_eq!(csv.lines().count(), 7, "{csv}");
    assert!(csv.starts_with("position,song_id,title,artist,drama"), "{csv}");
}

#[test]
fn a_play_count_file_needs_no_store_and_its_bad_row_is_named() {
    let folder = tempfile::tempdir().unwrap();
    // Two groups of listeners with their own items, and a listener of group A who has not yet
    // played A's last item.
    let mut rows = vec!["user_id\ttrack_id\tplaycount".to_string()];
    for user in 0..12 {
        let group = if user < 6 { "a" } else { "b" };
        for item in 0..5 {
            if !(user == 0 && item == 4) {
                rows.push(format!("u{user}\t{group}{item}\t{}", 1 + (user + item) % 4));
            }
        }
    }
    rows.push("u3\ta1\tmany".to_string());
    let plays = folder.path().join("plays.tsv");
    std::fs::write(&plays, rows.join("\n") + "\n").unwrap();
    let plays = plays.display().to_string();

    let output = run(&[&["recommend", "--plays", &plays, "--user", "u0", "--top", "3", "--json"][..], &MODEL].concat());
    assert!(output.status.success(), "{}", text(&output.stderr));
    let stderr = text(&output.stderr);
    assert!(stderr.contains("plays.tsv:61: field `playcount`"), "{stderr}");
    let answer: Value = serde_json::from_slice(&output.stdout).unwrap();
    let items: Vec<&str> =
        answer["recommendations"].as_array().unwrap().iter().map(|one| one["item"].as_str().unwrap()).collect();
    assert_eq!(items.first(), Some(&"a4"), "u0's group's unplayed item first: {answer}");
    assert!(!items.iter().any(|item| ["a0", "a1", "a2", "a3"].contains(item)), "played items come back: {answer}");

    // Every listener's top items into a new file, then scored against held-out plays.
    let out = folder.path().join("top.csv");
    let out_name = out.display().to_string();
    succeed(&[&["recommend", "--plays", &plays, "--all", "--top", "2", "--out", &out_name][..], &MODEL].concat());
    let top = std::fs::read_to_string(&out).unwrap();
    assert!(top.starts_with("user,rank,item,score\n"), "{top}");
    assert_eq!(top.lines().count(), 1 + 12 * 2, "{top}");
    let held_out = folder.path().join("held_out.csv");
    std::fs::write(&held_out, "user,item\nu0,a4\n").unwrap();
    let held_out = held_out.display().to_string();
    let scores = json(
        &[&["recommend", "--plays", &plays, "--evaluate", &held_out, "--top", "1", "--json"][..], &MODEL].concat(),
    );
    assert_eq!(scores["metrics"]["users"], 1, "{scores}");
    assert_eq!(scores["metrics"]["precision"], 1.0, "{scores}");
    // The file written before is not replaced.
    let again = run(&[&["recommend", "--plays", &plays, "--all", "--out", &out_name][..], &MODEL].concat());
    assert!(!again.status.success());
    assert_eq!(std::fs::read_to_string(&out).unwrap(), top);
}
