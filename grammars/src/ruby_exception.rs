//! Exception chains written by `ElasticBeanstalk.format_exception` (docs/formats.md "Ruby multi-line rules", rule 2),
//! found after `Command execution failed: ` and `Activity execution failed, because: `.
//!
//! <pre>
//! chain      = link *( "caused by: " link ) *EMPTY-LINE
//! link       = message-line *( LF "  " message-line ) SP "(" class ")" LF *backtrace
//! class      = const *( "::" const )        ; const = UPALPHA *( ALPHA / DIGIT / "_" )
//! backtrace  = TAB ( "at " / "from " ) *CHAR LF / TAB "..." LF
//! </pre>
//!
//! Message continuation lines carry two spaces of indentation, which the parser removes.
//! The class suffix closes the last message line of a link; a link whose class is missing
//! (a `TemplateCommand` failure writes only the message) keeps `class: None`.

use nom::bytes::complete::{tag, take_while, take_while1};
use nom::multi::separated_list1;
use nom::{IResult, Parser};

/// One exception of a chain: the outermost first, then each `caused by:`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ExceptionLink<'a> {
    /// The exception message, indentation removed, lines joined with `\n`.
    pub message: String,
    /// The Ruby class, e.g. `ElasticBeanstalk::ExternalInvocationError`.
    pub class: Option<&'a str>,
    /// Backtrace lines without their leading tab.
    pub backtrace: Vec<&'a str>,
}

fn constant(i: &str) -> IResult<&str, &str> {
    let (rest, (first, tail)) = (
        take_while1(|c: char| c.is_ascii_uppercase()),
        take_while(|c: char| c.is_ascii_alphanumeric() || c == '_'),
    )
        .parse(i)?;
    Ok((rest, &i[..first.len() + tail.len()]))
}

fn class_name(i: &str) -> IResult<&str, &str> {
    let (rest, _) = separated_list1(tag("::"), constant).parse(i)?;
    Ok((rest, &i[..i.len() - rest.len()]))
}

/// Splits ` (Class::Name)` off the end of `line`, if it ends so.
pub fn split_class_suffix(line: &str) -> Option<(&str, &str)> {
    let body = line.trim_end().strip_suffix(')')?;
    let open = body.rfind(" (")?;
    let candidate = &body[open + 2..];
    match class_name(candidate) {
        Ok(("", class)) => Some((&line[..open], class)),
        _ => None,
    }
}

/// Parses the text of an exception chain (the message after the template prefix, with its
/// continuation lines). Never fails: text that does not follow the layout ends up in the
/// first link's message.
pub fn parse_chain(text: &str) -> Vec<ExceptionLink<'_>> {
    let mut links: Vec<ExceptionLink<'_>> = Vec::new();
    let mut current = ExceptionLink::default();
    let mut in_backtrace = false;
    let mut started = false;
    for line in text.trim_end_matches(['\n', '\r']).split('\n') {
        let line = line.strip_suffix('\r').unwrap_or(line);
        if let Some(frame) = line.strip_prefix('\t') {
            current.backtrace.push(frame);
            in_backtrace = true;
            continue;
        }
        if let Some(cause) = line.strip_prefix("caused by: ") {
            links.push(std::mem::take(&mut current));
            in_backtrace = false;
            push_message_line(&mut current, cause, true);
            continue;
        }
        if in_backtrace {
            // Text after a backtrace that is not a cause: keep it in the message.
            in_backtrace = false;
        }
        push_message_line(
            &mut current,
            line.strip_prefix("  ").unwrap_or(line),
            !started,
        );
        started = true;
    }
    links.push(current);
    for link in &mut links {
        if let Some(last_nl) = link.message.rfind('\n').map(|p| p + 1).or(Some(0)) {
            if let Some((head, class)) = split_class_suffix(&link.message[last_nl..]) {
                // `class` borrows from the owned message; find it again in `text` to borrow
                // from the input instead.
                if let Some(found) = text.find(&format!(" ({class})")) {
                    link.class = Some(&text[found + 2..found + 2 + class.len()]);
                    let keep = last_nl + head.len();
                    link.message.truncate(keep);
                }
            }
        }
        let trimmed = link.message.trim_end().len();
        link.message.truncate(trimmed);
    }
    links
}

fn push_message_line(link: &mut ExceptionLink<'_>, line: &str, first: bool) {
    if !(first && link.message.is_empty()) {
        link.message.push('\n');
    }
    link.message.push_str(line);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hook_failure_with_cause() {
        let text = "[Application update app-v42@7/AppDeployStage0/AppDeployPreHook/01unzip.sh] command failed with error code 1: Error occurred during build: Command hooks failed \n  + unzip -o bundle.zip\n  unzip: cannot find zipfile (ElasticBeanstalk::ExternalInvocationError)\ncaused by: + unzip -o bundle.zip\n  unzip: cannot find zipfile (Executor::NonZeroExitStatus)\n\n\n";
        let chain = parse_chain(text);
        assert_eq!(chain.len(), 2);
        assert_eq!(
            chain[0].class,
            Some("ElasticBeanstalk::ExternalInvocationError")
        );
        assert!(
            chain[0]
                .message
                .ends_with("+ unzip -o bundle.zip\nunzip: cannot find zipfile"),
            "{:?}",
            chain[0].message
        );
        assert_eq!(chain[1].class, Some("Executor::NonZeroExitStatus"));
        assert_eq!(
            chain[1].message,
            "+ unzip -o bundle.zip\nunzip: cannot find zipfile"
        );
    }

    #[test]
    fn backtraces_attach_to_their_link() {
        let text = "No such file or directory - /opt/x (Errno::ENOENT)\n\tat /opt/elasticbeanstalk/lib/a.rb:10:in `open'\n\tfrom /opt/elasticbeanstalk/lib/b.rb:20:in `run'\n\t...\n\n";
        let chain = parse_chain(text);
        assert_eq!(chain.len(), 1);
        assert_eq!(chain[0].class, Some("Errno::ENOENT"));
        assert_eq!(chain[0].message, "No such file or directory - /opt/x");
        assert_eq!(
            chain[0].backtrace,
            vec![
                "at /opt/elasticbeanstalk/lib/a.rb:10:in `open'",
                "from /opt/elasticbeanstalk/lib/b.rb:20:in `run'",
                "..."
            ]
        );
    }

    #[test]
    fn message_without_class() {
        let chain = parse_chain("Command hooks failed.");
        assert_eq!(
            (chain[0].message.as_str(), chain[0].class),
            ("Command hooks failed.", None)
        );
    }

    #[test]
    fn class_suffix_needs_a_constant() {
        assert_eq!(split_class_suffix("x (Foo::Bar)"), Some(("x", "Foo::Bar")));
        assert_eq!(split_class_suffix("x (see log)"), None);
        assert_eq!(split_class_suffix("x (Foo::)"), None);
    }
}
