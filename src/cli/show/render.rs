//! One record as people read it: `TIME SEVERITY message`, cut to the width with the
//! continuation folded behind a marker, or (`--expand`) whole, with the record's fields
//! and payloads pretty-printed beneath it. Which file (and so which host and format) the
//! records come from is said once, by a `==> file <==` line when it changes (as `tail`
//! does with several files); under `--deploys`, where the files of a host interleave,
//! each line names its format instead, after the time of day.

use super::super::table::printable;
use crate::record::{Record, Severity};
use crate::redact::Redactor;
use anstyle::{AnsiColor, Style};
use std::fmt::Write as _;
use unicode_width::UnicodeWidthStr;

/// Width of the format column under `--deploys` (`healthd-daemon`).
const FORMAT_WIDTH: usize = 14;

/// How records are drawn.
#[derive(Debug, Clone)]
pub(super) struct Renderer {
    /// Times in UTC (else the local time zone).
    pub utc: bool,
    /// ANSI colour.
    pub colour: bool,
    /// Cut lines to this width (`None`: whole).
    pub width: Option<usize>,
    /// Whole records, fields beneath.
    pub expand: bool,
    /// Time of day and format on each line (`--deploys`: the group's header says the
    /// date and host).
    pub in_deploy: bool,
    /// Redacts what is shown, unless the user opted out.
    pub redactor: Option<Redactor>,
}

fn paint(colour: bool, style: Style, text: &str, out: &mut String) {
    if colour && !text.is_empty() {
        let _ = write!(out, "{style}{text}{style:#}");
    } else {
        out.push_str(text);
    }
}

/// The colour of a severity.
fn severity_style(severity: Option<Severity>) -> Style {
    let colour = match severity {
        Some(Severity::Fatal) => {
            return Style::new()
                .fg_color(Some(AnsiColor::Red.into()))
                .bold()
                .invert()
        }
        Some(Severity::Error) => AnsiColor::Red,
        Some(Severity::Warn) => AnsiColor::Yellow,
        Some(Severity::Info) => AnsiColor::Green,
        Some(Severity::Debug | Severity::Trace) | None => AnsiColor::BrightBlack,
    };
    let style = Style::new().fg_color(Some(colour.into()));
    match severity {
        Some(Severity::Error) => style.bold(),
        _ => style,
    }
}

const DIM: Style = Style::new().dimmed();
const HEADER: Style = Style::new().bold();

impl Renderer {
    /// `2022-06-14 16:27:47.230` (`16:27:47.230` in a deploy) in the chosen zone, UTC
    /// with a `Z`; blanks for a record without a time.
    fn time(&self, ts: Option<&str>) -> String {
        let date = if self.in_deploy { "" } else { "%Y-%m-%d " };
        let zone = if self.utc { "Z" } else { "" };
        let form = format!("{date}%H:%M:%S%.3f{zone}");
        let Some(dt) = ts.and_then(|t| chrono::DateTime::parse_from_rfc3339(t).ok()) else {
            // As wide as a time would be.
            let width = chrono::DateTime::UNIX_EPOCH.format(&form).to_string().len();
            return " ".repeat(width);
        };
        if self.utc {
            dt.with_timezone(&chrono::Utc).format(&form).to_string()
        } else {
            dt.with_timezone(&chrono::Local).format(&form).to_string()
        }
    }

    /// The `==> file <==` line that says where the next records come from.
    pub fn file_header(&self, record: &Record, out: &mut String) {
        let mut text = format!("==> {}", printable(&record.source));
        if let Some(id) = &record.instance_id {
            let _ = write!(text, " ({id})");
        }
        text.push_str(" <==");
        paint(self.colour, HEADER, &text, out);
        out.push('\n');
    }

    /// Appends the record's lines (each ending in `\n`) to `out`.
    pub fn render(&self, record: &Record, out: &mut String) {
        let message = match &self.redactor {
            Some(r) => r.redact_text(&record.message),
            None => std::borrow::Cow::Borrowed(record.message.as_str()),
        };
        // Control characters are shown, not obeyed, line by line (the line breaks stay).
        let message: String = message
            .split('\n')
            .map(|line| printable(line.strip_suffix('\r').unwrap_or(line)).into_owned())
            .collect::<Vec<_>>()
            .join("\n");
        let severity = Severity::of(record);
        let mut head = String::new();
        let time = self.time(record.ts.as_deref());
        paint(self.colour, DIM, &time, &mut head);
        head.push(' ');
        let name = severity.map_or("-", |s| s.name()).to_ascii_uppercase();
        paint(
            self.colour,
            severity_style(severity),
            &format!("{name:<5}"),
            &mut head,
        );
        head.push(' ');
        let mut head_width = time.width() + 7;
        if self.in_deploy {
            let format = record.format.map_or("-", |f| f.name());
            head.push_str(&format!("{format:<FORMAT_WIDTH$}"));
            head.push(' ');
            head_width += FORMAT_WIDTH + 1;
        }
        let mut lines = message.lines();
        let first = lines.next().unwrap_or("");
        let more = lines.clone().count();
        if self.expand {
            out.push_str(&head);
            out.push_str(first);
            out.push('\n');
            for line in lines {
                out.push_str("    ");
                out.push_str(line);
                out.push('\n');
            }
            self.fields(record, out);
            return;
        }
        let marker = if more > 0 {
            format!(" [+{more} line{}]", if more == 1 { "" } else { "s" })
        } else {
            String::new()
        };
        let room = self
            .width
            .map(|w| w.saturating_sub(head_width + marker.width()));
        let text = match room {
            Some(room) => super::super::table::cut(first, room),
            None => first.to_owned(),
        };
        out.push_str(&head);
        out.push_str(&text);
        paint(self.colour, DIM, &marker, out);
        // No trailing blanks when the message is empty.
        let trimmed = out.trim_end_matches(' ').len();
        out.truncate(trimmed);
        out.push('\n');
    }

    /// The record's kind and fields, payloads pretty-printed, indented beneath it.
    fn fields(&self, record: &Record, out: &mut String) {
        let Ok(mut value) = serde_json::to_value(&record.event) else {
            return;
        };
        if let Some(r) = &self.redactor {
            r.redact_value(&mut value);
        }
        let Some(map) = value.as_object() else {
            return;
        };
        let mut line = String::new();
        paint(self.colour, DIM, "    kind: ", &mut line);
        line.push_str(record.kind());
        out.push_str(&line);
        out.push('\n');
        // A multi-line text the message above already holds whole is not repeated.
        let repeated = |v: &serde_json::Value| {
            v.as_str()
                .is_some_and(|t| t.contains('\n') && record.message.contains(t))
        };
        for (key, v) in map
            .iter()
            .filter(|(k, v)| k.as_str() != "kind" && !repeated(v))
        {
            let text = match v {
                serde_json::Value::String(s) => s.clone(),
                other => serde_json::to_string_pretty(other).unwrap_or_default(),
            };
            let mut line = String::new();
            paint(self.colour, DIM, &format!("    {key}: "), &mut line);
            let mut parts = text.lines();
            line.push_str(&printable(parts.next().unwrap_or("")));
            out.push_str(&line);
            out.push('\n');
            for part in parts {
                out.push_str("      ");
                out.push_str(&printable(part));
                out.push('\n');
            }
        }
        let source = printable(&record.source);
        let _ = writeln!(out, "    source: {source}:{}", record.line);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::record::{test_record, Event};

    fn renderer(width: Option<usize>, expand: bool) -> Renderer {
        Renderer {
            utc: true,
            colour: false,
            width,
            expand,
            in_deploy: false,
            redactor: Some(Redactor::new()),
        }
    }

    fn render(r: &Renderer, record: &Record) -> String {
        let mut out = String::new();
        r.render(record, &mut out);
        out
    }

    #[test]
    fn one_line_per_record_folded_and_cut() {
        let record = test_record(
            3,
            Some("2019-05-14T18:35:31.446Z"),
            Event::Other,
            "npm install failed with a long explanation\n  at line two\n  at line three",
        );
        let line = render(&renderer(Some(80), false), &record);
        assert_eq!(
            line,
            "2019-05-14 18:35:31.446Z INFO  npm install failed with a long explan… [+2 lines]\n"
        );
        assert_eq!(line.trim_end().width(), 80);
        let whole = render(&renderer(None, false), &record);
        assert!(whole.contains("npm install failed with a long explanation [+2 lines]"));
    }

    #[test]
    fn escape_sequences_in_logs_are_shown_not_obeyed() {
        let record = test_record(
            5,
            None,
            Event::Other,
            "\u{1b}]0;owned\u{7}\u{1b}[2J\r\nnext\tline",
        );
        for r in [renderer(None, false), renderer(None, true)] {
            let text = render(&r, &record);
            assert!(
                !text.contains('\u{1b}') && !text.contains('\u{7}'),
                "{text:?}"
            );
            assert!(
                text.contains("\u{241b}]0;owned\u{2407}\u{241b}[2J"),
                "{text:?}"
            );
        }
        let whole = render(&renderer(None, true), &record);
        assert!(whole.contains("\n    next line\n"), "{whole:?}");
    }

    #[test]
    fn expanded_records_show_their_lines_and_fields_redacted() {
        let record = test_record(
            4,
            None,
            Event::ActionStart {
                action: "AppDeployPreHook".into(),
                index: Some(2),
                total: Some(6),
            },
            "Running 2 of 6 actions\nAWS_SECRET_ACCESS_KEY=abc123secret",
        );
        let text = render(&renderer(Some(40), true), &record);
        assert!(
            text.contains("\n    AWS_SECRET_ACCESS_KEY=[REDACTED]\n"),
            "{text}"
        );
        assert!(text.contains("\n    kind: action_start\n"), "{text}");
        assert!(text.contains("\n    action: AppDeployPreHook\n"), "{text}");
        assert!(text.contains("\n    index: 2\n"), "{text}");
        assert!(
            text.contains("\n    source: logs/i-0abc/var/log/cfn-hup.log:4\n"),
            "{text}"
        );
        assert!(!text.contains("abc123secret"));
    }
}
