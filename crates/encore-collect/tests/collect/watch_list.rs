//! The watch list's parser: the documented example reads, and every error names file and field.

use std::path::Path;

use encore_collect::{CollectError, Fault, WatchList, WatchedKind};

fn error_of(text: &str) -> (String, String) {
    match WatchList::parse(text, Path::new("my/watch.toml")) {
        Err(CollectError::Config { file, field, reason }) => {
            assert_eq!(file, Path::new("my/watch.toml"));
            (field, reason)
        }
        other => panic!("expected a config error, got {other:?}"),
    }
}

#[test]
fn the_example_watch_list_reads() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/watch.toml");
    let watch = WatchList::from_path(&path).unwrap();
    assert_eq!(watch.subjects.len(), 3);
    let goblin = watch.subjects.iter().find(|watched| watched.id == "goblin").unwrap();
    assert_eq!(goblin.kind, WatchedKind::Drama);
    let subjects: Vec<String> = goblin.wikipedia.iter().map(|article| article.subject()).collect();
    assert_eq!(subjects, vec!["en.wikipedia/Guardian:_The_Lonely_and_Great_God", "ko.wikipedia/도깨비_(드라마)"]);
    assert_eq!(watch.listenbrainz_users, vec!["rob"]);
    assert_eq!(watch.backfill_days, 90);
}

#[test]
fn errors_name_the_field() {
    let (field, reason) = error_of("[[song]]\nid = \"x\"\nwikipedia = [\"Goblin\"]\n");
    assert_eq!(field, "song[0].wikipedia[0]");
    assert!(reason.contains("project/Article_title"), "{reason}");

    let (field, reason) = error_of("[[drama]]\nid = \"x\"\nwikipedia = [\"en.wikipedai/Goblin\"]\n");
    assert_eq!(field, "drama[0].wikipedia[0]");
    assert!(reason.contains("Wikimedia project"), "{reason}");

    let (field, _) = error_of("[[song]]\nid = \"x\"\nyoutube = [\"https://youtu.be/abc\"]\n");
    assert_eq!(field, "song[0].youtube[0]");

    let (field, reason) = error_of("[[song]]\nid = \"x\"\nspotify = [\"abc\"]\n");
    assert_eq!(field, "line 3");
    assert!(reason.contains("spotify"), "{reason}");

    let (field, _) = error_of("[[song]]\nid = \"x\"\nlastfm = [{ artist = \"A\", track = \"\" }]\n");
    assert_eq!(field, "song[0].lastfm[0]");
}

#[test]
fn a_key_in_the_watch_list_is_refused_without_repeating_it() {
    let text = "[[song]]\nid = \"x\"\n\n[youtube]\napi_key = \"AIzaSyTOPSECRET\"\n";
    let error = WatchList::parse(text, Path::new("watch.toml")).unwrap_err();
    assert_eq!(error.fault(), Fault::Input);
    let message = error.to_string();
    assert!(message.contains("api_key (line 5)") && message.contains("YOUTUBE_API_KEY"), "{message}");
    assert!(!message.contains("TOPSECRET"), "{message}");
}

#[test]
fn keys_come_from_the_environment_then_the_key_file() {
    let folder = tempfile::tempdir().unwrap();
    let key_file = folder.path().join("keys.toml");
    std::fs::write(&key_file, "youtube_api_key = \"from-file\"\nlastfm_api_key = \"lastfm-file\"\n").unwrap();
    let keys = encore_collect::ApiKeys::from_lookup(
        |name| (name == "YOUTUBE_API_KEY").then(|| "from-env".to_string()),
        Some(&key_file),
    )
    .unwrap();
    assert_eq!(keys.youtube.as_ref().map(|key| key.expose()), Some("from-env"));
    assert_eq!(keys.lastfm.as_ref().map(|key| key.expose()), Some("lastfm-file"));
    assert!(keys.webhook_secret.is_none());

    std::fs::write(&key_file, "youtube_api_key = \"oops-no-quote\n").unwrap();
    let error = encore_collect::ApiKeys::from_lookup(|_| None, Some(&key_file)).unwrap_err();
    assert!(!error.to_string().contains("oops-no-quote"), "{error}");
}
