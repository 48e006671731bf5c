//! How much CPU the grading machine gives this process: the cores it may
//! run on, and, on Linux, its cgroup's CPU quota.
//!
//! Hosted graders cap CPU with a quota: Gradescope gives an autograder half
//! a CPU unless its settings say otherwise. `available_parallelism` reads
//! the quota too, but rounds it to at least one core, so half a CPU and a
//! whole one look the same to it: the quota is read here (`cpu.max` of
//! cgroup v2, `cpu.cfs_quota_us` of v1), for the cgroup of this process
//! and every cgroup above it, the smallest winning.
//!
//! `XTASK_CGROUP_ROOT` names another folder to read the cgroup files from
//! (default `/sys/fs/cgroup`): tests simulate a quota with it. It only
//! changes what the reports say about the machine, never a verdict.

use std::path::{Path, PathBuf};

/// The CPU this process may use.
#[derive(Clone, Debug, PartialEq)]
pub struct Cpus {
    /// `available_parallelism`: the cores of the affinity mask, or of the
    /// quota rounded down to at least one.
    pub cores: usize,
    /// The cgroup quota, when one is set: microseconds of CPU per period.
    pub quota: Option<Quota>,
}

#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Quota {
    pub micros: u64,
    pub period: u64,
}

impl Quota {
    pub fn cpus(self) -> f64 {
        self.micros as f64 / self.period as f64
    }
}

impl Cpus {
    /// CPUs the process may keep busy: the cores, or the quota when smaller.
    pub fn available(&self) -> f64 {
        let cores = self.cores as f64;
        self.quota.map_or(cores, |q| q.cpus().min(cores))
    }

    /// What an instructor must know when this machine cannot grade as the
    /// course expects, with the setting that fixes it; `None` when it can.
    pub fn note(&self) -> Option<String> {
        let available = self.available();
        if available >= 2.0 {
            return None;
        }
        let fix = "On Gradescope, raise the CPU in the assignment's Autograder Settings \
                   (2 CPUs or more; the default is half of one); elsewhere, grade on a machine with 2 cores or more.";
        Some(match self.quota.filter(|q| q.cpus() < 1.0 && q.cpus() < self.cores as f64) {
            Some(q) => format!(
                "This machine gives the grader {} of a CPU (a cgroup quota of {} µs every {} µs): every check \
                 runs slower than it would on one core, and no speedup can be measured (that needs 2 cores). {fix}",
                trim(q.cpus()),
                q.micros,
                q.period
            ),
            None => format!(
                "This machine gives the grader {} CPU: no speedup can be measured (that needs 2 cores). {fix}",
                trim(available)
            ),
        })
    }
}

fn trim(cpus: f64) -> String {
    let text = format!("{cpus:.2}");
    text.trim_end_matches('0').trim_end_matches('.').to_string()
}

/// The CPU of this process, now.
pub fn cpus() -> Cpus {
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let root = std::env::var_os("XTASK_CGROUP_ROOT").map_or_else(|| PathBuf::from("/sys/fs/cgroup"), PathBuf::from);
    let membership = std::fs::read_to_string("/proc/self/cgroup").unwrap_or_default();
    Cpus { cores, quota: quota(&root, &membership) }
}

/// The smallest quota of the cgroups of `membership` (the text of
/// `/proc/self/cgroup`) and their ancestors, read below `root`.
fn quota(root: &Path, membership: &str) -> Option<Quota> {
    let mut found: Vec<Quota> = Vec::new();
    for line in membership.lines() {
        let mut parts = line.splitn(3, ':');
        let (Some(_), Some(controllers), Some(path)) = (parts.next(), parts.next(), parts.next()) else {
            continue;
        };
        let v2 = controllers.is_empty();
        let v1 = controllers.split(',').any(|c| c == "cpu");
        if !v2 && !v1 {
            continue;
        }
        // The folders of a v1 hierarchy: mounted by controller names.
        let bases: Vec<PathBuf> =
            if v2 { vec![root.to_path_buf()] } else { vec![root.join(controllers), root.join("cpu")] };
        for base in bases {
            for dir in ancestors(&base, path) {
                let read = if v2 { read_v2(&dir) } else { read_v1(&dir) };
                found.extend(read);
            }
        }
    }
    // Also the root itself, for a container whose `/proc/self/cgroup` names
    // a path its own view of the cgroup files does not have.
    found.extend(read_v2(root));
    found.into_iter().min_by(|a, b| a.cpus().total_cmp(&b.cpus()))
}

/// `base/path` and each folder above it, up to `base`.
fn ancestors(base: &Path, path: &str) -> Vec<PathBuf> {
    let mut dirs = vec![base.to_path_buf()];
    let mut dir = base.to_path_buf();
    for part in path.split('/').filter(|p| !p.is_empty() && *p != "." && *p != "..") {
        dir.push(part);
        dirs.push(dir.clone());
    }
    dirs
}

/// `cpu.max`: `max 100000` (no quota) or `50000 100000`.
fn read_v2(dir: &Path) -> Option<Quota> {
    let text = std::fs::read_to_string(dir.join("cpu.max")).ok()?;
    let mut words = text.split_whitespace();
    let micros = words.next()?.parse().ok()?;
    let period = words.next()?.parse().ok()?;
    valid(micros, period)
}

/// `cpu.cfs_quota_us` (`-1`: no quota) and `cpu.cfs_period_us`.
fn read_v1(dir: &Path) -> Option<Quota> {
    let read = |name: &str| std::fs::read_to_string(dir.join(name)).ok()?.trim().parse::<i64>().ok();
    let micros = u64::try_from(read("cpu.cfs_quota_us")?).ok()?;
    let period = u64::try_from(read("cpu.cfs_period_us")?).ok()?;
    valid(micros, period)
}

fn valid(micros: u64, period: u64) -> Option<Quota> {
    (micros > 0 && period > 0).then_some(Quota { micros, period })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn folder(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("xtask-machine-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }

    #[test]
    fn a_v2_quota_is_read_from_the_cgroup_and_its_ancestors() {
        let root = folder("v2");
        std::fs::create_dir_all(root.join("grader/job")).unwrap();
        std::fs::write(root.join("grader/job/cpu.max"), "max 100000\n").unwrap();
        std::fs::write(root.join("grader/cpu.max"), "50000 100000\n").unwrap();
        let found = quota(&root, "0::/grader/job\n").unwrap();
        assert_eq!(found, Quota { micros: 50_000, period: 100_000 });
        assert_eq!(quota(&root, "0::/elsewhere\n"), None);
        std::fs::remove_dir_all(root).unwrap();
    }

    #[test]
    fn a_v1_quota_is_read_and_minus_one_is_none() {
        let root = folder("v1");
        std::fs::create_dir_all(root.join("cpu,cpuacct/docker")).unwrap();
        std::fs::write(root.join("cpu,cpuacct/docker/cpu.cfs_quota_us"), "150000\n").unwrap();
        std::fs::write(root.join("cpu,cpuacct/docker/cpu.cfs_period_us"), "100000\n").unwrap();
        std::fs::write(root.join("cpu,cpuacct/cpu.cfs_quota_us"), "-1\n").unwrap();
        std::fs::write(root.join("cpu,cpuacct/cpu.cfs_period_us"), "100000\n").unwrap();
        let found = quota(&root, "4:cpu,cpuacct:/docker\n3:memory:/docker\n").unwrap();
        assert_eq!(found.cpus(), 1.5);
        std::fs::remove_dir_all(root).unwrap();
    }

    #[test]
    fn half_a_cpu_is_said_with_the_setting_that_fixes_it() {
        let half = Cpus { cores: 1, quota: Some(Quota { micros: 50_000, period: 100_000 }) };
        let note = half.note().unwrap();
        assert!(note.contains("0.5 of a CPU"), "{note}");
        assert!(note.contains("Autograder Settings"), "{note}");
        let one = Cpus { cores: 1, quota: None };
        assert!(one.note().unwrap().contains("gives the grader 1 CPU"));
        let two = Cpus { cores: 8, quota: Some(Quota { micros: 200_000, period: 100_000 }) };
        assert_eq!(two.available(), 2.0);
        assert_eq!(two.note(), None);
    }
}
