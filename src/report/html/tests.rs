//! The page's tests.

use super::*;
use crate::correlate::SourceRef;

/// 2019-03-04T17:00:00Z in microseconds.
const T0: i64 = 1_551_718_800_000_000;

fn rfc3339(us: i64) -> String {
    fmt_instant(us, "%Y-%m-%dT%H:%M:%S%.3fZ")
}

fn step(name: &str, status: Status, start_us: Option<i64>, duration_ms: Option<i64>) -> Step {
    Step {
        name: name.to_owned(),
        kind: "hook",
        started: start_us.map(rfc3339),
        duration_ms,
        status,
        exit_code: None,
        output: None,
        source: Some(SourceRef {
            file: "eb-engine.log".into(),
            line: 42,
        }),
        steps: Vec::new(),
        start_us,
        end_us: start_us
            .zip(duration_ms)
            .map(|(s, d)| s.saturating_add(d.saturating_mul(1000))),
    }
}

fn exec(
    host: &str,
    command: &str,
    status: Status,
    start_us: Option<i64>,
    duration_ms: Option<i64>,
) -> Execution {
    let end_us = start_us
        .zip(duration_ms)
        .map(|(s, d)| s.saturating_add(d.saturating_mul(1000)));
    Execution {
        instance_id: Some(format!("i-0{}", host.len())),
        host: host.to_owned(),
        platform: "engine",
        command: command.to_owned(),
        id: Some("c0ffee".to_owned()),
        started: start_us.map(rfc3339),
        finished: end_us.map(rfc3339),
        duration_ms,
        status,
        returncode: None,
        steps: Vec::new(),
        failed_step: None,
        error: None,
        events: Vec::new(),
        sources: vec![SourceRef {
            file: "eb-engine.log".into(),
            line: 1,
        }],
        error_at: None,
        start_us,
        end_us,
    }
}

/// A failed deployment: a stage holding three hooks, the last of which fails.
fn failed_deploy(start: i64) -> Execution {
    let mut e = exec(
        "web-1",
        "app-deploy",
        Status::Failure,
        Some(start),
        Some(95_000),
    );
    let mut stage = step(
        "RunAppDeployPreBuildHooks",
        Status::Failure,
        Some(start + 1_000_000),
        Some(90_000),
    );
    stage.kind = "stage";
    stage.steps = vec![
        step(
            ".platform/hooks/prebuild/01_install.sh",
            Status::Success,
            Some(start + 1_000_000),
            Some(30_000),
        ),
        step(
            ".platform/hooks/prebuild/02_config.sh",
            Status::Success,
            Some(start + 31_000_000),
            Some(20_000),
        ),
        Step {
            exit_code: Some(2),
            output: Some("npm ERR! missing <package.json>".to_owned()),
            ..step(
                ".platform/hooks/prebuild/03_migrate.sh",
                Status::Failure,
                Some(start + 51_000_000),
                Some(40_000),
            )
        },
    ];
    e.steps = vec![stage];
    e.failed_step =
        Some("RunAppDeployPreBuildHooks/.platform/hooks/prebuild/03_migrate.sh".to_owned());
    e.error = Some("hook failed: <script>alert(1)</script> & exit \"2\"".to_owned());
    e.returncode = Some(2);
    e
}

/// Text that breaks out of element content, a double- or single-quoted attribute, or a
/// `<script>`, if any of those contexts is not escaped.
const HOSTILE: &str = "x\"><img src=x onerror=alert(1)>' onmouseover='alert(2)</script><script>alert(3)</script>\u{1b}[31m";

#[test]
fn hostile_text_in_every_field_stays_text() {
    let mut e = failed_deploy(T0);
    e.host = HOSTILE.to_owned();
    e.instance_id = Some(HOSTILE.to_owned());
    e.command = HOSTILE.to_owned();
    e.id = Some(HOSTILE.to_owned());
    e.failed_step = Some(HOSTILE.to_owned());
    e.error = Some(HOSTILE.to_owned());
    e.sources[0].file = HOSTILE.into();
    e.events = vec![eblog_grammars::result_json::ResultEvent {
        msg: HOSTILE.to_owned(),
        severity: Some(HOSTILE.to_owned()),
        timestamp_ms: Some(1_551_718_800_000),
        timestamp_unit: None,
    }];
    let migrate = &mut e.steps[0].steps[2];
    migrate.name = HOSTILE.to_owned();
    migrate.output = Some(HOSTILE.to_owned());
    let mut untimed = exec("web-2", HOSTILE, Status::Failure, None, None);
    untimed.host = HOSTILE.to_owned();
    let html = render_with_diagnoses(&[e, untimed], &[Some(HOSTILE.to_owned()), None], HOSTILE);

    assert_eq!(html.matches("<script>").count(), 2, "only the page's own");
    assert_eq!(html.matches("</script>").count(), 2);
    for needle in ["<img", "alert(1)>", "alert(3)</script>", "\u{1b}"] {
        assert!(!html.contains(needle), "{needle:?} reached the page");
    }
    // No value ended its attribute early and started one of its own: every tag's
    // attributes are the page's (none an event handler), every quote closed.
    for tag in html
        .split('<')
        .skip(1)
        .filter_map(|t| t.split_once('>').map(|(t, _)| t))
    {
        let names = attribute_names(tag);
        assert!(
            names.iter().all(|n| !n.starts_with("on")),
            "{names:?} in <{tag}>"
        );
    }
    let escaped = "x&quot;&gt;&lt;img src=x onerror=alert(1)&gt;' onmouseover='alert(2)&lt;/script&gt;&lt;script&gt;alert(3)&lt;/script&gt;\u{FFFD}[31m";
    // Title, heading, lane label and lane heading (twice), instance (four), the command
    // (bar label and tooltip are no more than the summary and facts), id, failed step
    // (summary and facts), error, diagnosis, step name, output, event message and
    // severity, sources, the untimed execution's link: all there, as text.
    assert!(
        html.matches(escaped).count() >= 20,
        "{}",
        html.matches(escaped).count()
    );
    assert!(html.contains(&format!("<title>{escaped}</title>")));
    assert!(html.contains(&format!("<pre class=\"error diagnosis\">{escaped}</pre>")));
    assert!(html.contains(&format!("<pre class=\"output\">{escaped}</pre>")));
    assert!(html.contains(&format!("<td>{escaped}</td><td>{escaped}</td>")));
}

/// The attribute names of a tag's text (between `<` and `>`), values skipped; panics on
/// a quote left open.
fn attribute_names(tag: &str) -> Vec<&str> {
    let mut names = Vec::new();
    let mut rest = tag.split_once(char::is_whitespace).map_or("", |(_, r)| r);
    while let Some(start) = rest.find(|c: char| !c.is_whitespace()) {
        rest = &rest[start..];
        let end = rest.find(['=', ' ', '\n']).unwrap_or(rest.len());
        names.push(&rest[..end]);
        rest = &rest[end..];
        if let Some(value) = rest.strip_prefix("=\"") {
            let close = value
                .find('"')
                .unwrap_or_else(|| panic!("open quote in <{tag}>"));
            rest = &value[close + 1..];
        }
    }
    names
}

/// The tag (from `<` to `>`) around the first occurrence of `needle`.
fn tag_around<'h>(html: &'h str, needle: &str) -> &'h str {
    let at = html
        .find(needle)
        .unwrap_or_else(|| panic!("{needle:?} not in the page"));
    let start = html[..at]
        .rfind('<')
        .expect("a tag opens before the needle");
    let end = at
        + html[at..]
            .find('>')
            .expect("the tag closes after the needle");
    &html[start..=end]
}

/// A deterministic fleet: `n` executions on 8 instances over about a day, every
/// status, some without times, one with hostile text.
fn fleet(n: usize) -> Vec<Execution> {
    let mut seed: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut next = move |m: u64| {
        seed = seed
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (seed >> 33) % m
    };
    let commands = [
        "app-deploy",
        "config-deploy",
        "self-startup",
        "restart-app-server",
        "CMD-AppDeploy",
    ];
    let hosts = 8;
    let per_host = n.div_ceil(hosts).max(1) as i64;
    let gap = 86_400_000_000 / per_host;
    (0..n)
        .map(|i| {
            let host = format!("web-{}", i % hosts);
            let slot = (i / hosts) as i64;
            let start = T0 + slot * gap + (next(600) as i64) * 1_000_000;
            let status = match next(20) {
                0..=2 => Status::Failure,
                3 => Status::Timeout,
                4 => Status::Incomplete,
                5 => Status::Skipped,
                _ => Status::Success,
            };
            let mut e = if i % 97 == 50 {
                exec(&host, "CMD-TailLogs", status, None, None)
            } else if status == Status::Failure && next(2) == 0 {
                let mut e = failed_deploy(start);
                e.host = host.clone();
                e
            } else {
                let steps: Vec<Step> = (0..(2 + next(6) as i64))
                    .map(|k| {
                        let s = step(
                            &format!("Step{k}"),
                            Status::Success,
                            Some(start + k * 20_000_000),
                            Some(5_000 + next(15_000) as i64),
                        );
                        Step {
                            kind: "instruction",
                            ..s
                        }
                    })
                    .collect();
                let total = steps
                    .iter()
                    .map(|s| s.duration_ms.unwrap_or(0))
                    .sum::<i64>()
                    + 40_000;
                let duration = if status == Status::Incomplete {
                    None
                } else {
                    Some(total)
                };
                let mut e = exec(
                    &host,
                    commands[i % commands.len()],
                    status,
                    Some(start),
                    duration,
                );
                e.steps = steps;
                if status == Status::Timeout {
                    e.error = Some("Command timed out after 600 seconds".to_owned());
                }
                e
            };
            e.instance_id = Some(format!("i-0{:015x}", 0xabc000 + i % hosts));
            e.id = Some(format!("{:08x}-{i}", next(u64::from(u32::MAX))));
            e
        })
        .collect()
}

#[test]
fn empty_input_says_so() {
    let html = render(&[], "Deploys");
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(html.contains(r#"data-eblog-report="ok""#));
    assert!(html.contains(r#"data-executions="0""#));
    assert!(html.contains("No command executions were found."));
    assert!(!html.contains("class=\"bar "));
    assert!(html.contains("document.body.dataset.rendered='ok'"));
}

#[test]
fn marker_attributes_are_on_the_root_element() {
    let es = [exec(
        "web-1",
        "app-deploy",
        Status::Success,
        Some(T0),
        Some(60_000),
    )];
    let html = render(&es, "Deploys");
    let root = tag_around(&html, "<html ");
    assert!(root.contains(r#"data-eblog-report="ok""#), "{root}");
    assert!(root.contains(r#"data-executions="1""#), "{root}");
    assert!(
        html.find("window.onerror") < html.find("<body>"),
        "onerror is installed first"
    );
}

#[test]
fn statuses_are_coloured_as_specified() {
    let statuses = [
        Status::Success,
        Status::Failure,
        Status::Timeout,
        Status::Incomplete,
        Status::Skipped,
    ];
    let es: Vec<Execution> = statuses
        .iter()
        .enumerate()
        .map(|(i, &st)| {
            exec(
                "web-1",
                "app-deploy",
                st,
                Some(T0 + i as i64 * 120_000_000),
                Some(60_000),
            )
        })
        .collect();
    let html = render(&es, "Deploys");
    // The palette: success green, failure red, timeout orange, skipped light grey,
    // incomplete grey and striped.
    assert!(html.contains("--c-success:#2da44e"));
    assert!(html.contains("--c-failure:#cf222e"));
    assert!(html.contains("--c-timeout:#e8730c"));
    assert!(html.contains("--c-skipped:#d8dee4"));
    assert!(html.contains(".st-failure{--c:var(--c-failure)"));
    assert!(html.contains(".bar.st-incomplete") && html.contains("repeating-linear-gradient"));
    for (i, &st) in statuses.iter().enumerate() {
        let bar = tag_around(&html, &format!("href=\"#exec-{i}\""));
        assert!(bar.starts_with("<a class=\"bar "), "{bar}");
        assert!(bar.contains(status_class(st)), "{st:?}: {bar}");
        assert_eq!(bar.contains(" bad"), st.is_failure(), "{bar}");
        let section = tag_around(&html, &format!("id=\"exec-{i}\""));
        assert!(section.contains(status_class(st)), "{section}");
    }
    let chip = tag_around(&html, r#"data-status="TIMEOUT">"#);
    assert!(chip.contains("chip st-timeout"), "{chip}");
}

#[test]
fn failing_steps_are_named_and_red() {
    let html = render(&[failed_deploy(T0)], "Deploys");
    let row = tag_around(&html, "title=\".platform/hooks/prebuild/03_migrate.sh");
    assert!(row.contains("wf-row st-failure bad"), "{row}");
    assert!(
        row.contains("exit code 2") && row.contains("source eb-engine.log:42"),
        "{row}"
    );
    assert!(html.contains("<span class=\"exit\">exit 2</span>"));
    assert!(
        html.contains("failed at RunAppDeployPreBuildHooks/.platform/hooks/prebuild/03_migrate.sh")
    );
    let ok_row = tag_around(&html, "title=\".platform/hooks/prebuild/01_install.sh");
    assert!(ok_row.contains("wf-row st-success\""), "{ok_row}");
    // Nested steps are indented below their stage.
    assert!(html.contains("<span class=\"kind\">stage</span><span class=\"nm\" style=\"padding-left:0px\">RunAppDeployPreBuildHooks<"));
    assert!(html.contains("<span class=\"kind\">hook</span><span class=\"nm\" style=\"padding-left:16px\">.platform/hooks/prebuild/03_migrate.sh<"));
    // Failed executions start expanded.
    assert!(tag_around(&html, "id=\"exec-0\"").ends_with(" open>"));
}

#[test]
fn step_bars_are_proportional_to_duration() {
    let html = render(&[failed_deploy(T0)], "Deploys");
    // 95 s execution: the 30 s hook starts at 1 s and the 40 s hook at 51 s.
    assert!(html.contains(&format!(
        "left:{};width:{}",
        pct(100.0 / 95.0),
        pct(3000.0 / 95.0)
    )));
    assert!(html.contains(&format!(
        "left:{};width:{}",
        pct(5100.0 / 95.0),
        pct(4000.0 / 95.0)
    )));
}

#[test]
fn text_is_escaped() {
    let mut e = failed_deploy(T0);
    e.command = "app-deploy <b>&</b>".to_owned();
    let html = render(&[e], "Deploys for <script>x</script>");
    assert!(html
        .contains("hook failed: &lt;script&gt;alert(1)&lt;/script&gt; &amp; exit &quot;2&quot;"));
    assert!(!html.contains("<script>alert"));
    assert!(html.contains("<title>Deploys for &lt;script&gt;x&lt;/script&gt;</title>"));
    assert!(html.contains("app-deploy &lt;b&gt;&amp;&lt;/b&gt;"));
    assert!(!html.contains("<b>&</b>"));
    assert!(html.contains("npm ERR! missing &lt;package.json&gt;"));
    assert_eq!(
        html.matches("<script>").count(),
        2,
        "only the report's own two scripts"
    );
    assert_eq!(clean("a\u{0}b\u{1b}c\td"), "a\u{FFFD}b\u{FFFD}c\td");
}

#[test]
fn executions_without_times_are_listed_without_a_bar() {
    let es = [
        exec(
            "web-1",
            "app-deploy",
            Status::Success,
            Some(T0),
            Some(60_000),
        ),
        exec("web-1", "CMD-TailLogs", Status::Incomplete, None, None),
    ];
    let html = render(&es, "Deploys");
    let link = tag_around(&html, "href=\"#exec-1\"");
    assert!(
        link.starts_with("<a class=\"untimed-link st-incomplete\""),
        "{link}"
    );
    assert_eq!(html.matches("href=\"#exec-1\"").count(), 1);
    assert!(html.contains("id=\"exec-1\""));
    assert!(html.contains("start unknown"));
}

#[test]
fn only_untimed_executions_still_render() {
    let html = render(
        &[exec(
            "web-1",
            "CMD-TailLogs",
            Status::Incomplete,
            None,
            None,
        )],
        "Deploys",
    );
    assert!(html.contains("Without times"));
    assert!(html.contains("id=\"exec-0\""));
    assert!(!html.contains("class=\"tick\""));
}

#[test]
fn lanes_are_per_host_and_instance() {
    let html = render(&fleet(40), "Fleet");
    assert_eq!(html.matches("<div class=\"tl-row lane\">").count(), 8);
    assert!(html.contains("web-3"));
}

#[test]
fn overlapping_executions_are_stacked() {
    let es = [
        exec(
            "web-1",
            "app-deploy",
            Status::Success,
            Some(T0),
            Some(600_000),
        ),
        exec(
            "web-1",
            "self-startup",
            Status::Success,
            Some(T0 + 60_000_000),
            Some(60_000),
        ),
    ];
    let html = render(&es, "Deploys");
    assert!(tag_around(&html, "href=\"#exec-0\"").contains("top:3px"));
    assert!(tag_around(&html, "href=\"#exec-1\"").contains(&format!("top:{}px", LANE_ROW_PX + 3)));
}

#[test]
fn a_burst_of_executions_stacks_into_a_bounded_number_of_rows() {
    let es: Vec<Execution> = (0..50)
        .map(|i| {
            exec(
                "web-1",
                "app-deploy",
                Status::Success,
                Some(T0 + i * 1_000_000),
                Some(600_000),
            )
        })
        .collect();
    let html = render(&es, "Deploys");
    let track = tag_around(&html, "<div class=\"track\" style=\"height:");
    assert!(
        track.contains(&format!("height:{}px", MAX_LANE_ROWS * LANE_ROW_PX + 4)),
        "{track}"
    );
}

#[test]
fn no_external_references() {
    let html = render(&fleet(30), "Fleet");
    for needle in ["http://", "https://", "src=", "@import", "url(", "<link"] {
        assert!(!html.contains(needle), "{needle}");
    }
}

#[test]
fn a_large_fleet_renders_every_execution() {
    let es = fleet(200);
    let html = render(&es, "Fleet");
    assert!(html.contains(r#"data-executions="200""#));
    for i in 0..200 {
        assert!(html.contains(&format!("id=\"exec-{i}\"")), "exec-{i}");
    }
    assert!(html.len() < 3 * 1024 * 1024, "{} bytes", html.len());
    assert_eq!(html.matches("<details class=\"exec ").count(), 200);
    let failures = es.iter().filter(|e| e.status.is_failure()).count();
    let failed_sections = html
        .matches("<details class=\"exec st-failure bad\"")
        .count()
        + html
            .matches("<details class=\"exec st-timeout bad\"")
            .count();
    assert_eq!(failed_sections, failures);
    assert!(
        failures > OPEN_FAILURES_LIMIT,
        "the fleet has {failures} failures"
    );
    let open_sections = html
        .split("<details class=\"exec ")
        .skip(1)
        .filter(|s| s[..s.find('>').unwrap_or(0)].ends_with(" open"))
        .count();
    assert_eq!(open_sections, OPEN_FAILURES_LIMIT);
}

#[test]
fn axis_ticks_are_round_and_inside() {
    let axis = Axis {
        start: T0 + 7_000_000,
        end: T0 + 3_600_000_000,
    };
    assert_eq!(axis.tick_step(), 600_000_000);
    let ticks = axis.ticks();
    assert_eq!(ticks.first(), Some(&(T0 + 600_000_000)));
    assert!(ticks.iter().all(|&t| t >= axis.start && t <= axis.end));
    assert_eq!(axis.tick_format(), "%H:%M");
    let day = Axis {
        start: T0,
        end: T0 + 2 * 86_400_000_000,
    };
    assert_eq!(day.tick_format(), "%m-%d %H:%M");
    let instant = Axis::padded(T0, T0);
    assert!(instant.len() >= MIN_SPAN_US);
}

#[test]
fn durations_read_naturally() {
    assert_eq!(fmt_duration_ms(850), "850 ms");
    assert_eq!(fmt_duration_ms(12_345), "12.3 s");
    assert_eq!(fmt_duration_ms(245_000), "4m 05s");
    assert_eq!(fmt_duration_ms(7_620_000), "2h 07m");
    assert_eq!(fmt_duration_ms(273_600_000), "3d 04h");
}

#[test]
fn hostile_times_do_not_panic() {
    let mut e = exec(
        "web-1",
        "app-deploy",
        Status::Success,
        Some(i64::MIN / 2),
        Some(i64::MAX),
    );
    e.end_us = Some(i64::MAX);
    e.steps = vec![step("x", Status::Success, Some(i64::MAX), Some(i64::MAX))];
    let html = render(
        &[e, exec("web-1", "y", Status::Success, Some(i64::MAX), None)],
        "Deploys",
    );
    assert!(html.contains("id=\"exec-1\""));
}

/// Writes a sample report for headless-browser checks (`.ci/html_check.sh`) when
/// `EBLOG_WRITE_REPORT=path` is set; `EBLOG_WRITE_REPORT_N` picks the number of
/// executions (default 200).
#[test]
fn write_sample_report_when_asked() {
    let Ok(path) = std::env::var("EBLOG_WRITE_REPORT") else {
        return;
    };
    let n = std::env::var("EBLOG_WRITE_REPORT_N")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(200);
    let es = if n == 1 {
        vec![failed_deploy(T0)]
    } else {
        fleet(n)
    };
    std::fs::write(
        &path,
        render(&es, &format!("eblog sample report ({n} executions)")),
    )
    .expect("write the sample report");
}

#[test]
fn one_executions_outputs_are_capped_and_the_cut_is_said() {
    let mut e = exec(
        "web-1",
        "app-deploy",
        Status::Failure,
        Some(T0),
        Some(60_000),
    );
    e.steps = (0..40)
        .map(|i| {
            let mut s = step(&format!("s{i}"), Status::Success, Some(T0 + i), Some(1));
            s.output = Some("npm WARN deprecated\n".repeat(1000));
            s
        })
        .collect();
    let page = render(&[e], "t");
    let shown = page.matches("npm WARN deprecated").count();
    let limit = EXEC_OUTPUT_LIMIT / "npm WARN deprecated\n".len();
    assert!(
        shown <= limit + 1,
        "{shown} lines shown, the cap allows {limit}"
    );
    assert!(shown > limit / 2, "{shown}");
    assert!(page.contains("Output left out"));
}

#[test]
fn a_page_holds_a_bounded_amount_of_detail_and_says_what_it_left_out() {
    let executions: Vec<Execution> = (0..1500)
        .map(|i| {
            let mut e = exec(
                "web-1",
                "app-deploy",
                Status::Success,
                Some(T0 + i * 1_000_000),
                Some(10),
            );
            let mut s = step("hook", Status::Success, Some(T0 + i * 1_000_000), Some(1));
            s.output = Some("x".repeat(STEP_OUTPUT_LIMIT));
            e.steps = vec![s];
            e
        })
        .collect();
    let page = render(&executions, "t");
    assert!(
        page.len() < PAGE_DETAIL_LIMIT + 2 * 1024 * 1024,
        "{} bytes",
        page.len()
    );
    let detailed = page.matches("<details class=\"exec ").count();
    assert!(detailed > 900 && detailed < 1500, "{detailed}");
    assert!(
        page.contains(&format!(
            "{} left out of the details",
            plural(1500 - detailed, "execution")
        )),
        "the note counts what was left out"
    );
}
