//! `cargo xtask gradescope-autograder OUT.zip`: this course as a Gradescope
//! autograder. The zip holds, at its root, `setup.sh` and `run_autograder`
//! (Gradescope's two required files; see `autograder/setup.sh` and
//! `autograder/run_autograder`) and, under `course/`, what grading needs of
//! this workspace: the manifests, the lock file, `.cargo/`, the runner, the
//! checks, the reference solutions, and the exercises with their stubs as
//! shipped (never the instructor's own code in `exercises/*/src`).
//! `run_autograder` grades with `grade --gradescope`: the same writer as any
//! other grading.

mod zip;

use std::fs;
use std::path::Path;

use crate::course::Course;
use crate::error::{Error, Result};
use crate::exit;
use crate::flags::AutograderArgs;

const SETUP: &str = include_str!("autograder/setup.sh");
const RUN: &str = include_str!("autograder/run_autograder");

/// The parts of the workspace the course folder is made of: nothing else
/// goes in (no `target/`, no progress, no class's `grades/`).
const PARTS: [&str; 8] =
    ["Cargo.toml", "Cargo.lock", "rust-toolchain.toml", "rustfmt.toml", ".cargo", "solutions", "tests", "xtask"];

pub fn run(course: &Course, args: &AutograderArgs) -> Result<u8> {
    let selected = course.select(&args.exercises)?;
    let all = selected.len() == course.catalogue.exercises.len();
    let names: Vec<&str> = if all { Vec::new() } else { selected.iter().map(|e| e.name.as_str()).collect() };
    let flags = if args.hide_speedup_until_due { "--hide-speedup-until-due" } else { "" };
    let mut entries = vec![
        zip::Entry { name: "setup.sh".into(), bytes: fill(SETUP, &names, flags).into_bytes(), mode: 0o755 },
        zip::Entry { name: "run_autograder".into(), bytes: fill(RUN, &names, flags).into_bytes(), mode: 0o755 },
    ];
    entries.extend(course_files(course)?);
    let mut archive = Vec::new();
    zip::write(&mut archive, &entries).map_err(|e| Error::new(format!("could not pack the autograder: {e}")))?;
    if let Some(parent) = args.out.parent().filter(|p| !p.as_os_str().is_empty()) {
        fs::create_dir_all(parent).map_err(|e| Error::io("create", parent, e))?;
    }
    fs::write(&args.out, &archive).map_err(|e| Error::io("write", &args.out, e))?;
    println!(
        "wrote {} ({} files, {:.1} MB): upload it in the assignment's Configure Autograder page",
        args.out.display(),
        entries.len(),
        archive.len() as f64 / 1e6
    );
    Ok(exit::SUCCESS)
}

/// A script with the exercises to grade (none: all) and `grade`'s flags.
fn fill(script: &str, exercises: &[&str], flags: &str) -> String {
    script.replace("@EXERCISES@", &exercises.join(" ")).replace("@FLAGS@", flags)
}

/// The course's files under `course/`, in a stable order.
fn course_files(course: &Course) -> Result<Vec<zip::Entry>> {
    let root = &course.root;
    let mut entries = Vec::new();
    for part in PARTS {
        let path = root.join(part);
        if path.is_dir() {
            walk(root, &path, &mut entries)?;
        } else if path.is_file() {
            entries.push(entry(root, &path)?);
        }
    }
    // The exercises as shipped: their manifests and lessons, and the stub
    // as `src/`, taken from the checks' copy of it.
    let exercises = root.join("exercises");
    for file in sorted(&exercises)?.into_iter().filter(|f| f.is_file()) {
        entries.push(entry(root, &file)?);
    }
    for exercise in &course.catalogue.exercises {
        let dir = exercises.join(&exercise.name);
        for file in sorted(&dir)? {
            let name = file.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
            if name == "src" || name == "target" {
                continue;
            }
            if file.is_dir() {
                walk(root, &file, &mut entries)?;
            } else if file.is_file() {
                entries.push(entry(root, &file)?);
            }
        }
        let stub = root.join("tests/checks").join(&exercise.name).join("stub");
        let mut stubs = Vec::new();
        walk(&stub, &stub, &mut stubs)?;
        for mut file in stubs {
            file.name = format!("course/exercises/{}/src/{}", exercise.name, &file.name["course/".len()..]);
            entries.push(file);
        }
    }
    Ok(entries)
}

/// Every plain file below `dir`, named relative to `root`; build products,
/// pending snapshots and links left out.
fn walk(root: &Path, dir: &Path, entries: &mut Vec<zip::Entry>) -> Result<()> {
    for path in sorted(dir)? {
        let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        let meta = fs::symlink_metadata(&path).map_err(|e| Error::io("read", &path, e))?;
        if name == "target" || name.ends_with(".snap.new") || name.ends_with(".pending-snap") {
            continue;
        }
        if meta.is_dir() {
            walk(root, &path, entries)?;
        } else if meta.is_file() {
            entries.push(entry(root, &path)?);
        }
    }
    Ok(())
}

fn sorted(dir: &Path) -> Result<Vec<std::path::PathBuf>> {
    let mut paths: Vec<_> = fs::read_dir(dir)
        .map_err(|e| Error::io("read", dir, e))?
        .map(|entry| entry.map(|e| e.path()).map_err(|e| Error::io("read", dir, e)))
        .collect::<Result<_>>()?;
    paths.sort();
    Ok(paths)
}

fn entry(root: &Path, path: &Path) -> Result<zip::Entry> {
    let relative = path.strip_prefix(root).expect("walked below the root");
    let bytes = fs::read(path).map_err(|e| Error::io("read", path, e))?;
    #[cfg(unix)]
    let mode = {
        use std::os::unix::fs::PermissionsExt;
        fs::metadata(path).map_err(|e| Error::io("read", path, e))?.permissions().mode() & 0o777
    };
    #[cfg(not(unix))]
    let mode = 0o644;
    Ok(zip::Entry { name: format!("course/{}", crate::admit::slashed(relative)), bytes, mode })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_zip_holds_the_scripts_and_the_course_with_its_stubs() {
        let course = Course::at(&Course::workspace_root(), None, None).unwrap();
        let entries = course_files(&course).unwrap();
        let names: Vec<&str> = entries.iter().map(|e| e.name.as_str()).collect();
        let needed = ["Cargo.toml", "Cargo.lock", ".cargo/config.toml", "xtask/Cargo.toml", "exercises/catalogue.toml"];
        for needed in needed.map(|n| format!("course/{n}")) {
            let needed = needed.as_str();
            assert!(names.contains(&needed), "{needed} missing");
        }
        assert!(!names.iter().any(|n| n.contains("/target/") || n.starts_with("course/.course")), "build products");
        for exercise in &course.catalogue.exercises {
            let stub = course.root.join("tests/checks").join(&exercise.name).join("stub/lib.rs");
            let lib = format!("course/exercises/{}/src/lib.rs", exercise.name);
            let packed = entries.iter().find(|e| e.name == lib).unwrap_or_else(|| panic!("{lib} missing"));
            assert_eq!(packed.bytes, fs::read(stub).unwrap(), "{lib} is not the stub");
            assert!(names.contains(&format!("course/exercises/{}/Cargo.toml", exercise.name).as_str()));
            assert!(names.contains(&format!("course/solutions/{}/src/lib.rs", exercise.name).as_str()));
        }
    }

    #[test]
    fn the_scripts_name_the_exercises_and_flags_chosen() {
        let run = fill(RUN, &["a", "b"], "--hide-speedup-until-due");
        assert!(run.contains("EXERCISES=\"a b\""));
        assert!(run.contains("FLAGS=\"--hide-speedup-until-due\""));
        assert!(!run.contains('@'), "a placeholder left: {run}");
        assert!(!fill(SETUP, &[], "").contains('@'));
        assert!(RUN.starts_with("#!/usr/bin/env bash\n") && SETUP.starts_with("#!/usr/bin/env bash\n"));
    }
}
