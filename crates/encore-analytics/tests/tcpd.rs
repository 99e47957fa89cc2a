//! The changepoint detector and the TCPDBench scorer on the Turing Change Point Dataset in
//! `shared/data/tcpd` (beside the checkout, or `ENCORE_TCPD`): the scorer gives the published
//! `zero` scores, the default finds the known change of each quality-control series and none in
//! pure noise, and keeps its figures on the 25 univariate real series (`benches/tcpd.rs` prints
//! them series by series).

#[path = "../benches/support/tcpd_data.rs"]
mod tcpd_data;

use encore_analytics::detect::{detect, Settings};
use encore_analytics::tcpd_score::{cover_score, f1_score, MARGIN};
use tcpd_data::{default_folder, Tcpd};

fn tcpd() -> Tcpd {
    let folder = default_folder();
    Tcpd::open(&folder).unwrap_or_else(|error| panic!("the TCPD data in {}: {error}", folder.display()))
}

fn default_changepoints(tcpd: &Tcpd, name: &str) -> Vec<usize> {
    let values = tcpd.values(name).unwrap();
    detect(&values, &Settings::default()).unwrap().changepoints
}

fn check_found(name: &str, known: usize) {
    let found = default_changepoints(&tcpd(), name);
    assert!(found.iter().any(|changepoint| changepoint.abs_diff(known) <= 5), "{name}: {found:?}, known {known}");
}

#[test]
fn the_scorer_gives_the_published_zero_scores_on_every_local_series() {
    let tcpd = tcpd();
    let names = tcpd.local_series().unwrap();
    assert_eq!(names.len(), 32);
    for name in names {
        let reference = &tcpd.reference[&name];
        let annotations = tcpd.annotations_of(&name).unwrap();
        let f1 = f1_score(annotations, &[], MARGIN);
        let cover = cover_score(annotations, &[], tcpd.length(&name).unwrap());
        assert!((f1 - reference.zero_f1).abs() < 1e-9, "{name}: F1 {f1}, published {}", reference.zero_f1);
        assert!(
            (cover - reference.zero_cover).abs() < 1e-9,
            "{name}: cover {cover}, published {}",
            reference.zero_cover
        );
    }
}

#[test]
fn a_mean_step_in_quality_control_1_is_found() {
    check_found("quality_control_1", 146);
}

#[test]
fn a_mean_step_in_quality_control_2_is_found() {
    check_found("quality_control_2", 97);
}

#[test]
fn a_change_of_noise_in_quality_control_3_is_found() {
    check_found("quality_control_3", 179);
}

#[test]
fn an_offset_under_periodic_components_in_quality_control_4_is_found() {
    // Found among others: the periodic components are cut into levels too.
    check_found("quality_control_4", 341);
}

#[test]
fn pure_noise_in_quality_control_5_has_no_changepoint() {
    assert_eq!(default_changepoints(&tcpd(), "quality_control_5"), Vec::<usize>::new());
}

#[test]
fn the_default_beats_the_published_pelt_on_the_univariate_real_series() {
    let tcpd = tcpd();
    let names = tcpd.univariate_real().unwrap();
    assert_eq!(names.len(), 25);
    let mut totals = [0.0; 4];
    for name in &names {
        let found = default_changepoints(&tcpd, name);
        let annotations = tcpd.annotations_of(name).unwrap();
        let reference = &tcpd.reference[name];
        let scores = [
            f1_score(annotations, &found, MARGIN),
            cover_score(annotations, &found, tcpd.length(name).unwrap()),
            reference.pelt_f1.unwrap_or(0.0),
            reference.pelt_cover.unwrap_or(0.0),
        ];
        for (total, score) in totals.iter_mut().zip(scores) {
            *total += score;
        }
    }
    let [f1, cover, pelt_f1, pelt_cover] = totals.map(|total| total / names.len() as f64);
    assert!((pelt_f1 - 0.684).abs() < 5e-4 && (pelt_cover - 0.656).abs() < 5e-4, "{pelt_f1} {pelt_cover}");
    assert!(f1 >= 0.75 && cover >= 0.72, "mean F1 {f1:.3}, cover {cover:.3}");
}
