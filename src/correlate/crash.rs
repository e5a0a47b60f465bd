//! Crash summaries: the exception an application's output ends in, told by its language.
//!
//! - Python: a `Traceback (most recent call last):` block; the exception is its last
//!   line (the one after the frames, however many there are; of a chained traceback,
//!   the last one's), with the frames above it kept.
//! - Node.js: an `Error:` / `TypeError: ...` line followed by its `at ...` stack.
//! - Java: an exception line (`java.lang.IllegalStateException: ...`, `Exception in
//!   thread "main" ...`) and its `Caused by:` chain; the root cause is the last link.
//! - Ruby: `file.rb:12:in 'method': message (NameError)`.
//!
//! The lines arrive one per record, their indentation sometimes lost (syslog strips it),
//! so each rule reads a line's trimmed text.

use regex::Regex;
use serde::Serialize;
use std::sync::LazyLock;

/// The most stack lines a summary keeps below a Node or Java exception.
const STACK_HEAD: usize = 3;
/// The most lines one crash is read over.
const MAX_CRASH_LINES: usize = 400;

/// One crash found in an application's output.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Crash {
    /// `python`, `node`, `java`, `ruby`.
    pub language: &'static str,
    /// The line that names the cause: the exception (the root cause of a Java chain).
    pub exception: String,
    /// What the summary shows around it: the Python frame above the exception, the
    /// head of a Node stack, the Java exception and its `Caused by:` links.
    pub context: Vec<String>,
    /// Every frame of a Python traceback, outermost first.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub frames: Vec<String>,
    /// How many times the exception line appears in the output read.
    pub repeated: usize,
    /// Index of the first line of the crash in the lines given.
    #[serde(skip)]
    pub first: usize,
    /// Index of the exception line in the lines given.
    #[serde(skip)]
    pub at: usize,
}

fn regex(pattern: &str) -> Regex {
    // The patterns are literals of this module, tested below.
    Regex::new(pattern).expect("valid regex")
}

static PY_EXCEPTION: LazyLock<Regex> = LazyLock::new(|| {
    regex(
        r"^([A-Za-z_][\w.]*(?:Error|Exception|Exit|Interrupt|Warning|Failure|Fault|NotFound)|[a-z_][\w]*\.[\w.]*[A-Z]\w*)(?::\s.*|:)?$",
    )
});
static NODE_ERROR: LazyLock<Regex> =
    LazyLock::new(|| regex(r"^(?:Uncaught )?([A-Z]\w*Error|Error)(?: \[[A-Z_]+\])?: .+$"));
static JAVA_EXCEPTION: LazyLock<Regex> = LazyLock::new(|| {
    regex(
        r#"^(?:Exception in thread "[^"]*" )?(?:[a-z_$][\w$]*\.)+[A-Z][\w$]*(?:Exception|Error|Throwable)(?::\s.*)?$"#,
    )
});
static RUBY_EXCEPTION: LazyLock<Regex> =
    LazyLock::new(|| regex(r"^\S+\.rb:\d+:in [`'][^']+': .+ \(([A-Z][\w:]*)\)$"));

/// The first crash in `lines` (an application's output, oldest first), with the number
/// of times its exception line appears in them.
pub fn first_crash(lines: &[&str]) -> Option<Crash> {
    let mut crash = (0..lines.len()).find_map(|i| crash_at(lines, i))?;
    let key = lines[crash.at].trim();
    crash.repeated = lines.iter().filter(|l| l.trim() == key).count();
    Some(crash)
}

fn crash_at(lines: &[&str], i: usize) -> Option<Crash> {
    let line = lines[i].trim();
    if line.starts_with("Traceback (most recent call last)") {
        return python(lines, i);
    }
    if JAVA_EXCEPTION.is_match(line) && next_is(lines, i, |l| l.starts_with("at ")) {
        return Some(java(lines, i));
    }
    let stack_below = next_is(lines, i, |l| l.starts_with("at ") || l == "Require stack:");
    if NODE_ERROR.is_match(line) && stack_below {
        return Some(node(lines, i));
    }
    if RUBY_EXCEPTION.is_match(line) {
        return Some(simple("ruby", lines, i));
    }
    None
}

/// Whether the line after `i` (trimmed) passes `test`.
fn next_is(lines: &[&str], i: usize, test: impl Fn(&str) -> bool) -> bool {
    lines.get(i + 1).is_some_and(|l| test(l.trim()))
}

fn simple(language: &'static str, lines: &[&str], i: usize) -> Crash {
    Crash {
        language,
        exception: lines[i].trim().to_owned(),
        context: Vec::new(),
        frames: Vec::new(),
        repeated: 1,
        first: i,
        at: i,
    }
}

/// A Python traceback from `start`: frames (`File "...", line N, in f` and the code line
/// under each, caret lines), then the exception; a chained traceback goes on to the next.
fn python(lines: &[&str], start: usize) -> Option<Crash> {
    let end = lines.len().min(start + MAX_CRASH_LINES);
    let mut frames: Vec<String> = Vec::new();
    let mut found: Option<(usize, Vec<String>)> = None;
    let mut after_frame = false;
    let mut i = start + 1;
    while i < end {
        let line = lines[i].trim();
        i += 1;
        if line.starts_with("File \"") {
            frames.push(line.to_owned());
            after_frame = true;
            continue;
        }
        let caret = !line.is_empty() && line.chars().all(|c| matches!(c, '^' | '~' | ' '));
        if caret || line.is_empty() {
            continue;
        }
        if after_frame && !PY_EXCEPTION.is_match(line) {
            // The code line of the frame above.
            if let Some(frame) = frames.last_mut() {
                frame.push_str("\n    ");
                frame.push_str(line);
            }
            after_frame = false;
            continue;
        }
        if frames.is_empty() {
            return None;
        }
        found = Some((i - 1, std::mem::take(&mut frames)));
        // A chained traceback: the last exception is the one that ended the program.
        let chained = lines[i..end]
            .iter()
            .map(|l| l.trim())
            .find(|l| !l.is_empty());
        match chained {
            Some(l) if l.starts_with("During handling") || l.starts_with("The above exception") => {
                match lines[i..end]
                    .iter()
                    .position(|l| l.trim().starts_with("Traceback ("))
                {
                    Some(k) => i += k + 1,
                    None => break,
                }
            }
            _ => break,
        }
    }
    let (at, frames) = found?;
    Some(Crash {
        language: "python",
        exception: lines[at].trim().to_owned(),
        context: frames.last().cloned().into_iter().collect(),
        frames,
        repeated: 1,
        first: start,
        at,
    })
}

static NODE_LOCATION: LazyLock<Regex> =
    LazyLock::new(|| regex(r"^(?:(?:/|node:)\S+|[\w./-]+\.[cm]?js):\d+$"));

/// A Node error line and the head of its `at ...` stack (`Require stack:` lines too);
/// the failing code Node prints above it (`/path/file.js:31`, the line, a caret) first.
fn node(lines: &[&str], i: usize) -> Crash {
    let from = i.saturating_sub(4);
    let prelude: Vec<String> = match lines[from..i]
        .iter()
        .position(|l| NODE_LOCATION.is_match(l.trim()))
    {
        Some(k) => lines[from + k..i]
            .iter()
            .map(|l| l.trim_end())
            .filter(|l| !l.trim().is_empty())
            .map(str::to_owned)
            .collect(),
        None => Vec::new(),
    };
    let stack: Vec<String> = lines[i + 1..]
        .iter()
        .map(|l| l.trim())
        .take_while(|l| l.starts_with("at ") || l.starts_with("- ") || *l == "Require stack:")
        .filter(|l| l.starts_with("at "))
        .take(STACK_HEAD)
        .map(str::to_owned)
        .collect();
    Crash {
        context: prelude.into_iter().chain(stack).collect(),
        first: from.min(i),
        ..simple("node", lines, i)
    }
}

/// A Java exception and its `Caused by:` chain; the exception is the root cause.
fn java(lines: &[&str], i: usize) -> Crash {
    let end = lines.len().min(i + MAX_CRASH_LINES);
    let mut chain = vec![lines[i].trim().to_owned()];
    let mut at = i;
    for (k, line) in lines.iter().enumerate().take(end).skip(i + 1) {
        let line = line.trim();
        if let Some(cause) = line.strip_prefix("Caused by: ") {
            chain.push(format!("Caused by: {cause}"));
            at = k;
        } else if !(line.starts_with("at ")
            || line.starts_with("... ")
            || line.starts_with("Suppressed: ")
            || line.starts_with("Wrapped by: "))
        {
            break;
        }
    }
    let exception = lines[at]
        .trim()
        .strip_prefix("Caused by: ")
        .unwrap_or(lines[at].trim())
        .to_owned();
    Crash {
        language: "java",
        exception,
        context: chain,
        frames: Vec::new(),
        repeated: 1,
        first: i,
        at,
    }
}

impl Crash {
    /// The summary for people: the language and exception, then the context lines.
    pub fn summary(&self) -> String {
        let mut text = format!("{} crash: {}", self.language_name(), self.exception);
        if self.repeated > 1 {
            text.push_str(&format!(" (seen {} times)", self.repeated));
        }
        let context: Vec<&String> = match self.language {
            // The chain's root cause is the headline; the links above it follow.
            "java" => self
                .context
                .iter()
                .take(self.context.len().saturating_sub(1))
                .collect(),
            _ => self.context.iter().collect(),
        };
        for line in context {
            for part in line.lines() {
                text.push_str("\n  ");
                text.push_str(part);
            }
        }
        text
    }

    fn language_name(&self) -> &'static str {
        match self.language {
            "python" => "Python",
            "node" => "Node.js",
            "java" => "Java",
            "ruby" => "Ruby",
            other => other,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn python_exception_is_the_traceback_last_line_however_far() {
        let mut lines = vec![
            "[2025-01-09 10:02:11 +0000] [2411] [ERROR] Exception in worker process",
            "Traceback (most recent call last):",
        ];
        for _ in 0..25 {
            lines.push("File \"/var/app/venv/lib/python3.13/site-packages/gunicorn/arbiter.py\", line 608, in spawn_worker");
            lines.push("worker.init_process()");
            lines.push("~~~~~~~~~~~~~~~~~~~^^");
        }
        lines.push("File \"/var/app/venv/lib/python3.13/site-packages/gunicorn/util.py\", line 25, in <module>");
        lines.push("import pkg_resources");
        lines.push("ModuleNotFoundError: No module named 'pkg_resources'");
        lines.push("[2025-01-09 10:02:11 +0000] [2411] [INFO] Worker exiting (pid: 2411)");
        let crash = first_crash(&lines).unwrap();
        assert_eq!(crash.language, "python");
        assert_eq!(
            crash.exception,
            "ModuleNotFoundError: No module named 'pkg_resources'"
        );
        assert_eq!(crash.frames.len(), 26);
        assert_eq!(
            crash.context,
            ["File \"/var/app/venv/lib/python3.13/site-packages/gunicorn/util.py\", line 25, in <module>\n    import pkg_resources"]
        );
        assert_eq!(crash.at, lines.len() - 2);
    }

    #[test]
    fn a_chained_python_traceback_ends_in_its_last_exception() {
        let lines = [
            "Traceback (most recent call last):",
            "  File \"app.py\", line 3, in <module>",
            "    import redis",
            "ImportError: No module named redis",
            "",
            "During handling of the above exception, another exception occurred:",
            "",
            "Traceback (most recent call last):",
            "  File \"app.py\", line 5, in <module>",
            "    raise SystemExit('redis is required')",
            "SystemExit: redis is required",
        ];
        let crash = first_crash(&lines).unwrap();
        assert_eq!(crash.exception, "SystemExit: redis is required");
        assert_eq!(crash.first, 0);
    }

    #[test]
    fn node_error_with_its_stack_head_and_repeats_counted() {
        let block = [
            "node:internal/modules/cjs/loader:1080",
            "throw err;",
            "^",
            "Error: Cannot find module '/var/app/current/www/server.js'",
            "at Module._resolveFilename (node:internal/modules/cjs/loader:1077:15)",
            "at Module._load (node:internal/modules/cjs/loader:922:27)",
            "at Function.executeUserEntryPoint [as runMain] (node:internal/modules/run_main:86:12)",
            "at node:internal/main/run_main_module:23:47 {",
            "code: 'MODULE_NOT_FOUND',",
            "Node.js v18.16.0",
        ];
        let lines: Vec<&str> = block
            .iter()
            .cycle()
            .take(block.len() * 4)
            .copied()
            .collect();
        let crash = first_crash(&lines).unwrap();
        assert_eq!(crash.language, "node");
        assert_eq!(
            crash.exception,
            "Error: Cannot find module '/var/app/current/www/server.js'"
        );
        assert_eq!(crash.context.len(), 6, "{:?}", crash.context);
        assert_eq!(crash.context[0], "node:internal/modules/cjs/loader:1080");
        assert_eq!(crash.repeated, 4);
        assert!(crash.summary().starts_with("Node.js crash: Error: Cannot find module '/var/app/current/www/server.js' (seen 4 times)\n  node:internal/modules/cjs/loader:1080\n  throw err;\n  ^\n  at Module._resolveFilename"), "{}", crash.summary());
    }

    #[test]
    fn old_node_prints_its_location_without_a_path() {
        let lines = [
            "events.js:72",
            "        throw er; // Unhandled 'error' event",
            "              ^",
            "Error: connect ECONNREFUSED",
            "    at errnoException (net.js:905:11)",
            "    at Object.afterConnect [as oncomplete] (net.js:896:19)",
        ];
        let crash = first_crash(&lines).unwrap();
        assert_eq!(crash.exception, "Error: connect ECONNREFUSED");
        assert_eq!(crash.context[0], "events.js:72");
        assert_eq!(crash.context.len(), 5);
    }

    #[test]
    fn java_chain_names_its_root_cause() {
        let lines = [
            "org.springframework.beans.factory.BeanCreationException: Error creating bean with name 'dataSource'",
            "\tat org.springframework.beans.factory.support.AbstractAutowireCapableBeanFactory.initializeBean(AbstractAutowireCapableBeanFactory.java:1804)",
            "\t... 21 common frames omitted",
            "Caused by: java.net.UnknownHostException: ledger-db.internal",
            "\tat java.base/java.net.InetAddress.getAllByName0(InetAddress.java:1372)",
            "2022-04-05 03:20:31.002  INFO 3122 --- [main] o.s.b.Application : Stopping",
        ];
        let crash = first_crash(&lines).unwrap();
        assert_eq!(crash.language, "java");
        assert_eq!(
            crash.exception,
            "java.net.UnknownHostException: ledger-db.internal"
        );
        assert_eq!(crash.at, 3);
        assert_eq!(crash.context.len(), 2);
    }

    proptest::proptest! {
        #[test]
        fn never_panics_and_points_inside(
            lines in proptest::collection::vec(
                "(Traceback \\(most recent call last\\):|  File \"a.py\", line 1, in f|    x()|\\^+|~+\\^+|During handling of the above exception, another exception occurred:|ValueError: x|Error: y|TypeError: z|    at f \\(a.js:1:2\\)|at g|Require stack:|- /a.js|java.lang.IllegalStateException: w|Caused by: java.io.IOException: v|\t... 3 more|a.rb:1:in `m': u \\(NameError\\)|[ -~]{0,20}|)",
                0..40,
            )
        ) {
            let lines: Vec<&str> = lines.iter().map(String::as_str).collect();
            if let Some(crash) = first_crash(&lines) {
                proptest::prop_assert!(crash.first <= crash.at && crash.at < lines.len());
                proptest::prop_assert!(crash.repeated >= 1);
                let _ = crash.summary();
            }
        }
    }

    #[test]
    fn ruby_exception_line_and_no_crash_in_plain_output() {
        let lines = ["/var/app/current/config/puma.rb:12:in `block in <top (required)>': undefined local variable or method `workers_count' for main:Object (NameError)"];
        assert_eq!(first_crash(&lines).unwrap().language, "ruby");
        let quiet = [
            "listening on port 8080",
            "GET /health 200",
            "Error rate: 0%",
        ];
        assert_eq!(first_crash(&quiet), None);
    }
}
