//! The message templates of cfn-hup.log, cfn-init.log, cfn-init-cmd.log and cfn-wire.log,
//! on arbitrary text (lossy UTF-8), on each of its lines, and on the text after an `amzn`
//! header when the input starts with one.
#![no_main]

use eblog_fuzz::{assert_opt_within, assert_str_within, str_lines, touch};
use eblog_grammars::{amzn, cfn_hup, cfn_init, cfn_init_cmd, cfn_wire};
use libfuzzer_sys::fuzz_target;

fn check(text: &str) {
    if let Some(m) = cfn_hup::parse_message(text) {
        touch(&m);
    }
    if let Some(m) = cfn_init::parse_message(text) {
        touch(&m);
    }
    for name in cfn_init::config_set_names(text) {
        assert!(!name.is_empty());
        assert_str_within(text, name, "config set name");
    }
    if let Some(m) = cfn_init_cmd::parse_message(text) {
        use cfn_init_cmd::CmdLogLine as L;
        match m {
            L::ConfigSet { name } | L::Config { name } | L::Command { name } | L::Test { name } => {
                assert!(!name.is_empty());
                assert_str_within(text, name, "cmd name");
            }
            L::YumInstall { packages } | L::YumDowngrade { packages } => {
                assert!(!packages.is_empty());
                assert_str_within(text, packages, "cmd packages");
            }
            L::Output { line } => assert_str_within(text, line, "cmd output"),
            L::ConfigSetStart | L::ConfigStart | L::CommandStart | L::BlockEnd => {
                assert_eq!(text.len(), 60, "a rule line is 60 bytes");
            }
            other => {
                touch(&other);
            }
        }
    }
    if let Some(m) = cfn_wire::parse_message(text) {
        match m {
            cfn_wire::WireMessage::Response {
                status: _,
                url,
                headers,
            } => {
                assert!(!url.is_empty());
                assert_str_within(text, url, "wire url");
                assert_opt_within(text, headers, "wire headers");
            }
            cfn_wire::WireMessage::Error { body } => assert_str_within(text, body, "wire body"),
        }
    }
}

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    for line in str_lines(&text) {
        check(line);
        if let Ok((rest, _)) = amzn::parse_header(line.as_bytes()) {
            // The header is ASCII, so what follows starts at a char boundary.
            let message = &line[line.len() - rest.len()..];
            check(message);
        }
    }
});
