//! The message part of cfn-init-cmd.log lines (docs/formats.md "cfn-init-cmd.log"): what follows the
//! `amzn_cmd` header (`2018-03-26 20:13:12,518 P8946 [INFO] `, see [`crate::amzn`]).
//!
//! Every line is a complete record: `util.LoggingProcessHelper` splits command output with
//! `splitlines()` and logs one record per line, so there are no continuation lines. The
//! lines form blocks:
//!
//! <pre>
//! config-set   = configset-start "ConfigSet " name *config
//! config       = config-start "Config " name *process
//! process      = process-start process-name [ output ] [ errors ] result
//! output       = output-start *( TAB line ) block-end     ; only when stdout was not empty
//! errors       = errors-start *( TAB line ) block-end     ; [ERROR] lines; only when stderr
//!                                                         ; was captured apart and not empty
//! result       = "Completed successfully." / "Exited with error code " int   ; [ERROR]
//!
//! configset-start = 60"*"
//! config-start    = 60"+"
//! process-start   = 60"="
//! process-name    = "Command " name / "Test for Command " name
//!                 / "yum install " packages / "yum downgrade " packages
//! output-start    = center60("Command Output")   ; 23 "-" "Command Output" 23 "-"
//! errors-start    = center60("Command Errors")
//! block-end       = 60"-"
//! </pre>
//!
//! The level tells a stdout line (`[INFO]`) from a stderr line (`[ERROR]`); [`parse_message`]
//! sees only the text. Another process name after the `=` line (a future tool) is `None`
//! here, as is any other text.

use nom::branch::alt;
use nom::bytes::complete::tag;
use nom::character::complete::i32 as int32;
use nom::combinator::{all_consuming, rest, value, verify};
use nom::sequence::preceded;
use nom::{IResult, Parser};

use crate::cfn_init::is_centered;

/// One recognised cfn-init-cmd.log message, borrowing from the message text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CmdLogLine<'a> {
    /// 60 `*`: a config set starts.
    ConfigSetStart,
    /// `ConfigSet NAME`.
    ConfigSet {
        /// Config set name, e.g. `Infra-EmbeddedPreBuild`.
        name: &'a str,
    },
    /// 60 `+`: a config starts.
    ConfigStart,
    /// `Config NAME`.
    Config {
        /// Config name, e.g. `prebuild_0_myapp`.
        name: &'a str,
    },
    /// 60 `=`: a process (command, test, yum call) starts.
    CommandStart,
    /// `Command NAME`: the process is the command itself.
    Command {
        /// Command name, e.g. `01_migrate`.
        name: &'a str,
    },
    /// `Test for Command NAME`: the process is the command's `test`.
    Test {
        /// Name of the command the test belongs to.
        name: &'a str,
    },
    /// `yum install PACKAGES`.
    YumInstall {
        /// The package specs as written.
        packages: &'a str,
    },
    /// `yum downgrade PACKAGES`.
    YumDowngrade {
        /// The package specs as written.
        packages: &'a str,
    },
    /// `-----------------------Command Output-----------------------`.
    OutputStart,
    /// `-----------------------Command Errors-----------------------`.
    ErrorsStart,
    /// 60 `-`: the end of an output or errors block.
    BlockEnd,
    /// `TAB LINE`: one line of output (stdout under `[INFO]`, stderr under `[ERROR]`).
    Output {
        /// The line without its leading TAB (may be empty).
        line: &'a str,
    },
    /// `Completed successfully.`: the process exited 0.
    Completed,
    /// `Exited with error code N` (`[ERROR]`).
    Exited {
        /// The exit code (negative for a signal).
        code: i32,
    },
}

fn rule(i: &str) -> Option<CmdLogLine<'static>> {
    let first = *i.as_bytes().first()?;
    let line = match first {
        b'*' => CmdLogLine::ConfigSetStart,
        b'+' => CmdLogLine::ConfigStart,
        b'=' => CmdLogLine::CommandStart,
        b'-' if is_centered(i, "Command Output", b'-') => return Some(CmdLogLine::OutputStart),
        b'-' if is_centered(i, "Command Errors", b'-') => return Some(CmdLogLine::ErrorsStart),
        b'-' => CmdLogLine::BlockEnd,
        _ => return None,
    };
    is_centered(i, "", first).then_some(line)
}

fn nonempty(i: &str) -> IResult<&str, &str> {
    verify(rest, |s: &str| !s.is_empty()).parse(i)
}

fn named(i: &str) -> IResult<&str, CmdLogLine<'_>> {
    alt((
        preceded(tag("ConfigSet "), nonempty).map(|name| CmdLogLine::ConfigSet { name }),
        preceded(tag("Config "), nonempty).map(|name| CmdLogLine::Config { name }),
        preceded(tag("Command "), nonempty).map(|name| CmdLogLine::Command { name }),
        preceded(tag("Test for Command "), nonempty).map(|name| CmdLogLine::Test { name }),
        preceded(tag("yum install "), nonempty).map(|packages| CmdLogLine::YumInstall { packages }),
        preceded(tag("yum downgrade "), nonempty)
            .map(|packages| CmdLogLine::YumDowngrade { packages }),
        preceded(tag("\t"), rest).map(|line| CmdLogLine::Output { line }),
        value(
            CmdLogLine::Completed,
            all_consuming(tag("Completed successfully.")),
        ),
        preceded(tag("Exited with error code "), all_consuming(int32))
            .map(|code| CmdLogLine::Exited { code }),
    ))
    .parse(i)
}

/// Recognises one cfn-init-cmd.log message (the text after the `amzn_cmd` header); `None`
/// for text that is none of the §1.7 lines.
///
/// ```
/// use eblog_grammars::cfn_init_cmd::{parse_message, CmdLogLine};
/// assert_eq!(
///     parse_message("\tApplying contenttypes.0001_initial... OK"),
///     Some(CmdLogLine::Output { line: "Applying contenttypes.0001_initial... OK" })
/// );
/// assert_eq!(parse_message("Exited with error code 1"), Some(CmdLogLine::Exited { code: 1 }));
/// ```
pub fn parse_message(text: &str) -> Option<CmdLogLine<'_>> {
    rule(text).or_else(|| named(text).ok().map(|(_, line)| line))
}

#[cfg(test)]
mod tests {
    use super::*;
    use CmdLogLine as L;

    #[test]
    fn every_line_kind() {
        let stars = "*".repeat(60);
        let pluses = "+".repeat(60);
        let equals = "=".repeat(60);
        let dashes = "-".repeat(60);
        let cases: Vec<(&str, CmdLogLine)> = vec![
            (&stars, L::ConfigSetStart),
            (
                "ConfigSet Infra-EmbeddedPreBuild",
                L::ConfigSet {
                    name: "Infra-EmbeddedPreBuild",
                },
            ),
            (&pluses, L::ConfigStart),
            (
                "Config prebuild_0_myapp",
                L::Config {
                    name: "prebuild_0_myapp",
                },
            ),
            (&equals, L::CommandStart),
            ("Command 01_migrate", L::Command { name: "01_migrate" }),
            ("Test for Command 02_seed", L::Test { name: "02_seed" }),
            (
                "yum install postgresql-devel jq",
                L::YumInstall {
                    packages: "postgresql-devel jq",
                },
            ),
            (
                "yum downgrade git-2.30.1",
                L::YumDowngrade {
                    packages: "git-2.30.1",
                },
            ),
            (
                "-----------------------Command Output-----------------------",
                L::OutputStart,
            ),
            (
                "-----------------------Command Errors-----------------------",
                L::ErrorsStart,
            ),
            (&dashes, L::BlockEnd),
            (
                "\tLoaded plugins: extras_suggestions, langpacks, priorities, update-motd",
                L::Output {
                    line: "Loaded plugins: extras_suggestions, langpacks, priorities, update-motd",
                },
            ),
            ("\t", L::Output { line: "" }),
            (
                "\t\tindented twice",
                L::Output {
                    line: "\tindented twice",
                },
            ),
            ("Completed successfully.", L::Completed),
            ("Exited with error code 1", L::Exited { code: 1 }),
            ("Exited with error code 127", L::Exited { code: 127 }),
            ("Exited with error code -15", L::Exited { code: -15 }),
        ];
        for (text, expected) in cases {
            assert_eq!(parse_message(text), Some(expected), "{text:?}");
        }
    }

    #[test]
    fn near_misses_are_none() {
        let long_stars = "*".repeat(61);
        let short_equals = "=".repeat(59);
        let mixed = format!("{}+", "*".repeat(59));
        for text in [
            "",
            &long_stars,
            &short_equals,
            &mixed,
            "------------------------Command Output----------------------",
            "-----------------------Command output-----------------------",
            "ConfigSet ",
            "Config ",
            "Command ",
            "Test for Command ",
            "yum install ",
            "yum remove jq",
            "   Loaded plugins: fastestmirror",
            "Completed successfully",
            "Completed successfully. ",
            "Exited with error code ",
            "Exited with error code x",
            "Exited with error code 1.",
            "Running command \"ls\"",
        ] {
            assert_eq!(parse_message(text), None, "{text:?}");
        }
    }

    proptest::proptest! {
        #[test]
        fn never_panics(input in "\\PC*") {
            let _ = parse_message(&input);
        }

        #[test]
        fn never_panics_on_rules(fill in "[-*+=]", n in 0usize..70, tail in "[\\PC]{0,4}") {
            let text = format!("{}{}", fill.repeat(n), tail);
            let _ = parse_message(&text);
        }
    }
}
