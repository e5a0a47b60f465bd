//! Wrappers that real log files come in, and how to take them apart while keeping line
//! numbers and byte offsets that point into the file the user holds.
//!
//! - `eb logs` / console tail bundles: sections headed by a line of dashes, the log's path
//!   and another line of dashes, optionally grouped under `==== i-0123... ====` lines.
//! - `eb logs --cloudwatch-logs` downloads: `==== i-0123 - /aws/elasticbeanstalk/env/var/log/x ====`
//!   headers, and `[i-0123] ` before every line.
//! - console output whose every line starts with `[eb-cfn-init]: `.
//!
//! [`unwrap`] returns the sections of such a file; each section's lines keep their outer
//! coordinates, and the section header lines become records of their own, so that every
//! byte of the wrapper still belongs to exactly one record.

use super::lines;
use crate::ids;
use eblog_grammars::common::trim_eol;

/// One line of a section: the inner text (prefix removed) and where the whole line lies
/// in the outer file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WrappedLine {
    /// Start of the inner text in the outer buffer.
    pub inner_start: usize,
    /// End of the inner text (its `\n` included) in the outer buffer.
    pub inner_end: usize,
    /// Offset of the whole line (prefix included) in the outer file.
    pub offset: u64,
    /// 1-based line number in the outer file.
    pub line: u64,
}

/// Header lines of a section, kept as one record.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HeaderSpan {
    /// Offset of the first header byte.
    pub offset: u64,
    /// Offset one past the last header byte.
    pub end: u64,
    /// First header line.
    pub line: u64,
    /// Last header line.
    pub end_line: u64,
}

/// A log inside a wrapper.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Section {
    /// The log's path as the wrapper names it (`/var/log/eb-engine.log`).
    pub path: Option<String>,
    /// The instance the wrapper says the log came from.
    pub instance_id: Option<String>,
    /// The header lines that introduced the section, if any.
    pub header: Option<HeaderSpan>,
    /// The section's lines.
    pub lines: Vec<WrappedLine>,
}

/// Which wrapper a file is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Wrapper {
    /// A tail-log text bundle.
    TailBundle,
    /// A CloudWatch Logs download.
    CloudWatch,
    /// Console output with `[eb-cfn-init]: ` prefixes.
    ConsolePrefix,
}

const CONSOLE_PREFIX: &[u8] = b"[eb-cfn-init]: ";

fn is_dash_rule(line: &[u8]) -> bool {
    line.len() >= 10 && line.iter().all(|&b| b == b'-')
}

/// `==== i-0123... ====` or `==== i-0123 - /aws/elasticbeanstalk/env/var/log/x ====`:
/// returns (instance id, log path).
fn instance_rule(line: &[u8]) -> Option<(String, Option<String>)> {
    let text = std::str::from_utf8(line).ok()?;
    let inner = text
        .strip_prefix("====")?
        .trim_start_matches('=')
        .trim_end_matches('=')
        .trim();
    let (instance, path) = match inner.split_once(" - ") {
        Some((i, p)) => (i.trim(), Some(p.trim().to_owned())),
        None => (inner, None),
    };
    let id = ids::instance_id(instance)?;
    (id == instance).then(|| (id.to_owned(), path))
}

/// A line `[i-0123...] ` prefix, returning its length.
fn instance_prefix(line: &[u8]) -> Option<usize> {
    let rest = line.strip_prefix(b"[")?;
    let close = memchr::memchr(b']', &rest[..rest.len().min(24)])?;
    let text = std::str::from_utf8(&rest[..close]).ok()?;
    (ids::instance_id(text) == Some(text) && rest.get(close + 1) == Some(&b' '))
        .then_some(close + 3)
}

/// Whether a section header's middle line names a log file (`/var/log/eb-engine.log`),
/// so that a banner of dashes in hook output does not start a fake section.
fn names_a_log(line: &[u8]) -> bool {
    line.starts_with(b"/") && !line.contains(&b' ') && memchr::memmem::find(line, b"log").is_some()
}

/// Which wrapper `buf` is, judged by its first non-empty lines.
pub fn detect(buf: &[u8]) -> Option<Wrapper> {
    let mut head = lines(buf).map(trim_eol).filter(|l| !l.is_empty());
    let first = head.next()?;
    if first.starts_with(CONSOLE_PREFIX) {
        return Some(Wrapper::ConsolePrefix);
    }
    // An excerpt of a CloudWatch download without its `====` section header.
    if instance_prefix(first).is_some() {
        return Some(Wrapper::CloudWatch);
    }
    if let Some((_, path)) = instance_rule(first) {
        return Some(if path.is_some() {
            Wrapper::CloudWatch
        } else {
            Wrapper::TailBundle
        });
    }
    let second = head.next()?;
    let third = head.next()?;
    if is_dash_rule(first) && names_a_log(second) && is_dash_rule(third) {
        return Some(Wrapper::TailBundle);
    }
    // A CloudWatch excerpt cut inside a record: its first line is a continuation of the
    // record above, but most of the lines that follow carry the prefix.
    let prefixed = [second, third]
        .into_iter()
        .chain(head.take(3))
        .filter(|l| instance_prefix(l).is_some())
        .count();
    (prefixed >= 3).then_some(Wrapper::CloudWatch)
}

/// Takes a wrapper apart; `None` when `buf` is not one.
pub fn unwrap(buf: &[u8]) -> Option<(Wrapper, Vec<Section>)> {
    let wrapper = detect(buf)?;
    let mut all: Vec<(usize, &[u8])> = Vec::new();
    let mut at = 0;
    for line in lines(buf) {
        all.push((at, line));
        at += line.len();
    }
    let sections = match wrapper {
        Wrapper::ConsolePrefix => vec![console(&all)],
        Wrapper::TailBundle | Wrapper::CloudWatch => sectioned(&all),
    };
    Some((wrapper, sections))
}

fn console(all: &[(usize, &[u8])]) -> Section {
    let lines = all
        .iter()
        .enumerate()
        .map(|(i, &(start, line))| {
            let skip = if line.starts_with(CONSOLE_PREFIX) {
                CONSOLE_PREFIX.len()
            } else {
                0
            };
            WrappedLine {
                inner_start: start + skip,
                inner_end: start + line.len(),
                offset: start as u64,
                line: i as u64 + 1,
            }
        })
        .collect();
    Section {
        path: Some("/var/log/eb-cfn-init.log".to_owned()),
        instance_id: None,
        header: None,
        lines,
    }
}

fn sectioned(all: &[(usize, &[u8])]) -> Vec<Section> {
    let mut sections: Vec<Section> = Vec::new();
    let mut instance: Option<String> = None;
    let mut i = 0;
    let header = |from: usize, to: usize| {
        let (start, _) = all[from];
        let (last_start, last) = all[to];
        HeaderSpan {
            offset: start as u64,
            end: (last_start + last.len()) as u64,
            line: from as u64 + 1,
            end_line: to as u64 + 1,
        }
    };
    while i < all.len() {
        let line = trim_eol(all[i].1);
        if let Some((id, path)) = instance_rule(line) {
            instance = Some(id);
            sections.push(Section {
                path,
                instance_id: instance.clone(),
                header: Some(header(i, i)),
                lines: Vec::new(),
            });
            i += 1;
            continue;
        }
        let is_section_header = is_dash_rule(line)
            && all
                .get(i + 1)
                .is_some_and(|(_, l)| names_a_log(trim_eol(l)))
            && all
                .get(i + 2)
                .is_some_and(|(_, l)| is_dash_rule(trim_eol(l)));
        if is_section_header {
            let path = String::from_utf8_lossy(trim_eol(all[i + 1].1)).into_owned();
            sections.push(Section {
                path: Some(path),
                instance_id: instance.clone(),
                header: Some(header(i, i + 2)),
                lines: Vec::new(),
            });
            i += 3;
            continue;
        }
        let (start, raw) = all[i];
        let skip = instance_prefix(raw).unwrap_or(0);
        let wrapped = WrappedLine {
            inner_start: start + skip,
            inner_end: start + raw.len(),
            offset: start as u64,
            line: i as u64 + 1,
        };
        let prefix_id = (skip > 0)
            .then(|| std::str::from_utf8(&raw[1..skip - 2]).ok())
            .flatten();
        match sections.last_mut() {
            Some(section) => {
                // A header-less excerpt that begins with an unprefixed line.
                if section.header.is_none() && section.instance_id.is_none() {
                    section.instance_id = prefix_id.map(str::to_owned);
                }
                section.lines.push(wrapped);
            }
            // Lines before any header (a CloudWatch excerpt without one): the prefix
            // names the instance; the log is told by its content.
            None => sections.push(Section {
                instance_id: prefix_id.map(str::to_owned),
                lines: vec![wrapped],
                ..Section::default()
            }),
        }
        i += 1;
    }
    sections
}

#[cfg(test)]
mod tests {
    use super::*;

    const BUNDLE: &str = "-------------------------------------\n/var/log/eb-engine.log\n-------------------------------------\n2023/08/15 21:14:57.435217 [INFO] Executing instruction: GetTailLogs\n\n-------------------------------------\n/var/log/cfn-hup.log\n-------------------------------------\n2023-08-15 21:14:57,435 [INFO] command processing is alive.\n";

    #[test]
    fn tail_bundle_sections_keep_outer_lines() {
        let (wrapper, sections) = unwrap(BUNDLE.as_bytes()).unwrap();
        assert_eq!(wrapper, Wrapper::TailBundle);
        assert_eq!(sections.len(), 2);
        assert_eq!(sections[0].path.as_deref(), Some("/var/log/eb-engine.log"));
        assert_eq!(sections[0].header.unwrap().end_line, 3);
        assert_eq!(sections[0].lines.len(), 2);
        assert_eq!(sections[1].lines[0].line, 9);
        let l = sections[1].lines[0];
        assert!(BUNDLE.as_bytes()[l.inner_start..l.inner_end].starts_with(b"2023-08-15"));
    }

    #[test]
    fn cloudwatch_prefixes_are_removed_and_name_the_instance() {
        let text = "============= i-0abc1234def567890 - /aws/elasticbeanstalk/my-env/var/log/eb-engine.log ==============\n[i-0abc1234def567890] 2023/08/15 21:14:57.435217 [INFO] Starting...\n";
        let (wrapper, sections) = unwrap(text.as_bytes()).unwrap();
        assert_eq!(wrapper, Wrapper::CloudWatch);
        assert_eq!(
            sections[0].instance_id.as_deref(),
            Some("i-0abc1234def567890")
        );
        assert_eq!(
            sections[0].path.as_deref(),
            Some("/aws/elasticbeanstalk/my-env/var/log/eb-engine.log")
        );
        let l = sections[0].lines[0];
        assert!(text.as_bytes()[l.inner_start..].starts_with(b"2023/08/15"));
        assert_eq!(l.offset as usize, text.find("[i-0abc").unwrap());
    }

    #[test]
    fn cloudwatch_lines_without_a_section_header_are_unwrapped() {
        let text = "[i-05e2c7a9b3d14f680] 2024/03/02 11:40:18.902114 [INFO] Executing instruction: PostBuildEbExtension\n[i-05e2c7a9b3d14f680] 2024/03/02 11:40:18.902130 [INFO] Starting executing the config set Infra-EmbeddedPostBuild.\n";
        let (wrapper, sections) = unwrap(text.as_bytes()).unwrap();
        assert_eq!(wrapper, Wrapper::CloudWatch);
        assert_eq!(sections.len(), 1);
        assert_eq!(sections[0].path, None, "the content tells the log");
        assert_eq!(
            sections[0].instance_id.as_deref(),
            Some("i-05e2c7a9b3d14f680")
        );
        let l = sections[0].lines[1];
        assert!(text.as_bytes()[l.inner_start..].starts_with(b"2024/03/02 11:40:18.902130"));
        assert_eq!(l.line, 2);
        assert_eq!(detect(b"[i-05e2c7a9b3d14f680]no space\n"), None);
        let cut = "    raise KeyError(key) from None\n[i-05e2c7a9b3d14f680] KeyError: 'DB_URL'\n[i-05e2c7a9b3d14f680] 2024/03/02 11:40:31.117311 [INFO] Executing cleanup logic\n[i-05e2c7a9b3d14f680] 2024/03/02 11:40:31.117390 [INFO] CommandService Response: {}\n";
        assert_eq!(detect(cut.as_bytes()), Some(Wrapper::CloudWatch));
        let (_, sections) = unwrap(cut.as_bytes()).unwrap();
        assert_eq!(sections.len(), 1);
        assert_eq!(sections[0].lines.len(), 4);
        assert_eq!(
            sections[0].instance_id.as_deref(),
            Some("i-05e2c7a9b3d14f680")
        );
        assert_eq!(
            sections[0].lines[2].inner_start,
            cut.find("2024/03/02 11:40:31.117311").unwrap()
        );
    }

    #[test]
    fn console_prefix_lines() {
        let text = "[eb-cfn-init]: [2020-05-19T21:45:29Z] Started EB User Data\n[eb-cfn-init]: + SLEEP_TIME=2\n";
        let (wrapper, sections) = unwrap(text.as_bytes()).unwrap();
        assert_eq!(wrapper, Wrapper::ConsolePrefix);
        assert_eq!(sections[0].lines.len(), 2);
        assert_eq!(
            sections[0].lines[1].inner_start,
            text.find("+ SLEEP").unwrap()
        );
    }

    #[test]
    fn ordinary_logs_are_not_wrappers() {
        assert_eq!(
            detect(b"2023-08-15 21:14:57,435 [INFO] command processing is alive.\n"),
            None
        );
        assert_eq!(
            detect(b"------------------------------------------------------------\nnot a path\n"),
            None
        );
    }
}
