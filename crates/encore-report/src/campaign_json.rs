//! The JSON of a drama's campaign timeline (`encore timeline --json`,
//! `GET /api/dramas/{id}/timeline`, the report's `report.json`).

use serde_json::{json, Value};

use encore_analytics::campaign::{Campaign, FOLLOW_DAYS};

/// The timeline: the drama, its dated episodes, and each OST part with its events and its peak.
pub fn campaign_json(timeline: &Campaign<'_>) -> Value {
    let songs: Vec<Value> = timeline
        .songs
        .iter()
        .map(|entry| {
            json!({
                "song_id": entry.song.id.as_str(),
                "title": entry.song.display_title(),
                "ost_part": entry.song.ost_part,
                "release_date": entry.song.release_date.map(|date| date.to_string()),
                "days_from_premiere": entry.days_from_premiere,
                "timing": entry.timing,
                "events": entry.events.iter().map(|(date, event)| json!({
                    "date": date.to_string(), "kind": event.kind, "detail": event.detail,
                })).collect::<Vec<_>>(),
                "charted": !entry.attention.is_empty(),
                "peak_after_release": entry.peak_after_release.map(|point| json!({
                    "date": point.date.to_string(), "attention": point.value,
                })),
            })
        })
        .collect();
    json!({
        "drama_id": timeline.drama.id.as_str(),
        "title": timeline.drama.display_title(),
        "premiere": timeline.drama.premiere.map(|date| date.to_string()),
        "finale": timeline.drama.finale.map(|date| date.to_string()),
        "episodes": timeline.episodes.iter().map(|(number, date)| json!({"episode": number, "air_date": date.to_string()})).collect::<Vec<_>>(),
        "follow_days": FOLLOW_DAYS,
        "songs": songs,
    })
}
