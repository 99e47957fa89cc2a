//! PNG from the SVG Encore draws, for users who paste plots where SVG does not go (slides, chats).
//! One drawing code path: the SVG is rendered by resvg, with the machine's fonts.

use std::sync::OnceLock;

use resvg::{tiny_skia, usvg};

use crate::ReportError;

/// Families tried, in order, for the SVG's generic `sans-serif`: the first the machine has wins.
/// Noto Sans CJK first, because unit names and titles are often Hangul.
const SANS_SERIF_FAMILIES: [&str; 6] =
    ["Noto Sans CJK KR", "Noto Sans KR", "Noto Sans", "DejaVu Sans", "Liberation Sans", "Arial"];

/// The machine's fonts, loaded once per process (loading scans every font folder).
fn fonts() -> &'static std::sync::Arc<usvg::fontdb::Database> {
    static FONTS: OnceLock<std::sync::Arc<usvg::fontdb::Database>> = OnceLock::new();
    FONTS.get_or_init(|| {
        let mut database = usvg::fontdb::Database::new();
        database.load_system_fonts();
        let present = |family: &str| {
            database.faces().any(|face| face.families.iter().any(|(name, _)| name.eq_ignore_ascii_case(family)))
        };
        if let Some(family) = SANS_SERIF_FAMILIES.iter().find(|family| present(family)) {
            database.set_sans_serif_family(*family);
        }
        std::sync::Arc::new(database)
    })
}

/// `svg` rendered at its own size as PNG bytes. Text needs a font on the machine; without any,
/// the lines and shapes are drawn and the text left out.
pub fn svg_to_png(svg: &str) -> Result<Vec<u8>, ReportError> {
    let failed = |message: String| ReportError::Plot { case: "png".into(), message };
    let options = usvg::Options { fontdb: fonts().clone(), ..usvg::Options::default() };
    let tree = usvg::Tree::from_str(svg, &options).map_err(|error| failed(error.to_string()))?;
    let size = tree.size().to_int_size();
    let mut pixmap = tiny_skia::Pixmap::new(size.width(), size.height())
        .ok_or_else(|| failed(format!("cannot make a {}×{} image", size.width(), size.height())))?;
    pixmap.fill(tiny_skia::Color::WHITE);
    resvg::render(&tree, tiny_skia::Transform::default(), &mut pixmap.as_mut());
    pixmap.encode_png().map_err(|error| failed(error.to_string()))
}
