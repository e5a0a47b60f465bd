//! Criterion benchmarks of the grammars in `eblog-grammars`: one group per header, template,
//! line or payload grammar, over inputs cut from `samples/` (every header line, message,
//! payload or record of the kind the grammar reads). One iteration parses all inputs of its
//! group once; throughput is reported in input bytes.
//!
//! ```sh
//! cargo bench --bench grammars                 # all groups
//! cargo bench --bench grammars -- py_repr      # one group
//! ```

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use eblog_grammars::{
    activity, amzn, cfn_hup, cfn_init, cfn_init_cmd, cmd_processor, eb_cfn_init, engine, healthd,
    nginx, py_repr, py_traceback, result_json, ruby_exception, ruby_hash, ruby_logger, web_stdout,
};
use std::hint::black_box;
use std::time::Duration;

const CFN_HUP: &str = include_str!("../samples/cfn-hup.log");
const CFN_HUP_INFO: &str = include_str!("../samples/cfn-hup-info.log");
const CMD_PROCESSOR: &str = include_str!("../samples/eb-commandprocessor.log");
const ACTIVITY: &str = include_str!("../samples/eb-activity.log");
const CFN_INIT: &str = include_str!("../samples/al2/cfn-init.log");
const CFN_INIT_CMD: &str = include_str!("../samples/al2/cfn-init-cmd.log");
const EB_CFN_INIT: &str = include_str!("../samples/al2/eb-cfn-init.log");
const ENGINE_AL2: &str = include_str!("../samples/al2/eb-engine.log");
const ENGINE_AL2023: &str = include_str!("../samples/al2023/eb-engine.log");
const NGINX_ACCESS: &str = include_str!("../samples/al2/nginx/access.log");
const NGINX_ERROR: &str = include_str!("../samples/al2/nginx/error.log");
const HEALTHD: &str = include_str!("../samples/al2/nginx/healthd/application.log.2022-09-14-18");
const HEALTHD_DAEMON: &str = include_str!("../samples/al2/healthd/daemon.log");
const WEB_STDOUT: &str = include_str!("../samples/al2/web.stdout.log");

/// Records of a log: a header line and the lines up to the next header.
fn records(text: &str, is_header: impl Fn(&[u8]) -> bool) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for line in text.lines() {
        if is_header(line.as_bytes()) || out.is_empty() {
            out.push(line.to_string());
        } else if let Some(last) = out.last_mut() {
            last.push('\n');
            last.push_str(line);
        }
    }
    out
}

/// The message text after each header line of `texts`, for a header grammar that returns
/// the rest of the line.
fn messages<'a, H, E>(
    texts: &[&'a str],
    parse: impl Fn(&'a [u8]) -> Result<(&'a [u8], H), E>,
) -> Vec<&'a str> {
    texts
        .iter()
        .flat_map(|t| t.lines())
        .filter_map(|line| parse(line.as_bytes()).ok())
        .filter_map(|(rest, _)| std::str::from_utf8(rest).ok())
        .collect()
}

/// Header lines of `texts` (the lines `is_header` accepts).
fn header_lines<'a>(texts: &[&'a str], is_header: impl Fn(&[u8]) -> bool) -> Vec<&'a str> {
    texts
        .iter()
        .flat_map(|t| t.lines())
        .filter(|l| is_header(l.as_bytes()))
        .collect()
}

/// The text after `marker` on lines that hold it.
fn after<'a>(texts: &[&'a str], marker: &str) -> Vec<&'a str> {
    texts
        .iter()
        .flat_map(|t| t.lines())
        .filter_map(|l| l.find(marker).map(|at| &l[at + marker.len()..]))
        .collect()
}

/// Benchmarks `f` over all `inputs` in a group of its own, with byte throughput.
fn bench<I: AsRef<str>, R>(
    c: &mut Criterion,
    group: &str,
    id: &str,
    inputs: &[I],
    f: impl Fn(&str) -> R,
) {
    assert!(!inputs.is_empty(), "{group}/{id}: no inputs in the samples");
    let bytes: usize = inputs.iter().map(|i| i.as_ref().len()).sum();
    let mut g = c.benchmark_group(group);
    g.throughput(Throughput::Bytes(bytes as u64));
    g.bench_function(id, |b| {
        b.iter(|| {
            for input in inputs {
                black_box(f(black_box(input.as_ref())));
            }
        })
    });
    g.finish();
}

fn headers(c: &mut Criterion) {
    // amzn: cfn-hup.log, cfn-init.log and cfn-init-cmd.log (`P<pid>`) header lines.
    let lines = header_lines(
        &[CFN_HUP, CFN_HUP_INFO, CFN_INIT, CFN_INIT_CMD],
        amzn::is_header,
    );
    bench(c, "amzn_header", "parse_header", &lines, |l| {
        amzn::parse_header(l.as_bytes()).is_ok()
    });
    bench(c, "amzn_header", "is_header", &lines, |l| {
        amzn::is_header(l.as_bytes())
    });
    // Ruby Logger: eb-commandprocessor.log and eb-activity.log (with the activity path).
    let lines = header_lines(&[CMD_PROCESSOR, ACTIVITY], ruby_logger::is_header);
    bench(c, "ruby_header", "parse_header", &lines, |l| {
        ruby_logger::parse_header(l.as_bytes()).is_ok()
    });
    bench(c, "ruby_header", "is_header", &lines, |l| {
        ruby_logger::is_header(l.as_bytes())
    });
    let lines = header_lines(&[ENGINE_AL2, ENGINE_AL2023], engine::is_header);
    bench(c, "engine_header", "parse_header", &lines, |l| {
        engine::parse_header(l.as_bytes()).is_ok()
    });
    let lines = header_lines(&[EB_CFN_INIT], eb_cfn_init::is_header);
    bench(c, "eb_cfn_init_header", "parse_header", &lines, |l| {
        eb_cfn_init::parse_header(l.as_bytes()).is_ok()
    });
    let lines = header_lines(&[WEB_STDOUT], web_stdout::is_header);
    bench(c, "web_stdout_header", "parse_header", &lines, |l| {
        web_stdout::parse_header(l.as_bytes()).is_ok()
    });
    let lines = header_lines(&[HEALTHD_DAEMON], healthd::is_daemon_header);
    bench(
        c,
        "healthd_daemon_header",
        "parse_daemon_header",
        &lines,
        |l| healthd::parse_daemon_header(l.as_bytes()).is_ok(),
    );
}

fn templates(c: &mut Criterion) {
    let msgs = messages(&[CFN_HUP, CFN_HUP_INFO], amzn::parse_header);
    bench(c, "cfn_hup_template", "parse_message", &msgs, |m| {
        cfn_hup::parse_message(m).is_some()
    });
    let msgs = messages(&[CMD_PROCESSOR], ruby_logger::parse_header);
    bench(c, "cmd_processor_template", "parse_message", &msgs, |m| {
        cmd_processor::parse_message(m).is_some()
    });
    let msgs = messages(&[ACTIVITY], ruby_logger::parse_header);
    bench(c, "activity_template", "parse_message", &msgs, |m| {
        activity::parse_message(m).is_some()
    });
    let msgs = messages(&[ENGINE_AL2, ENGINE_AL2023], engine::parse_header);
    bench(c, "engine_template", "parse_message", &msgs, |m| {
        engine::parse_message(m).is_some()
    });
    let msgs = messages(&[CFN_INIT], amzn::parse_header);
    bench(c, "cfn_init_template", "parse_message", &msgs, |m| {
        cfn_init::parse_message(m).is_some()
    });
    let msgs = messages(&[CFN_INIT_CMD], amzn::parse_header);
    bench(c, "cfn_init_cmd_line", "parse_message", &msgs, |m| {
        cfn_init_cmd::parse_message(m).is_some()
    });
    let msgs = messages(&[EB_CFN_INIT], eb_cfn_init::parse_header);
    bench(c, "eb_cfn_init_template", "parse_message", &msgs, |m| {
        eb_cfn_init::parse_message(m).is_some()
    });
}

fn payloads(c: &mut Criterion) {
    // Python 2 repr dicts: cfn-hup's `Action environment:` (credentials, nested JSON
    // strings) and the `Processing message:` command dicts.
    let envs = after(&[CFN_HUP], "Action environment: ");
    bench(c, "py_repr", "action_environment", &envs, |d| {
        py_repr::parse_py_repr(d).is_ok()
    });
    let dicts = after(&[CFN_HUP], "Processing message: ");
    bench(c, "py_repr", "command_message", &dicts, |d| {
        py_repr::parse_py_repr(d).is_ok()
    });
    // Ruby Hash#inspect payloads of `Received command CMD-X: {...}`.
    let hashes: Vec<&str> = after(&[CMD_PROCESSOR], "Received command ")
        .into_iter()
        .filter_map(|m| m.split_once(": ").map(|(_, h)| h))
        .filter(|h| h.contains("=>"))
        .collect();
    bench(c, "ruby_hash", "received_command", &hashes, |h| {
        ruby_hash::parse_ruby_inspect(h).is_ok()
    });
    // The command result JSON: after `returning results:`, in cfn-hup's `output:` and in
    // the engine's `CommandService Response:`.
    let mut results: Vec<&str> = CMD_PROCESSOR
        .lines()
        .filter(|l| l.starts_with("{\"status\""))
        .collect();
    results.extend(
        after(&[CFN_HUP], "Action for aws-eb-command-handler output: ")
            .into_iter()
            .filter(|o| o.starts_with('{')),
    );
    results.extend(after(
        &[ENGINE_AL2, ENGINE_AL2023],
        "CommandService Response: ",
    ));
    bench(c, "result_json", "command_result", &results, |j| {
        result_json::parse_result_json(j).is_ok()
    });
    // cfn-hup's `Sending {...} to queue`, whose `Data` is the result JSON again.
    let sent: Vec<&str> = messages(&[CFN_HUP], amzn::parse_header)
        .into_iter()
        .filter(|m| m.starts_with("Sending "))
        .collect();
    bench(c, "result_json", "sent_message", &sent, |m| {
        result_json::split_sending_line(m)
            .map(|(json, _)| result_json::parse_sent_message(json).is_ok())
    });
    // Ruby exception chains (`Command execution failed: ...`, `Activity execution failed,
    // because: ...`), whole records.
    let mut chains: Vec<String> = Vec::new();
    for (text, marker) in [
        (CMD_PROCESSOR, "Command execution failed: "),
        (ACTIVITY, "Activity execution failed, because: "),
    ] {
        for r in records(text, ruby_logger::is_header) {
            if let Some(at) = r.find(marker) {
                chains.push(r[at + marker.len()..].to_string());
            }
        }
    }
    bench(c, "ruby_exception", "parse_chain", &chains, |t| {
        ruby_exception::parse_chain(t).len()
    });
    // Python tracebacks under cfn-hup and cfn-init ERROR records.
    let tracebacks: Vec<String> = [CFN_HUP, CFN_HUP_INFO, CFN_INIT]
        .iter()
        .flat_map(|t| records(t, amzn::is_header))
        .filter(|r| r.contains("Traceback (most recent call last):"))
        .collect();
    bench(c, "py_traceback", "parse_traceback", &tracebacks, |t| {
        py_traceback::parse_traceback(t).is_some()
    });
}

fn lines(c: &mut Criterion) {
    let access: Vec<&str> = NGINX_ACCESS.lines().collect();
    bench(c, "nginx_access", "parse_access_line", &access, |l| {
        nginx::parse_access_line(l.as_bytes()).is_some()
    });
    let errors = header_lines(&[NGINX_ERROR], nginx::is_error_header);
    bench(c, "nginx_error", "parse_error_header", &errors, |l| {
        nginx::parse_error_header(l.as_bytes()).is_ok()
    });
    let texts = messages(&[NGINX_ERROR], nginx::parse_error_header);
    bench(c, "nginx_error", "parse_error_message", &texts, |m| {
        black_box(&nginx::parse_error_message(m));
    });
    let appstat: Vec<&str> = HEALTHD.lines().collect();
    bench(c, "healthd_line", "parse_appstat_line", &appstat, |l| {
        healthd::parse_appstat_line(l.as_bytes()).is_some()
    });
}

fn config() -> Criterion {
    Criterion::default()
        .sample_size(10)
        .warm_up_time(Duration::from_millis(300))
        .measurement_time(Duration::from_secs(1))
}

criterion_group! {
    name = benches;
    config = config();
    targets = headers, templates, payloads, lines
}
criterion_main!(benches);
