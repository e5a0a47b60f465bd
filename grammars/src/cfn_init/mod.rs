//! Message templates of cfn-init.log (docs/formats.md "cfn-init.log"): what follows the
//! `amzn` header on the first line of a record written by the `cfn-init` process
//! (loggers `root`, `cfn.init`, `cfn.client`).
//!
//! <pre>
//! message      = banner / config-sets / command / reboot / packages / services / files
//!              / accounts / sources / client / other
//! banner       = center60("Starting build") / center60("Build complete")
//!              / center60("BUILD FAILED!")      ; str.center(60, '-'): odd pad on the right
//! config-sets  = "Running configSets: " name *(", " name) / "Running configSet " name
//!              / "Running config " name / "ConfigSets completed"
//!              / "Error encountered during build of " config ": " error      ; + traceback
//!              / "Unhandled exception during " ("build" / "resume") ": " error ; + traceback
//! command      = "Running command " name / "Command " name " succeeded"
//!              / "Command " name " (" command ") failed"   ; command may run on over lines
//!              / "Command " name " output:" [SP raw]      ; raw output goes on over lines
//!              / "Test failed with code " int / "ignoreErrors set to true, continuing build"
//!              / command-step                              ; tests, defaults, "No commands specified"
//! reboot       = "Waiting " seconds " seconds for reboot"
//!              / "Waiting indefinitely for command to reboot"
//!              / "Not waiting as command did not execute"
//! packages     = ("Yum" / "APT" / "easy_install") " installed " list / "Gem installed: " spec
//!              / "Installed " name " successfully"                           ; MSI
//!              / tool " failed. Output:" [SP raw]   ; Yum, Yum makecache, APT gencache,
//!                                                   ; apt-get, easy_install, Gem, RPM
//!              / package-step                       ; installing, downgrading, already
//!                                                   ; installed, queries, tool output, ...
//! services     = ("Started" / "Stopped" / "Restarted") SP service " successfully"
//!              / ("enabled" / "disabled") " service " service
//!              / "Could not " ("start" / "stop" / "restart") " service " service
//!                "; return code was " code
//!              / "Could not enable " service ", as chkconfig and update-rc.d were not available"
//!              / ("chkconfig" / "update-rc.d") " failed with error " code ". Output: " raw
//!              / service-step                       ; plans, runner, "Service output: "
//! files        = "Setting owner " owner " and group " group " for " path
//!              / file-step                          ; writing, modes, symlinks, moves, ...
//! accounts     = account-step                       ; groupadd / useradd / usermod lines
//! sources      = source-step                        ; tarball / zip expansion
//! client       = "Signaling resource " id " in stack " stack " with unique ID " uid
//!                " and status " status
//!              / "Describing resource " id " in stack " stack
//!              / ("CloudFormation" / "SQS") " client initialized with endpoint " url
//! other        = resume / network / auth / client-note / state / platform   ; TemplateGroup
//! </pre>
//!
//! The `*-step` and `other` rules are the remaining Appendix A templates, matched
//! literally (each `%s` stands for one value; the last value of a template that ends in
//! `%s` is the rest of the first line). They are grouped by tool: the [`CommandStep`],
//! [`PackageStep`], [`ServiceStep`], [`FileStep`], [`AccountStep`], [`SourceStep`] and
//! [`TemplateGroup`] docs list every template of each group and where its values go.
//!
//! Python writes `%s` of a string verbatim, so command output, `Yum failed. Output:` and
//! the like go on over continuation lines; [`parse_message`] sees only the first line and
//! returns its part of the value. Unknown text is `None`.

mod messages;
mod templates;
#[cfg(test)]
mod tests;

pub use messages::*;
#[cfg(test)]
use templates::{build, TEMPLATES};
use templates::{fill, from_table};

use nom::branch::alt;
use nom::bytes::complete::{tag, take_until};
use nom::character::complete::i32 as int32;
use nom::combinator::{all_consuming, rest, value, verify};
use nom::sequence::preceded;
use nom::{IResult, Parser};

/// The names of a `Running configSets:` list, in order.
pub fn config_set_names(config_sets: &str) -> impl Iterator<Item = &str> {
    config_sets.split(", ").filter(|name| !name.is_empty())
}

/// Whether `line` is exactly `text.center(60, fill)` as CPython renders it: the odd pad
/// goes to the right when the width is even.
pub(crate) fn is_centered(line: &str, text: &str, fill: u8) -> bool {
    const WIDTH: usize = 60;
    let (line, text) = (line.as_bytes(), text.as_bytes());
    if line.len() != WIDTH || text.len() > WIDTH {
        return false;
    }
    let pad = WIDTH - text.len();
    let left = pad / 2 + (pad & WIDTH & 1);
    let right = left + text.len();
    line[..left].iter().all(|&b| b == fill)
        && &line[left..right] == text
        && line[right..].iter().all(|&b| b == fill)
}

type Res<'a, T> = IResult<&'a str, T>;

fn banner(i: &str) -> Option<BuildBanner> {
    [
        ("Starting build", BuildBanner::Starting),
        ("Build complete", BuildBanner::Complete),
        ("BUILD FAILED!", BuildBanner::Failed),
    ]
    .into_iter()
    .find(|(text, _)| is_centered(i, text, b'-'))
    .map(|(_, b)| b)
}

fn nonempty(i: &str) -> Res<'_, &str> {
    verify(rest, |s: &str| !s.is_empty()).parse(i)
}

fn build_lines(i: &str) -> Res<'_, CfnInitMessage<'_>> {
    let sets = preceded(tag("Running configSets: "), nonempty)
        .map(|config_sets| CfnInitMessage::RunningConfigSets { config_sets });
    let set = preceded(tag("Running configSet "), nonempty)
        .map(|name| CfnInitMessage::RunningConfigSet { name });
    let config = preceded(tag("Running config "), nonempty)
        .map(|name| CfnInitMessage::RunningConfig { name });
    let completed = value(
        CfnInitMessage::ConfigSetsCompleted,
        all_consuming(tag("ConfigSets completed")),
    );
    let error = (
        tag("Error encountered during build of "),
        verify(take_until(": "), |s: &str| !s.is_empty()),
        tag(": "),
        rest,
    )
        .map(|(_, config, _, error)| CfnInitMessage::BuildError { config, error });
    let unhandled = (
        tag("Unhandled exception during "),
        alt((
            value(BuildPhase::Build, tag("build:")),
            value(BuildPhase::Resume, tag("resume:")),
        )),
        rest,
    )
        .map(
            |(_, phase, error): (_, _, &str)| CfnInitMessage::UnhandledException {
                phase,
                error: error.strip_prefix(' ').unwrap_or(error),
            },
        );
    alt((sets, set, config, completed, error, unhandled)).parse(i)
}

/// `Command NAME succeeded`, `Command NAME (COMMAND) failed`, `Command NAME output: TEXT`:
/// the name ends at the first `" output:"` or `" ("`, whichever comes first.
fn command_result(i: &str) -> Option<CfnInitMessage<'_>> {
    let body = i.strip_prefix("Command ")?;
    let output_at = body.find(" output:");
    let paren_at = body.find(" (");
    match (output_at, paren_at) {
        (Some(o), p) if p.is_none_or(|p| o < p) => {
            let name = &body[..o];
            let output = &body[o + " output:".len()..];
            (!name.is_empty()).then_some(CfnInitMessage::CommandOutput {
                name,
                output: output.strip_prefix(' ').unwrap_or(output),
            })
        }
        (_, Some(p)) => {
            let name = &body[..p];
            let tail = &body[p + " (".len()..];
            if name.is_empty() {
                return None;
            }
            Some(match tail.strip_suffix(") failed") {
                Some(command) => CfnInitMessage::CommandFailed {
                    name,
                    command,
                    continued: false,
                },
                None => CfnInitMessage::CommandFailed {
                    name,
                    command: tail,
                    continued: true,
                },
            })
        }
        _ => body
            .strip_suffix(" succeeded")
            .filter(|name| !name.is_empty())
            .map(|name| CfnInitMessage::CommandSucceeded { name }),
    }
}

fn command_lines(i: &str) -> Res<'_, CfnInitMessage<'_>> {
    let running = preceded(tag("Running command "), nonempty)
        .map(|name| CfnInitMessage::RunningCommand { name });
    let test_failed = preceded(tag("Test failed with code "), all_consuming(int32))
        .map(|code| CfnInitMessage::TestFailed { code });
    let ignore = value(
        CfnInitMessage::IgnoreErrors,
        all_consuming(tag("ignoreErrors set to true, continuing build")),
    );
    let reboot = alt((
        value(
            RebootWait::NotWaiting,
            all_consuming(tag("Not waiting as command did not execute")),
        ),
        value(
            RebootWait::Indefinitely,
            all_consuming(tag("Waiting indefinitely for command to reboot")),
        ),
        (
            tag("Waiting "),
            verify(take_until(" seconds for reboot"), |s: &str| !s.is_empty()),
            all_consuming(tag(" seconds for reboot")),
        )
            .map(|(_, s, _)| RebootWait::Seconds(s)),
    ))
    .map(CfnInitMessage::Reboot);
    alt((running, test_failed, ignore, reboot)).parse(i)
}

fn client_lines(i: &str) -> Option<CfnInitMessage<'_>> {
    if let Some(v) = fill(
        "Signaling resource %s in stack %s with unique ID %s and status %s",
        i,
    ) {
        return Some(CfnInitMessage::SignalingResource {
            resource: v.get(0)?,
            stack: v.get(1)?,
            unique_id: v.get(2)?,
            status: v.get(3)?,
        });
    }
    if let Some(v) = fill("Describing resource %s in stack %s", i) {
        return Some(CfnInitMessage::DescribingResource {
            resource: v.get(0)?,
            stack: v.get(1)?,
        });
    }
    for service in ["CloudFormation", "SQS"] {
        let endpoint = i
            .strip_prefix(service)
            .and_then(|t| t.strip_prefix(" client initialized with endpoint "))
            .filter(|e| !e.is_empty());
        if let Some(endpoint) = endpoint {
            return Some(CfnInitMessage::ClientEndpoint { service, endpoint });
        }
    }
    None
}

fn owner_and_service_failures(i: &str) -> Option<CfnInitMessage<'_>> {
    if let Some(v) = fill("Setting owner %s and group %s for %s", i) {
        return Some(CfnInitMessage::FileOwner {
            owner: v.get(0)?,
            group: v.get(1)?,
            path: v.get(2)?,
        });
    }
    for (template, action) in [
        (
            "Could not start service %s; return code was %s",
            ServiceAction::Start,
        ),
        (
            "Could not stop service %s; return code was %s",
            ServiceAction::Stop,
        ),
        (
            "Could not restart service %s; return code was %s",
            ServiceAction::Restart,
        ),
        (
            "Could not enable %s, as chkconfig and update-rc.d were not available",
            ServiceAction::Enable,
        ),
    ] {
        if let Some(v) = fill(template, i) {
            return Some(CfnInitMessage::ServiceFailed {
                action: Some(action),
                service: v.get(0),
                return_code: v.get(1),
                output: None,
            });
        }
    }
    for template in [
        "chkconfig failed with error %s. Output: %s",
        "update-rc.d failed with error %s. Output: %s",
    ] {
        if let Some(v) = fill(template, i) {
            return Some(CfnInitMessage::ServiceFailed {
                action: None,
                service: None,
                return_code: v.get(0),
                output: v.get(1),
            });
        }
    }
    None
}

/// Recognises the template of a cfn-init.log message's first line (the text after the
/// `amzn` header); `None` for text that matches no known template.
///
/// ```
/// use eblog_grammars::cfn_init::{parse_message, CfnInitMessage};
/// assert_eq!(
///     parse_message("Command 01_migrate (python manage.py migrate) failed"),
///     Some(CfnInitMessage::CommandFailed {
///         name: "01_migrate",
///         command: "python manage.py migrate",
///         continued: false,
///     })
/// );
/// assert_eq!(parse_message("Something nobody logs"), None);
/// ```
pub fn parse_message(first_line: &str) -> Option<CfnInitMessage<'_>> {
    if let Some(b) = banner(first_line) {
        return Some(CfnInitMessage::Banner(b));
    }
    if let Ok((_, m)) = alt((build_lines, command_lines)).parse(first_line) {
        return Some(m);
    }
    command_result(first_line)
        .or_else(|| client_lines(first_line))
        .or_else(|| owner_and_service_failures(first_line))
        .or_else(|| from_table(first_line))
}
