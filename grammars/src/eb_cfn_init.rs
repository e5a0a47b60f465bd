//! eb-cfn-init.log (docs/formats.md "eb-cfn-init.log"): written by shell, not by a logger. The EB user data
//! and `ebbootstrap.sh` send all their stdout and stderr there (`exec > >(tee -a ...) 2>&1`),
//! so the file mixes the scripts' own timestamped messages with raw output: `set -x` xtrace
//! lines, curl / wget / unzip / rpm output and the `tailog` blocks of other logs.
//!
//! <pre>
//! line        = header message / raw
//! header      = "[" date "T" time [ "." 3DIGIT ] "Z]" SP    ; user data: seconds,
//!                                                         ; ebbootstrap.sh log(): milliseconds
//! message     = bootstrap / parameters / init / execute / signal / legacy
//! bootstrap   = "Started EB User Data" / "Started EB Bootstrapping Script."
//!             / "Completed EB Bootstrapping Script." / "Successfully bootstrapped instance."
//!             / "engine url is set to " url
//! parameters  = "Received parameters:"        ; then raw lines SP NAME " = " value (echo -e)
//! init        = ("first init" / "First init" / "reboot" / "Reboot") " of instance."
//!             / "Using stack-id from userdata" / "Using local cached stack name for reboot."
//!             / "Running cfn-init ConfigSet: " name "." / "finished " name
//! execute     = "Started executing " function *(SP arg) "."
//!             / "Completed executing " function "."
//!             / "Command Returned:" [SP output]           ; output may go on over raw lines
//!             / "Command return code " int "."
//!             / "Tailing " path / "Sleeping " 1*DIGIT " ..." / "Retrying..."
//! signal      = "Sending signal " int " to CFN wait condition " url
//!             / "Wait Condition Signal expired."
//! legacy      = "Installing " ("RPM" / "tarball" / "EB Gem") ": " url "."
//!             / name " has already been installed. Skip installing."
//!             / "Starting healthd" / "Ensuring healthd is not running"
//!             / "Running EB Command: " json "." / "Starting cfn-hup."
//!             / provisioning                           ; see ProvisioningStep
//! raw         = xtrace / taillog-start / taillog-end / text
//! xtrace      = 1*"+" SP command
//! taillog-start = 19"*" SP name " taillog " 19"*"
//! taillog-end   = 19"*" " End of taillog " 19"*"
//! </pre>
//!
//! `log()` is `echo -e [$(date -u +%Y-%m-%dT%H:%M:%S).${NANOSEC:0:3}Z] "$@"`; the
//! milliseconds come from a second `date` call, so they may belong to the next second.
//! A message with `\n` in it (the parameter list) goes on over header-less lines.

use nom::branch::alt;
use nom::bytes::complete::{tag, take_until};
use nom::character::complete::{char, i32 as int32, u64 as uint64};
use nom::combinator::{all_consuming, rest, verify};
use nom::sequence::{delimited, preceded, terminated};
use nom::{IResult, Parser};

use crate::common::{ruby_timestamp, Timestamp};

/// The parsed `[...Z] ` header of a script message line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ScriptHeader {
    /// UTC time; `fraction_digits` is 0 (user data) or 3 (`ebbootstrap.sh`).
    pub ts: Timestamp,
}

/// Parses the header at the start of `line`; the remaining input is the message text.
///
/// The single space after `]` belongs to the header; a line may also end right after `]`.
///
/// ```
/// use eblog_grammars::eb_cfn_init::parse_header;
/// let (msg, h) = parse_header(b"[2022-03-15T18:21:40.512Z] Started EB Bootstrapping Script.").unwrap();
/// assert_eq!((h.ts.second, h.ts.nanos, h.ts.fraction_digits), (40, 512_000_000, 3));
/// assert_eq!(msg, b"Started EB Bootstrapping Script.");
/// assert!(parse_header(b"+ RESULT=0").is_err());
/// ```
pub fn parse_header(line: &[u8]) -> IResult<&[u8], ScriptHeader> {
    let (rest, ts) = delimited(
        char('['),
        verify(ruby_timestamp, |t: &Timestamp| {
            matches!(t.fraction_digits, 0 | 3)
        }),
        char(']'),
    )
    .parse(line)?;
    if rest.is_empty() {
        return Ok((rest, ScriptHeader { ts }));
    }
    let (rest, _) = char(' ').parse(rest)?;
    Ok((rest, ScriptHeader { ts }))
}

/// Whether `line` starts with a script message header.
pub fn is_header(line: &[u8]) -> bool {
    line.first() == Some(&b'[') && parse_header(line).is_ok()
}

/// What the legacy-AMI `ebbootstrap.sh` downloads and installs before cfn-init.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Artifact {
    /// `Installing RPM: URL.`
    Rpm,
    /// `Installing tarball: URL.`
    Tarball,
    /// `Installing EB Gem: URL.`
    Gem,
}

/// Fixed legacy-AMI `ebbootstrap.sh` messages about provisioning, for
/// [`ScriptMessage::Provisioning`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProvisioningStep {
    /// `Check whether controlled by launch workflow...`
    CheckingWorkflow,
    /// `Worflow running.` (sic; `Workflow running.` is accepted too).
    WorkflowRunning,
    /// `Workflow controlled instance. Running container provisioning...`
    WorkflowControlled,
    /// `Scaled up instance. Running full self-initiated provisioning.`
    ScaledUp,
    /// `Failed to find launch s3 url.`
    NoLaunchUrl,
    /// `Synchronizing network time in background.`
    SyncingClock,
    /// `Locking yum repo version to GUID.`
    LockingYumRepo,
    /// `Completed yum repo version locking.`
    YumRepoLocked,
    /// `yum repo has already been locked to <GUID>.`
    YumRepoAlreadyLocked,
    /// `Updating yum packages.`
    UpdatingYum,
    /// `Completed updating yum packages.`
    YumUpdated,
    /// `yum update has already been done.`
    YumAlreadyUpdated,
    /// `Completed creating AWS EB users and groups.`
    UsersAndGroupsCreated,
}

/// A recognised script message (the text after a [`ScriptHeader`]), borrowing from it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ScriptMessage<'a> {
    /// `Started EB User Data` (the only user-data line with a header; seconds precision).
    StartedUserData,
    /// `Started EB Bootstrapping Script.`
    StartedBootstrap,
    /// `Completed EB Bootstrapping Script.`
    CompletedBootstrap,
    /// `Received parameters:`; the ` NAME = value` lines follow without a header (see
    /// [`parse_parameter`]).
    ReceivedParameters,
    /// `engine url is set to URL` (AL2: where the platform engine zip comes from).
    EngineUrl {
        /// The `platform-engine.zip` URL.
        url: &'a str,
    },
    /// `first init of instance.` / `reboot of instance.` (AL2), `First init of instance.` /
    /// `Reboot of instance.` (legacy).
    InstanceInit {
        /// First boot (`_OnInstanceBoot`) rather than a reboot (`_OnInstanceReboot`).
        first: bool,
    },
    /// `Using stack-id from userdata` / `Using local cached stack name for reboot.`
    StackName {
        /// The cached stack name (a reboot) rather than the user-data argument.
        cached: bool,
    },
    /// `Running cfn-init ConfigSet: NAME.`
    RunningConfigSet {
        /// `_OnInstanceBoot` or `_OnInstanceReboot`.
        name: &'a str,
    },
    /// `finished NAME` (AL2, after the cfn-init config set).
    Finished {
        /// `_OnInstanceBoot` or `_OnInstanceReboot`.
        config_set: &'a str,
    },
    /// `Started executing FUNCTION ARGS.` (`retry_execute`).
    StartedExecuting {
        /// The function and its arguments as echoed, without the final `.`, e.g.
        /// `cfn_init _OnInstanceBoot`.
        what: &'a str,
    },
    /// `Completed executing FUNCTION.`
    CompletedExecuting {
        /// The function name, e.g. `cfn_init`.
        what: &'a str,
    },
    /// `Command Returned: OUTPUT`: the captured `$FN_OUTPUT` (empty for `cfn_init`, whose
    /// output goes to eb-cfn-init-call.log).
    CommandReturned {
        /// The first line of the output (may be empty).
        output: &'a str,
    },
    /// `Command return code N.`: the function failed and will be retried.
    CommandReturnCode {
        /// Exit status.
        code: i32,
    },
    /// `Tailing FILE`; a taillog block of raw lines follows.
    Tailing {
        /// The log file, e.g. `/var/log/cfn-init.log`.
        file: &'a str,
    },
    /// `Sleeping N ...`: back-off before a retry.
    Sleeping {
        /// Seconds.
        seconds: u64,
    },
    /// `Retrying...`
    Retrying,
    /// `Successfully bootstrapped instance.`
    Bootstrapped,
    /// `Sending signal N to CFN wait condition URL`.
    SendingSignal {
        /// 0 for success, 1 for failure.
        code: i32,
        /// The wait-condition URL (presigned: it carries a signature).
        url: &'a str,
    },
    /// `Wait Condition Signal expired.` (`cfn-signal` failed).
    SignalExpired,
    /// `Installing RPM: URL.`, `Installing tarball: URL.`, `Installing EB Gem: URL.` (legacy).
    Installing {
        /// What kind of artifact.
        artifact: Artifact,
        /// Its URL, without the final `.`.
        url: &'a str,
    },
    /// `NAME has already been installed. Skip installing.` (legacy).
    AlreadyInstalled {
        /// RPM, tarball or gem name.
        name: &'a str,
    },
    /// `Starting healthd` / `Ensuring healthd is not running` (legacy).
    Healthd {
        /// Starting rather than stopping.
        start: bool,
    },
    /// `Running EB Command: JSON.` (legacy; CMD-PreInit / CMD-SelfStartup).
    RunningEbCommand {
        /// The command JSON as echoed (word-split onto one line), without the final `.`.
        command: &'a str,
    },
    /// `Starting cfn-hup.` (legacy).
    StartingCfnHup,
    /// Other fixed legacy provisioning messages.
    Provisioning(ProvisioningStep),
}

/// One ` NAME = value` line of the `Received parameters:` block.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Parameter<'a> {
    /// Upper-case variable name, e.g. `STACK_ID`.
    pub name: &'a str,
    /// The value as echoed (empty for an unset variable).
    pub value: &'a str,
}

/// A line without a header.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RawLine<'a> {
    /// A `set -x` trace line: one or more `+` then a space.
    Xtrace,
    /// `******************* NAME taillog *******************`.
    TaillogStart {
        /// The log's short name, e.g. `cfn-init`.
        name: &'a str,
    },
    /// `******************* End of taillog *******************`.
    TaillogEnd,
    /// Anything else: tool output, tailed log lines, parameter lines, empty lines.
    Text,
}

const FIXED: &[(&str, ScriptMessage<'static>)] = &[
    ("Started EB User Data", ScriptMessage::StartedUserData),
    (
        "Started EB Bootstrapping Script.",
        ScriptMessage::StartedBootstrap,
    ),
    (
        "Completed EB Bootstrapping Script.",
        ScriptMessage::CompletedBootstrap,
    ),
    ("Received parameters:", ScriptMessage::ReceivedParameters),
    (
        "first init of instance.",
        ScriptMessage::InstanceInit { first: true },
    ),
    (
        "First init of instance.",
        ScriptMessage::InstanceInit { first: true },
    ),
    (
        "reboot of instance.",
        ScriptMessage::InstanceInit { first: false },
    ),
    (
        "Reboot of instance.",
        ScriptMessage::InstanceInit { first: false },
    ),
    (
        "Using stack-id from userdata",
        ScriptMessage::StackName { cached: false },
    ),
    (
        "Using local cached stack name for reboot.",
        ScriptMessage::StackName { cached: true },
    ),
    ("Retrying...", ScriptMessage::Retrying),
    (
        "Successfully bootstrapped instance.",
        ScriptMessage::Bootstrapped,
    ),
    (
        "Wait Condition Signal expired.",
        ScriptMessage::SignalExpired,
    ),
    ("Starting healthd", ScriptMessage::Healthd { start: true }),
    (
        "Ensuring healthd is not running",
        ScriptMessage::Healthd { start: false },
    ),
    ("Starting cfn-hup.", ScriptMessage::StartingCfnHup),
    (
        "Check whether controlled by launch workflow...",
        ScriptMessage::Provisioning(ProvisioningStep::CheckingWorkflow),
    ),
    (
        "Worflow running.",
        ScriptMessage::Provisioning(ProvisioningStep::WorkflowRunning),
    ),
    (
        "Workflow running.",
        ScriptMessage::Provisioning(ProvisioningStep::WorkflowRunning),
    ),
    (
        "Workflow controlled instance. Running container provisioning...",
        ScriptMessage::Provisioning(ProvisioningStep::WorkflowControlled),
    ),
    (
        "Scaled up instance. Running full self-initiated provisioning.",
        ScriptMessage::Provisioning(ProvisioningStep::ScaledUp),
    ),
    (
        "Failed to find launch s3 url.",
        ScriptMessage::Provisioning(ProvisioningStep::NoLaunchUrl),
    ),
    (
        "Synchronizing network time in background.",
        ScriptMessage::Provisioning(ProvisioningStep::SyncingClock),
    ),
    (
        "Locking yum repo version to GUID.",
        ScriptMessage::Provisioning(ProvisioningStep::LockingYumRepo),
    ),
    (
        "Completed yum repo version locking.",
        ScriptMessage::Provisioning(ProvisioningStep::YumRepoLocked),
    ),
    (
        "Updating yum packages.",
        ScriptMessage::Provisioning(ProvisioningStep::UpdatingYum),
    ),
    (
        "Completed updating yum packages.",
        ScriptMessage::Provisioning(ProvisioningStep::YumUpdated),
    ),
    (
        "yum update has already been done.",
        ScriptMessage::Provisioning(ProvisioningStep::YumAlreadyUpdated),
    ),
    (
        "Completed creating AWS EB users and groups.",
        ScriptMessage::Provisioning(ProvisioningStep::UsersAndGroupsCreated),
    ),
];

type Res<'a, T> = IResult<&'a str, T>;

/// `PREFIX text` with a non-empty text; a final `.` is dropped when `dot`.
fn after<'a>(
    prefix: &'static str,
    dot: bool,
) -> impl Parser<&'a str, Output = &'a str, Error = nom::error::Error<&'a str>> {
    preceded(tag(prefix), rest).map_opt(move |t: &'a str| {
        let t = if dot {
            t.strip_suffix('.').unwrap_or(t)
        } else {
            t
        };
        (!t.is_empty()).then_some(t)
    })
}

fn with_payload(i: &str) -> Res<'_, ScriptMessage<'_>> {
    let engine = after("engine url is set to ", false).map(|url| ScriptMessage::EngineUrl { url });
    let config_set = after("Running cfn-init ConfigSet: ", true)
        .map(|name| ScriptMessage::RunningConfigSet { name });
    let finished =
        after("finished ", false).map(|config_set| ScriptMessage::Finished { config_set });
    let started =
        after("Started executing ", true).map(|what| ScriptMessage::StartedExecuting { what });
    let completed =
        after("Completed executing ", true).map(|what| ScriptMessage::CompletedExecuting { what });
    let returned =
        preceded(tag("Command Returned:"), rest).map(|o: &str| ScriptMessage::CommandReturned {
            output: o.strip_prefix(' ').unwrap_or(o),
        });
    let code = delimited(tag("Command return code "), int32, all_consuming(tag(".")))
        .map(|code| ScriptMessage::CommandReturnCode { code });
    let tailing = after("Tailing ", false).map(|file| ScriptMessage::Tailing { file });
    let sleeping = delimited(tag("Sleeping "), uint64, all_consuming(tag(" ...")))
        .map(|seconds| ScriptMessage::Sleeping { seconds });
    let signal = (
        tag("Sending signal "),
        int32,
        tag(" to CFN wait condition"),
        rest,
    )
        .map(
            |(_, code, _, url): (_, _, _, &str)| ScriptMessage::SendingSignal {
                code,
                url: url.strip_prefix(' ').unwrap_or(url),
            },
        );
    let installing = alt((
        after("Installing RPM: ", true).map(|url| (Artifact::Rpm, url)),
        after("Installing tarball: ", true).map(|url| (Artifact::Tarball, url)),
        after("Installing EB Gem: ", true).map(|url| (Artifact::Gem, url)),
    ))
    .map(|(artifact, url)| ScriptMessage::Installing { artifact, url });
    let already = verify(
        terminated(
            take_until(" has already been installed. Skip installing."),
            all_consuming(tag(" has already been installed. Skip installing.")),
        ),
        |name: &str| !name.is_empty(),
    )
    .map(|name| ScriptMessage::AlreadyInstalled { name });
    let repo_locked = after("yum repo has already been locked to ", true)
        .map(|_| ScriptMessage::Provisioning(ProvisioningStep::YumRepoAlreadyLocked));
    let eb_command = after("Running EB Command: ", true)
        .map(|command| ScriptMessage::RunningEbCommand { command });
    alt((
        engine,
        config_set,
        finished,
        started,
        completed,
        returned,
        code,
        tailing,
        sleeping,
        signal,
        installing,
        already,
        repo_locked,
        eb_command,
    ))
    .parse(i)
}

/// Recognises a script message (the text after the header on a header line); `None` for
/// any other text.
///
/// ```
/// use eblog_grammars::eb_cfn_init::{parse_message, ScriptMessage};
/// assert_eq!(parse_message("Command return code 1."), Some(ScriptMessage::CommandReturnCode { code: 1 }));
/// assert_eq!(parse_message("Sleeping 10 ..."), Some(ScriptMessage::Sleeping { seconds: 10 }));
/// ```
pub fn parse_message(first_line: &str) -> Option<ScriptMessage<'_>> {
    if let Some((_, m)) = FIXED.iter().find(|(text, _)| *text == first_line) {
        return Some(*m);
    }
    with_payload(first_line).ok().map(|(_, m)| m)
}

/// Parses one ` NAME = value` line of a `Received parameters:` block. The script word-splits
/// the list, so each line starts with one space (four if a future script quotes it); an
/// unset variable leaves `NAME = ` with a trailing space.
///
/// ```
/// use eblog_grammars::eb_cfn_init::parse_parameter;
/// let p = parse_parameter(" REGION = us-west-2").unwrap();
/// assert_eq!((p.name, p.value), ("REGION", "us-west-2"));
/// assert_eq!(parse_parameter(" GUID = ").unwrap().value, "");
/// ```
pub fn parse_parameter(line: &str) -> Option<Parameter<'_>> {
    let body = line.trim_start_matches([' ', '\t']);
    let (name, value) = body.split_once(" =")?;
    let valid = name.starts_with(|c: char| c.is_ascii_uppercase())
        && name
            .bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'_');
    if !valid || !(value.is_empty() || value.starts_with(' ')) {
        return None;
    }
    Some(Parameter {
        name,
        value: value.strip_prefix(' ').unwrap_or(value),
    })
}

const TAILLOG_STARS: &str = "*******************";

/// Classifies a line that has no header.
///
/// ```
/// use eblog_grammars::eb_cfn_init::{classify_raw_line, RawLine};
/// assert_eq!(classify_raw_line("+ RESULT=0"), RawLine::Xtrace);
/// assert_eq!(
///     classify_raw_line("******************* cfn-init taillog *******************"),
///     RawLine::TaillogStart { name: "cfn-init" }
/// );
/// assert_eq!(classify_raw_line("Archive:  /tmp/platform-engine.zip"), RawLine::Text);
/// ```
pub fn classify_raw_line(line: &str) -> RawLine<'_> {
    let pluses = line.bytes().take_while(|&b| b == b'+').count();
    if pluses > 0 && line.as_bytes().get(pluses) == Some(&b' ') {
        return RawLine::Xtrace;
    }
    let inner = line
        .strip_prefix(TAILLOG_STARS)
        .and_then(|t| t.strip_suffix(TAILLOG_STARS))
        .and_then(|t| t.strip_prefix(' '))
        .and_then(|t| t.strip_suffix(" taillog "));
    match inner {
        Some("End of") => RawLine::TaillogEnd,
        Some(name) if !name.is_empty() && !name.starts_with('*') => RawLine::TaillogStart { name },
        _ => RawLine::Text,
    }
}

#[cfg(test)]
mod tests;
