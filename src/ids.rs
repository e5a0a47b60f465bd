//! Finding EC2 instance ids (`i-0123abcd`, `i-0123456789abcdef0`) and Elastic Beanstalk
//! environment ids (`e-abcdefghij`) in paths and texts.
#![forbid(unsafe_code)]

fn token_at<'a>(text: &'a str, prefix: &str, valid: impl Fn(&str) -> bool) -> Option<&'a str> {
    let bytes = text.as_bytes();
    let mut from = 0;
    while let Some(pos) = text[from..].find(prefix) {
        let start = from + pos;
        let boundary_before = start == 0 || !bytes[start - 1].is_ascii_alphanumeric();
        let body_start = start + prefix.len();
        let body_len = bytes[body_start..]
            .iter()
            .take_while(|b| b.is_ascii_alphanumeric())
            .count();
        let candidate = &text[start..body_start + body_len];
        if boundary_before && valid(&candidate[prefix.len()..]) {
            return Some(candidate);
        }
        from = body_start;
    }
    None
}

/// The first instance id in `text`: `i-` and 8 or 17 lower-case hex digits.
pub fn instance_id(text: &str) -> Option<&str> {
    token_at(text, "i-", |body| {
        matches!(body.len(), 8 | 17)
            && body
                .bytes()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
    })
}

/// The first environment id in `text`: `e-` and 10 lower-case letters or digits.
pub fn environment_id(text: &str) -> Option<&str> {
    token_at(text, "e-", |body| {
        body.len() == 10
            && body
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
    })
}

/// The host a record belongs to: the part of its source before a bundle's `!`, else its
/// directory, with trailing `nginx`, `httpd` and `healthd` components removed, and the
/// application logs' folders (`tomcat`, `nodejs`, `containers`,
/// `eb-docker/containers/eb-current-app`, `ecs`).
pub fn host_of(source: &str) -> String {
    let (outer, inner) = match source.split_once('!') {
        Some((outer, inner)) => (outer, Some(inner)),
        None => (source, None),
    };
    match inner {
        Some(inner) => format!("{outer}!{}", strip_log_subdirs(parent(inner))),
        None => strip_log_subdirs(parent(outer)).to_owned(),
    }
}

fn parent(path: &str) -> &str {
    match path.rfind('/') {
        Some(0) => "/",
        Some(i) => &path[..i],
        None => ".",
    }
}

fn strip_log_subdirs(mut dir: &str) -> &str {
    loop {
        let (head, last) = match dir.rfind('/') {
            Some(i) => (&dir[..i], &dir[i + 1..]),
            None => ("", dir),
        };
        if !matches!(
            last,
            "nginx"
                | "httpd"
                | "healthd"
                | "tomcat"
                | "tomcat8"
                | "tomcat9"
                | "nodejs"
                | "containers"
                | "eb-current-app"
                | "eb-docker"
                | "ecs"
        ) {
            return dir;
        }
        dir = if head.is_empty() { "." } else { head };
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_ids_in_bundle_paths() {
        let path = "logs/e-2prvqhnsfz/i-055316f1bf6567d5d/var/log/eb-activity.log";
        assert_eq!(instance_id(path), Some("i-055316f1bf6567d5d"));
        assert_eq!(environment_id(path), Some("e-2prvqhnsfz"));
    }

    #[test]
    fn ignores_look_alikes() {
        assert_eq!(instance_id("/var/log/cfn-hup.log"), None);
        assert_eq!(instance_id("xi-0123abcd"), None);
        assert_eq!(instance_id("i-0123abcz"), None);
        assert_eq!(environment_id("code-abcdefghij"), None);
        assert_eq!(instance_id("i-0123abcd"), Some("i-0123abcd"));
    }
}
