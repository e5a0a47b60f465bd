//! Escaping and the small pieces of text the markup is built from.

use super::*;

// ----------------------------------------------------------------------------------------
// Escaping and small pieces.

/// HTML-escapes text for element content and quoted attribute values. Control
/// characters other than tab, newline and carriage return become U+FFFD.
pub(super) fn esc(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if c.is_control() => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out
}

/// `text` cut to at most `limit` bytes (at a character boundary), and whether it was cut.
pub(super) fn truncate(text: &str, limit: usize) -> (&str, bool) {
    if text.len() <= limit {
        return (text, false);
    }
    let mut cut = limit;
    while !text.is_char_boundary(cut) {
        cut -= 1;
    }
    (&text[..cut], true)
}

/// The CSS class that colours a status.
pub(super) fn status_class(status: Status) -> &'static str {
    match status {
        Status::Success => "st-success",
        Status::Failure => "st-failure",
        Status::Timeout => "st-timeout",
        Status::Incomplete | Status::Running => "st-incomplete",
        Status::Skipped => "st-skipped",
    }
}

/// `st-… bad` for failed or timed-out statuses, `st-…` otherwise.
pub(super) fn status_classes(status: Status) -> String {
    if status.is_failure() {
        format!("{} bad", status_class(status))
    } else {
        status_class(status).to_owned()
    }
}

/// A percentage for inline styles.
pub(super) fn pct(v: f64) -> String {
    format!("{:.3}%", v.clamp(0.0, 100.0))
}

/// "1 execution" / "3 executions".
pub(super) fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("{n} {word}")
    } else {
        format!("{n} {word}s")
    }
}
