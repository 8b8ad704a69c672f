//! Where a diagram sits in the source tree: SARIF artifact URIs and run categories are paths
//! relative to the source root, so they are the same on every checkout and however the input
//! path was spelled (`docs/model.dot`, `./docs/model.dot`, `/home/me/repo/docs/model.dot`).

use std::path::{Component, Path, PathBuf};

/// The source root of `input`: `given` (`--source-root`), else the git work tree holding the
/// input (the nearest folder above it with a `.git` folder or file; no git binary needed), else
/// the current folder when it holds the input, else the input's own folder.
pub fn source_root(input: &Path, given: Option<&Path>) -> Result<PathBuf, String> {
    let file = absolute(input);
    if let Some(given) = given {
        let root = absolute(given);
        if !root.is_dir() {
            return Err(format!("--source-root {}: not a folder", given.display()));
        }
        if !file.starts_with(&root) {
            return Err(format!(
                "{} is not inside --source-root {}: give the folder that holds the diagrams",
                input.display(),
                given.display()
            ));
        }
        return Ok(root);
    }
    let folder = file.parent().map(Path::to_path_buf).unwrap_or_default();
    if let Some(work_tree) = folder.ancestors().find(|dir| dir.join(".git").exists()) {
        return Ok(work_tree.to_path_buf());
    }
    let current = std::env::current_dir().map(|d| absolute(&d)).unwrap_or_default();
    if !current.as_os_str().is_empty() && file.starts_with(&current) {
        return Ok(current);
    }
    Ok(folder)
}

/// `path` relative to `root`, with `/` between the parts (`docs/model.dot`); `None` when it is not
/// inside.
pub fn relative_to(path: &Path, root: &Path) -> Option<String> {
    let relative = absolute(path).strip_prefix(root).ok()?.to_path_buf();
    let parts: Vec<String> =
        relative.components().map(|c| c.as_os_str().to_string_lossy().into_owned()).collect();
    Some(parts.join("/"))
}

/// An absolute, normalised path: symbolic links resolved when the path exists (GitHub matches
/// results to files by their resolved path), else `.` and `..` removed by hand.
pub fn absolute(path: &Path) -> PathBuf {
    if let Ok(real) = std::fs::canonicalize(path) {
        return real;
    }
    let joined = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir().unwrap_or_default().join(path)
    };
    let mut out = PathBuf::new();
    for part in joined.components() {
        match part {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    #[test]
    fn the_git_work_tree_is_the_root_however_the_path_is_spelled() {
        let dir = tempfile::tempdir().unwrap();
        let repo = absolute(dir.path()).join("repo");
        std::fs::create_dir_all(repo.join(".git")).unwrap();
        std::fs::create_dir_all(repo.join("docs/models")).unwrap();
        let file = repo.join("docs/models/a.dot");
        std::fs::write(&file, "digraph {}").unwrap();
        let spelled = repo.join("docs/./models/../models/a.dot");
        for path in [&file, &spelled] {
            let root = source_root(path, None).unwrap();
            assert_eq!(root, repo);
            assert_eq!(relative_to(path, &root).unwrap(), "docs/models/a.dot");
        }
    }

    #[test]
    fn a_given_root_must_hold_the_input() {
        let dir = tempfile::tempdir().unwrap();
        let root = absolute(dir.path());
        std::fs::create_dir_all(root.join("a")).unwrap();
        std::fs::create_dir_all(root.join("b")).unwrap();
        let file = root.join("a/x.dot");
        std::fs::write(&file, "digraph {}").unwrap();
        assert_eq!(source_root(&file, Some(&root.join("a"))).unwrap(), root.join("a"));
        let err = source_root(&file, Some(&root.join("b"))).unwrap_err();
        assert!(err.contains("not inside --source-root"), "{err}");
    }
}
