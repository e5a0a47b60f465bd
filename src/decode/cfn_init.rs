//! cfn-init.log, cfn-init-cmd.log and eb-cfn-init.log messages → events (docs/formats.md
//! "cfn-init.log", "cfn-init-cmd.log", "eb-cfn-init.log").

use super::generic::python_error;
use super::{Found, Message};
use crate::record::Event;
use eblog_grammars::cfn_init::{config_set_names, parse_message, BuildBanner, CfnInitMessage};
use eblog_grammars::cfn_init_cmd::{parse_message as parse_cmd_line, CmdLogLine};
use eblog_grammars::eb_cfn_init::{
    classify_raw_line, parse_message as parse_script_message, RawLine, ScriptMessage,
};

/// `SomeStep` → `some_step`: the snake_case name of a grammar enum variant, for the
/// `step` field of `cfn_step` records.
fn snake<T: std::fmt::Debug>(value: &T) -> String {
    let debug = format!("{value:?}");
    let name = debug.split(['(', ' ', '{']).next().unwrap_or("");
    let mut out = String::with_capacity(name.len() + 4);
    for (i, c) in name.chars().enumerate() {
        if c.is_ascii_uppercase() {
            if i > 0 {
                out.push('_');
            }
            out.push(c.to_ascii_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

fn step(group: &'static str, step: String, subject: Option<&str>, detail: Option<&str>) -> Event {
    Event::CfnStep {
        group,
        step,
        subject: subject.map(str::to_owned),
        detail: detail.map(str::to_owned),
    }
}

/// The event of one cfn-init.log record.
pub(crate) fn cfn_init(msg: &Message<'_>) -> Found {
    let Some(parsed) = parse_message(msg.first) else {
        return super::generic::event(msg);
    };
    let event = match parsed {
        CfnInitMessage::Banner(banner) => Event::Build {
            state: match banner {
                BuildBanner::Starting => "start",
                BuildBanner::Complete => "complete",
                BuildBanner::Failed => "failed",
            },
            config_sets: Vec::new(),
        },
        CfnInitMessage::RunningConfigSets { config_sets } => Event::Build {
            state: "config_sets",
            config_sets: config_set_names(config_sets).map(str::to_owned).collect(),
        },
        CfnInitMessage::ConfigSetsCompleted => Event::Build {
            state: "config_sets_completed",
            config_sets: Vec::new(),
        },
        CfnInitMessage::RunningConfigSet { name } => Event::ConfigSetStart {
            config_set: name.to_owned(),
        },
        CfnInitMessage::RunningConfig { name } => Event::ConfigStart {
            config: name.to_owned(),
        },
        CfnInitMessage::BuildError { .. } | CfnInitMessage::UnhandledException { .. } => {
            python_error(msg)
        }
        CfnInitMessage::RunningCommand { name } => Event::CfnCommand {
            name: Some(name.to_owned()),
            status: "start",
            command: None,
            exit_code: None,
            output: None,
        },
        CfnInitMessage::CommandSucceeded { name } => Event::CfnCommand {
            name: Some(name.to_owned()),
            status: "success",
            command: None,
            exit_code: None,
            output: None,
        },
        CfnInitMessage::CommandFailed {
            name,
            command,
            continued,
        } => Event::CfnCommand {
            name: Some(name.to_owned()),
            status: if continued {
                "failure_ignored"
            } else {
                "failure"
            },
            command: Some(command.to_owned()),
            exit_code: None,
            output: None,
        },
        CfnInitMessage::CommandOutput { name, output } => Event::CfnCommand {
            name: Some(name.to_owned()),
            status: "output",
            command: None,
            exit_code: None,
            output: Some(msg.tail_from(output).trim_end().to_owned()),
        },
        CfnInitMessage::TestFailed { code } => step(
            "commands",
            "test_failed".to_owned(),
            None,
            Some(&code.to_string()),
        ),
        CfnInitMessage::IgnoreErrors => step("commands", "ignore_errors".to_owned(), None, None),
        CfnInitMessage::Reboot(wait) => {
            step("commands", format!("reboot_{}", snake(&wait)), None, None)
        }
        CfnInitMessage::CommandStep {
            step: s,
            subject,
            detail,
        } => step("commands", snake(&s), subject, detail),
        CfnInitMessage::PackagesInstalled { manager, packages } => step(
            "packages",
            "installed".to_owned(),
            Some(&snake(&manager)),
            Some(packages),
        ),
        CfnInitMessage::PackageFailed { .. } | CfnInitMessage::ServiceFailed { .. } => {
            python_error(msg)
        }
        CfnInitMessage::Package {
            step: s,
            subject,
            detail,
            ..
        } => step("packages", snake(&s), subject, detail),
        CfnInitMessage::ServiceChanged { action, service } => {
            step("services", snake(&action), Some(service), None)
        }
        CfnInitMessage::Service {
            step: s,
            subject,
            detail,
        } => step("services", snake(&s), subject, detail),
        CfnInitMessage::FileOwner { path, owner, group } => step(
            "files",
            "owner".to_owned(),
            Some(path),
            Some(&format!("{owner}:{group}")),
        ),
        CfnInitMessage::File {
            step: s,
            subject,
            detail,
        } => step("files", snake(&s), subject, detail),
        CfnInitMessage::Account {
            kind,
            step: s,
            subject,
            detail,
        } => step(
            "accounts",
            format!("{}_{}", snake(&kind), snake(&s)),
            subject,
            detail,
        ),
        CfnInitMessage::Source {
            step: s,
            subject,
            detail,
        } => step("sources", snake(&s), subject, detail),
        CfnInitMessage::SignalingResource { .. }
        | CfnInitMessage::DescribingResource { .. }
        | CfnInitMessage::ClientEndpoint { .. } => Event::ClientCall,
        // The retry loop's errors (`ConnectionError`, `HTTP Error ...`) come with a traceback.
        CfnInitMessage::Other { .. } if msg.is_error_level() => python_error(msg),
        CfnInitMessage::Other { group, subject } => step("other", snake(&group), subject, None),
    };
    event.into()
}

fn cfn_command(name: Option<&str>, status: &'static str, exit_code: Option<i64>) -> Event {
    Event::CfnCommand {
        name: name.map(str::to_owned),
        status,
        command: None,
        exit_code,
        output: None,
    }
}

/// The event of one cfn-init-cmd.log line.
pub(crate) fn cmd_log(msg: &Message<'_>) -> Found {
    let Some(line) = parse_cmd_line(msg.first) else {
        // Every line that is not part of the block structure is command output: cfn-init
        // 1.4 prefixes it with a TAB, but real cfn-init 2.x logs were seen without one.
        return Event::CommandOutput { command: None }.into();
    };
    let block = |s: &str| step("block", s.to_owned(), None, None);
    match line {
        CmdLogLine::ConfigSetStart => block("config_set"),
        CmdLogLine::ConfigStart => block("config"),
        CmdLogLine::CommandStart => block("command"),
        CmdLogLine::OutputStart => block("output"),
        CmdLogLine::ErrorsStart => block("errors"),
        CmdLogLine::BlockEnd => block("end"),
        CmdLogLine::ConfigSet { name } => Event::ConfigSetStart {
            config_set: name.to_owned(),
        },
        CmdLogLine::Config { name } => Event::ConfigStart {
            config: name.to_owned(),
        },
        CmdLogLine::Command { name } => cfn_command(Some(name), "start", None),
        CmdLogLine::Test { name } => cfn_command(Some(name), "test", None),
        CmdLogLine::YumInstall { packages } => {
            step("packages", "yum_install".to_owned(), None, Some(packages))
        }
        CmdLogLine::YumDowngrade { packages } => {
            step("packages", "yum_downgrade".to_owned(), None, Some(packages))
        }
        CmdLogLine::Output { .. } => Event::CommandOutput { command: None },
        CmdLogLine::Completed => cfn_command(None, "success", None),
        CmdLogLine::Exited { code } => cfn_command(None, "failure", Some(i64::from(code))),
    }
    .into()
}

/// The event of one eb-cfn-init.log record; `stamped` says whether it began with a
/// `[ts]` script header (else it is an xtrace line, a taillog block or raw output).
pub(crate) fn script(msg: &Message<'_>, stamped: bool) -> Found {
    if !stamped {
        return match classify_raw_line(msg.first) {
            RawLine::Xtrace => Event::Xtrace {
                command: msg.first.trim_start_matches('+').trim_start().to_owned(),
            },
            RawLine::TaillogStart { name } => Event::Taillog {
                name: name.to_owned(),
            },
            RawLine::TaillogEnd | RawLine::Text => Event::Other,
        }
        .into();
    }
    let Some(parsed) = parse_script_message(msg.first) else {
        return super::generic::event(msg);
    };
    let detail: Option<String> =
        match &parsed {
            ScriptMessage::EngineUrl { url } | ScriptMessage::Installing { url, .. } => {
                Some((*url).to_owned())
            }
            ScriptMessage::RunningConfigSet { name } => Some((*name).to_owned()),
            ScriptMessage::Finished { config_set } => Some((*config_set).to_owned()),
            ScriptMessage::StartedExecuting { what }
            | ScriptMessage::CompletedExecuting { what } => Some((*what).to_owned()),
            ScriptMessage::CommandReturned { output } => {
                Some(msg.tail_from(output).trim_end().to_owned())
            }
            ScriptMessage::CommandReturnCode { code }
            | ScriptMessage::SendingSignal { code, .. } => Some(code.to_string()),
            ScriptMessage::Tailing { file } => Some((*file).to_owned()),
            ScriptMessage::Sleeping { seconds } => Some(seconds.to_string()),
            ScriptMessage::AlreadyInstalled { name } => Some((*name).to_owned()),
            ScriptMessage::RunningEbCommand { command } => {
                Some(msg.tail_from(command).trim_end().to_owned())
            }
            ScriptMessage::Provisioning(step) => Some(snake(step)),
            ScriptMessage::InstanceInit { first } => {
                Some((if *first { "first_init" } else { "reboot" }).to_owned())
            }
            ScriptMessage::StackName { cached } => {
                Some((if *cached { "cached" } else { "userdata" }).to_owned())
            }
            _ => None,
        };
    Event::Bootstrap {
        step: snake(&parsed),
        detail,
    }
    .into()
}

#[cfg(test)]
mod tests {
    use super::snake;

    #[derive(Debug)]
    #[allow(dead_code)]
    enum Sample {
        GeneratingDefaults,
        Seconds(u8),
    }

    #[test]
    fn snake_names() {
        assert_eq!(snake(&Sample::GeneratingDefaults), "generating_defaults");
        assert_eq!(snake(&Sample::Seconds(3)), "seconds");
    }
}
