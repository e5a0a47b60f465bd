//! `eblog commands` and `eblog diagnose` on the samples of every platform generation:
//! statuses, failing steps, durations and error texts, and the traps of the formats.

use crate::util::{eblog, json_lines, samples_dir};
use serde_json::Value;

fn sample(rel: &str) -> String {
    samples_dir().join(rel).to_string_lossy().into_owned()
}

/// `eblog commands --json ARGS` as JSON values.
fn executions(args: &[&str]) -> Vec<Value> {
    let out = eblog()
        .arg("commands")
        .arg("--json")
        .args(args)
        .output()
        .expect("eblog runs");
    assert!(
        out.status.success(),
        "eblog commands {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    json_lines(&out.stdout)
}

fn started_at<'a>(all: &'a [Value], started: &str) -> &'a Value {
    all.iter()
        .find(|e| e["started"] == started)
        .unwrap_or_else(|| panic!("no execution started at {started}: {all:#?}"))
}

/// The nested step at `path` (names outermost first; hook names hold `/`).
fn step<'a>(execution: &'a Value, path: &[&str]) -> &'a Value {
    let mut level = &execution["steps"];
    let mut found = &Value::Null;
    for name in path {
        found = level
            .as_array()
            .and_then(|steps| steps.iter().find(|s| s["name"] == *name))
            .unwrap_or_else(|| panic!("no step {name} of {path:?} in {execution:#}"));
        level = &found["steps"];
    }
    found
}

fn legacy() -> Vec<Value> {
    executions(&[
        &sample("eb-commandprocessor.log"),
        &sample("eb-activity.log"),
        &sample("cfn-hup.log"),
    ])
}

#[test]
fn legacy_failure_in_a_hook_wins_over_cfn_hups_success() {
    let all = legacy();
    let failed = started_at(&all, "2019-05-14T18:34:48.042Z");
    assert_eq!(failed["command"], "CMD-AppDeploy");
    assert_eq!(failed["platform"], "legacy");
    assert_eq!(failed["id"], "efae3c0c-7676-11e9-ac71-0a3b7c9e1d24");
    // cfn-hup logged `succeeded, returning SUCCESS` for this command.
    assert_eq!(failed["status"], "FAILURE");
    assert_eq!(failed["returncode"], 1);
    assert_eq!(
        failed["failed_step"],
        "AppDeployStage0/AppDeployPreHook/50npm.sh"
    );
    assert_eq!(failed["duration_ms"], 43410);
    let hook = step(failed, &["AppDeployStage0", "AppDeployPreHook", "50npm.sh"]);
    assert_eq!(hook["kind"], "hook");
    assert_eq!(hook["status"], "FAILURE");
    assert_eq!(hook["duration_ms"], 35916);
    let error = failed["error"].as_str().unwrap();
    assert!(
        error.contains(
            "npm ERR! notarget No matching version found for @northwind/ledger-core@^4.2.0"
        ),
        "{error}"
    );
    assert!(
        !error.contains("(TRUNCATED)"),
        "the full hook output is used: {error}"
    );
    let sources = failed["sources"].as_array().unwrap();
    for file in ["eb-commandprocessor.log", "eb-activity.log", "cfn-hup.log"] {
        assert!(
            sources
                .iter()
                .any(|s| s["file"].as_str().unwrap().ends_with(file)),
            "{file} is among the sources"
        );
    }
}

#[test]
fn legacy_success_has_timed_steps_down_to_container_commands() {
    let all = legacy();
    let ok = started_at(&all, "2019-05-14T10:41:25.319Z");
    assert_eq!(ok["status"], "SUCCESS");
    assert_eq!(ok["returncode"], 0);
    assert!(ok.get("failed_step").is_none());
    let names: Vec<&str> = ok["steps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        [
            "AddonsBefore",
            "AppDeployStage0",
            "AppDeployStage1",
            "AddonsAfter"
        ]
    );
    assert_eq!(
        step(ok, &["AppDeployStage0", "AppDeployPreHook", "50npm.sh"])["duration_ms"],
        22282
    );
    let command = step(
        ok,
        &[
            "AppDeployStage0",
            "EbExtensionPreBuild",
            "Infra-EmbeddedPreBuild",
            "prebuild_0_ledger_web",
            "01_ensure_upload_dir",
        ],
    );
    assert_eq!(command["kind"], "container_command");
    assert_eq!(command["duration_ms"], 15);
    assert_eq!(
        step(
            ok,
            &["AppDeployStage1", "AppDeployEnactHook", "90restart_app.sh"]
        )["duration_ms"],
        6588
    );
}

#[test]
fn legacy_not_applicable_is_skipped_and_a_crash_is_a_failure() {
    let all = legacy();
    let skipped = started_at(&all, "2019-05-14T19:06:13.903Z");
    assert_eq!(skipped["status"], "SKIPPED");
    assert_eq!(skipped["returncode"], 0);
    // The command processor never names it: the name comes from cfn-hup's message.
    assert_eq!(skipped["command"], "CMD-TailLogs");
    let crashed = started_at(&all, "2019-05-14T18:52:36.656Z");
    assert_eq!(crashed["status"], "FAILURE");
    assert_eq!(crashed["returncode"], 1, "cfn-hup's exit code");
    assert!(crashed["error"]
        .as_str()
        .unwrap()
        .starts_with("Cannot allocate memory"));
}

#[test]
fn cfn_hup_alone_still_tells_the_command() {
    let all = executions(&[&sample("cfn-hup.log")]);
    let failed = started_at(&all, "2019-05-14T18:34:47.411Z");
    assert_eq!(failed["platform"], "cfn-hup");
    assert_eq!(failed["command"], "CMD-AppDeploy");
    assert_eq!(
        failed["status"], "FAILURE",
        "the result JSON wins over `returning SUCCESS`"
    );
    assert!(failed["error"]
        .as_str()
        .unwrap()
        .starts_with("(TRUNCATED)..."));
}

#[test]
fn al2_failures_name_the_hook_and_the_container_command() {
    let all = executions(&[&sample("al2")]);
    assert_eq!(all.len(), 5);
    let ebextension = started_at(&all, "2022-03-15T19:47:09.402Z");
    assert_eq!(ebextension["status"], "FAILURE");
    assert_eq!(
        ebextension["failed_step"],
        "PreBuildEbExtension/Infra-EmbeddedPreBuild/prebuild_0_myapp/01_migrate"
    );
    let error = ebextension["error"].as_str().unwrap();
    assert!(error.starts_with("EbExtension build failed."), "{error}");
    assert!(error.contains("$ python manage.py migrate"), "{error}");
    assert!(error.ends_with("SyntaxError: invalid syntax"), "{error}");

    let hook = started_at(&all, "2022-06-14T16:27:47.230Z");
    assert_eq!(hook["command"], "app-deploy");
    assert_eq!(hook["instance_id"], "i-0d7e3a91c4b52f806");
    assert_eq!(
        hook["failed_step"],
        "RunAppDeployPreBuildHooks/.platform/hooks/prebuild/01_install.sh"
    );
    let failing = step(
        hook,
        &[
            "RunAppDeployPreBuildHooks",
            ".platform/hooks/prebuild/01_install.sh",
        ],
    );
    assert_eq!(failing["exit_code"], 1);
    assert_eq!(failing["duration_ms"], 17498);
    assert!(hook["error"]
        .as_str()
        .unwrap()
        .ends_with("KeyError: 'ORDERS_DB_URL'"));
    assert_eq!(hook["events"][0]["severity"], "ERROR");

    let launch = started_at(&all, "2022-06-14T09:12:03.418Z");
    assert_eq!(launch["command"], "env-launch");
    assert_eq!(
        launch["status"], "SUCCESS",
        "no CommandService response, no error"
    );
    assert_eq!(step(launch, &["InstallDependency"])["duration_ms"], 11717);
}

#[test]
fn al2023_success_and_ebextension_failure() {
    let all = executions(&[&sample("al2023")]);
    assert_eq!(all.len(), 2);
    assert_eq!(all[0]["status"], "SUCCESS");
    assert_eq!(all[0]["duration_ms"], 7160);
    assert_eq!(all[0]["events"].as_array().unwrap().len(), 3);
    assert_eq!(all[1]["status"], "FAILURE");
    assert_eq!(
        all[1]["failed_step"],
        "PreBuildEbExtension/Infra-EmbeddedPreBuild"
    );
}

#[test]
fn excerpts_that_start_or_end_mid_command() {
    // The bundles' engine logs start inside a run.
    let all = executions(&[&sample("bundles/tail-bundle.txt")]);
    assert_eq!(all.len(), 1);
    assert_eq!(all[0]["status"], "SUCCESS");
    assert_eq!(
        all[0]["command"], "app-deploy",
        "named by the run's last line"
    );
    assert_eq!(all[0]["started"], "2022-09-14T18:40:42.801Z");
    let all = executions(&[&sample("bundles/cloudwatch.txt")]);
    assert_eq!(all.len(), 1);
    assert_eq!(all[0]["status"], "FAILURE");
    assert_eq!(all[0]["instance_id"], "i-0d7e3a91c4b52f806");
    assert_eq!(
        all[0]["failed_step"],
        "RunAppDeployPreBuildHooks/.platform/hooks/prebuild/01_install.sh"
    );
    // A log cut before the run ends.
    let text = std::fs::read_to_string(samples_dir().join("al2023/eb-engine.log")).unwrap();
    let cut: String = text.lines().take(100).map(|l| format!("{l}\n")).collect();
    let out = eblog()
        .args(["commands", "--json", "--format", "engine", "-"])
        .write_stdin(cut)
        .output()
        .unwrap();
    assert!(out.status.success());
    let all = json_lines(&out.stdout);
    assert_eq!(all.len(), 1);
    assert_eq!(all[0]["status"], "INCOMPLETE");
    assert_eq!(
        all[0]["steps"].as_array().unwrap().last().unwrap()["status"],
        "INCOMPLETE"
    );
}

#[test]
fn filters_and_the_table() {
    let failed = executions(&["--failed", &sample("al2"), &sample("al2023")]);
    assert_eq!(failed.len(), 3);
    assert!(failed.iter().all(|e| e["status"] == "FAILURE"));
    let window = executions(&[
        "--since",
        "2022-06-14",
        "--until",
        "2022-06-14 12:00",
        &sample("al2"),
    ]);
    assert_eq!(window.len(), 2);
    let out = eblog()
        .args(["commands", "--wide", &sample("al2023")])
        .output()
        .unwrap();
    let table = String::from_utf8(out.stdout).unwrap();
    let lines: Vec<&str> = table.lines().collect();
    assert!(lines[0].starts_with("START"), "{table}");
    assert!(
        lines[2].contains("FAILURE")
            && lines[2].ends_with("PreBuildEbExtension/Infra-EmbeddedPreBuild"),
        "{table}"
    );
    // Not a terminal, no COLUMNS: fitted to 80 columns, the failed step's end kept.
    let out = eblog()
        .env_remove("COLUMNS")
        .args(["commands", &sample("al2023")])
        .output()
        .unwrap();
    let fitted = String::from_utf8(out.stdout).unwrap();
    assert!(fitted.lines().all(|l| l.chars().count() <= 80), "{fitted}");
    assert!(
        fitted
            .lines()
            .nth(2)
            .is_some_and(|l| l.ends_with("  …eddedPreBuild")),
        "{fitted}"
    );
    assert!(
        !table.contains('\u{1b}'),
        "no colour when stdout is not a terminal"
    );
    eblog()
        .args(["commands", "--since", "soon", &sample("al2")])
        .assert()
        .code(2);
}

#[test]
fn diagnose_names_the_failing_step_the_file_and_the_missing_variable() {
    let out = eblog().args(["diagnose", &sample("al2")]).output().unwrap();
    assert_eq!(out.status.code(), Some(3), "a deploy failed");
    let report = String::from_utf8(out.stdout).unwrap();
    assert!(
        report.contains(
            "failed step: RunAppDeployPreBuildHooks/.platform/hooks/prebuild/01_install.sh (hook)"
        ),
        "{report}"
    );
    assert!(
        report.contains("the variable ORDERS_DB_URL as missing"),
        "{report}"
    );
    assert!(
        report.contains("al2/eb-engine.log:221"),
        "the error line is listed: {report}"
    );
    assert!(report.contains("failed step: PreBuildEbExtension/Infra-EmbeddedPreBuild/prebuild_0_myapp/01_migrate (container command)"), "{report}");
    assert!(report.contains("al2/cfn-init.log:84"), "{report}");

    let json = eblog()
        .args(["diagnose", "--json", &sample("al2")])
        .output()
        .unwrap();
    let diagnoses = json_lines(&json.stdout);
    assert_eq!(diagnoses.len(), 3);
    let unreachable = diagnoses
        .iter()
        .find(|d| d["status"] == "SUCCESS")
        .expect("the successful deploy");
    let hint = &unreachable["hints"][0];
    assert_eq!(hint["kind"], "app_unreachable");
    let message = hint["message"].as_str().unwrap();
    assert!(message.contains("18 upstream error(s) in the proxy log from 2022-09-14T18:41:07Z to 2022-09-14T18:41:48Z"), "{message}");
    assert!(
        message.contains("TypeError: Cannot read properties of undefined (reading 'reduce')"),
        "{message}"
    );
}

#[test]
fn diagnose_legacy_hints_and_the_all_clear() {
    let out = eblog()
        .args([
            "diagnose",
            "--json",
            &sample("eb-commandprocessor.log"),
            &sample("eb-activity.log"),
            &sample("cfn-hup.log"),
        ])
        .output()
        .unwrap();
    let diagnoses = json_lines(&out.stdout);
    let kinds = |d: &Value| -> Vec<String> {
        d["hints"]
            .as_array()
            .unwrap()
            .iter()
            .map(|h| h["kind"].as_str().unwrap().to_owned())
            .collect()
    };
    let npm = diagnoses
        .iter()
        .find(|d| d["command"] == "CMD-AppDeploy")
        .unwrap();
    assert_eq!(npm["failed_step_kind"], "hook");
    assert!(kinds(npm).contains(&"truncated".to_owned()), "{npm:#}");
    let oom = diagnoses
        .iter()
        .find(|d| d["command"] == "CMD-TailLogs")
        .unwrap();
    assert!(kinds(oom).contains(&"out_of_memory".to_owned()), "{oom:#}");

    let text = std::fs::read_to_string(samples_dir().join("al2023/eb-engine.log")).unwrap();
    let first_run: String = text.lines().take(132).map(|l| format!("{l}\n")).collect();
    let out = eblog()
        .args(["diagnose", "--format", "engine", "-"])
        .write_stdin(first_run)
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8(out.stdout).unwrap(),
        "nothing failed: 1 command execution(s), none failed or left the application unreachable\n"
    );
}

#[test]
fn html_timeline_is_one_self_contained_file() {
    let dir = tempfile::tempdir().unwrap();
    let page = dir.path().join("report.html");
    eblog()
        .args(["commands", "--html"])
        .arg(&page)
        .arg(sample("al2"))
        .assert()
        .success();
    let html = std::fs::read_to_string(&page).unwrap();
    assert!(html.contains(r#"data-eblog-report="ok""#));
    assert!(
        html.contains(r#"data-executions="5""#),
        "five executions on the timeline"
    );
    assert!(
        html.contains("01_migrate"),
        "the failing container command is drawn"
    );
    assert!(
        !html.contains("http://") && !html.contains("https://"),
        "no external resources"
    );
}

#[test]
fn activity_log_alone_tells_the_commands_even_from_mid_command() {
    let all = executions(&[&sample("eb-activity.log")]);
    let commands: Vec<(&str, &str)> = all
        .iter()
        .map(|e| {
            (
                e["command"].as_str().unwrap(),
                e["status"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        commands,
        [
            ("CMD-PreInit", "SUCCESS"),
            ("CMD-AppDeploy", "SUCCESS"),
            ("CMD-AppDeploy", "FAILURE")
        ]
    );
    assert_eq!(
        all[2]["failed_step"],
        "AppDeployStage0/AppDeployPreHook/50npm.sh"
    );
    assert_eq!(all[1]["duration_ms"], 36799);
    // An excerpt that starts inside the failing command: the steps it holds, by path.
    let text = std::fs::read_to_string(samples_dir().join("eb-activity.log")).unwrap();
    let excerpt: String = text.lines().skip(175).map(|l| format!("{l}\n")).collect();
    let out = eblog()
        .args(["commands", "--json", "--format", "activity", "-"])
        .write_stdin(excerpt)
        .output()
        .unwrap();
    let cut = json_lines(&out.stdout);
    assert_eq!(cut.len(), 1);
    assert_eq!(
        cut[0]["command"], "CMD-AppDeploy",
        "named by the top activity's result"
    );
    assert_eq!(cut[0]["status"], "FAILURE");
    assert_eq!(
        cut[0]["failed_step"],
        "AppDeployStage0/AppDeployPreHook/50npm.sh"
    );
    let stage = step(&cut[0], &["AppDeployStage0"]);
    assert!(
        stage.get("started").is_none(),
        "its start is before the excerpt"
    );
    assert_eq!(
        step(
            &cut[0],
            &["AppDeployStage0", "AppDeployPreHook", "50npm.sh"]
        )["duration_ms"],
        35916
    );
}

/// One engine run of `instructions` (lines after `Engine command:`) starting at `hh:mm`.
fn engine_run(hhmm: &str, body: &[&str], failed: bool) -> String {
    let t = |s: &str| format!("2024/03/02 {hhmm}:{s} [INFO]");
    let mut log = format!(
        "{} Starting...\n{} Starting EBPlatform-PlatformEngine\n{} Engine received EB command cfn-hup-exec\n\n{} Engine command: (app-deploy)\n\n",
        t("01.100000"),
        t("01.100050"),
        t("01.100300"),
        t("01.500000")
    );
    for (i, line) in body.iter().enumerate() {
        let ts = format!("2024/03/02 {hhmm}:{:02}.{:06}", 2 + i, 0);
        log.push_str(&format!("{ts} {line}\n"));
    }
    let (status, code) = if failed {
        ("FAILURE", 1)
    } else {
        ("SUCCESS", 0)
    };
    log.push_str(&format!(
        "{} Executing cleanup logic\n{} CommandService Response: {{\"status\":\"{status}\",\"api_version\":\"1.0\",\"results\":[{{\"status\":\"{status}\",\"msg\":\"x\",\"returncode\":{code},\"events\":[]}}]}}\n\n{} Platform Engine finished execution on command: app-deploy\n\n",
        t("50.000000"),
        t("50.000100"),
        t("50.000200")
    ));
    log
}

#[test]
fn engine_failures_of_every_common_shape() {
    let log = [
        engine_run(
            "10:00",
            &[
                "[INFO] Executing instruction: StageApplication",
                "[INFO] Executing instruction: Check Procfile",
                "[ERROR] An error occurred during execution of command [app-deploy] - [Check Procfile]. Stop running the command. Error: there is no Procfile and no .py file at root level of your source bundle ",
            ],
            true,
        ),
        engine_run(
            "11:00",
            &[
                "[INFO] Executing instruction: InstallDependency",
                "[INFO] Running command /bin/sh -c /var/app/venv/staging-LQM1lest/bin/pip install -r requirements.txt",
                "[ERROR] An error occurred during execution of command [app-deploy] - [InstallDependency]. Stop running the command. Error: fail to install dependencies with requirements.txt file with error Command /bin/sh -c /var/app/venv/staging-LQM1lest/bin/pip install -r requirements.txt failed with error exit status 1. Stderr:ERROR: Could not find a version that satisfies the requirement Flask==9.9.9\nERROR: No matching distribution found for Flask==9.9.9\n ",
            ],
            true,
        ),
        engine_run(
            "12:00",
            &[
                "[INFO] Executing instruction: Docker Specific Build Application",
                "[INFO] Running command /bin/sh -c docker compose build",
                "[ERROR] An error occurred during execution of command [app-deploy] - [Docker Specific Build Application]. Stop running the command. Error: failed to build docker compose with error: Command /bin/sh -c docker compose build failed with error exit status 17. Stderr:failed to solve: node:22-alpine: failed to resolve source metadata",
            ],
            true,
        ),
        engine_run(
            "13:00",
            &[
                "[INFO] Executing instruction: RunAppDeployPreBuildHooks",
                "[INFO] Executing platform hooks in .platform/hooks/prebuild/",
                "[INFO] Following platform hooks will be executed in order: [01_setup.sh]",
                "[INFO] Running platform hook: .platform/hooks/prebuild/01_setup.sh",
                "[ERROR] An error occurred during execution of command [app-deploy] - [RunAppDeployPreBuildHooks]. Stop running the command. Error: Command .platform/hooks/prebuild/01_setup.sh failed with error fork/exec .platform/hooks/prebuild/01_setup.sh: permission denied ",
            ],
            true,
        ),
        engine_run(
            "14:00",
            &[
                "[INFO] Executing instruction: InstallDependency",
                "[INFO] Running command /bin/sh -c /var/app/venv/staging-LQM1lest/bin/pip install -r requirements.txt",
                "[INFO] Successfully installed Flask-3.0.2",
                "[INFO] Executing instruction: FlipApplication",
            ],
            false,
        ),
    ]
    .concat();
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("eb-engine.log"), &log).unwrap();
    let path = dir.path().to_string_lossy().into_owned();
    let all = executions(&[&path]);
    let failed: Vec<(&str, &str)> = all
        .iter()
        .map(|e| {
            (
                e["status"].as_str().unwrap(),
                e["failed_step"].as_str().unwrap_or(""),
            )
        })
        .collect();
    assert_eq!(
        failed,
        [
            ("FAILURE", "Check Procfile"),
            ("FAILURE", "InstallDependency"),
            ("FAILURE", "Docker Specific Build Application"),
            (
                "FAILURE",
                "RunAppDeployPreBuildHooks/.platform/hooks/prebuild/01_setup.sh"
            ),
            ("SUCCESS", ""),
        ]
    );
    assert_eq!(all[1]["returncode"], 1);
    assert!(all[1]["error"]
        .as_str()
        .unwrap()
        .ends_with("No matching distribution found for Flask==9.9.9"));
    assert_eq!(step(&all[4], &["InstallDependency"])["duration_ms"], 3000);

    let out = eblog()
        .args(["diagnose", "--json", &path])
        .output()
        .unwrap();
    let diagnoses = json_lines(&out.stdout);
    let kinds = |i: usize| -> Vec<&str> {
        diagnoses[i]["hints"]
            .as_array()
            .unwrap()
            .iter()
            .map(|h| h["kind"].as_str().unwrap())
            .collect()
    };
    assert_eq!(diagnoses.len(), 4);
    assert!(kinds(2).contains(&"docker"), "{:?}", kinds(2));
    assert!(kinds(2).contains(&"exit_code"), "{:?}", kinds(2));
    assert!(kinds(3).contains(&"permission_denied"), "{:?}", kinds(3));
    assert_eq!(diagnoses[3]["failed_step_kind"], "hook");
    assert!(diagnoses[3]["failed_step_source"]["file"]
        .as_str()
        .unwrap()
        .ends_with("eb-engine.log"));
}

#[test]
fn legacy_docker_run_with_empty_variables() {
    let p = "[2016-03-02T10:15:{s}] INFO  [4242]  - [Application update app-7c1d-160302_101455@12{path}] : {msg}\n";
    let line = |s: &str, path: &str, msg: &str| {
        p.replace("{s}", s)
            .replace("{path}", path)
            .replace("{msg}", msg)
    };
    let hook = "/AppDeployStage1/AppDeployEnactHook/00run.sh";
    let output = "+ docker run -d --env PARAM3= --env PARAM1=prod --env RDS_PORT=3306 --env RDS_HOSTNAME= -v /var/log/eb-docker/containers/eb-current-app:/var/log/nginx aws_beanstalk/staging-app\n  4f2a9c0d1e7b\n  + sleep 5\n  + docker ps -q --no-trunc -f id=4f2a9c0d1e7b\n  aws_beanstalk/staging-app container exited: Error: PARAM3 must be set\n  Docker container quit unexpectedly after launch. (ElasticBeanstalk::ExternalInvocationError)";
    let log = [
        line("20.101Z", "", "Starting activity..."),
        line("20.102Z", "/AppDeployStage1", "Starting activity..."),
        line(
            "20.103Z",
            "/AppDeployStage1/AppDeployEnactHook",
            "Starting activity...",
        ),
        line("20.104Z", hook, "Starting activity..."),
        line(
            "31.900Z",
            hook,
            &format!("Activity execution failed, because: {output}"),
        ),
        line("31.901Z", hook, "Activity failed."),
        line(
            "31.902Z",
            "/AppDeployStage1/AppDeployEnactHook",
            "Activity failed.",
        ),
        line("31.903Z", "/AppDeployStage1", "Activity failed."),
        line(
            "31.904Z",
            "",
            "Completed activity. Result:\n  Application update - Command CMD-AppDeploy failed",
        ),
    ]
    .concat();
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("eb-activity.log"), log).unwrap();
    let path = dir.path().to_string_lossy().into_owned();
    let all = executions(&[&path]);
    assert_eq!(all.len(), 1);
    assert_eq!(
        all[0]["failed_step"],
        "AppDeployStage1/AppDeployEnactHook/00run.sh"
    );
    assert_eq!(
        step(
            &all[0],
            &["AppDeployStage1", "AppDeployEnactHook", "00run.sh"]
        )["duration_ms"],
        11797
    );
    let out = eblog().args(["diagnose", &path]).output().unwrap();
    let report = String::from_utf8(out.stdout).unwrap();
    assert!(
        report.contains("empty environment variables: PARAM3=, RDS_HOSTNAME="),
        "{report}"
    );
    assert!(
        report.contains("hint: docker: image aws_beanstalk/staging-app; container 4f2a9c0d1e7b"),
        "{report}"
    );
}

/// Every form of `commands` (JSON lines read back from the spill, the table of rows, the
/// HTML page's executions) lists the same executions in order of start, whatever the
/// thread count (`-j 1` correlates on the only thread, `-j 2` beside the workers).
#[test]
fn every_output_form_agrees_in_order_of_start_across_thread_counts() {
    let all = samples_dir().to_string_lossy().into_owned();
    let run = |args: &[&str]| {
        let out = eblog().arg("commands").args(args).output().unwrap();
        assert!(out.status.success(), "{args:?}");
        out.stdout
    };
    let json_one = run(&["-j", "1", "--json", &all]);
    let json_two = run(&["-j", "2", "--json", &all]);
    assert_eq!(json_one, json_two);
    let listed = json_lines(&json_one);
    assert!(listed.len() >= 10, "{}", listed.len());
    let starts: Vec<&str> = listed
        .iter()
        .filter_map(|e| e["started"].as_str())
        .collect();
    let mut sorted = starts.clone();
    sorted.sort_unstable();
    assert_eq!(starts, sorted, "JSON lines in order of start");
    // The table: one row per execution, in the same order.
    let table = String::from_utf8(run(&["-j", "2", &all])).unwrap();
    assert_eq!(run(&["-j", "1", &all]), table.as_bytes());
    let rows: Vec<&str> = table.lines().skip(1).collect();
    assert_eq!(rows.len(), listed.len());
    for (row, e) in rows.iter().zip(&listed) {
        // The table shows the start to the minute: `2022-06-14 16:27`.
        let start = e["started"]
            .as_str()
            .map_or("-".to_owned(), |s| s[..16].replace('T', " "));
        assert!(row.starts_with(&start), "{row} / {start}");
    }
    // --html keeps whole executions and prints the same JSON lines.
    let page = tempfile::tempdir().unwrap();
    let html = page.path().join("report.html");
    let with_page = run(&["--json", "--html", html.to_str().unwrap(), &all]);
    assert_eq!(with_page, json_one);
    assert!(std::fs::metadata(&html).unwrap().len() > 1000);
}
