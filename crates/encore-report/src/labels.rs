//! Placing text labels without overlap: each label tries its candidate positions in order and takes
//! the first that stays inside its bounds and clear of every label already placed. A label with no
//! free position is left out; the HTML tables carry every detail the charts drop.

/// A rectangle in pixels of the whole figure, edges included.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PixelBox {
    pub left: i32,
    pub top: i32,
    pub right: i32,
    pub bottom: i32,
}

impl PixelBox {
    pub fn width(&self) -> i32 {
        self.right - self.left
    }

    pub fn height(&self) -> i32 {
        self.bottom - self.top
    }

    pub fn overlaps(&self, other: &PixelBox) -> bool {
        self.left < other.right && other.left < self.right && self.top < other.bottom && other.top < self.bottom
    }

    pub fn lies_within(&self, outer: &PixelBox) -> bool {
        self.left >= outer.left && self.right <= outer.right && self.top >= outer.top && self.bottom <= outer.bottom
    }

    /// The box of a text drawn with its top-left corner at `(left, top)`.
    pub fn of_text(text: &str, font_px: f64, bold: bool, left: i32, top: i32) -> PixelBox {
        let width = text_width(text, if bold { font_px * BOLD_WIDTH_FACTOR } else { font_px });
        PixelBox { left, top, right: left + width, bottom: top + text_height(font_px) }
    }
}

/// Bold letters run wider than the regular ones [`text_width`] estimates.
pub const BOLD_WIDTH_FACTOR: f64 = 1.1;

/// An estimate of a sans-serif text's width: SVG viewers pick the real font, so the figure cannot
/// measure it. Latin letters average a bit over half the font size; Hangul and other wide
/// characters take a full em. Calibrated on DejaVu Sans, the widest usual default sans-serif, so
/// narrower fonts only leave more room.
pub fn text_width(text: &str, font_px: f64) -> i32 {
    let ems: f64 = text
        .chars()
        .map(|character| match character {
            '\u{1100}'..='\u{11FF}' | '\u{2E80}'..='\u{A4CF}' | '\u{AC00}'..='\u{D7AF}' | '\u{F900}'..='\u{FAFF}' => {
                1.0
            }
            'i' | 'j' | 'l' | '.' | ',' | ':' | ';' | '\'' | '|' | '!' | ' ' | '(' | ')' => 0.34,
            'm' | 'w' | 'M' | 'W' | '#' => 0.9,
            'A'..='Z' | '0'..='9' => 0.68,
            _ => 0.62,
        })
        .sum();
    (ems * font_px).ceil() as i32
}

/// The text, cut short with an ellipsis where it would run wider than `max_width`.
pub fn fit_text(text: &str, font_px: f64, max_width: i32) -> String {
    if text_width(text, font_px) <= max_width {
        return text.to_string();
    }
    let mut fitted = String::new();
    for character in text.chars() {
        fitted.push(character);
        if text_width(&fitted, font_px) + text_width("\u{2026}", font_px) > max_width {
            fitted.pop();
            break;
        }
    }
    format!("{}\u{2026}", fitted.trim_end())
}

/// The line height taken by one row of text.
pub fn text_height(font_px: f64) -> i32 {
    (font_px * 1.2).ceil() as i32
}

/// The labels placed so far in one figure.
#[derive(Debug, Default)]
pub struct LabelPlacer {
    taken: Vec<PixelBox>,
}

impl LabelPlacer {
    pub fn new() -> LabelPlacer {
        LabelPlacer::default()
    }

    /// Marks a box as taken without a label, e.g. a peak marker that labels must not cover.
    pub fn reserve(&mut self, taken: PixelBox) {
        self.taken.push(taken);
    }

    /// The first candidate inside `bounds` that overlaps nothing placed, now taken; `None` when all
    /// collide.
    pub fn place(&mut self, candidates: &[PixelBox], bounds: &PixelBox) -> Option<PixelBox> {
        let free = candidates
            .iter()
            .find(|candidate| {
                candidate.lies_within(bounds) && !self.taken.iter().any(|taken| taken.overlaps(candidate))
            })
            .copied()?;
        self.taken.push(free);
        Some(free)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_label_takes_the_first_free_candidate_inside_its_bounds() {
        let bounds = PixelBox { left: 0, top: 0, right: 100, bottom: 100 };
        let mut placer = LabelPlacer::new();
        let first = PixelBox { left: 10, top: 10, right: 50, bottom: 20 };
        let shifted = PixelBox { left: 10, top: 22, right: 50, bottom: 32 };
        let outside = PixelBox { left: 90, top: 10, right: 130, bottom: 20 };
        assert_eq!(placer.place(&[first], &bounds), Some(first));
        assert_eq!(placer.place(&[outside, first, shifted], &bounds), Some(shifted));
        assert_eq!(placer.place(&[first, shifted], &bounds), None);
    }

    #[test]
    fn long_text_is_cut_to_fit() {
        assert_eq!(fit_text("short", 10.0, 200), "short");
        let fitted = fit_text("Guardian: The Lonely and Great God", 10.0, 80);
        assert!(fitted.ends_with('\u{2026}') && text_width(&fitted, 10.0) <= 80, "{fitted}");
    }

    #[test]
    fn hangul_is_wider_than_latin() {
        assert!(text_width("첫눈", 10.0) > text_width("ab", 10.0));
    }
}
