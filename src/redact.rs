//! Secret redaction, on by default in every output (`--no-redact` opts out).
//!
//! Three things are redacted, keys kept and values replaced by `[REDACTED]`:
//! - values of keys that name a secret (`*SECRET*`, `*PASSWORD*`, `*PASSWD*`, `*TOKEN*`,
//!   `*ACCESS_KEY*`, `*PRIVATE_KEY*`, `*CREDENTIAL*`, `*API_KEY*`), in parsed objects and in
//!   text (`'KEY': u'v'`, `"KEY"=>"v"`, `"KEY": "v"`, `\"KEY\": \"v\"`, `KEY=v`);
//! - AWS access key ids (`AKIA…`, `ASIA…`) anywhere;
//! - signed URL query parameters (`X-Amz-Signature`, `X-Amz-Security-Token`,
//!   `X-Amz-Credential`, `Signature`, `AWSAccessKeyId`).
//!
//! [`Redactor::redact_value`] walks a whole serialized record, so every field, `message`
//! included, goes through the same rules.
#![forbid(unsafe_code)]

use regex::{Captures, Regex};
use serde_json::Value;
use std::borrow::Cow;

/// The replacement for a secret value.
pub const REDACTED: &str = "[REDACTED]";

const SECRET_WORDS: &str =
    r"SECRET|PASSWORD|PASSWD|TOKEN|ACCESS_KEY|ACCESSKEY|PRIVATE_KEY|CREDENTIAL|API_KEY";

/// Words one of which every secret the rules redact sits next to (the key words above,
/// key-id prefixes, signed-URL parameter names); matched case-insensitively.
const HINT_WORDS: [&str; 14] = [
    "secret",
    "password",
    "passwd",
    "token",
    "access_key",
    "accesskey",
    "private_key",
    "credential",
    "api_key",
    "akia",
    "asia",
    "signature",
    "awsaccesskeyid",
    "x-amz-",
];

/// Bytes of text lower-cased at a time for the hint search.
const HINT_WINDOW: usize = 1024;

/// How much consecutive hint windows overlap: the longest hint word less one byte.
const HINT_OVERLAP: usize = 13;

/// Compiled redaction rules.
#[derive(Debug, Clone)]
pub struct Redactor {
    quoted: Regex,
    escaped: Regex,
    assignment: Regex,
    key_id: Regex,
    url_param: Regex,
    secret_key: Regex,
    hint: aho_corasick::AhoCorasick,
}

impl Default for Redactor {
    fn default() -> Self {
        Self::new()
    }
}

impl Redactor {
    /// Compiles the rules.
    pub fn new() -> Self {
        let key = format!(r"[A-Za-z0-9_.\-]*(?i:{SECRET_WORDS})[A-Za-z0-9_.\-]*");
        // The patterns are constants; a failure to compile is a bug caught by every test.
        let compile = |pattern: &str| Regex::new(pattern).expect("redaction pattern compiles");
        Self {
            // 'KEY': u'value'  "KEY": "value"  "KEY"=>"value"  :KEY => 'value'
            // The value ends at the quote that opened it: `'it"s'`, `"it's"`.
            quoted: compile(&format!(
                r#"(?P<k>['"]{key}['"]\s*(?::|=>)\s*[uUbB]?)(?:'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*")"#
            )),
            // \"KEY\": \"value\" inside a JSON string
            // at any depth of escaping: \\\"KEY\\\": \\\"value\\\"
            escaped: compile(&format!(
                r#"(?P<k>(?P<bs>\\+)"{key}\\+"\s*:\s*)\\+"(?:[^\\]|\\+[^\\"])*\\+""#
            )),
            // KEY=value, KEY="value", KEY='value', KEY: value (shell, env files, xtrace)
            assignment: compile(&format!(
                r#"(?P<k>\b{key}(?:\s*=\s*|:\s+))(?P<v>'[^']*'|"[^"]*"|[^\s'"&,;}}\]\\]+)"#
            )),
            key_id: compile(r"\b(?:AKIA|ASIA)[A-Z0-9]{16}\b"),
            url_param: compile(
                r#"(?i)(?P<k>[?&](?:X-Amz-Signature|X-Amz-Security-Token|X-Amz-Credential|Signature|AWSAccessKeyId)=)(?P<v>[^&\s'"\\]+)"#,
            ),
            secret_key: compile(&format!("^{key}$")),
            // A constant word list: building the automaton cannot fail.
            // Leftmost-first: the match kind Aho-Corasick's packed (SIMD) searcher needs.
            hint: aho_corasick::AhoCorasick::builder()
                .match_kind(aho_corasick::MatchKind::LeftmostFirst)
                .build(HINT_WORDS)
                .expect("hint automaton builds"),
        }
    }

    /// Whether `text` might hold a secret at all: a fast check that lets records with no
    /// secret-looking word skip redaction. Every field of a record is derived from its
    /// message text, so a record whose message has no hint holds no secret.
    pub fn might_contain_secret(&self, text: &str) -> bool {
        self.might_contain_secret_bytes(text.as_bytes())
    }

    /// [`Self::might_contain_secret`] of bytes, which need not be UTF-8 (a serialized
    /// record, read back without a second validation pass).
    pub fn might_contain_secret_bytes(&self, bytes: &[u8]) -> bool {
        // Lower-cased a window at a time, so that the (lower-case) hint words can be found
        // case-sensitively: Aho-Corasick then uses its SIMD prefilter (Teddy), which a
        // case-insensitive search cannot. The hint was 9.6% of `parse`'s CPU, now ~2%.
        // Windows overlap by the longest word less one byte, so no word is cut.
        let mut folded = [0u8; HINT_WINDOW];
        let mut start = 0;
        loop {
            let end = (start + HINT_WINDOW).min(bytes.len());
            let window = &mut folded[..end - start];
            window.copy_from_slice(&bytes[start..end]);
            window.make_ascii_lowercase();
            if self.hint.is_match(&*window) {
                return true;
            }
            if end == bytes.len() {
                return false;
            }
            start = end - HINT_OVERLAP;
        }
    }

    /// Whether an object key names a secret.
    pub fn is_secret_key(&self, key: &str) -> bool {
        self.secret_key.is_match(key)
    }

    /// `text` with every secret replaced; borrowed when nothing was found.
    pub fn redact_text<'a>(&self, text: &'a str) -> Cow<'a, str> {
        let mut out = Cow::Borrowed(text);
        // Every rule below needs one of the hint words next to the secret, so text with
        // none (most strings of a record that has a secret elsewhere) skips the regexes.
        if !self.might_contain_secret(text) {
            return out;
        }
        // Keeps the key and the value's quotes, replaces what is between them.
        let quoted_value = |c: &Captures<'_>| {
            let value = c
                .get(0)
                .map_or("", |m| m.as_str())
                .get(c["k"].len()..)
                .unwrap_or("");
            let quote = &value[..value.len().min(1)];
            match quote {
                "'" | "\"" => format!("{}{quote}{REDACTED}{quote}", &c["k"]),
                _ => format!("{}{REDACTED}", &c["k"]),
            }
        };
        replace(&mut out, &self.quoted, quoted_value);
        replace(&mut out, &self.escaped, |c| {
            let bs = &c["bs"];
            format!("{}{bs}\"{REDACTED}{bs}\"", &c["k"])
        });
        replace(&mut out, &self.assignment, quoted_value);
        replace(&mut out, &self.url_param, |c| {
            format!("{}{REDACTED}", &c["k"])
        });
        replace(&mut out, &self.key_id, |_| REDACTED.to_owned());
        out
    }

    /// Redacts `value` in place: string values under secret keys entirely, every other
    /// string by [`redact_text`](Self::redact_text).
    pub fn redact_value(&self, value: &mut Value) {
        match value {
            Value::String(s) => {
                if let Cow::Owned(clean) = self.redact_text(s) {
                    *s = clean;
                }
            }
            Value::Array(items) => items.iter_mut().for_each(|v| self.redact_value(v)),
            Value::Object(map) => {
                for (key, v) in map.iter_mut() {
                    if self.is_secret_key(key) && matches!(v, Value::String(_) | Value::Number(_)) {
                        *v = Value::String(REDACTED.to_owned());
                    } else {
                        self.redact_value(v);
                    }
                }
            }
            Value::Null | Value::Bool(_) | Value::Number(_) => {}
        }
    }
}

fn replace(text: &mut Cow<'_, str>, re: &Regex, with: impl Fn(&Captures<'_>) -> String) {
    if let Cow::Owned(new) = re.replace_all(text, |c: &Captures<'_>| with(c)) {
        *text = Cow::Owned(new);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn python_dict_values() {
        let r = Redactor::new();
        let text = "{'RESULT_SECRET_KEY': u'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY', 'LANG': 'en_US.UTF-8', 'RESULT_SESSION_TOKEN': u'FwoGZXIvYXdz\\'x'}";
        let out = r.redact_text(text);
        assert_eq!(out, "{'RESULT_SECRET_KEY': u'[REDACTED]', 'LANG': 'en_US.UTF-8', 'RESULT_SESSION_TOKEN': u'[REDACTED]'}");
    }

    #[test]
    fn ruby_json_escaped_and_assignments() {
        let r = Redactor::new();
        assert_eq!(
            r.redact_text(r#"{"RDS_PASSWORD"=>"hunter2"}"#),
            r#"{"RDS_PASSWORD"=>"[REDACTED]"}"#
        );
        assert_eq!(
            r.redact_text(r#"{"AWS_SECRET_KEY": "abc"}"#),
            r#"{"AWS_SECRET_KEY": "[REDACTED]"}"#
        );
        assert_eq!(
            r.redact_text(r#""{\"DB_PASSWORD\": \"p4ss\"}""#),
            r#""{\"DB_PASSWORD\": \"[REDACTED]\"}""#
        );
        assert_eq!(
            r.redact_text("+ export RDS_PASSWORD=hunter2 x"),
            "+ export RDS_PASSWORD=[REDACTED] x"
        );
    }

    #[test]
    fn quotes_escapes_and_assignments_seen_in_review() {
        let r = Redactor::new();
        assert_eq!(
            r.redact_text(r#"{'RDS_PASSWORD': "it's secret"}"#),
            r#"{'RDS_PASSWORD': "[REDACTED]"}"#
        );
        assert_eq!(
            r.redact_text(r#"u'{"execution_data":"{\\"RDS_PASSWORD\\":\\"hunter2\\"}"}'"#),
            r#"u'{"execution_data":"{\\"RDS_PASSWORD\\":\\"[REDACTED]\\"}"}'"#
        );
        assert_eq!(
            r.redact_text(r#"+ export RDS_PASSWORD="hunter2""#),
            r#"+ export RDS_PASSWORD="[REDACTED]""#
        );
        assert_eq!(
            r.redact_text("DB_PASSWORD: abc123"),
            "DB_PASSWORD: [REDACTED]"
        );
        assert_eq!(
            r.redact_text("export API_KEY='k'"),
            "export API_KEY='[REDACTED]'"
        );
    }

    #[test]
    fn key_ids_and_signed_urls() {
        let r = Redactor::new();
        assert_eq!(
            r.redact_text("key ASIAZ3EXAMPLE7QWERTY used"),
            "key [REDACTED] used"
        );
        assert_eq!(
            r.redact_text("https://b.s3.amazonaws.com/k?X-Amz-Credential=ASIA%2F2020&X-Amz-Signature=abc123&x=1"),
            "https://b.s3.amazonaws.com/k?X-Amz-Credential=[REDACTED]&X-Amz-Signature=[REDACTED]&x=1"
        );
    }

    #[test]
    fn values_under_secret_keys() {
        let r = Redactor::new();
        let mut v =
            json!({"env": {"RESULT_SECRET_KEY": "s3cr3t", "PATH": "/bin", "n": {"API_KEY": 12}}});
        r.redact_value(&mut v);
        assert_eq!(
            v,
            json!({"env": {"RESULT_SECRET_KEY": "[REDACTED]", "PATH": "/bin", "n": {"API_KEY": "[REDACTED]"}}})
        );
    }

    #[test]
    fn hints() {
        let r = Redactor::new();
        assert!(r.might_contain_secret("'RESULT_SECRET_KEY': u'x'"));
        assert!(r.might_contain_secret("key ASIAZ3EXAMPLE7QWERTY"));
        assert!(r.might_contain_secret("?X-Amz-Credential=abc"));
        assert!(!r.might_contain_secret("GET /static/app.js HTTP/1.1 200"));
        assert!(!r.might_contain_secret(""));
    }

    #[test]
    fn hint_windows_overlap_by_the_longest_word() {
        let longest = HINT_WORDS.iter().map(|w| w.len()).max().unwrap();
        assert_eq!(HINT_OVERLAP, longest - 1);
        assert!(HINT_WORDS.iter().all(|w| *w == w.to_ascii_lowercase()));
        let r = Redactor::new();
        // Every hint word, in mixed case, at every position across the first window
        // boundaries, after a multi-byte character: found.
        for word in HINT_WORDS {
            let mixed: String = word
                .chars()
                .enumerate()
                .map(|(i, c)| {
                    if i % 2 == 0 {
                        c.to_ascii_uppercase()
                    } else {
                        c
                    }
                })
                .collect();
            for at in HINT_WINDOW - 20..HINT_WINDOW + 4 {
                let text = format!("é{}{mixed} tail", "x".repeat(at - 2));
                assert!(r.might_contain_secret(&text), "{word} at {at}");
            }
            let far = format!("{}{mixed}", "y".repeat(3 * HINT_WINDOW + 7));
            assert!(r.might_contain_secret(&far), "{word} far");
        }
        assert!(!r.might_contain_secret(&"no hint here ".repeat(500)));
        assert!(!r.might_contain_secret("Running 3 of 6 actions: AppDeployPreHook..."));
    }

    #[test]
    fn leaves_ordinary_text_alone() {
        let r = Redactor::new();
        let text = "Running 3 of 6 actions: AppDeployPreHook... token bucket, password reset page";
        assert!(matches!(r.redact_text(text), Cow::Borrowed(_)));
    }
}
