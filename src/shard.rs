//! Shards: `eblog scan --shard K/N` keeps a deterministic 1/N of its inputs, host by host,
//! so that N machines (or N batch jobs) given the same paths each write a dataset and the
//! N datasets together hold every record exactly once.
//!
//! A file's host is the instance it came from ([`host_key`]): the path up to its instance
//! directory (`.../i-0123456789abcdef0/`) when the path names an instance id, else the
//! archive itself for a `.zip` bundle, else the host correlation uses
//! ([`crate::ids::host_of`]: the file's directory, `nginx/` and such folded in). The
//! key's FNV-1a hash, modulo N, picks the shard, so a host's files always go together and
//! the choice depends on nothing but the path (not on the machine, the order or the time).
#![forbid(unsafe_code)]

use serde::{Serialize, Serializer};
use std::fmt;
use std::path::Path;
use std::str::FromStr;

/// Shard `index` (1-based) of `count`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shard {
    index: u32,
    count: u32,
}

impl Shard {
    /// Shard `index` of `count`, `None` unless `1 <= index <= count`.
    pub fn new(index: u32, count: u32) -> Option<Self> {
        (index >= 1 && index <= count).then_some(Self { index, count })
    }

    /// The shard's number, from 1.
    pub fn index(self) -> u32 {
        self.index
    }

    /// How many shards there are.
    pub fn count(self) -> u32 {
        self.count
    }

    /// Whether the file at `path` belongs to this shard.
    pub fn keeps(self, path: &Path) -> bool {
        shard_of(&host_key(&path.to_string_lossy()), self.count) == self.index
    }
}

impl FromStr for Shard {
    type Err = String;

    /// Parses `K/N` (`1/3`), with `1 <= K <= N`.
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let (k, n) = text
            .split_once('/')
            .ok_or_else(|| format!("{text:?} is not K/N (e.g. 1/3)"))?;
        let number = |s: &str| {
            s.trim()
                .parse::<u32>()
                .map_err(|_| format!("{text:?} is not K/N (e.g. 1/3)"))
        };
        let (index, count) = (number(k)?, number(n)?);
        Shard::new(index, count)
            .ok_or_else(|| format!("{text:?}: K must be between 1 and N (N at least 1)"))
    }
}

impl fmt::Display for Shard {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.index, self.count)
    }
}

/// Written as `"K/N"` (in the manifest's `scan.shard`).
impl Serialize for Shard {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

/// The host a file belongs to, as shards group files: the instance id the path names
/// (`i-0123456789abcdef0`, the instance directory of a bundle download, whatever is
/// above it), else the path itself for a `.zip` archive, else its directory as
/// [`crate::ids::host_of`] has it.
pub fn host_key(path: &str) -> String {
    let path = path.replace('\\', "/");
    if let Some(id) = crate::ids::instance_id(&path) {
        return id.to_owned();
    }
    if path.to_ascii_lowercase().ends_with(".zip") {
        return path;
    }
    crate::ids::host_of(&path)
}

/// The shard (1-based) of `count` that `key` falls in: its FNV-1a hash modulo `count`.
fn shard_of(key: &str, count: u32) -> u32 {
    const OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
    const PRIME: u64 = 0x0000_0100_0000_01b3;
    let hash = key
        .bytes()
        .fold(OFFSET, |h, b| (h ^ u64::from(b)).wrapping_mul(PRIME));
    // `count` is at least 1 (Shard::new), and the remainder is below it.
    (hash % u64::from(count.max(1))) as u32 + 1
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    #[test]
    fn parses_k_of_n_and_refuses_the_rest() {
        assert_eq!("2/3".parse::<Shard>(), Ok(Shard { index: 2, count: 3 }));
        assert_eq!(
            "1/1".parse::<Shard>().map(|s| s.to_string()),
            Ok("1/1".into())
        );
        for bad in ["0/3", "4/3", "1/0", "3", "a/b", "1/3/4", "", "-1/3"] {
            assert!(bad.parse::<Shard>().is_err(), "{bad} parsed");
        }
    }

    #[test]
    fn a_hosts_files_share_a_key() {
        let a = "fleet/e-2prvqhnsfz/i-055316f1bf6567d5d/var/log/eb-engine.log";
        let b = "fleet/e-2prvqhnsfz/i-055316f1bf6567d5d/var/log/nginx/access.log";
        let c = "fleet/e-2prvqhnsfz/i-055316f1bf6567d5d/var/log/eb-hooks.log.1.gz";
        assert_eq!(host_key(a), "i-055316f1bf6567d5d");
        assert_eq!(host_key(a), host_key(b));
        assert_eq!(host_key(a), host_key(c));
        // Without an instance id: the directory, its nginx/ folded in.
        assert_eq!(
            host_key("logs/web1/var/log/nginx/error.log"),
            host_key("logs/web1/var/log/eb-engine.log")
        );
        assert_ne!(
            host_key("logs/web1/var/log/eb-engine.log"),
            host_key("logs/web2/var/log/eb-engine.log")
        );
        // A bundle is a host of its own, even beside another in one directory.
        assert_ne!(host_key("dl/one.zip"), host_key("dl/two.zip"));
    }

    #[test]
    fn the_same_instance_falls_in_one_shard_wherever_it_is_mounted() {
        let here = PathBuf::from("/mnt/a/i-0abc1234/var/log/eb-engine.log");
        let there = PathBuf::from("/data/fleet/i-0abc1234/var/log/cfn-init.log");
        for n in 1..=7 {
            let of = |p: &Path| (1..=n).find(|&k| Shard::new(k, n).unwrap().keeps(p));
            assert_eq!(of(&here), of(&there), "n = {n}");
        }
    }

    #[test]
    fn every_file_is_in_exactly_one_shard_and_the_shards_share_the_work() {
        let n = 3;
        let shards: Vec<Shard> = (1..=n).map(|k| Shard::new(k, n).unwrap()).collect();
        let mut sizes = vec![0usize; n as usize];
        for host in 0..300 {
            let path = PathBuf::from(format!("fleet/host-{host:03}/var/log/eb-engine.log"));
            let owners: Vec<u32> = shards
                .iter()
                .filter(|s| s.keeps(&path))
                .map(|s| s.index())
                .collect();
            assert_eq!(owners.len(), 1, "{path:?} in {owners:?}");
            sizes[(owners[0] - 1) as usize] += 1;
        }
        // 300 hosts over 3 shards: none is far from 100 (FNV-1a spreads the keys).
        assert!(sizes.iter().all(|&s| (70..=130).contains(&s)), "{sizes:?}");
    }

    #[test]
    fn one_shard_keeps_everything() {
        let all = Shard::new(1, 1).unwrap();
        assert!(all.keeps(Path::new("anything/at/all.log")));
        assert!(all.keeps(Path::new("")));
    }
}
