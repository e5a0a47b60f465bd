//! The Appendix A templates of cfn-init, matched literally: the table, the `%s` matcher
//! and the first-word index that picks the few templates a line can match.

use super::messages::*;
use nom::bytes::complete::{tag, take_until};
use nom::sequence::terminated;
use nom::Parser;
use std::collections::HashMap;
use std::sync::OnceLock;

use AccountKind::{Group, User};
use PackageManager::{Apt, Gem, Msi, Python, Rpm, Yum};
use Slots::{Detail as D, SubjectDetail as SD};

/// Up to four `%s` values of a matched template, in template order.
#[derive(Debug, Clone, Copy)]
pub(super) struct Fill<'a> {
    values: [&'a str; 4],
    len: usize,
}

impl<'a> Fill<'a> {
    pub(super) fn get(&self, i: usize) -> Option<&'a str> {
        self.values[..self.len].get(i).copied()
    }

    fn push(&mut self, v: &'a str) -> Option<()> {
        let slot = self.values.get_mut(self.len)?;
        *slot = v;
        self.len += 1;
        Some(())
    }
}

/// Matches `line` against a Python `%s` template. A value before a literal is the text up
/// to that literal's first occurrence and must not be empty; a final `%s` takes the rest of
/// the line and may be empty only after `": "` (an output), where a trailing space that an
/// editor stripped is forgiven.
pub(super) fn fill<'a>(template: &str, line: &'a str) -> Option<Fill<'a>> {
    let mut out = Fill {
        values: [""; 4],
        len: 0,
    };
    // Most templates tried do not match: reject on the leading literal before splitting
    // the template (a line matches only if it starts with that literal, or is it less the
    // trailing space of an empty output, below).
    let lead = &template[..template.find('%').unwrap_or(template.len())];
    if !line.starts_with(lead) && lead.trim_end() != line {
        return None;
    }
    let mut pieces = template.split("%s").peekable();
    let head = pieces.next().unwrap_or("");
    let mut prev = head;
    let mut rest = match tag::<_, _, nom::error::Error<&str>>(head).parse(line) {
        Ok((r, _)) => r,
        Err(_) => {
            // "Yum failed. Output:" with its trailing space stripped.
            let empty_output = pieces.next() == Some("") && pieces.peek().is_none();
            if empty_output && head.ends_with(": ") && line == head.trim_end() {
                out.push("")?;
                return Some(out);
            }
            return None;
        }
    };
    while let Some(lit) = pieces.next() {
        let last = pieces.peek().is_none();
        if last && lit.is_empty() {
            if rest.is_empty() && !prev.ends_with(": ") {
                return None;
            }
            out.push(rest)?;
            rest = "";
        } else if last {
            let v = rest.strip_suffix(lit).filter(|v| !v.is_empty())?;
            out.push(v)?;
            rest = "";
        } else {
            let taken =
                terminated(take_until::<_, _, nom::error::Error<&str>>(lit), tag(lit)).parse(rest);
            match taken {
                Ok((r, v)) if !v.is_empty() => {
                    out.push(v)?;
                    rest = r;
                }
                _ => {
                    // "... output:" with an empty output and its trailing space stripped.
                    let final_empty = pieces.peek() == Some(&"") && lit.ends_with(": ");
                    let v = rest
                        .strip_suffix(lit.trim_end())
                        .filter(|v| final_empty && !v.is_empty())?;
                    out.push(v)?;
                    out.push("")?;
                    return Some(out);
                }
            }
        }
        prev = lit;
    }
    rest.is_empty().then_some(out)
}

/// How a table template's values become a message.
#[derive(Debug, Clone, Copy)]
pub(super) enum Rule {
    Command(CommandStep),
    Package(Option<PackageManager>, PackageStep),
    Installed(PackageManager),
    PackageFailed(PackageManager, &'static str),
    ServiceChanged(ServiceAction),
    Service(ServiceStep),
    File(FileStep),
    Account(AccountKind, AccountStep),
    Source(SourceStep),
    Other(TemplateGroup),
}

/// Where a table template's values go: subject then detail, or the only value is the detail.
#[derive(Debug, Clone, Copy)]
pub(super) enum Slots {
    SubjectDetail,
    Detail,
}

/// Appendix A templates matched literally, in match order (more specific before more
/// general: `Group %s already exists` before `%s already exists`).
#[rustfmt::skip]
pub(super) static TEMPLATES: &[(&str, Rule, Slots)] = &[
    // command_tool.py
    ("No commands specified", Rule::Command(CommandStep::NoneSpecified), SD),
    ("No command specified for %s", Rule::Command(CommandStep::NoCommand), SD),
    ("Generating defaults for command %s", Rule::Command(CommandStep::GeneratingDefaults), SD),
    ("Defaults script for %s output: %s", Rule::Command(CommandStep::DefaultsOutput), SD),
    ("Defaults script failed for %s: %s", Rule::Command(CommandStep::DefaultsFailed), SD),
    ("Running test for command %s", Rule::Command(CommandStep::RunningTest), SD),
    ("Test command output: %s", Rule::Command(CommandStep::TestOutput), D),
    ("Test for command %s passed", Rule::Command(CommandStep::TestPassed), SD),
    ("No test for command %s", Rule::Command(CommandStep::NoTest), SD),
    // package results
    ("Yum installed %s", Rule::Installed(Yum), SD),
    ("APT installed %s", Rule::Installed(Apt), SD),
    ("easy_install installed %s", Rule::Installed(Python), SD),
    ("Gem installed: %s", Rule::Installed(Gem), SD),
    ("Installed %s successfully", Rule::Installed(Msi), SD),
    ("Yum makecache failed. Output: %s", Rule::PackageFailed(Yum, "Yum makecache"), D),
    ("Yum failed. Output: %s", Rule::PackageFailed(Yum, "Yum"), D),
    ("RPM failed. Output: %s", Rule::PackageFailed(Rpm, "RPM"), D),
    ("APT gencache failed. Output: %s", Rule::PackageFailed(Apt, "APT gencache"), D),
    ("apt-get failed. Output: %s", Rule::PackageFailed(Apt, "apt-get"), D),
    ("easy_install failed. Output: %s", Rule::PackageFailed(Python, "easy_install"), D),
    ("Gem failed. Output: %s", Rule::PackageFailed(Gem, "Gem"), D),
    // construction.py, rpm_tools.py, apt_tool.py, lang_package_tools.py, msi_tool.py
    ("No packages specified", Rule::Package(None, PackageStep::NoneSpecified), SD),
    ("Unsupported package manager: %s", Rule::Package(None, PackageStep::Unsupported), SD),
    ("No packages specified for yum", Rule::Package(Some(Yum), PackageStep::NoneSpecified), SD),
    ("No packages installed for RPM", Rule::Package(Some(Rpm), PackageStep::NoneSpecified), SD),
    ("No packages specified for APT", Rule::Package(Some(Apt), PackageStep::NoneSpecified), SD),
    ("No packages specified for python", Rule::Package(Some(Python), PackageStep::NoneSpecified), SD),
    ("No gems specified", Rule::Package(Some(Gem), PackageStep::NoneSpecified), SD),
    ("No packages installed for MSI", Rule::Package(Some(Msi), PackageStep::NoneSpecified), SD),
    ("%s will not be installed as it is already present", Rule::Package(None, PackageStep::AlreadyInstalled), SD),
    ("%s is not available to be installed", Rule::Package(None, PackageStep::NotAvailable), SD),
    ("Downgrading to %s from installed version %s", Rule::Package(Some(Yum), PackageStep::Downgrading), SD),
    ("Downgrading %s via yum", Rule::Package(Some(Yum), PackageStep::Downgrading), SD),
    ("Installing/updating %s via yum", Rule::Package(Some(Yum), PackageStep::Installing), SD),
    ("All yum packages were already installed", Rule::Package(Some(Yum), PackageStep::AlreadyInstalled), SD),
    ("Requested version %s is greater than installed version %s, so we will upgrade", Rule::Package(Some(Yum), PackageStep::WillUpgrade), SD),
    ("Requested version %s is NOT greater than installed version %s, so we will NOT upgrade", Rule::Package(Some(Yum), PackageStep::WillNotUpgrade), SD),
    ("All RPMs were already installed", Rule::Package(Some(Rpm), PackageStep::AlreadyInstalled), SD),
    ("Installing %s via RPM", Rule::Package(Some(Rpm), PackageStep::Installing), SD),
    ("RPM output: %s", Rule::Package(Some(Rpm), PackageStep::Output), D),
    ("RPM specified with no location", Rule::Package(Some(Rpm), PackageStep::NoLocation), SD),
    ("Skipping RPM at %s as it is already installed", Rule::Package(Some(Rpm), PackageStep::AlreadyInstalled), SD),
    ("Querying for version of package %s", Rule::Package(Some(Rpm), PackageStep::Querying), SD),
    ("RPM stdout: %s", Rule::Package(Some(Rpm), PackageStep::Output), D),
    ("RPM stderr: %s", Rule::Package(Some(Rpm), PackageStep::ErrorOutput), D),
    ("Could not determine package contained by rpm at %s", Rule::Package(Some(Rpm), PackageStep::QueryFailed), SD),
    ("All APT packages were already installed", Rule::Package(Some(Apt), PackageStep::AlreadyInstalled), SD),
    ("Attempting to install %s via APT", Rule::Package(Some(Apt), PackageStep::Installing), SD),
    ("APT output: %s", Rule::Package(Some(Apt), PackageStep::Output), D),
    ("Attempting to install %s via easy_install", Rule::Package(Some(Python), PackageStep::Installing), SD),
    ("easy_install output: %s", Rule::Package(Some(Python), PackageStep::Output), D),
    ("Checking to see if %s is already installed", Rule::Package(Some(Gem), PackageStep::Checking), SD),
    ("%s is already installed, skipping.", Rule::Package(Some(Gem), PackageStep::AlreadyInstalled), SD),
    ("Installing %s version %s via gem", Rule::Package(Some(Gem), PackageStep::Installing), SD),
    ("Gem output: %s", Rule::Package(Some(Gem), PackageStep::Output), D),
    ("%s is already installed; skipping", Rule::Package(Some(Msi), PackageStep::AlreadyInstalled), SD),
    ("All MSI packages already installed", Rule::Package(Some(Msi), PackageStep::AlreadyInstalled), SD),
    ("Installing %s via MSI", Rule::Package(Some(Msi), PackageStep::Installing), SD),
    // service_tools.py
    ("Started %s successfully", Rule::ServiceChanged(ServiceAction::Start), SD),
    ("Stopped %s successfully", Rule::ServiceChanged(ServiceAction::Stop), SD),
    ("Restarted %s successfully", Rule::ServiceChanged(ServiceAction::Restart), SD),
    ("enabled service %s", Rule::ServiceChanged(ServiceAction::Enable), SD),
    ("disabled service %s", Rule::ServiceChanged(ServiceAction::Disable), SD),
    ("No services specified", Rule::Service(ServiceStep::NoneSpecified), SD),
    ("No System V init scripts specified", Rule::Service(ServiceStep::NoneSpecified), SD),
    ("No Windows services specified", Rule::Service(ServiceStep::NoneSpecified), SD),
    ("Unsupported service manager: %s", Rule::Service(ServiceStep::Unsupported), SD),
    ("Starting service %s as it is not running", Rule::Service(ServiceStep::WillStart), SD),
    ("Stopping service %s as it is running", Rule::Service(ServiceStep::WillStop), SD),
    ("Restarting %s due to change detected in dependency", Rule::Service(ServiceStep::WillRestart), SD),
    ("Setting service %s to %s", Rule::Service(ServiceStep::SettingEnabled), SD),
    ("Not modifying enabled state of service %s", Rule::Service(ServiceStep::KeepEnabledState), SD),
    ("Not modifying running state of service %s", Rule::Service(ServiceStep::KeepRunningState), SD),
    ("No need to modify running state of service %s", Rule::Service(ServiceStep::AlreadyInState), SD),
    ("Using service modifier: %s", Rule::Service(ServiceStep::Modifier), D),
    ("Using service runner: %s", Rule::Service(ServiceStep::Runner), D),
    ("Running init scripts directly", Rule::Service(ServiceStep::InitScriptsDirectly), SD),
    ("Service output: %s", Rule::Service(ServiceStep::Output), D),
    // user_group_tools.py, posix_security.py, security.py
    ("No groups specified", Rule::Account(Group, AccountStep::NoneSpecified), SD),
    ("No users specified", Rule::Account(User, AccountStep::NoneSpecified), SD),
    ("Group %s already exists", Rule::Account(Group, AccountStep::AlreadyExists), SD),
    ("Created group %s successfully", Rule::Account(Group, AccountStep::Created), SD),
    ("Failed to create group %s", Rule::Account(Group, AccountStep::Failed), SD),
    ("Groupadd output: %s", Rule::Account(Group, AccountStep::Output), D),
    ("Added user %s successfully", Rule::Account(User, AccountStep::Created), SD),
    ("Modified user %s successfully", Rule::Account(User, AccountStep::Modified), SD),
    ("Failed to add user %s", Rule::Account(User, AccountStep::Failed), SD),
    ("Failed to modify user %s", Rule::Account(User, AccountStep::Failed), SD),
    ("No homedir or groups specified; not modifying %s", Rule::Account(User, AccountStep::Unchanged), SD),
    ("Groups have not changed for %s", Rule::Account(User, AccountStep::Unchanged), SD),
    ("Homedir has not changed for %s", Rule::Account(User, AccountStep::Unchanged), SD),
    ("User %s does not need modification", Rule::Account(User, AccountStep::Unchanged), SD),
    ("Useradd output: %s", Rule::Account(User, AccountStep::Output), D),
    ("Usermod output: %s", Rule::Account(User, AccountStep::Output), D),
    ("Unsupported OS for group operations: %s", Rule::Account(Group, AccountStep::UnsupportedOs), D),
    ("Unsupported OS for user operations: %s", Rule::Account(User, AccountStep::UnsupportedOs), D),
    // sources_tool.py
    ("No sources specified", Rule::Source(SourceStep::NoneSpecified), SD),
    ("Treating %s as a tarball", Rule::Source(SourceStep::Tarball), SD),
    ("Treating %s as a zip archive", Rule::Source(SourceStep::Zip), SD),
    ("Checking to ensure that all archive members fall under path %s", Rule::Source(SourceStep::CheckingMembers), D),
    ("Attempting to magically strip GitHub parent directory from archive", Rule::Source(SourceStep::GitHubStrip), SD),
    ("GitHub magic is not possible; archive does not contain exactly one directory", Rule::Source(SourceStep::GitHubStripImpossible), SD),
    ("Creating temporary tar from %s", Rule::Source(SourceStep::TemporaryTar), SD),
    ("Expanding %s into %s", Rule::Source(SourceStep::Expanding), SD),
    // file_tool.py
    ("No files specified", Rule::File(FileStep::NoneSpecified), SD),
    ("Symbolic link %s already exists", Rule::File(FileStep::SymlinkExists), SD),
    ("Parent directory %s does not exist, creating", Rule::File(FileStep::CreatingParent), SD),
    ("%s is specified as a symbolic link to %s", Rule::File(FileStep::Symlink), SD),
    ("Writing content to %s", Rule::File(FileStep::Writing), SD),
    ("Setting mode for %s to %s", Rule::File(FileStep::SettingMode), SD),
    ("No mode specified for %s. Setting permissions of the existing file: %s.", Rule::File(FileStep::KeepingMode), SD),
    ("No mode specified for %s. The file will be created with the mode: %s", Rule::File(FileStep::DefaultMode), SD),
    ("Error restoring backup file %s: %s", Rule::File(FileStep::RestoreFailed), SD),
    ("Error restoring %s from backup", Rule::File(FileStep::RestoreFailed), SD),
    ("Moving %s to %s", Rule::File(FileStep::Moving), SD),
    ("Could not move %s to %s", Rule::File(FileStep::MoveFailed), SD),
    ("Retrieving contents from %s", Rule::File(FileStep::Retrieving), SD),
    ("Rendering as Mustache template", Rule::File(FileStep::Mustache), SD),
    ("Content will be serialized as a JSON structure", Rule::File(FileStep::Json), SD),
    ("Decoding base64 content", Rule::File(FileStep::Base64), SD),
    // construction.py resume
    ("Starting resume", Rule::Other(TemplateGroup::Resume), SD),
    ("Resuming config: %s", Rule::Other(TemplateGroup::Resume), SD),
    ("Resuming configSets: %s", Rule::Other(TemplateGroup::Resume), SD),
    ("Resume completed", Rule::Other(TemplateGroup::Resume), SD),
    // util.py
    ("Sleeping for %s seconds before retrying", Rule::Other(TemplateGroup::Network), SD),
    ("Timeout of %s seconds breached", Rule::Other(TemplateGroup::Network), SD),
    ("SSLError", Rule::Other(TemplateGroup::Network), SD),
    ("Checksum mismatch", Rule::Other(TemplateGroup::Network), SD),
    ("ConnectionError", Rule::Other(TemplateGroup::Network), SD),
    ("ProxyError", Rule::Other(TemplateGroup::Network), SD),
    ("Timeout", Rule::Other(TemplateGroup::Network), SD),
    ("Client-side timeout", Rule::Other(TemplateGroup::Network), SD),
    ("Generic IOError", Rule::Other(TemplateGroup::Network), SD),
    ("Unexpected Exception", Rule::Other(TemplateGroup::Network), SD),
    ("Exception retrieving InstanceId", Rule::Other(TemplateGroup::Network), SD),
    ("file uses KMS encryption; skipping checksum comparison", Rule::Other(TemplateGroup::Network), SD),
    ("cannot check consistency of file uploaded multipart; etag has - character present", Rule::Other(TemplateGroup::Network), SD),
    // auth.py, util.py credentials
    ("Handling redirect to S3 location: %s", Rule::Other(TemplateGroup::Auth), SD),
    ("S3 redirected to non-S3 url: %s", Rule::Other(TemplateGroup::Auth), SD),
    ("Falling back to Signature Version 2 as no region was specified in S3 URL", Rule::Other(TemplateGroup::Auth), SD),
    ("S3 auth requires either \"accessKeyId\" and \"secretKey\" or \"roleName\"", Rule::Other(TemplateGroup::Auth), SD),
    ("Unrecognized authentication type: %s", Rule::Other(TemplateGroup::Auth), SD),
    ("Refreshing role-based credentials", Rule::Other(TemplateGroup::Auth), SD),
    ("Exception while refreshing credentials; will refresh on next access", Rule::Other(TemplateGroup::Auth), SD),
    // cfn_client.py, aws_client.py, resources/documents
    ("Non-standard CloudFormation endpoint: %s", Rule::Other(TemplateGroup::Client), SD),
    ("Constructing user agent failed with error message: %s", Rule::Other(TemplateGroup::Client), SD),
    ("Loading py2exe endpoints.json file", Rule::Other(TemplateGroup::Client), SD),
    ("Failed to load endpoints.json", Rule::Other(TemplateGroup::Client), SD),
    ("Loading existing endpoints override file %s", Rule::Other(TemplateGroup::Client), SD),
    ("Failed to load endpoints override file: %s", Rule::Other(TemplateGroup::Client), SD),
    // bin/cfn-init, construction.py, util.py
    ("Could not create %s to store metadata", Rule::Other(TemplateGroup::State), SD),
    ("Could not create %s to store the work log", Rule::Other(TemplateGroup::State), SD),
    ("No value at path %s (missing index: %s)", Rule::Other(TemplateGroup::State), SD),
    // security.py, platform_utils.py
    ("Unsupported OS for setting owner/group: %s", Rule::Other(TemplateGroup::Platform), SD),
    ("Not setting a reboot trigger as scheduling support is not available", Rule::Other(TemplateGroup::Platform), SD),
    ("Creating Scheduled Task for cfn-init resume", Rule::Other(TemplateGroup::Platform), SD),
    ("Scheduled task already exists; not updating", Rule::Other(TemplateGroup::Platform), SD),
    ("Scheduled Task created", Rule::Other(TemplateGroup::Platform), SD),
    ("Not clearing reboot trigger as scheduling support is not available", Rule::Other(TemplateGroup::Platform), SD),
    ("Deleting Scheduled Task for cfn-init resume", Rule::Other(TemplateGroup::Platform), SD),
    ("Scheduled Task deleted", Rule::Other(TemplateGroup::Platform), SD),
    ("Scheduled Task did not exist", Rule::Other(TemplateGroup::Platform), SD),
    // The most general file template last.
    ("%s already exists", Rule::File(FileStep::AlreadyExists), SD),
];

pub(super) fn build(rule: Rule, slots: Slots, v: Fill<'_>) -> Option<CfnInitMessage<'_>> {
    let (subject, detail) = match slots {
        Slots::SubjectDetail => (v.get(0), v.get(1)),
        Slots::Detail => (None, v.get(0)),
    };
    Some(match rule {
        Rule::Command(step) => CfnInitMessage::CommandStep {
            step,
            subject,
            detail,
        },
        Rule::Package(manager, step) => CfnInitMessage::Package {
            manager,
            step,
            subject,
            detail,
        },
        Rule::Installed(manager) => CfnInitMessage::PackagesInstalled {
            manager,
            packages: subject?,
        },
        Rule::PackageFailed(manager, tool) => CfnInitMessage::PackageFailed {
            manager,
            tool,
            output: detail?,
        },
        Rule::ServiceChanged(action) => CfnInitMessage::ServiceChanged {
            action,
            service: subject?,
        },
        Rule::Service(step) => CfnInitMessage::Service {
            step,
            subject,
            detail,
        },
        Rule::File(step) => CfnInitMessage::File {
            step,
            subject,
            detail,
        },
        Rule::Account(kind, step) => CfnInitMessage::Account {
            kind,
            step,
            subject,
            detail,
        },
        Rule::Source(step) => CfnInitMessage::Source {
            step,
            subject,
            detail,
        },
        Rule::Other(group) => CfnInitMessage::Other { group, subject },
    })
}

/// Indices into [`TEMPLATES`] by the first word of the template's leading literal, and
/// the templates whose first word holds a value (tried for every line).
struct TemplateIndex {
    by_first_word: HashMap<&'static str, Vec<usize>>,
    open: Vec<usize>,
}

/// The first word of `text`: up to its first space, or all of it.
fn first_word(text: &str) -> &str {
    text.split(' ').next().unwrap_or(text)
}

fn template_index() -> &'static TemplateIndex {
    static INDEX: OnceLock<TemplateIndex> = OnceLock::new();
    INDEX.get_or_init(|| {
        let mut index = TemplateIndex {
            by_first_word: HashMap::new(),
            open: Vec::new(),
        };
        for (i, (template, _, _)) in TEMPLATES.iter().enumerate() {
            let head = template.split("%s").next().unwrap_or("");
            // The first word is literal only when the leading literal reaches past it.
            match head.find(' ') {
                Some(space) => index
                    .by_first_word
                    .entry(&head[..space])
                    .or_default()
                    .push(i),
                None => index.open.push(i),
            }
        }
        index
    })
}

pub(super) fn from_table(i: &str) -> Option<CfnInitMessage<'_>> {
    // Only templates whose first word is the line's (and those that open with a value)
    // can match: a hash lookup instead of trying 160 templates in turn. They are tried in
    // table order, which is the order of specificity.
    let index = template_index();
    let by_word = index
        .by_first_word
        .get(first_word(i))
        .map_or(&[][..], Vec::as_slice);
    let first = i.as_bytes().first().copied();
    let open = index.open.iter().copied().filter(move |&t| {
        let template = TEMPLATES[t].0;
        template.starts_with("%s") || template.as_bytes().first().copied() == first
    });
    let found = merge_ascending(by_word.iter().copied(), open).find_map(|t| {
        let (template, rule, slots) = TEMPLATES[t];
        build(rule, slots, fill(template, i)?)
    });
    found
}

/// The union of two ascending sequences of indices, ascending.
fn merge_ascending(
    a: impl Iterator<Item = usize>,
    b: impl Iterator<Item = usize>,
) -> impl Iterator<Item = usize> {
    let (mut a, mut b) = (a.peekable(), b.peekable());
    std::iter::from_fn(move || match (a.peek().copied(), b.peek().copied()) {
        (Some(x), Some(y)) if x <= y => a.next(),
        (Some(_), Some(_)) | (None, Some(_)) => b.next(),
        (Some(_), None) => a.next(),
        (None, None) => None,
    })
}
