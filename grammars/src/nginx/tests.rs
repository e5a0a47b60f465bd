use super::*;
use proptest::prelude::*;

fn ts((year, month, day): (u16, u8, u8), (hour, minute, second): (u8, u8, u8)) -> Timestamp {
    Timestamp {
        year,
        month,
        day,
        hour,
        minute,
        second,
        nanos: 0,
        fraction_digits: 0,
    }
}

const CURL: &str = "curl/7.22.0 (x86_64-pc-linux-gnu) libcurl/7.22.0 OpenSSL/1.0.1 zlib/1.2.3.4 libidn/1.23 librtmp/2.3";

#[test]
fn access_fixtures() {
    let docs = format!(
            "172.31.24.3 - - [23/Jul/2015:00:21:20 +0000] \"GET / HTTP/1.1\" 200 11 \"-\" \"{CURL}\" \"177.72.242.17\"\n"
        );
    let cases: Vec<(&[u8], AccessLine)> = vec![
            (
                docs.as_bytes(),
                AccessLine {
                    client: "172.31.24.3",
                    user: None,
                    ts: ts((2015, 7, 23), (0, 21, 20)),
                    utc_offset_s: 0,
                    method: Some("GET"),
                    path: Some("/"),
                    protocol: Some("HTTP/1.1"),
                    request: "GET / HTTP/1.1",
                    status: 200,
                    bytes: Some(11),
                    referrer: None,
                    user_agent: Some(CURL),
                    forwarded_for: Some("177.72.242.17"),
                },
            ),
            (
                b"172.31.6.201 - - [14/Sep/2022:18:00:04 +0000] \"GET / HTTP/1.1\" 200 2 \"-\" \"ELB-HealthChecker/2.0\" \"-\"",
                AccessLine {
                    client: "172.31.6.201",
                    user: None,
                    ts: ts((2022, 9, 14), (18, 0, 4)),
                    utc_offset_s: 0,
                    method: Some("GET"),
                    path: Some("/"),
                    protocol: Some("HTTP/1.1"),
                    request: "GET / HTTP/1.1",
                    status: 200,
                    bytes: Some(2),
                    referrer: None,
                    user_agent: Some("ELB-HealthChecker/2.0"),
                    forwarded_for: None,
                },
            ),
            // A user, a negative half-hour offset, a query, an escaped quote, a list.
            (
                b"10.0.0.5 - admin [01/Dec/2021:23:59:59 -0930] \"POST /api/x?q=\\x22a\\x22 HTTP/2.0\" 502 157 \"https://example.com/a\" \"Mozilla/5.0\" \"203.0.113.9, 10.0.0.1\"\r\n",
                AccessLine {
                    client: "10.0.0.5",
                    user: Some("admin"),
                    ts: ts((2021, 12, 1), (23, 59, 59)),
                    utc_offset_s: -(9 * 3600 + 30 * 60),
                    method: Some("POST"),
                    path: Some("/api/x?q=\\x22a\\x22"),
                    protocol: Some("HTTP/2.0"),
                    request: "POST /api/x?q=\\x22a\\x22 HTTP/2.0",
                    status: 502,
                    bytes: Some(157),
                    referrer: Some("https://example.com/a"),
                    user_agent: Some("Mozilla/5.0"),
                    forwarded_for: Some("203.0.113.9, 10.0.0.1"),
                },
            ),
            // A TLS ClientHello sent to port 80.
            (
                b"192.0.2.44 - - [14/Sep/2022:18:20:13 +0530] \"\\x16\\x03\\x01\\x02\\x00\\x01\\x00\\x01\\xFC\\x03\\x03\" 400 157 \"-\" \"-\" \"-\"",
                AccessLine {
                    client: "192.0.2.44",
                    user: None,
                    ts: ts((2022, 9, 14), (18, 20, 13)),
                    utc_offset_s: 19_800,
                    method: None,
                    path: None,
                    protocol: None,
                    request: "\\x16\\x03\\x01\\x02\\x00\\x01\\x00\\x01\\xFC\\x03\\x03",
                    status: 400,
                    bytes: Some(157),
                    referrer: None,
                    user_agent: None,
                    forwarded_for: None,
                },
            ),
            // An empty request ("-"), bytes "-", and an empty (present) referrer.
            (
                b"192.0.2.44 - - [14/Sep/2022:18:20:13 +0000] \"-\" 408 - \"\" \"-\" \"-\"",
                AccessLine {
                    client: "192.0.2.44",
                    user: None,
                    ts: ts((2022, 9, 14), (18, 20, 13)),
                    utc_offset_s: 0,
                    method: None,
                    path: None,
                    protocol: None,
                    request: "-",
                    status: 408,
                    bytes: None,
                    referrer: Some(""),
                    user_agent: None,
                    forwarded_for: None,
                },
            ),
        ];
    for (input, expected) in cases {
        assert_eq!(
            parse_access_line(input),
            Some(expected),
            "{:?}",
            String::from_utf8_lossy(input)
        );
    }
}

#[test]
fn request_lines_that_are_not_method_path_protocol() {
    for (request, parts) in [
        ("GET / HTTP/1.1", Some(("GET", "/", "HTTP/1.1"))),
        ("M-SEARCH * HTTP/1.1", Some(("M-SEARCH", "*", "HTTP/1.1"))),
        ("GET /x HTTP/2", Some(("GET", "/x", "HTTP/2"))),
        ("GET /", None),
        ("GET / HTTP/1.1 extra", None),
        ("GET  / HTTP/1.1", None),
        ("get / HTTP/1.1", None),
        ("GET / SSH-2.0", None),
        ("GET / HTTP/1.", None),
        ("-", None),
        ("", None),
    ] {
        assert_eq!(split_request(request), parts, "{request:?}");
    }
}

#[test]
fn access_near_misses() {
    for bad in [
            &b""[..],
            b"172.31.24.3 - - [23/Jul/2015:00:21:20 +0000] \"GET / HTTP/1.1\" 200 11 \"-\" \"curl\"",
            b"172.31.24.3 - - [23/Jul/2015:00:21:20 +0000] \"GET / HTTP/1.1\" 200 11 \"-\" \"curl\" \"-\" \"0.004\"",
            b"172.31.24.3 - - [23/jul/2015:00:21:20 +0000] \"GET / HTTP/1.1\" 200 11 \"-\" \"c\" \"-\"",
            b"172.31.24.3 - - [23/July/2015:00:21:20 +0000] \"GET / HTTP/1.1\" 200 11 \"-\" \"c\" \"-\"",
            b"172.31.24.3 - - [23/Jul/2015:00:21:20] \"GET / HTTP/1.1\" 200 11 \"-\" \"c\" \"-\"",
            b"172.31.24.3 - - [23/Jul/2015:00:21:20 +00:00] \"GET / HTTP/1.1\" 200 11 \"-\" \"c\" \"-\"",
            b"172.31.24.3 - - [2015-07-23T00:21:20+00:00] \"GET / HTTP/1.1\" 200 11 \"-\" \"c\" \"-\"",
            b"172.31.24.3 - - [23/Jul/2015:00:21:20 +0000] GET / HTTP/1.1 200 11 \"-\" \"c\" \"-\"",
            b"172.31.24.3 - - [23/Jul/2015:00:21:20 +0000] \"GET / HTTP/1.1\" 20 11 \"-\" \"c\" \"-\"",
            b"172.31.24.3 - - [23/Jul/2015:00:21:20 +0000] \"GET / HTTP/1.1\" 200 x \"-\" \"c\" \"-\"",
            b"172.31.24.3 - [23/Jul/2015:00:21:20 +0000] \"GET / HTTP/1.1\" 200 11 \"-\" \"c\" \"-\"",
            b" - - [23/Jul/2015:00:21:20 +0000] \"GET / HTTP/1.1\" 200 11 \"-\" \"c\" \"-\"",
            b"172.31.24.3 - - [23/Jul/2015:00:21:20 +0000] \"GET / HTTP/1.1\" 200 99999999999999999999 \"-\" \"c\" \"-\"",
            b"172.31.24.3 - - [23/Jul/2015:00:21:20 +0000] \"GET /\xff HTTP/1.1\" 200 11 \"-\" \"c\" \"-\"",
            b"1437609879.311\"/\"200\"0.083\"0.083\"177.72.242.17",
        ] {
            assert_eq!(
                parse_access_line(bad),
                None,
                "{:?}",
                String::from_utf8_lossy(bad)
            );
        }
}

#[test]
fn error_header_fixtures() {
    let cases: &[(&[u8], ErrorHeader, &[u8])] = &[
            (
                b"2023/03/11 18:10:12 [error] 4014#4014: *1 connect() failed (111: Connection refused)",
                ErrorHeader {
                    ts: ts((2023, 3, 11), (18, 10, 12)),
                    level: "error",
                    pid: 4014,
                    tid: 4014,
                    connection: Some(1),
                },
                b"connect() failed (111: Connection refused)",
            ),
            (
                b"2022/09/14 17:51:58 [notice] 3011#3011: signal process started",
                ErrorHeader {
                    ts: ts((2022, 9, 14), (17, 51, 58)),
                    level: "notice",
                    pid: 3011,
                    tid: 3011,
                    connection: None,
                },
                b"signal process started",
            ),
            (
                b"2022/09/14 18:41:07 [warn] 3012#3012: *18446744073709551615 a client request body is buffered",
                ErrorHeader {
                    ts: ts((2022, 9, 14), (18, 41, 7)),
                    level: "warn",
                    pid: 3012,
                    tid: 3012,
                    connection: Some(u64::MAX),
                },
                b"a client request body is buffered",
            ),
            (
                b"2022/09/14 18:41:07 [emerg] 1#2:",
                ErrorHeader {
                    ts: ts((2022, 9, 14), (18, 41, 7)),
                    level: "emerg",
                    pid: 1,
                    tid: 2,
                    connection: None,
                },
                b"",
            ),
        ];
    for (input, expected, message) in cases {
        let (rest, h) = parse_error_header(input).unwrap();
        assert_eq!(&h, expected, "{:?}", String::from_utf8_lossy(input));
        assert_eq!(rest, *message);
        assert!(is_error_header(input));
    }
    for level in [
        "debug", "info", "notice", "warn", "error", "crit", "alert", "emerg",
    ] {
        let line = format!("2022/09/14 18:41:07 [{level}] 7#7: x");
        assert_eq!(parse_error_header(line.as_bytes()).unwrap().1.level, level);
    }
}

#[test]
fn error_header_near_misses() {
    for bad in [
        &b""[..],
        b"2022/09/14 18:41:07 [warning] 3012#3012: x",
        b"2022/09/14 18:41:07 [ERROR] 3012#3012: x",
        b"2022/09/14 18:41:07 [error] 3012: x",
        b"2022/09/14 18:41:07 [error] #3012: x",
        b"2022/09/14 18:41:07 [error] 3012#3012 x",
        b"2022/09/14 18:41:07 [error] 99999999999#1: x",
        b"2022-09-14 18:41:07 [error] 3012#3012: x",
        b"2022/09/14 18:41:07.123 [error] 3012#3012: x",
        b"2022/09/14 18:41 [error] 3012#3012: x",
        b"2022/09/14 18:41:07 error 3012#3012: x",
        b"nginx: [emerg] bind() to 0.0.0.0:80 failed (98: Address already in use)",
        b"2022/09/14 18:41:07.052817 [INFO] Executing instruction: StopProxy",
    ] {
        assert!(
            parse_error_header(bad).is_err(),
            "{:?}",
            String::from_utf8_lossy(bad)
        );
        assert!(!is_error_header(bad));
    }
    // An oversized connection number is not taken as one: it stays in the message.
    let (rest, h) =
        parse_error_header(b"2022/09/14 18:41:07 [warn] 7#7: *99999999999999999999 x").unwrap();
    assert_eq!(h.connection, None);
    assert_eq!(rest, b"*99999999999999999999 x");
}

fn empty(text: &str) -> ErrorMessage<'_> {
    ErrorMessage {
        text,
        message: text,
        errno: None,
        reason: None,
        action: None,
        upstream_problem: None,
        client: None,
        server: None,
        request: None,
        subrequest: None,
        upstream: None,
        host: None,
        referrer: None,
    }
}

#[test]
fn error_message_fixtures() {
    let cases = [
            (
                "connect() failed (111: Connection refused) while connecting to upstream, client: 10.0.1.23, server: _, request: \"GET / HTTP/1.1\", upstream: \"http://127.0.0.1:8080/\", host: \"x.elasticbeanstalk.com\"",
                ErrorMessage {
                    text: "connect() failed (111: Connection refused) while connecting to upstream",
                    message: "connect() failed",
                    errno: Some(111),
                    reason: Some("Connection refused"),
                    action: Some("connecting to upstream"),
                    upstream_problem: Some(UpstreamProblem::ConnectFailed),
                    client: Some("10.0.1.23"),
                    server: Some("_"),
                    request: Some("GET / HTTP/1.1"),
                    upstream: Some("http://127.0.0.1:8080/"),
                    host: Some("x.elasticbeanstalk.com"),
                    ..empty("")
                },
            ),
            (
                "upstream prematurely closed connection while reading response header from upstream, client: 172.31.44.17, server: , request: \"POST /api/orders HTTP/1.1\", upstream: \"http://127.0.0.1:8080/api/orders\", host: \"a.example.com\", referrer: \"https://a.example.com/checkout\"\n",
                ErrorMessage {
                    text: "upstream prematurely closed connection while reading response header from upstream",
                    message: "upstream prematurely closed connection",
                    action: Some("reading response header from upstream"),
                    upstream_problem: Some(UpstreamProblem::PrematurelyClosed),
                    client: Some("172.31.44.17"),
                    server: Some(""),
                    request: Some("POST /api/orders HTTP/1.1"),
                    upstream: Some("http://127.0.0.1:8080/api/orders"),
                    host: Some("a.example.com"),
                    referrer: Some("https://a.example.com/checkout"),
                    ..empty("")
                },
            ),
            (
                "upstream timed out (110: Connection timed out) while reading response header from upstream, client: 1.2.3.4, server: _, request: \"GET /slow HTTP/1.1\", upstream: \"http://127.0.0.1:8080/slow\", host: \"h\"",
                ErrorMessage {
                    text: "upstream timed out (110: Connection timed out) while reading response header from upstream",
                    message: "upstream timed out",
                    errno: Some(110),
                    reason: Some("Connection timed out"),
                    action: Some("reading response header from upstream"),
                    upstream_problem: Some(UpstreamProblem::TimedOut),
                    client: Some("1.2.3.4"),
                    server: Some("_"),
                    request: Some("GET /slow HTTP/1.1"),
                    upstream: Some("http://127.0.0.1:8080/slow"),
                    host: Some("h"),
                    ..empty("")
                },
            ),
            (
                "recv() failed (104: Connection reset by peer) while reading response header from upstream, client: 1.2.3.4",
                ErrorMessage {
                    text: "recv() failed (104: Connection reset by peer) while reading response header from upstream",
                    message: "recv() failed",
                    errno: Some(104),
                    reason: Some("Connection reset by peer"),
                    action: Some("reading response header from upstream"),
                    upstream_problem: Some(UpstreamProblem::Reset),
                    client: Some("1.2.3.4"),
                    ..empty("")
                },
            ),
            (
                "connect() to unix:/run/php-fpm/www.sock failed (2: No such file or directory) while connecting to upstream, client: 1.2.3.4, server: , request: \"GET /a, host: b HTTP/1.1\", upstream: \"fastcgi://unix:/run/php-fpm/www.sock:\", host: \"h\"",
                ErrorMessage {
                    text: "connect() to unix:/run/php-fpm/www.sock failed (2: No such file or directory) while connecting to upstream",
                    message: "connect() to unix:/run/php-fpm/www.sock failed",
                    errno: Some(2),
                    reason: Some("No such file or directory"),
                    action: Some("connecting to upstream"),
                    upstream_problem: Some(UpstreamProblem::ConnectFailed),
                    client: Some("1.2.3.4"),
                    server: Some(""),
                    request: Some("GET /a, host: b HTTP/1.1"),
                    upstream: Some("fastcgi://unix:/run/php-fpm/www.sock:"),
                    host: Some("h"),
                    ..empty("")
                },
            ),
            (
                "no live upstreams while connecting to upstream, client: 1.2.3.4, server: _, request: \"GET / HTTP/1.1\", upstream: \"http://app/\", host: \"h\"",
                ErrorMessage {
                    text: "no live upstreams while connecting to upstream",
                    message: "no live upstreams",
                    action: Some("connecting to upstream"),
                    upstream_problem: Some(UpstreamProblem::NoLiveUpstreams),
                    client: Some("1.2.3.4"),
                    server: Some("_"),
                    request: Some("GET / HTTP/1.1"),
                    upstream: Some("http://app/"),
                    host: Some("h"),
                    ..empty("")
                },
            ),
            (
                "open() \"/usr/share/nginx/html/robots.txt\" failed (2: No such file or directory), client: 1.2.3.4, server: _, request: \"GET /robots.txt HTTP/1.1\", host: \"h\"",
                ErrorMessage {
                    text: "open() \"/usr/share/nginx/html/robots.txt\" failed (2: No such file or directory)",
                    message: "open() \"/usr/share/nginx/html/robots.txt\" failed",
                    errno: Some(2),
                    reason: Some("No such file or directory"),
                    client: Some("1.2.3.4"),
                    server: Some("_"),
                    request: Some("GET /robots.txt HTTP/1.1"),
                    host: Some("h"),
                    ..empty("")
                },
            ),
            (
                "bind() to 0.0.0.0:80 failed (98: Address already in use)",
                ErrorMessage {
                    text: "bind() to 0.0.0.0:80 failed (98: Address already in use)",
                    message: "bind() to 0.0.0.0:80 failed",
                    errno: Some(98),
                    reason: Some("Address already in use"),
                    ..empty("")
                },
            ),
            // An unterminated quote keeps its quote; a trailing key with no value.
            (
                "x, client: 1.2.3.4, request: \"GET /, host:",
                ErrorMessage {
                    client: Some("1.2.3.4"),
                    request: Some("\"GET /"),
                    host: Some(""),
                    ..empty("x")
                },
            ),
            ("signal process started", empty("signal process started")),
            ("", empty("")),
            // Parentheses that are no errno part.
            (
                "worker process 3012 exited on signal 9 (core dumped)",
                empty("worker process 3012 exited on signal 9 (core dumped)"),
            ),
            ("a (x: y)", empty("a (x: y)")),
        ];
    for (input, expected) in cases {
        assert_eq!(parse_error_message(input), expected, "{input:?}");
    }
}

fn sample(name: &str) -> String {
    let path = format!("{}/../samples/al2/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

#[test]
fn sample_access_log_matches_the_healthd_log() {
    let access = sample("nginx/access.log");
    let appstat = sample("nginx/healthd/application.log.2022-09-14-18");
    let mut n = 0;
    for (a, h) in access.lines().zip(appstat.lines()) {
        let a = parse_access_line(a.as_bytes()).expect("every access line parses");
        let h = crate::healthd::parse_appstat_line(h.as_bytes()).expect("healthd line");
        // The same request in both logs: time, status, path without query, client.
        let secs = 1_663_178_400 + 60 * i64::from(a.ts.minute) + i64::from(a.ts.second);
        assert_eq!((a.ts.day, a.ts.hour, a.utc_offset_s), (14, 18, 0));
        assert_eq!(h.epoch_ms / 1000, secs);
        assert_eq!(h.status, Some(a.status));
        assert_eq!(
            Some(h.path),
            a.path.map(|p| p.split('?').next().unwrap_or(p))
        );
        assert_eq!(h.forwarded_for, a.forwarded_for);
        n += 1;
    }
    assert_eq!(
        (n, access.lines().count(), appstat.lines().count()),
        (46, 46, 46)
    );
}

#[test]
fn sample_error_log_parses_in_full() {
    let text = sample("nginx/error.log");
    let mut problems = Vec::new();
    for line in text.lines() {
        let (rest, h) = parse_error_header(line.as_bytes()).expect("every line is a header");
        assert_eq!(h.pid, h.tid);
        let m = parse_error_message(std::str::from_utf8(rest).unwrap());
        if h.connection.is_some() {
            assert_eq!((m.server, m.client.is_some()), (Some(""), true), "{line}");
        }
        problems.push(m.upstream_problem);
    }
    assert_eq!(problems.len(), 21);
    let count = |p| problems.iter().filter(|&&q| q == p).count();
    assert_eq!(count(Some(UpstreamProblem::ConnectFailed)), 17);
    assert_eq!(count(Some(UpstreamProblem::PrematurelyClosed)), 1);
    assert_eq!(count(Some(UpstreamProblem::TimedOut)), 1);
    assert_eq!(count(None), 2);
}

proptest! {
    #[test]
    fn never_panics(input in proptest::collection::vec(any::<u8>(), 0..200)) {
        let _ = parse_access_line(&input);
        let _ = parse_error_header(&input);
        let _ = is_error_header(&input);
    }

    #[test]
    fn error_message_never_panics(input in "\\PC*") {
        let _ = parse_error_message(&input);
    }

    #[test]
    fn error_message_never_panics_on_tail_like_text(
        pieces in proptest::collection::vec(
            prop_oneof![
                Just(", client: "), Just(", server: "), Just(", request: "),
                Just(", upstream: "), Just(", host: "), Just(", referrer: "),
                Just("\""), Just(" while "), Just(" ("), Just("111: "), Just(")"),
                Just("é"), Just("x"), Just(", host:"), Just(" "),
            ],
            0..16,
        )
    ) {
        let text: String = pieces.concat();
        let m = parse_error_message(&text);
        prop_assert!(m.text.len() <= text.len());
    }

    #[test]
    fn never_panics_on_mutated_lines(at in 0usize..200, byte in any::<u8>(), cut in 0usize..200) {
        for valid in [
            &b"10.0.0.5 - admin [01/Dec/2021:23:59:59 -0930] \"POST /api/x HTTP/2.0\" 502 157 \"https://example.com/a\" \"Mozilla/5.0\" \"203.0.113.9, 10.0.0.1\""[..],
            b"2023/03/11 18:10:12 [error] 4014#4014: *1 connect() failed (111: Connection refused) while connecting to upstream, client: 10.0.1.23, server: , request: \"GET / HTTP/1.1\"",
        ] {
            let mut v = valid.to_vec();
            if let Some(b) = v.get_mut(at) {
                *b = byte;
            }
            v.truncate(cut);
            let _ = parse_access_line(&v);
            if let Ok((rest, _)) = parse_error_header(&v) {
                let _ = parse_error_message(&String::from_utf8_lossy(rest));
            }
        }
    }
}
