//! The catalogue (`exercises/catalogue.toml`): the exercises in order, with
//! their hints and wrong-solution fixtures. Nothing else lists exercises.

use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::error::{Error, Result};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Catalogue {
    #[serde(rename = "level")]
    pub levels: Vec<Level>,
    #[serde(rename = "exercise", default)]
    pub exercises: Vec<Exercise>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Level {
    pub number: u32,
    pub title: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Exercise {
    pub name: String,
    pub level: u32,
    pub hints: Vec<String>,
    #[serde(rename = "fixture", default)]
    pub fixtures: Vec<Fixture>,
    /// What each check is worth in `cargo xtask grade`; left out, the
    /// defaults by kind ([`Points::DEFAULT_PROPERTY`] and its siblings).
    #[serde(default)]
    pub points: Points,
    /// Why no sequential fixture can exist (a blocking primitive, an owner
    /// thread: the API cannot be answered without concurrency). Every
    /// exercise from level 1 up has a `sequential` fixture or this reason.
    #[serde(default)]
    pub no_sequential: Option<String>,
    /// Its stub does not compile, by design (the lesson is the compiler's
    /// refusal): its check crate is a workspace of its own, left out of the
    /// course's, and the runner builds it alone (ARCHITECTURE.md, "Lessons
    /// whose stub does not compile").
    #[serde(default)]
    pub own_workspace: bool,
    /// The schedule explorer of its `explore` checks: `"loom"`, whose model
    /// checker also explores weak memory orderings, or, left out, shuttle.
    #[serde(default)]
    pub explorer: Option<String>,
}

/// Points for an exercise's checks: by kind, then by check name.
///
/// ```toml
/// points = { speedup = 5, checks = { "three texts" = 2 } }
/// ```
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Points {
    pub property: Option<u32>,
    pub snapshot: Option<u32>,
    pub speedup: Option<u32>,
    pub explore: Option<u32>,
    /// Named checks, overriding their kind's points.
    #[serde(default)]
    pub checks: std::collections::BTreeMap<String, u32>,
}

impl Points {
    pub const DEFAULT_PROPERTY: u32 = 2;
    pub const DEFAULT_SNAPSHOT: u32 = 1;
    pub const DEFAULT_SPEEDUP: u32 = 3;
    pub const DEFAULT_EXPLORE: u32 = 2;

    /// What the check called `name`, of `kind`, is worth.
    pub fn of(&self, name: &str, kind: grading_kit::protocol::CheckKind) -> u32 {
        use grading_kit::protocol::CheckKind;
        if let Some(&points) = self.checks.get(name) {
            return points;
        }
        match kind {
            CheckKind::Property => self.property.unwrap_or(Points::DEFAULT_PROPERTY),
            CheckKind::Snapshot => self.snapshot.unwrap_or(Points::DEFAULT_SNAPSHOT),
            CheckKind::Speedup => self.speedup.unwrap_or(Points::DEFAULT_SPEEDUP),
            CheckKind::Explore => self.explore.unwrap_or(Points::DEFAULT_EXPLORE),
            CheckKind::Build => 0,
        }
    }
}

/// A typical wrong answer, which the checks must reject with a lesson; or,
/// with `passes`, an unusual correct answer they must not reject.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Fixture {
    pub name: String,
    /// The kind of check that must reject it (`property`, `snapshot`,
    /// `speedup`, `timeout` or `build`).
    #[serde(default)]
    pub fails: Option<String>,
    /// Words the failure message must contain.
    #[serde(default)]
    pub says: Option<String>,
    /// A correct solution (an adversary of the speedup verdicts): it must pass.
    #[serde(default)]
    pub passes: bool,
    /// The hardware effect the fixture's speedup failure depends on (false
    /// sharing needs cores that do not share their caches): where the check
    /// passes it anyway, `verify` notes it instead of failing. The grade of
    /// such a lesson rests on a deterministic property; the speedup check
    /// probes the effect first, but a probe can be wrong by a margin.
    #[serde(default)]
    pub hardware: Option<String>,
    /// The natural answer with the right values and no concurrency (or its
    /// threads joined one at a time): the course's proof that the exercise
    /// grades concurrency and not only values.
    #[serde(default)]
    pub sequential: bool,
}

/// What a fixture must do under the checks.
pub enum Expectation<'a> {
    Fail { kind: &'a str, says: &'a str },
    Pass,
}

impl Fixture {
    pub fn expectation(&self) -> Option<Expectation<'_>> {
        match (&self.fails, &self.says, self.passes) {
            (Some(kind), Some(says), false) => Some(Expectation::Fail { kind, says }),
            (None, None, true) => Some(Expectation::Pass),
            _ => None,
        }
    }
}

impl Catalogue {
    pub fn path(root: &Path) -> PathBuf {
        root.join("exercises").join("catalogue.toml")
    }

    pub fn load_from(root: &Path) -> Result<Catalogue> {
        let path = Catalogue::path(root);
        let text = std::fs::read_to_string(&path).map_err(|e| Error::io("read the catalogue", &path, e))?;
        toml::from_str(&text).map_err(|e| {
            Error::new(format!("the catalogue {} is malformed", path.display()))
                .cause(e)
                .hint("restore it from git: `git checkout -- exercises/catalogue.toml`")
        })
    }

    /// The exercise called `name`, or an error that suggests the closest names.
    pub fn find(&self, name: &str) -> Result<&Exercise> {
        if let Some(exercise) = self.exercises.iter().find(|e| e.name == name) {
            return Ok(exercise);
        }
        let mut close: Vec<(f64, &str)> = self
            .exercises
            .iter()
            .map(|e| (strsim::jaro_winkler(name, &e.name), e.name.as_str()))
            .filter(|(score, _)| *score > 0.7)
            .collect();
        close.sort_by(|a, b| b.0.total_cmp(&a.0));
        let error = Error::new(format!("there is no exercise called `{name}`"));
        Err(if close.is_empty() {
            error.hint("`cargo xtask list` shows every exercise")
        } else {
            let names: Vec<String> = close.iter().take(3).map(|(_, n)| format!("`{n}`")).collect();
            error.hint(format!("did you mean {}? (`cargo xtask list` shows every exercise)", names.join(" or ")))
        })
    }

    pub fn level_title(&self, number: u32) -> &str {
        self.levels.iter().find(|l| l.number == number).map_or("", |l| l.title.as_str())
    }
}

impl Exercise {
    /// The check crate's package (and binary) name.
    /// This exercise under another name, for a [`crate::stage::Copy`] of it
    /// (the copy carries no hints, fixtures or points of its own).
    pub fn copy_named(&self, name: String) -> Exercise {
        Exercise {
            name,
            level: self.level,
            hints: Vec::new(),
            fixtures: Vec::new(),
            points: Points::default(),
            no_sequential: None,
            own_workspace: self.own_workspace,
            explorer: self.explorer.clone(),
        }
    }

    pub fn checks_package(&self) -> String {
        format!("{}-checks", self.name)
    }

    /// The manifest cargo is pointed at to build this exercise's checks
    /// alone, when they are a workspace of their own; `None` when they are
    /// a member of the course's workspace.
    pub fn own_manifest(&self, root: &Path) -> Option<PathBuf> {
        self.own_workspace.then(|| root.join("tests").join("checks").join(&self.name).join("Cargo.toml"))
    }

    /// Whether its exploration checks run under loom rather than shuttle.
    pub fn explored_by_loom(&self) -> bool {
        self.explorer.as_deref() == Some("loom")
    }

    pub fn source_dir(&self, root: &Path) -> PathBuf {
        root.join("exercises").join(&self.name).join("src")
    }

    /// The course's own copy of the shipped stub (`src/` as it ships), which
    /// `reset` restores and `verify` checks: the learner never edits it.
    pub fn stub_dir(&self, root: &Path) -> PathBuf {
        root.join("tests").join("checks").join(&self.name).join("stub")
    }

    pub fn fixture_path(&self, root: &Path, fixture: &Fixture) -> PathBuf {
        root.join("tests").join("checks").join(&self.name).join("fixtures").join(format!("{}.rs", fixture.name))
    }
}
