//! The hand-written label files (`tests/accuracy/labels/*.toml`), read strictly: an unknown field,
//! a missing one or an inconsistent label fails with the label file and the field named, because a
//! silently misread label would make every figure a lie. The format is defined in `LABELLING.md`.

use std::collections::BTreeSet;
use std::fmt;
use std::path::{Path, PathBuf};

use serde::Deserialize;

/// One label file: the labels of every labelled diagram of one corpus file.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LabelFile {
    /// Path of the labelled file under `../shared/corpus` (under `ACCURACY_EXTRA` for the `extra`
    /// set).
    pub file: String,
    pub set: Set,
    /// Why the hard calls were made; read by people, not by the scorer.
    #[allow(dead_code)]
    #[serde(default)]
    pub notes: String,
    /// Empty when no page of the file is a data flow or architecture diagram (`notes` says why).
    #[serde(rename = "diagram", default)]
    pub diagrams: Vec<LabelDiagram>,
}

/// Whether the inference may be tuned while looking at a file (`dev`) or never (`holdout`); or
/// a diagram from outside the corpus (`extra`: a round of outside diagrams kept in the directory
/// `ACCURACY_EXTRA` names), scored and printed but never counted against the floors.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Set {
    Dev,
    Holdout,
    Extra,
}

impl fmt::Display for Set {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Set::Dev => "dev",
            Set::Holdout => "holdout",
            Set::Extra => "extra",
        })
    }
}

/// One draw.io page or DOT graph, named as in the JSON's `diagrams[].name`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LabelDiagram {
    pub name: String,
    #[serde(rename = "boundary", default)]
    pub boundaries: Vec<LabelBoundary>,
    #[serde(rename = "element", default)]
    pub elements: Vec<LabelElement>,
}

/// A drawn box, cluster or line a reader could take for a boundary.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LabelBoundary {
    pub ids: Vec<String>,
    #[allow(dead_code)]
    pub name: String,
    pub trust: Trust,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Trust {
    Untrusted,
    Trusted,
    Grouping,
}

/// An element a threat modeler would put in the model.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LabelElement {
    /// Every cell or node id that denotes the element (an icon and its caption: both).
    pub ids: Vec<String>,
    pub name: String,
    pub kind: Kind,
    /// Absent means "not an entry point", which is what most elements are.
    #[serde(default)]
    pub entry: bool,
    /// Id of the innermost trust (not grouping) boundary around the element, `""` when none.
    pub zone: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    External,
    Process,
    Store,
}

impl LabelDiagram {
    /// The ids a label's `zone` accepts from the tool: every id of the labelled boundary the zone
    /// names (one boundary may be drawn as several cells), or just `""` for "no zone".
    pub fn zone_ids<'a>(&'a self, zone: &'a str) -> Vec<&'a str> {
        self.boundaries
            .iter()
            .find(|b| b.ids.iter().any(|id| id == zone))
            .map_or_else(|| vec![zone], |b| b.ids.iter().map(String::as_str).collect())
    }
}

/// A label file that cannot be used, with the file and the field at fault.
#[derive(Debug)]
pub struct LabelError {
    pub path: PathBuf,
    pub message: String,
}

impl fmt::Display for LabelError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.path.display(), self.message)
    }
}

/// Reads every `*.toml` of `dir`, in file-name order, and checks that each is of the sets the
/// directory holds: `extra` under `ACCURACY_EXTRA`, `dev` or `holdout` in the repository.
pub fn read_all(dir: &Path, extra: bool) -> Result<Vec<(PathBuf, LabelFile)>, LabelError> {
    let mut paths: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(|e| LabelError { path: dir.to_path_buf(), message: e.to_string() })?
        .flatten()
        .map(|entry| entry.path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    paths.sort();
    paths
        .into_iter()
        .map(|p| {
            let label = read(&p)?;
            match check_set(&label, extra) {
                Ok(()) => Ok((p, label)),
                Err(message) => Err(LabelError { path: p, message }),
            }
        })
        .collect()
}

/// An outside round's label is of the set `extra` and a repository label never is, so no outside
/// diagram is counted against the floors and no corpus label is scored as an outside one.
fn check_set(label: &LabelFile, extra: bool) -> Result<(), String> {
    if (label.set == Set::Extra) == extra {
        return Ok(());
    }
    let wanted = if extra { "\"extra\"" } else { "\"dev\" or \"holdout\"" };
    Err(format!("field `set` is \"{}\"; label files here take {wanted}", label.set))
}

/// Reads and checks one label file.
pub fn read(path: &Path) -> Result<LabelFile, LabelError> {
    let error = |message: String| LabelError { path: path.to_path_buf(), message };
    let text = std::fs::read_to_string(path).map_err(|e| error(e.to_string()))?;
    parse(path, &text)
}

/// Parses and checks the text of the label file at `path`.
pub fn parse(path: &Path, text: &str) -> Result<LabelFile, LabelError> {
    let error = |message: String| LabelError { path: path.to_path_buf(), message };
    let label: LabelFile = toml::from_str(text).map_err(|e| error(e.to_string()))?;
    check(&label, path).map_err(error)?;
    Ok(label)
}

/// The label file name `LABELLING.md` prescribes for a corpus path.
pub fn label_file_name(corpus_path: &str) -> String {
    format!("{}.toml", corpus_path.replace('/', "__").replace(' ', "_"))
}

/// The checks TOML types cannot express: names, ids and zones that agree with each other.
fn check(label: &LabelFile, path: &Path) -> Result<(), String> {
    let expected = label_file_name(&label.file);
    if path.file_name().is_some_and(|n| n.to_string_lossy() != expected) {
        return Err(format!("field `file` = {:?} asks for the file name {expected}", label.file));
    }
    let mut names = BTreeSet::new();
    for diagram in &label.diagrams {
        if !names.insert(diagram.name.as_str()) {
            return Err(format!("[[diagram]] name {:?} appears twice", diagram.name));
        }
        check_diagram(diagram).map_err(|e| format!("[[diagram]] {:?}: {e}", diagram.name))?;
    }
    Ok(())
}

fn check_diagram(diagram: &LabelDiagram) -> Result<(), String> {
    let mut element_ids = BTreeSet::new();
    for element in &diagram.elements {
        let at = |field: &str| format!("[[diagram.element]] {:?}, field `{field}`", element.name);
        if element.ids.is_empty() {
            return Err(format!("{}: lists no id", at("ids")));
        }
        for id in &element.ids {
            if !element_ids.insert(id.as_str()) {
                return Err(format!("{}: id {id:?} already denotes another element", at("ids")));
            }
        }
        if element.entry && element.kind == Kind::External {
            return Err(format!("{}: an external actor is not an entry point", at("entry")));
        }
        check_zone(diagram, &element.zone).map_err(|e| format!("{}: {e}", at("zone")))?;
    }
    for boundary in &diagram.boundaries {
        if boundary.ids.is_empty() {
            return Err(format!(
                "[[diagram.boundary]] {:?}: field `ids` lists no id",
                boundary.name
            ));
        }
    }
    Ok(())
}

/// A zone is `""` or the id of a labelled trusted or untrusted boundary (never a grouping).
fn check_zone(diagram: &LabelDiagram, zone: &str) -> Result<(), String> {
    if zone.is_empty() {
        return Ok(());
    }
    match diagram.boundaries.iter().find(|b| b.ids.iter().any(|id| id == zone)) {
        None => Err(format!("{zone:?} is the id of no [[diagram.boundary]]")),
        Some(b) if b.trust == Trust::Grouping => {
            Err(format!("{zone:?} is a grouping; a zone is the innermost trust boundary"))
        }
        Some(_) => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEADER: &str = "file = \"o__r/a b.dot\"\nset = \"dev\"\n[[diagram]]\nname = \"G\"\n";

    fn parse_text(text: &str) -> Result<LabelFile, String> {
        parse(Path::new("labels/o__r__a_b.dot.toml"), text).map_err(|e| e.to_string())
    }

    #[test]
    fn an_unknown_field_is_refused_with_the_file_and_field_named() {
        let text = format!("{HEADER}[[diagram.element]]\nids = [\"a\"]\nname = \"A\"\nkind = \"process\"\nzone = \"\"\nentry_point = true\n");
        let message = parse_text(&text).unwrap_err();
        assert!(
            message.contains("o__r__a_b.dot.toml") && message.contains("entry_point"),
            "{message}"
        );
    }

    #[test]
    fn a_zone_naming_a_grouping_is_refused() {
        let text = format!("{HEADER}[[diagram.boundary]]\nids = [\"g\"]\nname = \"Layer\"\ntrust = \"grouping\"\n[[diagram.element]]\nids = [\"a\"]\nname = \"A\"\nkind = \"process\"\nzone = \"g\"\n");
        let message = parse_text(&text).unwrap_err();
        assert!(message.contains("`zone`") && message.contains("grouping"), "{message}");
    }

    #[test]
    fn the_label_file_name_must_follow_the_corpus_path() {
        let text = HEADER.replace("a b.dot", "other.dot");
        let message = parse_text(&text).unwrap_err();
        assert!(message.contains("o__r__other.dot.toml"), "{message}");
    }

    #[test]
    fn the_extra_set_is_only_for_outside_rounds() {
        let extra = parse_text(&HEADER.replace("\"dev\"", "\"extra\"")).unwrap();
        assert!(check_set(&extra, true).is_ok());
        assert!(check_set(&extra, false).unwrap_err().contains("\"dev\" or \"holdout\""));
        let dev = parse_text(HEADER).unwrap();
        assert!(check_set(&dev, true).unwrap_err().contains("\"extra\""));
    }

    #[test]
    fn a_well_formed_label_parses() {
        let label = parse_text(HEADER).unwrap();
        assert_eq!((label.set, label.diagrams.len()), (Set::Dev, 1));
    }
}
