//! Text tables for the terminal, aligned by display width: a Hangul syllable or a CJK character
//! takes two columns, so counting characters would push every column after a Korean title askew.

use unicode_width::UnicodeWidthStr;

/// How a column lines up.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Align {
    Left,
    Right,
}

/// A table built row by row and printed with its columns padded to the widest cell.
#[derive(Debug, Clone)]
pub struct TextTable {
    headers: Vec<String>,
    aligns: Vec<Align>,
    /// The widest a cell may be; longer text is cut with an ellipsis.
    max_widths: Vec<usize>,
    rows: Vec<Vec<String>>,
}

impl TextTable {
    /// A table with these columns: (header, alignment, widest cell allowed).
    pub fn new(columns: &[(&str, Align, usize)]) -> TextTable {
        TextTable {
            headers: columns.iter().map(|(header, _, _)| header.to_string()).collect(),
            aligns: columns.iter().map(|(_, align, _)| *align).collect(),
            max_widths: columns.iter().map(|(_, _, width)| *width).collect(),
            rows: Vec::new(),
        }
    }

    pub fn row(&mut self, cells: Vec<String>) {
        let cells = cells.into_iter().zip(&self.max_widths).map(|(cell, &width)| cut(&cell, width)).collect();
        self.rows.push(cells);
    }

    /// The table as lines of text, header first, without trailing spaces.
    pub fn render(&self) -> String {
        let mut widths: Vec<usize> = self.headers.iter().map(|header| header.width()).collect();
        for row in &self.rows {
            for (width, cell) in widths.iter_mut().zip(row) {
                *width = (*width).max(cell.width());
            }
        }
        let mut text = String::new();
        for row in std::iter::once(&self.headers).chain(&self.rows) {
            let cells: Vec<String> = row
                .iter()
                .zip(&widths)
                .zip(&self.aligns)
                .map(|((cell, &width), align)| pad(cell, width, *align))
                .collect();
            text.push_str(cells.join("  ").trim_end());
            text.push('\n');
        }
        text
    }
}

/// `text` padded with spaces to `width` display columns.
pub fn pad(text: &str, width: usize, align: Align) -> String {
    let padding = " ".repeat(width.saturating_sub(text.width()));
    match align {
        Align::Left => format!("{text}{padding}"),
        Align::Right => format!("{padding}{text}"),
    }
}

/// `text` cut to at most `width` display columns, ending in an ellipsis when cut.
pub fn cut(text: &str, width: usize) -> String {
    if text.width() <= width {
        return text.to_string();
    }
    let mut shortened = String::new();
    let mut used = 0;
    for character in text.chars() {
        let character_width = unicode_width::UnicodeWidthChar::width(character).unwrap_or(0);
        if used + character_width + 1 > width {
            break;
        }
        used += character_width;
        shortened.push(character);
    }
    shortened.push('…');
    shortened
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hangul_counts_two_columns_so_the_next_column_lines_up() {
        let mut table = TextTable::new(&[("song", Align::Left, 40), ("rank", Align::Right, 6)]);
        table.row(vec!["첫눈처럼 너에게 가겠다".to_string(), "1".to_string()]);
        table.row(vec!["Stay With Me".to_string(), "12".to_string()]);
        let text = table.render();
        let columns: Vec<usize> = text.lines().map(|line| line.width()).collect();
        assert_eq!(columns, [28, 28, 28], "{text}");
        assert!(text.lines().nth(1).unwrap().ends_with("  1"), "{text}");
    }

    #[test]
    fn long_text_is_cut_by_display_width() {
        assert_eq!(cut("사랑인가 봐", 7), "사랑인…");
        assert_eq!(cut("Love, Maybe", 6), "Love,…");
        assert_eq!(cut("short", 6), "short");
    }
}
