//! Output for people: `show`, tables fitted to the terminal, colour choices, the filters
//! on samples, messages, `-v`/`-q`, and what makes eblog installable (version,
//! completions, man pages).

use crate::util::{eblog, json_lines};
use regex::Regex;

/// Runs eblog in the repository root (so sources read `samples/...`) with the terminal
/// variables cleared, `COLUMNS` set to `columns`, and the extra variables given.
fn run(columns: usize, vars: &[(&str, &str)], args: &[&str]) -> std::process::Output {
    let mut cmd = eblog();
    cmd.current_dir(env!("CARGO_MANIFEST_DIR"));
    for var in crate::util::TERMINAL_VARS {
        cmd.env_remove(var);
    }
    cmd.env("COLUMNS", columns.to_string());
    for (k, v) in vars {
        cmd.env(k, v);
    }
    cmd.args(args).output().expect("eblog runs")
}

fn stdout(out: &std::process::Output) -> String {
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout.clone()).expect("UTF-8 output")
}

/// Display width of a line without its colour escapes.
fn width(line: &str) -> usize {
    use unicode_width::UnicodeWidthStr;
    let plain = Regex::new("\u{1b}\\[[0-9;]*m")
        .unwrap()
        .replace_all(line, "");
    plain.width()
}

#[test]
fn commands_table_fits_80_and_120_columns() {
    for columns in [80, 120] {
        let table = stdout(&run(columns, &[], &["commands", "samples"]));
        for line in table.lines() {
            assert!(width(line) <= columns, "{columns}: {line:?}");
        }
        insta::assert_snapshot!(format!("commands_samples_{columns}"), table);
    }
    // --wide shows every failed step whole.
    let wide = stdout(&run(80, &[], &["commands", "--wide", "samples"]));
    assert!(wide.contains("  RunAppDeployPreBuildHooks/.platform/hooks/prebuild/01_install.sh\n"));
    assert!(wide.lines().any(|l| width(l) > 120));
}

#[test]
fn host_column_only_when_instances_cannot_tell_hosts_apart() {
    // One instance per host: no HOST column.
    let al2 = stdout(&run(120, &[], &["commands", "samples/al2"]));
    assert!(!al2.lines().next().unwrap_or("").contains("HOST"), "{al2}");
    // The cloudwatch download repeats an instance of samples/al2; the tail bundle names
    // none.
    let all = stdout(&run(120, &[], &["commands", "--wide", "samples"]));
    let header = all.lines().next().unwrap_or("");
    assert!(header.contains("  HOST  "), "{all}");
    assert!(all.contains("cloudwatch.txt!orders-api-prod"), "{all}");
    assert!(
        Regex::new(r"  -  +tail-bundle\.txt  ")
            .unwrap()
            .is_match(&all),
        "{all}"
    );
}

#[test]
fn colour_follows_the_flag_and_the_variables() {
    let esc = |out: &std::process::Output| out.stdout.contains(&0x1b);
    let args = ["commands", "samples/al2"];
    assert!(!esc(&run(120, &[], &args)), "not a terminal: no colour");
    assert!(esc(&run(120, &[("CLICOLOR_FORCE", "1")], &args)));
    let forced = run(
        120,
        &[("NO_COLOR", "1")],
        &["--color", "always", "commands", "samples/al2"],
    );
    assert!(esc(&forced), "--color always wins over NO_COLOR");
    let never = run(
        120,
        &[("CLICOLOR_FORCE", "1")],
        &["commands", "--color=never", "samples/al2"],
    );
    assert!(!esc(&never));
    // Colour does not move the columns: stripped, it is the plain table.
    let plain = stdout(&run(120, &[], &args));
    let coloured = stdout(&run(
        120,
        &[],
        &["--color=always", "commands", "samples/al2"],
    ));
    let stripped = Regex::new("\u{1b}\\[[0-9;]*m")
        .unwrap()
        .replace_all(&coloured, "");
    assert_eq!(stripped, plain);
    insta::assert_snapshot!("commands_al2_colour", coloured);
}

#[test]
fn failed_only_says_how_many_there_were() {
    let out = stdout(&run(
        80,
        &[],
        &[
            "commands",
            "--failed",
            "samples/al2023",
            "--since",
            "2026-01-08",
        ],
    ));
    assert_eq!(out, "no command executions found\n");
    let out = stdout(&run(
        80,
        &[],
        &[
            "commands",
            "--failed",
            "--until",
            "2026-01-01",
            "samples/al2023",
        ],
    ));
    assert_eq!(out, "no failed executions (1 in all)\n");
}

#[test]
fn show_one_line_per_record_plain_and_coloured() {
    let args = [
        "show",
        "--utc",
        "samples/al2/nginx/error.log",
        "samples/cfn-hup.log",
    ];
    let plain = stdout(&run(100, &[], &args));
    for line in plain.lines() {
        assert!(width(line) <= 100, "{line:?}");
    }
    assert!(plain.starts_with("==> samples/al2/nginx/error.log <==\n"));
    assert!(
        plain.contains("\n\n==> samples/cfn-hup.log <==\n"),
        "{plain}"
    );
    insta::assert_snapshot!("show_plain", plain);
    let coloured = stdout(&run(100, &[("CLICOLOR_FORCE", "1")], &args[..3]));
    assert!(coloured.contains("\u{1b}[1m\u{1b}[31mERROR"), "{coloured}");
    insta::assert_snapshot!("show_colour", coloured);
}

#[test]
fn show_expands_records_and_pretty_prints_payloads() {
    let out = stdout(&run(
        100,
        &[],
        &[
            "show",
            "--utc",
            "-x",
            "--kind",
            "command_failed",
            "samples/al2/eb-engine.log",
        ],
    ));
    insta::assert_snapshot!("show_expand", out);
    assert!(out.contains("    kind: command_failed\n"), "{out}");
    // Folded, the same record is one line with a marker.
    let folded = stdout(&run(
        100,
        &[],
        &[
            "show",
            "--utc",
            "--kind",
            "command_failed",
            "samples/al2/eb-engine.log",
        ],
    ));
    assert!(
        Regex::new(r"\[\+\d+ lines\]\n").unwrap().is_match(&folded),
        "{folded}"
    );
}

#[test]
fn show_deploys_groups_records_under_their_execution() {
    let out = stdout(&run(
        100,
        &[],
        &[
            "show",
            "--utc",
            "--deploys",
            "--since",
            "2022-06-14T16:00Z",
            "--until",
            "2022-06-14T17:00Z",
            "samples/al2",
        ],
    ));
    let headers: Vec<&str> = out.lines().filter(|l| l.starts_with("== ")).collect();
    assert_eq!(
        headers,
        ["== app-deploy on i-0d7e3a91c4b52f806 (samples/al2) at 2022-06-14 16:27:47 UTC: FAILURE after 20.3s"]
    );
    // The hook's output (eb-hooks.log) sits between the engine's lines, in time order.
    assert!(
        out.contains(" INFO  hooks          01_install: installing postgresql"),
        "{out}"
    );
    insta::assert_snapshot!("show_deploys", out);
    // Filters inside the deploy: only its errors.
    let errors = stdout(&run(
        100,
        &[],
        &[
            "show",
            "--deploys",
            "--level",
            "error",
            "--since",
            "2022-06-14T16:00Z",
            "--until",
            "2022-06-14T17:00Z",
            "samples/al2",
        ],
    ));
    let lines: Vec<&str> = errors
        .lines()
        .filter(|l| !l.starts_with("==") && !l.starts_with("   "))
        .collect();
    assert!(!lines.is_empty());
    assert!(
        lines
            .iter()
            .all(|l| l.contains(" ERROR ") || l.contains(" FATAL ")),
        "{errors}"
    );
}

/// `parse` with filters: (records kept, records in all).
fn kept(filter: &[&str]) -> (Vec<serde_json::Value>, usize) {
    let all = json_lines(&run(80, &[], &["parse", "samples"]).stdout);
    let mut args = vec!["parse", "samples"];
    args.extend_from_slice(filter);
    let out = run(80, &[], &args);
    assert!(
        out.status.success(),
        "{filter:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    (json_lines(&out.stdout), all.len())
}

#[test]
fn every_filter_keeps_what_it_names_on_samples() {
    let check = |filter: &[&str], ok: &dyn Fn(&serde_json::Value) -> bool| {
        let (records, total) = kept(filter);
        assert!(
            !records.is_empty() && records.len() < total,
            "{filter:?}: {} of {total}",
            records.len()
        );
        for r in &records {
            assert!(ok(r), "{filter:?} kept {r}");
        }
        records.len()
    };
    let ts = |r: &serde_json::Value| r["ts"].as_str().unwrap_or("").to_owned();
    check(
        &["--since", "2022-06-14T16:27:00Z", "--until", "2022-06-15"],
        &|r| ts(r).as_str() >= "2022-06-14T16:27:00" && ts(r).as_str() < "2022-06-15",
    );
    let errors = check(&["--level", "error"], &|r| {
        let level = r["level"].as_str().unwrap_or("").to_ascii_lowercase();
        [
            "error", "fatal", "crit", "critical", "any", "alert", "emerg",
        ]
        .contains(&level.as_str())
            || (level.is_empty()
                && (r["kind"] == "error" || r["status"].as_u64().is_some_and(|s| s >= 500)))
    });
    // nginx's lower-case `error` lines count as errors.
    let (nginx, _) = kept(&["--level", "error", "--only-format", "nginx-error"]);
    assert!(nginx.iter().any(|r| r["level"] == "error"));
    let warnings = kept(&["--level", "warn"]).0.len();
    assert!(
        warnings > errors,
        "warn includes error: {warnings} > {errors}"
    );
    check(&["--kind", "command_failed,proxy_error"], &|r| {
        r["kind"] == "command_failed" || r["kind"] == "proxy_error"
    });
    check(&["--only-format", "cfn-hup"], &|r| r["format"] == "cfn-hup");
    check(&["--host", "i-0d7e3a91c4b52f806"], &|r| {
        r["instance_id"] == "i-0d7e3a91c4b52f806"
            || r["source"]
                .as_str()
                .is_some_and(|s| s.contains("i-0d7e3a91c4b52f806"))
    });
    check(&["--host", "samples/al2023"], &|r| {
        r["source"]
            .as_str()
            .is_some_and(|s| s.starts_with("samples/al2023/"))
    });
    check(&["--grep", "connection refused"], &|r| {
        r["message"]
            .as_str()
            .is_some_and(|m| m.to_lowercase().contains("connection refused"))
    });
    // The same filters reach `show` and `commands`.
    let shown = stdout(&run(
        200,
        &[],
        &["show", "--grep", "Connection refused", "samples/al2"],
    ));
    let lines = shown
        .lines()
        .filter(|l| !l.starts_with("==>") && !l.is_empty());
    assert!(lines.clone().count() > 0);
    assert!(
        lines.clone().all(|l| l.contains("Connection refused")),
        "{shown}"
    );
    let table = stdout(&run(
        120,
        &[],
        &[
            "commands", "--host", "al2023", "--grep", "prebuild", "samples",
        ],
    ));
    let rows: Vec<&str> = table.lines().skip(1).collect();
    assert_eq!(rows.len(), 1, "{table}");
    assert!(rows[0].contains("i-0f3b9c27e8a1d4650") && rows[0].contains("FAILURE"));
    let out = run(
        120,
        &[],
        &[
            "diagnose",
            "--json",
            "--host",
            "i-0f3b9c27e8a1d4650",
            "samples",
        ],
    );
    // Exit 3: the host's deploy failed.
    assert_eq!(
        out.status.code(),
        Some(3),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let diagnosed = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(!diagnosed.is_empty());
    assert!(json_lines(diagnosed.as_bytes())
        .iter()
        .all(|d| d["instance_id"] == "i-0f3b9c27e8a1d4650"));
}

#[test]
fn bad_filter_values_are_usage_errors() {
    for args in [
        &["parse", "--level", "loud", "samples/al2"][..],
        &["parse", "--kind", "deploy", "samples/al2"],
        &["parse", "--grep", "(", "samples/al2"],
        &["show", "--since", "soonish", "samples/al2"],
        &["commands", "--until", "later", "samples/al2"],
    ] {
        let out = run(80, &[], args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(!out.stderr.is_empty());
    }
}

#[test]
fn verbose_names_skipped_files_and_quiet_silences_the_count() {
    let out = run(80, &[], &["parse", "samples"]);
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(
        said.contains("skipped 1 file(s)") && said.contains("-v names them"),
        "{said}"
    );
    let out = run(80, &[], &["-v", "parse", "samples"]);
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(
        said.contains("eblog: skipped samples/README.md: not a log eblog reads"),
        "{said}"
    );
    let out = run(80, &[], &["parse", "-q", "samples"]);
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let dir = tempfile::tempdir().unwrap();
    let dataset = dir.path().join("ds");
    let out = run(
        80,
        &[],
        &["scan", "-q", "samples", "--out", dataset.to_str().unwrap()],
    );
    assert!(out.status.success());
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // Errors still show under -q.
    let out = run(80, &[], &["parse", "-q", "samples/al2", "samples/none.log"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("samples/none.log"));
}

#[test]
fn version_names_the_commit_and_build_date() {
    let out = stdout(&run(80, &[], &["--version"]));
    let form = Regex::new(
        r"^eblog \d+\.\d+\.\d+ \(commit ([0-9a-f]{12}|unknown), built \d{4}-\d{2}-\d{2}\)\n$",
    )
    .unwrap();
    assert!(form.is_match(&out), "{out:?}");
}

#[test]
fn completions_for_each_shell_know_the_subcommands_and_flags() {
    for shell in ["bash", "zsh", "fish"] {
        let script = stdout(&run(80, &[], &["completions", shell]));
        for word in ["show", "commands", "since", "level", "color", "deploys"] {
            assert!(script.contains(word), "{shell} lacks {word}");
        }
    }
    assert_eq!(
        run(80, &[], &["completions", "tcsh"]).status.code(),
        Some(2)
    );
}

#[test]
fn man_pages_are_generated_from_the_flags() {
    let page = stdout(&run(80, &[], &["man"]));
    assert!(
        page.starts_with(".ie \\n(.g .ds Aq \\(aq") || page.contains(".TH eblog 1"),
        "{page}"
    );
    assert!(page.contains(".TH eblog 1"));
    assert!(page.contains("show"));
    let dir = tempfile::tempdir().unwrap();
    let out = stdout(&run(
        80,
        &[],
        &["man", "--out", dir.path().to_str().unwrap()],
    ));
    for name in [
        "eblog.1",
        "eblog-show.1",
        "eblog-parse.1",
        "eblog-commands.1",
    ] {
        let path = dir.path().join(name);
        assert!(out.contains(&path.display().to_string()), "{out}");
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(text.contains(".TH"), "{name}");
    }
    let show = std::fs::read_to_string(dir.path().join("eblog-show.1")).unwrap();
    assert!(
        show.contains("deploys"),
        "the show page documents its flags"
    );
}

#[test]
fn show_reads_stdin_and_follows_growing_files() {
    let line = "[2019-03-04T17:24:00.000Z] ERROR [4000]  : Command execution failed: x (A::B)\ncaused by: y (C::D)\n";
    let out = stdout(&{
        let mut cmd = eblog();
        cmd.env("COLUMNS", "80").env_remove("CLICOLOR_FORCE");
        cmd.args(["show", "--utc", "-"])
            .write_stdin(line)
            .output()
            .unwrap()
    });
    assert_eq!(
        out,
        "==> - <==\n2019-03-04 17:24:00.000Z ERROR Command execution failed: x (A::B) [+1 line]\n"
    );

    use std::io::{BufRead, BufReader, Write};
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("eb-commandprocessor.log");
    std::fs::write(
        &log,
        "[2019-03-04T17:22:05.123Z] INFO  [3127]  : Running 1 of 2 actions: First...\n",
    )
    .unwrap();
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_eblog"))
        .args(["show", "--utc", "-f"])
        .arg(&log)
        .env("COLUMNS", "100")
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    let stdout = child.stdout.take().unwrap();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines() {
            if tx.send(line.unwrap()).is_err() {
                break;
            }
        }
    });
    let next = || {
        rx.recv_timeout(std::time::Duration::from_secs(10))
            .expect("a line within 10 s")
    };
    assert!(next().starts_with("==> "), "the file's header first");
    assert!(next().ends_with("INFO  Running 1 of 2 actions: First..."));
    let mut f = std::fs::OpenOptions::new().append(true).open(&log).unwrap();
    f.write_all(b"[2019-03-04T17:22:06.000Z] WARN  [3127]  : Running 2 of 2 actions: Second...\n")
        .unwrap();
    drop(f);
    assert_eq!(
        next(),
        "2019-03-04 17:22:06.000Z WARN  Running 2 of 2 actions: Second..."
    );
    let killed = std::process::Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    assert!(
        child.wait().unwrap().success(),
        "Ctrl-C ends show -f cleanly"
    );
}

#[test]
fn show_deploys_last_reads_the_last_deploys() {
    let headers = |n: &str| -> Vec<String> {
        let out = stdout(&run(
            100,
            &[],
            &["show", "--utc", "--deploys", "--last", n, "samples/al2"],
        ));
        out.lines()
            .filter(|l| l.starts_with("== "))
            .map(str::to_owned)
            .collect()
    };
    assert_eq!(
        headers("1"),
        ["== app-deploy on i-0d7e3a91c4b52f806 (samples/al2) at 2022-09-14 18:40:41 UTC: SUCCESS after 13.7s"]
    );
    let two = headers("2");
    assert_eq!(two.len(), 2);
    assert!(
        two[0].contains("2022-06-14 16:27:47 UTC: FAILURE"),
        "{two:?}"
    );
    // stderr says what was shown of what, unless -q.
    let said = run(
        100,
        &[],
        &["show", "--deploys", "--last", "1", "samples/al2"],
    );
    let said = String::from_utf8_lossy(&said.stderr).into_owned();
    assert!(
        said.contains("eblog: 56 record(s) of 666 in 1 execution(s) of 5"),
        "{said}"
    );
    let quiet = run(
        100,
        &[],
        &["show", "-q", "--deploys", "--last", "1", "samples/al2"],
    );
    assert!(
        quiet.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&quiet.stderr)
    );
    // --last needs --deploys.
    assert_eq!(
        run(80, &[], &["show", "--last", "1", "samples/al2"])
            .status
            .code(),
        Some(2)
    );
}

#[test]
fn show_times_are_local_unless_utc() {
    let second = |vars: &[(&str, &str)], utc: bool| {
        let mut args = vec!["show", "samples/al2/nginx/error.log"];
        if utc {
            args.insert(1, "--utc");
        }
        let out = stdout(&run(100, vars, &args));
        out.lines().nth(1).unwrap_or_default()[..24].to_owned()
    };
    // nginx wrote 2022-09-14 17:50:58 UTC (eblog's default --tz).
    assert_eq!(
        second(&[("TZ", "Asia/Tokyo")], false),
        "2022-09-15 02:50:58.000 "
    );
    assert_eq!(
        second(&[("TZ", "America/New_York")], false),
        "2022-09-14 13:50:58.000 "
    );
    assert_eq!(
        second(&[("TZ", "Asia/Tokyo")], true),
        "2022-09-14 17:50:58.000Z"
    );
}

#[test]
fn diagnose_says_when_hosts_or_text_chose_none() {
    let out = stdout(&run(
        80,
        &[],
        &["diagnose", "--host", "i-0nosuch", "samples/al2"],
    ));
    assert_eq!(
        out,
        "nothing failed among the hosts and text asked for (5 command execution(s) in the time asked for)\n"
    );
}
