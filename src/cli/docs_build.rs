//! `--out-dir`: a docs build. Writes what changed, tells with `--check` what is stale, missing or
//! orphaned (written by us for an input that is gone), and removes orphans with `--prune`.

use std::collections::BTreeSet;
use std::io::Write;
use std::path::{Path, PathBuf};

use super::{Failure, OutputFormat};
use crate::output::{write_atomic, Folders};
use crate::user_text::{capped, visible};

/// Longest output file name accepted: most file systems allow 255 bytes.
const MAX_FILE_NAME_BYTES: usize = 255;

/// The files a run writes into `--out-dir`, by path relative to it.
pub struct Build<'a> {
    pub dir: &'a Path,
    pub files: Vec<(&'a Path, &'a [u8])>,
    pub formats: &'a [OutputFormat],
    /// How many diagram files the outputs come from.
    pub inputs: usize,
}

/// Every planned path is checked before anything is written, so a batch never stops half-way:
/// a name too long for file systems, or two paths equal but for case (they collide on macOS and
/// Windows), stop the run.
pub fn validate(build: &Build<'_>) -> Result<(), Failure> {
    let mut seen = BTreeSet::new();
    for (relative, _) in &build.files {
        if let Some(long) = relative.iter().find(|part| part.len() > MAX_FILE_NAME_BYTES) {
            return Err(Failure::Plain(format!(
                "{}: the output file name {} is longer than {MAX_FILE_NAME_BYTES} bytes: shorten the input's name",
                build.dir.join(relative).display(),
                visible(&capped(&long.to_string_lossy(), 60))
            )));
        }
        if !seen.insert(relative.to_string_lossy().to_lowercase()) {
            return Err(Failure::Plain(format!(
                "two outputs would both be written to {}: rename one of the inputs or pages",
                build.dir.join(relative).display()
            )));
        }
    }
    Ok(())
}

/// `--check`: writes nothing; lists each stale, missing and orphaned file. True when all is
/// current.
pub fn check(build: &Build<'_>) -> bool {
    let mut stderr = anstream::stderr();
    let mut current = true;
    for (relative, bytes) in &build.files {
        let path = build.dir.join(relative);
        let problem = match std::fs::read(&path) {
            Ok(existing) if existing == *bytes => continue,
            Ok(_) => "stale",
            Err(_) => "missing",
        };
        let _ = writeln!(stderr, "{problem}: {}", visible(&path.display().to_string()));
        current = false;
    }
    for orphan in orphans(build) {
        let _ = writeln!(
            stderr,
            "orphaned: {} (no input writes it; --prune removes it)",
            visible(&orphan.display().to_string())
        );
        current = false;
    }
    if !current {
        let _ = writeln!(stderr, "run the same command without --check to update the files");
    }
    current
}

/// Writes the files whose content changed (an unchanged file keeps its modification time),
/// removes orphans with `prune`, and returns what it did, in one line.
pub fn write(build: &Build<'_>, prune: bool) -> Result<String, Failure> {
    let (mut written, mut unchanged) = (0, 0);
    for (relative, bytes) in &build.files {
        let path = build.dir.join(relative);
        if std::fs::read(&path).is_ok_and(|existing| existing == *bytes) {
            unchanged += 1;
            continue;
        }
        write_atomic(&path, bytes, Folders::Create)
            .map_err(|e| Failure::Plain(format!("{}: cannot write: {e}", path.display())))?;
        written += 1;
    }
    let mut summary = format!(
        "wrote {written} file{} for {} diagram{}, {unchanged} unchanged",
        plural(written),
        build.inputs,
        plural(build.inputs)
    );
    if prune {
        let gone = orphans(build);
        for orphan in &gone {
            std::fs::remove_file(orphan)
                .map_err(|e| Failure::Plain(format!("{}: cannot remove: {e}", orphan.display())))?;
        }
        summary.push_str(&format!(", {} orphan{} removed", gone.len(), plural(gone.len())));
    }
    Ok(summary)
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

/// Files in the folder that this run's formats would name (`.json`, `.md`...) and that we wrote
/// (their first bytes say so), but that no input of this run writes: left by an input since
/// removed or renamed. Anything else in the folder is never touched.
fn orphans(build: &Build<'_>) -> Vec<PathBuf> {
    let planned: BTreeSet<PathBuf> = build.files.iter().map(|(r, _)| build.dir.join(r)).collect();
    let mut found = Vec::new();
    walk(build.dir, &mut found);
    found.sort();
    found
        .into_iter()
        .filter(|path| !planned.contains(path))
        .filter(|path| {
            let name = path.file_name().map(|n| n.to_string_lossy().to_lowercase());
            build.formats.iter().any(|&format| {
                name.as_deref().is_some_and(|n| n.ends_with(&format!(".{}", format.extension())))
                    && written_by_us(format, path)
            })
        })
        .collect()
}

/// Regular files under `dir`; symbolic links are not followed.
fn walk(dir: &Path, found: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        let Ok(kind) = entry.file_type() else { continue };
        if kind.is_dir() {
            walk(&entry.path(), found);
        } else if kind.is_file() {
            found.push(entry.path());
        }
    }
}

/// Whether the file starts the way our writer for `format` starts every file.
fn written_by_us(format: OutputFormat, path: &Path) -> bool {
    let mut head = Vec::new();
    let read = std::fs::File::open(path)
        .and_then(|f| std::io::Read::read_to_end(&mut std::io::Read::take(f, 1024), &mut head));
    if read.is_err() {
        return false;
    }
    (format.writer().ours)(&String::from_utf8_lossy(&head), path)
}
