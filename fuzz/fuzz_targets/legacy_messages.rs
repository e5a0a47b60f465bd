//! The message templates of eb-commandprocessor.log and eb-activity.log and the Ruby
//! exception chains (`ElasticBeanstalk.format_exception`) that follow some of them, on
//! arbitrary text (lossy UTF-8), on each of its lines, and on the text after a Ruby logger
//! header when a line starts with one.
#![no_main]

use eblog_fuzz::{assert_opt_within, assert_str_within, str_lines, touch};
use eblog_grammars::activity::{self, ActivityMessage};
use eblog_grammars::cmd_processor::{self, CmdProcessorMessage as M, CommandName};
use eblog_grammars::{ruby_exception, ruby_logger};
use libfuzzer_sys::fuzz_target;

fn name_within(text: &str, name: &CommandName<'_>) {
    assert_str_within(text, name.command, "command name");
}

fn check_line(text: &str) {
    if let Some(m) = cmd_processor::parse_message(text) {
        match &m {
            M::ReceivedCommand { name, payload } => {
                name_within(text, name);
                assert_str_within(text, payload, "payload");
            }
            M::Applicability { instance_id, .. } => {
                assert_opt_within(text, *instance_id, "instance id")
            }
            M::Executing { name, label } => {
                if let Some(name) = name {
                    name_within(text, name);
                }
                assert_opt_within(text, *label, "label");
            }
            M::Addons { phase, name } => {
                assert_str_within(text, phase, "addons phase");
                name_within(text, name);
            }
            M::StagesPlanned { name, .. }
            | M::StageStart { name, .. }
            | M::CommandSucceeded { name }
            | M::CommandFailed { name } => name_within(text, name),
            M::ActionStart { action, .. } => assert_str_within(text, action, "action"),
            M::ExecutionFailed { first_line } => assert_str_within(text, first_line, "first line"),
            M::ReturningResults { inline } => assert_str_within(text, inline, "inline"),
            M::ActionsLoaded { .. } | M::LeaderElection { .. } | M::Chatter(_) => {}
        }
        touch(&m);
    }

    let name = CommandName::parse(text);
    assert_str_within(text, name.command, "CommandName::parse");

    if let Some(m) = activity::parse_message(text) {
        if let ActivityMessage::Error { first_line, .. } = m {
            assert_str_within(text, first_line, "activity error");
        }
        touch(&m);
    }

    if let Some((head, class)) = ruby_exception::split_class_suffix(text) {
        assert_str_within(text, head, "class suffix head");
        assert!(!class.is_empty());
        assert_str_within(text, class, "class suffix class");
    }
}

fn check_chain(text: &str) {
    for link in ruby_exception::parse_chain(text) {
        assert_opt_within(text, link.class, "exception class");
        for frame in &link.backtrace {
            assert_str_within(text, frame, "backtrace line");
        }
        touch(&link);
    }
}

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    check_chain(&text);
    for line in str_lines(&text) {
        check_line(line);
        if let Ok((rest, _)) = ruby_logger::parse_header(line.as_bytes()) {
            if let Some(message) = line.get(line.len() - rest.len()..) {
                check_line(message);
            }
        }
    }
    // The text after the first line's header with its continuation lines, as the eblog
    // crate hands an exception chain over.
    if let Ok((rest, _)) = ruby_logger::parse_header(text.as_bytes()) {
        if let Some(message) = text.get(text.len() - rest.len()..) {
            check_chain(message);
        }
    }
});
