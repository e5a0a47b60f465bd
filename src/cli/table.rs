//! Tables for people that fit the terminal: columns measured in display width (East
//! Asian wide characters count two, combining marks none), the columns named to shrink
//! cut with an ellipsis, colour put around a cell's text after it is padded and cut, so
//! escapes never count as width.

use anstyle::Style;
use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

/// Spaces between columns.
const GAP: usize = 2;

/// Which end of a cell's text an over-long cell keeps.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Keep {
    /// The start: `app-dep…`.
    Start,
    /// The end: `…/prebuild/01_install.sh` (for paths, whose last part is the most
    /// specific).
    End,
}

/// One step of fitting a table: narrow `column` to no less than `floor` (a floor below
/// the header's width cuts the header too), keeping the `keep` end of its cells.
#[derive(Debug, Clone, Copy)]
pub(super) struct Shrink {
    /// The column.
    pub column: usize,
    /// The narrowest it gets in this step.
    pub floor: usize,
    /// The end of the text kept.
    pub keep: Keep,
}

/// One cell: its text and its style (`Style::new()` for none).
#[derive(Debug, Clone)]
pub(super) struct Cell {
    /// The text, one line.
    pub text: String,
    /// Colour, used when colour is on.
    pub style: Style,
}

impl Cell {
    /// A cell without style.
    pub fn plain(text: impl Into<String>) -> Self {
        Cell {
            text: text.into(),
            style: Style::new(),
        }
    }
}

/// A table: a header and rows of as many cells.
#[derive(Debug, Default)]
pub(super) struct Table {
    /// Column titles.
    pub header: Vec<&'static str>,
    /// Rows.
    pub rows: Vec<Vec<Cell>>,
}

impl Table {
    /// The table's text: every line ends in `\n` and, with `width`, is at most that
    /// wide when the `shrink` steps, taken in turn until it fits, allow.
    pub fn render(&self, width: Option<usize>, shrink: &[Shrink], colour: bool) -> String {
        let printable_rows: Vec<Vec<Cell>> = self
            .rows
            .iter()
            .map(|row| {
                row.iter()
                    .map(|c| Cell {
                        text: printable(&c.text).into_owned(),
                        style: c.style,
                    })
                    .collect()
            })
            .collect();
        let table = Table {
            header: self.header.clone(),
            rows: printable_rows,
        };
        let widths = table.widths(width, shrink);
        let keep = |column: usize| {
            shrink
                .iter()
                .find(|s| s.column == column)
                .map_or(Keep::Start, |s| s.keep)
        };
        let mut out = String::new();
        let header: Vec<Cell> = self
            .header
            .iter()
            .map(|h| Cell {
                text: (*h).to_owned(),
                style: Style::new().bold(),
            })
            .collect();
        for (r, row) in std::iter::once(&header).chain(&table.rows).enumerate() {
            let mut line = String::new();
            let last = row.len().saturating_sub(1);
            for (i, (cell, &w)) in row.iter().zip(&widths).enumerate() {
                // Headers keep their start.
                let side = if r == 0 { Keep::Start } else { keep(i) };
                let text = match side {
                    Keep::Start => cut(&cell.text, w),
                    Keep::End => cut_start(&cell.text, w),
                };
                let pad = w.saturating_sub(text.width());
                if colour && cell.style != Style::new() && !text.is_empty() {
                    line.push_str(&format!("{}{text}{:#}", cell.style, cell.style));
                } else {
                    line.push_str(&text);
                }
                if i < last {
                    line.extend(std::iter::repeat_n(' ', pad + GAP));
                }
            }
            out.push_str(line.trim_end_matches(' '));
            out.push('\n');
        }
        out
    }

    /// Column widths: each column's widest cell, then the `shrink` steps taken in turn
    /// until the line fits `width`.
    fn widths(&self, width: Option<usize>, shrink: &[Shrink]) -> Vec<usize> {
        let mut widths: Vec<usize> = self.header.iter().map(|h| h.width()).collect();
        for row in &self.rows {
            for (w, cell) in widths.iter_mut().zip(row) {
                *w = (*w).max(cell.text.width());
            }
        }
        let Some(limit) = width else {
            return widths;
        };
        let total =
            |widths: &[usize]| widths.iter().sum::<usize>() + GAP * widths.len().saturating_sub(1);
        for step in shrink {
            let over = total(&widths).saturating_sub(limit);
            if over == 0 {
                break;
            }
            let Some(w) = widths.get(step.column).copied() else {
                continue;
            };
            widths[step.column] = w.saturating_sub(over).max(step.floor.min(w));
        }
        widths
    }
}

/// `text` safe to print on a terminal: a log's control characters (an escape sequence
/// written into a log must not restyle or move the terminal) become visible symbols
/// (`␛` for ESC, U+2400 + the code for the other C0 characters, `␡` for DEL, `�` for C1),
/// and a tab becomes a space so that widths stay true.
pub(super) fn printable(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.chars().any(char::is_control) {
        return std::borrow::Cow::Borrowed(text);
    }
    let shown = text
        .chars()
        .map(|c| match c {
            '\t' => ' ',
            '\u{0}'..='\u{1f}' => char::from_u32(0x2400 + c as u32).unwrap_or('\u{fffd}'),
            '\u{7f}' => '\u{2421}',
            c if c.is_control() => '\u{fffd}',
            c => c,
        })
        .collect();
    std::borrow::Cow::Owned(shown)
}

/// `text` cut to `width` display columns, with `…` in place of what is cut.
pub(super) fn cut(text: &str, width: usize) -> String {
    if text.width() <= width {
        return text.to_owned();
    }
    let mut out = String::new();
    let mut used = 0;
    for c in text.chars() {
        let w = c.width().unwrap_or(0);
        if used + w + 1 > width {
            break;
        }
        out.push(c);
        used += w;
    }
    if width > 0 {
        out.push('…');
    }
    out
}

/// `text` cut to `width` display columns from the left, `…` in place of what is cut; a
/// path is cut at a `/` when its last parts fit and fill most of the room
/// (`…/01_install.sh`, `…01_install.sh`).
pub(super) fn cut_start(text: &str, width: usize) -> String {
    if text.width() <= width {
        return text.to_owned();
    }
    // A cut at a `/` is taken when it keeps at least two thirds of the room.
    let fits =
        |part: &str| width > 0 && part.width() < width && 3 * (part.width() + 1) >= 2 * width;
    let after_slash = text
        .match_indices('/')
        .map(|(i, _)| i)
        .find(|&i| fits(&text[i..]));
    if let Some(i) = after_slash {
        return format!("…{}", &text[i..]);
    }
    if let Some((_, leaf)) = text.rsplit_once('/') {
        if fits(leaf) && !leaf.is_empty() {
            return format!("…{leaf}");
        }
    }
    let mut kept: Vec<char> = Vec::new();
    let mut used = 0;
    for c in text.chars().rev() {
        let w = c.width().unwrap_or(0);
        if used + w + 1 > width {
            break;
        }
        kept.push(c);
        used += w;
    }
    if width == 0 {
        return String::new();
    }
    std::iter::once('…').chain(kept.into_iter().rev()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(rows: &[[&str; 3]]) -> Table {
        Table {
            header: vec!["A", "NAME", "STEP"],
            rows: rows
                .iter()
                .map(|r| r.iter().map(|c| Cell::plain(*c)).collect())
                .collect(),
        }
    }

    #[test]
    fn cuts_count_display_width() {
        assert_eq!(cut("abcdef", 6), "abcdef");
        assert_eq!(cut("abcdef", 4), "abc…");
        // Each of these takes two columns.
        assert_eq!(cut("日本語テキスト", 7), "日本語…");
        assert_eq!(cut("日本語テキスト", 7).width(), 7);
        assert_eq!(cut("abc", 0), "");
        assert_eq!(
            cut_start("hooks/prebuild/01_install.sh", 15),
            "…/01_install.sh"
        );
        assert_eq!(cut_start("日本語テキスト", 7), "…キスト");
        assert_eq!(cut_start("abc", 3), "abc");
    }

    #[test]
    fn the_shrink_columns_give_way_first_to_last() {
        let t = table(&[["x", "app-deploy-long-name", "Step/Sub/Hook/01_migrate.sh"]]);
        let steps = [
            Shrink {
                column: 2,
                floor: 8,
                keep: Keep::End,
            },
            Shrink {
                column: 1,
                floor: 8,
                keep: Keep::Start,
            },
        ];
        let wide = t.render(None, &steps, false);
        assert_eq!(
            wide,
            "A  NAME                  STEP\nx  app-deploy-long-name  Step/Sub/Hook/01_migrate.sh\n"
        );
        let fitted = t.render(Some(40), &steps, false);
        for line in fitted.lines() {
            assert!(line.width() <= 40, "{line:?}");
        }
        assert_eq!(
            fitted.lines().nth(1),
            Some("x  app-deploy-long-name  …/01_migrate.sh")
        );
        // Narrower: STEP stops at its floor, then NAME gives way.
        let narrow = t.render(Some(25), &steps, false);
        assert_eq!(narrow.lines().nth(1), Some("x  app-deploy-…  …rate.sh"));
    }

    #[test]
    fn control_characters_are_shown_not_obeyed() {
        assert_eq!(printable("plain"), "plain");
        assert_eq!(printable("\u{1b}[31mred\u{7}"), "\u{241b}[31mred\u{2407}");
        assert_eq!(printable("a\tb\u{7f}\u{9b}"), "a b\u{2421}\u{fffd}");
        let t = table(&[["x", "\u{1b}[2J", "s"]]);
        let out = t.render(None, &[], false);
        assert!(!out.contains('\u{1b}'), "{out:?}");
    }

    #[test]
    fn colour_goes_around_the_padded_text() {
        let mut t = table(&[["x", "日本", "s"]]);
        t.rows[0][1].style = Style::new().bold();
        let out = t.render(None, &[], true);
        let row = out.lines().nth(1).unwrap();
        assert_eq!(row, "x  \u{1b}[1m日本\u{1b}[0m  s");
        // Without colour the same layout.
        assert_eq!(
            t.render(None, &[], false).lines().nth(1),
            Some("x  日本  s")
        );
    }
}
