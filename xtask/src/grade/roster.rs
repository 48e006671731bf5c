//! Who and what is graded: the submissions of a class, one submission's
//! folder and student, and which checks each exercise has.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use grading_kit::protocol::CheckInfo;

use crate::catalogue::Exercise;
use crate::course::Course;
use crate::error::{Error, Result};
use crate::judge::Judge;

/// The exercises graded, in course order, each with its checks.
pub struct Roster<'c> {
    pub exercises: Vec<(&'c Exercise, Vec<CheckInfo>)>,
}

/// One submission: whose it is and where.
pub struct Submission {
    pub student: String,
    pub dir: PathBuf,
}

/// Which checks each selected exercise has: listed by its judge, built
/// against the reference solution. Learner code never decides what an
/// exercise is worth.
pub fn checks<'c>(course: &Course, judge: &mut Judge<'_>, selected: &[&'c Exercise]) -> Result<Roster<'c>> {
    if let Some(missing) = selected.iter().find(|e| !course.root.join("solutions").join(&e.name).is_dir()) {
        return Err(Error::new(format!("the reference solution of `{}` is missing", missing.name))
            .hint("grade from the instructor's copy of the course, which has `solutions/`"));
    }
    let mut listed: BTreeMap<String, Vec<CheckInfo>> = judge.roster(selected)?;
    let mut exercises = Vec::new();
    for exercise in selected {
        let checks = listed.remove(&exercise.name).unwrap_or_default();
        if let Some(name) = exercise.points.checks.keys().find(|name| !checks.iter().any(|c| &c.name == *name)) {
            return Err(Error::new(format!(
                "the catalogue gives points to `{name}`, which `{}` does not have",
                exercise.name
            ))
            .hint("correct the check's name under `points.checks` in exercises/catalogue.toml"));
        }
        exercises.push((*exercise, checks));
    }
    Ok(Roster { exercises })
}

/// The submission `grade --submission DIR` names, or the working tree.
pub fn submission(course: &Course, dir: Option<&Path>, student: Option<&str>) -> Result<Submission> {
    Ok(match dir {
        Some(dir) => {
            if !dir.join("exercises").is_dir() {
                return Err(Error::new(format!("{} is not a course folder: it has no `exercises/`", dir.display()))
                    .hint("point --submission at the root of a learner's copy of the course"));
            }
            Submission { student: student.map_or_else(|| folder_name(dir), str::to_string), dir: dir.to_path_buf() }
        }
        None => Submission { student: student.unwrap_or("working tree").to_string(), dir: course.root.clone() },
    })
}

/// Every folder of a class's `dir`, one submission each, named after its
/// student.
pub fn class(dir: &Path) -> Result<Vec<Submission>> {
    let mut folders: Vec<PathBuf> = fs::read_dir(dir)
        .map_err(|e| Error::io("read", dir, e))?
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|path| path.is_dir() && !folder_name(path).starts_with('.'))
        .collect();
    folders.sort();
    if folders.is_empty() {
        return Err(Error::new(format!("{} holds no submission folders", dir.display()))
            .hint("put each student's copy of the course in a folder of its own, named after the student"));
    }
    Ok(folders.into_iter().map(|dir| Submission { student: folder_name(&dir), dir }).collect())
}

fn folder_name(dir: &Path) -> String {
    let canonical = fs::canonicalize(dir).unwrap_or_else(|_| dir.to_path_buf());
    canonical.file_name().map_or_else(|| "submission".to_string(), |n| n.to_string_lossy().into_owned())
}
