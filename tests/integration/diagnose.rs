//! `eblog diagnose` (and `commands`) on whole hosts written for diagnosis: each case
//! follows a failure to the line that names its cause (fixtures in
//! `tests/fixtures/diagnose/`, one instance's `var/log` each).

use crate::util::{eblog, json_lines};
use serde_json::Value;
use std::path::PathBuf;

/// The `var/log` of fixture host `case`.
fn host(case: &str) -> String {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/diagnose")
        .join(case)
        .join("var/log")
        .to_string_lossy()
        .into_owned()
}

/// `eblog ARGS`: exit status and stdout.
fn run(args: &[&str]) -> (i32, String) {
    let out = eblog().args(args).output().expect("eblog runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8(out.stdout).expect("UTF-8 output"),
    )
}

/// The executions of `commands --json` on `path`.
fn executions(path: &str) -> Vec<Value> {
    let (code, out) = run(&["commands", "--json", path]);
    assert_eq!(code, 0, "commands --json {path}");
    json_lines(out.as_bytes())
}

/// The diagnoses of `diagnose --json` on `path`, with the exit status.
fn diagnoses(args: &[&str]) -> (i32, Vec<Value>) {
    let mut all = vec!["diagnose", "--json"];
    all.extend_from_slice(args);
    let (code, out) = run(&all);
    (code, json_lines(out.as_bytes()))
}

/// The failing steps of an execution, outermost first.
fn failing_chain(execution: &Value) -> Vec<&Value> {
    let mut chain = Vec::new();
    let mut level = &execution["steps"];
    while let Some(step) = level
        .as_array()
        .and_then(|s| s.iter().rev().find(|s| s["status"] == "FAILURE"))
    {
        chain.push(step);
        level = &step["steps"];
    }
    chain
}

/// Where a source ref points, as `file-name:line`.
fn place(source: &Value) -> String {
    let file = source["file"].as_str().unwrap_or("?");
    let name = file.rsplit('/').next().unwrap_or(file);
    format!("{name}:{}", source["line"])
}

#[test]
fn an_info_level_cfn_init_failure_is_followed_to_the_command_and_its_output() {
    let all = executions(&host("cfn-init-info"));
    assert_eq!(all.len(), 1, "{all:#?}");
    let deploy = &all[0];
    assert_eq!(deploy["command"], "app-deploy");
    assert_eq!(deploy["status"], "FAILURE");
    assert_eq!(
        deploy["failed_step"],
        "PreBuildEbExtension/Infra-EmbeddedPreBuild/prebuild_1_orders_api/02_logs_agent"
    );
    let chain = failing_chain(deploy);
    let kinds: Vec<&str> = chain.iter().filter_map(|s| s["kind"].as_str()).collect();
    assert_eq!(
        kinds,
        ["instruction", "config_set", "config", "container_command"]
    );
    let command = chain[3];
    assert_eq!(command["exit_code"], 1, "from cfn-init-cmd.log");
    assert_eq!(
        command["output"],
        "$ chkconfig awslogs on\nerror reading information on service awslogs: No such file or directory"
    );
    assert_eq!(place(&command["source"]), "cfn-init.log:9");
    // The config set's shell command that ran cfn-init failed too.
    let shell = chain[1]["steps"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["kind"] == "command")
        .unwrap();
    assert!(shell["name"]
        .as_str()
        .unwrap()
        .contains("/opt/aws/bin/cfn-init "));
    assert_eq!(shell["status"], "FAILURE");
    // The succeeded commands of the INFO-level log are steps as well.
    let first = &chain[1]["steps"].as_array().unwrap()[1];
    assert_eq!(first["name"], "prebuild_0_orders_api");
    assert_eq!(first["status"], "SUCCESS");
    assert_eq!(first["steps"][0]["name"], "01_state_dir");
    assert_eq!(first["steps"][0]["started"], "2022-11-23T08:14:05.094Z");
    // A failed `test` skips its command (02_seed_demo_data): no step, no failure; the
    // passing test of 02_logs_agent adds no output to it.
    assert_eq!(first["steps"].as_array().unwrap().len(), 1, "{first:#}");
    let error = deploy["error"].as_str().unwrap();
    assert!(error.starts_with("EbExtension build failed."), "{error}");
    assert!(
        error.ends_with(
            "container command 02_logs_agent failed (exit code 1):\n$ chkconfig awslogs on\nerror reading information on service awslogs: No such file or directory"
        ),
        "{error}"
    );
}

#[test]
fn the_diagnosis_of_a_cfn_init_failure_quotes_the_cause() {
    let (_, found) = diagnoses(&[&host("cfn-init-info")]);
    assert_eq!(found.len(), 1, "{found:#?}");
    let d = &found[0];
    assert_eq!(d["failed_step_kind"], "container_command");
    assert_eq!(place(&d["failed_step_source"]), "cfn-init.log:9");
    assert!(d["error_excerpt"]
        .as_str()
        .unwrap()
        .contains("error reading information on service awslogs: No such file or directory"));
    let look_at: Vec<String> = d["look_at"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| format!("{}-{}", place(r), r["end_line"]))
        .collect();
    assert_eq!(
        look_at[..3],
        [
            "cfn-init-cmd.log:27-29",
            "cfn-init.log:9-9",
            "eb-engine.log:27-28"
        ],
        "the command's output and exit code, cfn-init's failure line, the engine's error"
    );
    let (_, report) = run(&["diagnose", &host("cfn-init-info")]);
    assert!(
        report.contains("  look at:\n    ") && report.contains("/cfn-init-cmd.log:27-29\n"),
        "{report}"
    );
    let hints: Vec<&str> = d["hints"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|h| h["message"].as_str())
        .collect();
    assert!(
        hints.contains(&"container command 02_logs_agent exited with status 1"),
        "{hints:?}"
    );
}

#[test]
fn diagnose_exits_3_when_a_command_failed_and_0_when_nothing_did() {
    let (code, found) = diagnoses(&[&host("cfn-init-info")]);
    assert_eq!(code, 3, "a failed deploy");
    assert_eq!(found[0]["severity"], "error");
    let (code, found) = diagnoses(&[&host("restart-blip")]);
    assert_eq!(code, 0, "nothing failed: {found:#?}");
    assert!(found.is_empty(), "{found:#?}");
    // An unreadable input wins over a found failure (the diagnosis may miss what it held).
    let missing = format!("{}/no-such-file.log", host("cfn-init-info"));
    let (code, _) = diagnoses(&[&host("cfn-init-info"), &missing]);
    assert_eq!(code, 1);
}

#[test]
fn a_single_502_during_a_restart_is_not_a_finding_and_the_log_collector_is_running() {
    let (code, out) = run(&["diagnose", &host("restart-blip")]);
    assert_eq!(code, 0);
    assert!(
        out.starts_with("nothing failed: 2 command execution(s)"),
        "{out}"
    );
    let all = executions(&host("restart-blip"));
    let statuses: Vec<(&str, &str)> = all
        .iter()
        .map(|e| {
            (
                e["command"].as_str().unwrap(),
                e["status"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        statuses,
        [("app-deploy", "SUCCESS"), ("bundle-log", "RUNNING")]
    );
    let collecting = all[1]["steps"].as_array().unwrap().last().unwrap();
    assert_eq!(
        (collecting["name"].as_str(), collecting["status"].as_str()),
        (Some("GetBundleLogs"), Some("RUNNING"))
    );
}

#[test]
fn min_severity_error_leaves_out_an_app_that_stopped_answering() {
    let samples = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("samples/al2");
    let al2 = samples.to_string_lossy();
    let (code, all) = diagnoses(&[&al2]);
    assert_eq!(code, 3);
    let severities: Vec<&str> = all.iter().filter_map(|d| d["severity"].as_str()).collect();
    assert_eq!(severities, ["error", "error", "warning"]);
    let (code, errors) = diagnoses(&["--min-severity", "error", &al2]);
    assert_eq!(code, 3);
    assert_eq!(errors.len(), 2);
    assert!(errors.iter().all(|d| d["status"] == "FAILURE"));
    let (code, report) = run(&["diagnose", &al2]);
    assert_eq!(code, 3);
    assert!(
        report.starts_with("error: app-deploy on i-0f3a9c27e4b18d605"),
        "{report}"
    );
    assert!(
        report.contains(
            "\nwarning: app-deploy on i-0d7e3a91c4b52f806 at 2022-09-14T18:40:41.530Z: SUCCESS"
        ),
        "{report}"
    );
    let (code, _) = run(&["diagnose", "--min-severity", "fatal", &al2]);
    assert_eq!(code, 2, "usage error");
}

#[test]
fn a_service_that_cfn_init_could_not_enable_fails_its_config_with_the_tools_output() {
    let (code, found) = diagnoses(&[&host("cfn-init-service")]);
    assert_eq!(code, 3);
    let d = &found[0];
    assert_eq!(
        d["failed_step"],
        "PreBuildEbExtension/Infra-EmbeddedPreBuild/prebuild_0_metrics"
    );
    assert_eq!(d["failed_step_kind"], "config");
    let error = d["error_excerpt"].as_str().unwrap();
    assert!(
        error.ends_with("config prebuild_0_metrics failed:\nchkconfig failed with error 1. Output: error reading information on service awslogsd: No such file or directory\nCould not enable service awslogsd (return code 1)"),
        "{error}"
    );
    assert_eq!(place(&d["look_at"][0]), "cfn-init.log:6");
    assert_eq!(
        d["look_at"][0]["end_line"], 18,
        "the tool's error and cfn-init's verdict"
    );
}

/// The `app_unreachable` hint of the one diagnosis of `path`.
fn unreachable_hint(path: &str) -> Value {
    let (code, found) = diagnoses(&[path]);
    assert_eq!(code, 0, "warnings leave the status 0");
    assert_eq!(found.len(), 1, "{found:#?}");
    assert_eq!(found[0]["severity"], "warning");
    let hint = found[0]["hints"][0].clone();
    assert_eq!(hint["kind"], "app_unreachable");
    hint
}

#[test]
fn a_gunicorn_traceback_is_summarised_by_its_last_line_50_lines_down() {
    let hint = unreachable_hint(&host("gunicorn-crash"));
    let message = hint["message"].as_str().unwrap();
    assert!(
        message.contains("the application crashed:\nPython crash: ModuleNotFoundError: No module named 'pkg_resources' (seen 2 times)\n  File \"/var/app/current/catalog/versioning.py\", line 3, in <module>\n      import pkg_resources"),
        "{message}"
    );
    let crash = &hint["crash"];
    assert_eq!(crash["language"], "python");
    assert_eq!(crash["repeated"], 2);
    let frames = crash["frames"].as_array().unwrap();
    assert_eq!(frames.len(), 22, "every frame kept for --json");
    assert!(frames[0]
        .as_str()
        .unwrap()
        .contains("gunicorn/arbiter.py\", line 608"));
    // The exception line is 50 lines below the first error line.
    assert_eq!(place(&hint["sources"][1]), "web.stdout.log:62");
}

#[test]
fn a_year_less_web_stdout_takes_the_year_of_the_hosts_other_logs() {
    // A copy whose web.stdout.log was modified in May 2026, as a fresh checkout's is.
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("var/log");
    std::fs::create_dir_all(log.join("nginx")).unwrap();
    for file in ["eb-engine.log", "web.stdout.log", "nginx/error.log"] {
        std::fs::copy(
            PathBuf::from(host("node-missing-module")).join(file),
            log.join(file),
        )
        .unwrap();
    }
    let stdout = std::fs::File::options()
        .write(true)
        .open(log.join("web.stdout.log"))
        .unwrap();
    let june_2026 = std::time::UNIX_EPOCH + std::time::Duration::from_secs(1_780_000_000);
    stdout.set_modified(june_2026).unwrap();
    let (_, parsed) = run(&["parse", log.join("web.stdout.log").to_str().unwrap()]);
    let first = json_lines(parsed.as_bytes())[0]["ts"].clone();
    assert_eq!(
        first, "2025-10-03T17:30:12Z",
        "the file alone: October before a May 2026 modification time"
    );
    let hint = unreachable_hint(log.to_str().unwrap());
    let message = hint["message"].as_str().unwrap();
    assert!(
        message.contains("Node.js crash: Error: Cannot find module '/var/app/current/www/server.js' (seen 117 times)\n  node:internal/modules/cjs/loader:988\n    throw err;\n    ^\n  at Function.Module._resolveFilename"),
        "{message}"
    );
    assert!(
        message.contains(
            "(the application's stamps carry no year: 2022, from this host's other logs)"
        ),
        "{message}"
    );
    assert_eq!(hint["crash"]["repeated"], 117);
}

/// A fragment of `tests/fixtures/diagnose/fragments/`.
fn fragment(name: &str) -> String {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/diagnose/fragments")
        .join(name)
        .to_string_lossy()
        .into_owned()
}

#[test]
fn fragments_take_the_command_and_step_their_error_line_names() {
    let cases = [
        (
            "postbuild-tail.txt",
            "PostBuildEbExtension/Infra-EmbeddedPostBuild",
        ),
        (
            "prebuild-hook-tail.txt",
            "RunAppDeployPreBuildHooks/.platform/hooks/prebuild/10_install_wkhtmltopdf.sh",
        ),
        (
            "cloudwatch-excerpt.txt",
            "PostBuildEbExtension/Infra-EmbeddedPostBuild",
        ),
    ];
    for (name, failed_step) in cases {
        let all = executions(&fragment(name));
        assert_eq!(all.len(), 1, "{name}: {all:#?}");
        let e = &all[0];
        assert_eq!(e["command"], "app-deploy", "{name}");
        assert_eq!(e["status"], "FAILURE", "{name}");
        assert_eq!(e["failed_step"], failed_step, "{name}");
        let outer = &e["steps"].as_array().unwrap()[0];
        assert_eq!(outer["kind"], "instruction", "{name}");
        assert_eq!(outer["status"], "FAILURE", "{name}");
        assert!(
            outer["started"].is_string(),
            "{name}: starts with its first step"
        );
        let (code, _) = diagnoses(&[&fragment(name)]);
        assert_eq!(code, 3, "{name}");
    }
}

#[test]
fn a_cloudwatch_excerpt_without_its_section_header_is_unwrapped() {
    let (code, out) = run(&["parse", &fragment("cloudwatch-excerpt.txt")]);
    assert_eq!(code, 0);
    let records = json_lines(out.as_bytes());
    assert_eq!(records.len(), 5, "the blank line ends the result record");
    assert!(
        records.iter().all(|r| r["kind"] != "unparsed"),
        "{records:#?}"
    );
    assert!(records.iter().all(|r| r["format"] == "engine"));
    assert_eq!(records[2]["kind"], "command_failed");
    assert_eq!(records[2]["instance_id"], "i-05e2c7a9b3d14f680");
    assert_eq!(records[2]["line"], 3);
    let all = executions(&fragment("cloudwatch-excerpt.txt"));
    assert_eq!(all[0]["instance_id"], "i-05e2c7a9b3d14f680");
}

#[test]
fn a_tomcat_apps_catalina_out_gives_the_java_root_cause() {
    let hint = unreachable_hint(&host("tomcat-crash"));
    let message = hint["message"].as_str().unwrap();
    assert!(
        message.contains("Java crash: java.net.UnknownHostException: ledger-db.cluster-c9x2k4d1q7ab.ap-southeast-2.rds.amazonaws.com\n  org.springframework.beans.factory.BeanCreationException: Error creating bean"),
        "{message}"
    );
    assert_eq!(hint["crash"]["context"].as_array().unwrap().len(), 3);
    assert_eq!(
        place(&hint["sources"][1]),
        "catalina.out:14",
        "the root cause"
    );
}

#[test]
fn neighbours_of_the_agents_logs_are_known_by_path_not_content() {
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("var/log");
    std::fs::create_dir_all(log.join("nodejs")).unwrap();
    let write = |name: &str, text: &str| std::fs::write(log.join(name), text).unwrap();
    // cfn-hup's layout, but EB's log publisher.
    write(
        "eb-publish-logs.log",
        "2020-12-21 11:25:01,505 [INFO] (3716 MainThread) [clearStaleLogPublishingRecords.py-38] [root clearStaleLogPublishingRecords main] Clearing stale log publishing records\n",
    );
    // The engine's layout, but the Docker platform's process manager.
    write(
        "eb-docker-process.log",
        "2024/01/22 02:16:19.407478 [INFO] Loading Manifest...\n2024/01/22 02:16:19.410012 [INFO] Running command /bin/sh -c docker ps -q\n2024/01/22 02:16:19.512200 [INFO] 4f2a9c0d1e7b\n",
    );
    write(
        "nodejs/nodejs.log",
        "> photo-share@1.4.0 start\nListening on port 8081\n",
    );
    let (code, out) = run(&["parse", log.to_str().unwrap()]);
    assert_eq!(code, 0);
    let records = json_lines(out.as_bytes());
    let formats: Vec<(&str, &str)> = records
        .iter()
        .map(|r| (r["format"].as_str().unwrap(), r["kind"].as_str().unwrap()))
        .collect();
    assert_eq!(
        formats,
        [
            ("eb-docker-process", "other"),
            ("eb-docker-process", "command_exec"),
            ("eb-docker-process", "command_output"),
            ("eb-tools", "other"),
            ("app-log", "app_output"),
            ("app-log", "app_output"),
        ]
    );
    assert_eq!(records[4]["program"], "nodejs");
    let (code, out) = run(&["commands", log.to_str().unwrap()]);
    assert_eq!(code, 0);
    assert_eq!(
        out, "no command executions found\n",
        "no phantom engine run"
    );
}

#[test]
fn the_html_page_shows_each_executions_diagnosis() {
    let dir = tempfile::tempdir().unwrap();
    let page = dir.path().join("page.html");
    let (code, _) = run(&[
        "commands",
        "--html",
        page.to_str().unwrap(),
        &host("cfn-init-info"),
        &host("restart-blip"),
    ]);
    assert_eq!(code, 0);
    let html = std::fs::read_to_string(&page).unwrap();
    assert_eq!(
        html.matches("<h4>Diagnosis</h4>").count(),
        1,
        "only the failure has one"
    );
    let at = html.find("<h4>Diagnosis</h4>").unwrap();
    let section = html[..at].rfind("<details").unwrap();
    assert!(html[section..at].contains("data-status=\"FAILURE\""));
    let block = &html[at..at + html[at..].find("</pre>").unwrap()];
    assert!(
        block.contains("error reading information on service awslogs: No such file or directory"),
        "{block}"
    );
    assert!(
        block.contains("error: app-deploy on i-0a4c81d2e97f3b650"),
        "{block}"
    );
}

#[test]
fn the_log_publishers_s3_keys_name_the_instance_when_nothing_else_does() {
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("var/log");
    std::fs::create_dir_all(&log).unwrap();
    let fixture = PathBuf::from(host("tomcat-crash"));
    let engine = std::fs::read_to_string(fixture.join("eb-engine.log")).unwrap();
    // The engine log without the lines that name the instance.
    let anonymous: String = engine
        .lines()
        .filter(|l| !l.contains("i-0c81f4a2e6d9b3570"))
        .map(|l| format!("{l}\n"))
        .collect();
    std::fs::write(log.join("eb-engine.log"), anonymous).unwrap();
    let all = executions(log.to_str().unwrap());
    assert_eq!(all[0]["instance_id"], Value::Null);
    std::fs::copy(fixture.join("eb-tools.log"), log.join("eb-tools.log")).unwrap();
    let all = executions(log.to_str().unwrap());
    assert_eq!(all[0]["instance_id"], "i-0c81f4a2e6d9b3570");
}

#[test]
fn an_excerpt_of_the_tail_log_that_took_it_is_running_not_incomplete() {
    let dir = tempfile::tempdir().unwrap();
    let excerpt = dir.path().join("engine-tail.txt");
    std::fs::write(
        &excerpt,
        "2024/05/30 07:12:44.310266 [INFO] Executing instruction: GetTailLogs\n2024/05/30 07:12:44.310270 [INFO] Tail Logs...\n2024/05/30 07:12:44.311093 [INFO] Running command /bin/sh -c tail -n 100 /var/log/eb-engine.log\n",
    )
    .unwrap();
    let all = executions(excerpt.to_str().unwrap());
    assert_eq!(all.len(), 1);
    assert_eq!(
        (all[0]["command"].as_str(), all[0]["status"].as_str()),
        (Some("tail-log"), Some("RUNNING"))
    );
    let (code, out) = run(&["diagnose", excerpt.to_str().unwrap()]);
    assert_eq!(code, 0, "not a finding");
    assert!(
        out.starts_with("nothing failed: 1 command execution(s)"),
        "{out}"
    );
}

#[test]
fn an_application_log_without_time_stamps_still_shows_its_crash() {
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("var/log");
    std::fs::create_dir_all(log.join("nginx")).unwrap();
    std::fs::create_dir_all(log.join("nodejs")).unwrap();
    let fixture = PathBuf::from(host("node-missing-module"));
    for file in ["eb-engine.log", "nginx/error.log"] {
        std::fs::copy(fixture.join(file), log.join(file)).unwrap();
    }
    // Legacy Node.js: npm's and node's output, no stamps at all.
    let crash = "> photo-share@1.4.0 start\n> node ./www/server.js\n\ninternal/modules/cjs/loader.js:883\n  throw err;\n  ^\n\nError: Cannot find module 'express-session'\nRequire stack:\n- /var/app/current/app.js\n    at Function.Module._resolveFilename (internal/modules/cjs/loader.js:880:15)\n    at Function.Module._load (internal/modules/cjs/loader.js:725:27)\n    at Module.require (internal/modules/cjs/loader.js:952:19)\n";
    std::fs::write(log.join("nodejs/nodejs.log"), crash.repeat(3)).unwrap();
    let hint = unreachable_hint(log.to_str().unwrap());
    let message = hint["message"].as_str().unwrap();
    assert!(
        message.contains("nodejs/nodejs.log (no time stamps, so not placed in time) holds a crash:\nNode.js crash: Error: Cannot find module 'express-session' (seen 3 times)"),
        "{message}"
    );
    assert_eq!(place(&hint["sources"][1]), "nodejs.log:8");
}

#[test]
fn a_pasted_cfn_init_log_alone_gives_its_builds_and_the_failing_command() {
    let al2 = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("samples/al2");
    let all = {
        let (code, out) = run(&[
            "commands",
            "--json",
            al2.join("cfn-init.log").to_str().unwrap(),
            al2.join("cfn-init-cmd.log").to_str().unwrap(),
        ]);
        assert_eq!(code, 0);
        json_lines(out.as_bytes())
    };
    let summary: Vec<(&str, &str)> = all
        .iter()
        .map(|e| {
            (
                e["command"].as_str().unwrap(),
                e["status"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        summary,
        [
            ("cfn-init", "SUCCESS"),
            ("cfn-init", "SUCCESS"),
            ("cfn-init", "SUCCESS"),
            ("cfn-init", "FAILURE")
        ],
        "BUILD FAILED's `Unhandled exception` is no build of its own"
    );
    assert_eq!(all[3]["platform"], "cfn-init");
    assert_eq!(all[3]["failed_step"], "prebuild_0_myapp/01_migrate");
    assert_eq!(all[3]["returncode"], 1, "from cfn-init-cmd.log");
    // A fragment that begins inside a config: the build error line names it.
    let dir = tempfile::tempdir().unwrap();
    let pasted = dir.path().join("cfn-init.log");
    std::fs::write(
        &pasted,
        "2022-08-01 08:51:13,354 [ERROR] Command 03_build_assets (npm run build) failed\n2022-08-01 08:51:13,354 [ERROR] Error encountered during build of postbuild_0_webportal: Command 03_build_assets failed\nTraceback (most recent call last):\n  File \"/usr/lib/python3.7/site-packages/cfnbootstrap/command_tool.py\", line 127, in apply\n    raise ToolError(u\"Command %s failed\" % name)\ncfnbootstrap.construction_errors.ToolError: Command 03_build_assets failed\n2022-08-01 08:51:13,357 [ERROR] -----------------------BUILD FAILED!------------------------\n",
    )
    .unwrap();
    let (code, found) = diagnoses(&[pasted.to_str().unwrap()]);
    assert_eq!(code, 3);
    assert_eq!(
        found[0]["failed_step"],
        "postbuild_0_webportal/03_build_assets"
    );
    assert_eq!(found[0]["failed_step_kind"], "container_command");
    assert!(found[0]["error_excerpt"]
        .as_str()
        .unwrap()
        .contains("$ npm run build"));
}

#[test]
fn two_pasted_runs_without_their_starts_are_two_executions() {
    let dir = tempfile::tempdir().unwrap();
    let both = dir.path().join("pasted.txt");
    let text = std::fs::read_to_string(fragment("prebuild-hook-tail.txt")).unwrap()
        + &std::fs::read_to_string(fragment("postbuild-tail.txt")).unwrap();
    std::fs::write(&both, text).unwrap();
    let all = executions(both.to_str().unwrap());
    let failed: Vec<&str> = all
        .iter()
        .filter_map(|e| e["failed_step"].as_str())
        .collect();
    assert_eq!(
        failed,
        [
            "RunAppDeployPreBuildHooks/.platform/hooks/prebuild/10_install_wkhtmltopdf.sh",
            "PostBuildEbExtension/Infra-EmbeddedPostBuild"
        ],
        "the first run ends after its cleanup"
    );
    assert_eq!(all[0]["duration_ms"], 2474);
}

#[test]
fn an_engine_tail_beside_a_cfn_init_tail_is_followed_to_the_command_the_build_error_names() {
    // The engine excerpt begins at its error line: no config set, no `Running command`.
    let dir = fragment("efs-mount-tail");
    let all = executions(&dir);
    assert_eq!(all.len(), 1, "{all:#?}");
    assert_eq!(
        all[0]["failed_step"],
        "PreBuildEbExtension/prebuild_1_shop/01_mount_efs"
    );
    let chain = failing_chain(&all[0]);
    let kinds: Vec<&str> = chain.iter().map(|s| s["kind"].as_str().unwrap()).collect();
    assert_eq!(kinds, ["instruction", "config", "container_command"]);
    let (code, found) = diagnoses(&[&dir]);
    assert_eq!(code, 3);
    let d = &found[0];
    assert_eq!(d["failed_step_kind"], "container_command");
    assert_eq!(place(&d["failed_step_source"]), "cfn-init.log:1");
    let excerpt = d["error_excerpt"].as_str().unwrap();
    assert!(
        excerpt.contains(
            "Error encountered during build of prebuild_1_shop: Command 01_mount_efs failed"
        ),
        "{excerpt}"
    );
    assert!(
        !excerpt.contains("Traceback"),
        "cfn-init's own stack: {excerpt}"
    );
    assert_eq!(place(&d["look_at"][0]), "cfn-init.log:1", "the cause first");
    // Only the build's last line pasted (`Unhandled exception during build`): it names
    // the command; the config stays unnamed.
    let tmp = tempfile::tempdir().unwrap();
    std::fs::copy(
        PathBuf::from(&dir).join("eb-engine.log"),
        tmp.path().join("eb-engine.log"),
    )
    .unwrap();
    std::fs::write(
        tmp.path().join("cfn-init.log"),
        "2024-03-11 09:42:17,394 [ERROR] Unhandled exception during build: Command 01_mount_efs failed\n",
    )
    .unwrap();
    let all = executions(tmp.path().to_str().unwrap());
    assert_eq!(
        all[0]["failed_step"],
        "PreBuildEbExtension/(config)/01_mount_efs"
    );
}
