//! What the inference knows, as data: the technologies, the draw.io icons, the label nouns, the
//! zone words, the flow facts and the sensitive-data words of `knowledge/*.toml` (embedded at
//! build time), plus what a user adds with `dfd-threats analyze --knowledge DIR`.
//!
//! Every knowledge file has one format, checked strictly: any of the sections of the built-in
//! files (`[[technology]]`, `[[icon]]`, `store`/`process`/`actor`/`outside_parties`/`placed_devices`/`threat_notes`/`interfaces`/`callers`/`service_nouns`/`machine_nouns`/`process_verbs`/`max_words`/`*_file_endings`/`file_system_roots`,
//! `untrusted`/`trusted`/`exposed`/`grouping`/`boundary_marks`/`infrastructure`/`third_party`/`places`/`systems`/`set_aside`/`code_sections`/`machines`, `[[fact]]`/`[[element_fact]]`/`[[sender_fact]]`, `words`), so a user's file is written
//! like the built-in file it adds to and may add to several at once. Lists grow; a technology row
//! with an id already known and an icon row with a pattern already known replace the earlier row
//! in its place; `max_words` replaces the number.
//!
//! # Why a process-wide value, installed once
//!
//! The importers and the threat analysis ask for this knowledge deep inside (a label's noun, an
//! icon's technology, `Element::tech()` from a catalog condition) through free functions that
//! return `&'static` data. Passing a `Knowledge` value through `ImportOptions` would have to
//! reach every one of those call sites and the catalog's evaluation, and give `&'static` up.
//! Instead the command line builds the value once, before it imports anything, and [`install`]s
//! it; everything else reads [`current`], which is the built-in knowledge unless something was
//! installed. The library's tests never install (a test that does would change what its
//! neighbours running in parallel see): they build `Knowledge` values and query those, and the
//! command line's tests run the binary, one process per run.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use serde::Deserialize;
use toml::Spanned;

use crate::diagnostic::Diagnostic;
use crate::import::drawio::{IconRow, Icons};
use crate::import::flow_facts::{Fact, FactEntry};
use crate::model::vocabulary::{LabelNouns, WordList, ZoneWords};
use crate::model::{Technologies, Technology};

/// The knowledge files built into the binary, in the order they are read (technologies before
/// the icons that name them).
const BUILTIN: &[(&str, &str)] = &[
    ("knowledge/technologies.toml", include_str!("../knowledge/technologies.toml")),
    ("knowledge/icons.toml", include_str!("../knowledge/icons.toml")),
    ("knowledge/labels.toml", include_str!("../knowledge/labels.toml")),
    ("knowledge/zones.toml", include_str!("../knowledge/zones.toml")),
    ("knowledge/flow-facts.toml", include_str!("../knowledge/flow-facts.toml")),
    ("knowledge/sensitive-data.toml", include_str!("../knowledge/sensitive-data.toml")),
];

/// Where the file format is explained, for error help.
const FORMAT_HELP: &str = "the format is that of the built-in files in knowledge/ (see README.md)";

/// Everything the inference knows, ready to match.
#[derive(Debug, Default)]
pub struct Knowledge {
    pub(crate) technologies: Technologies,
    pub(crate) icons: Icons,
    pub(crate) zones: ZoneWords,
    pub(crate) labels: LabelNouns,
    pub(crate) sensitive_data: WordList,
    pub(crate) facts: Vec<Fact>,
    pub(crate) element_facts: Vec<Fact>,
    pub(crate) sender_facts: Vec<Fact>,
}

/// An error in a knowledge file: the file, and the diagnostic inside it.
#[derive(Debug)]
pub struct KnowledgeError {
    pub file: String,
    pub source_text: Option<String>,
    pub diagnostic: Box<Diagnostic>,
}

/// One knowledge file. Every section is optional so that a user's file adds only what it names;
/// the tests check that each built-in file has the sections it is there for.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct KnowledgeFile {
    #[serde(default)]
    technology: Vec<Spanned<Technology>>,
    #[serde(default)]
    icon: Vec<Spanned<IconRow>>,
    max_words: Option<usize>,
    #[serde(default)]
    store: Vec<String>,
    #[serde(default)]
    process: Vec<String>,
    #[serde(default)]
    actor: Vec<String>,
    #[serde(default)]
    outside_parties: Vec<String>,
    #[serde(default)]
    placed_devices: Vec<String>,
    #[serde(default)]
    threat_notes: Vec<String>,
    #[serde(default)]
    interfaces: Vec<String>,
    #[serde(default)]
    callers: Vec<String>,
    #[serde(default)]
    service_nouns: Vec<String>,
    #[serde(default)]
    machine_nouns: Vec<String>,
    #[serde(default)]
    process_verbs: Vec<String>,
    #[serde(default)]
    file_system_roots: Vec<String>,
    #[serde(default)]
    store_file_endings: Vec<String>,
    #[serde(default)]
    process_file_endings: Vec<String>,
    #[serde(default)]
    untrusted: Vec<String>,
    #[serde(default)]
    trusted: Vec<String>,
    #[serde(default)]
    exposed: Vec<String>,
    #[serde(default)]
    grouping: Vec<String>,
    #[serde(default)]
    boundary_marks: Vec<String>,
    #[serde(default)]
    infrastructure: Vec<String>,
    #[serde(default)]
    third_party: Vec<String>,
    #[serde(default)]
    places: Vec<String>,
    #[serde(default)]
    systems: Vec<String>,
    #[serde(default)]
    set_aside: Vec<String>,
    #[serde(default)]
    code_sections: Vec<String>,
    #[serde(default)]
    machines: Vec<String>,
    #[serde(default)]
    fact: Vec<FactEntry>,
    /// Controls an element's own label names ("API Gateway (Rate Limiting)").
    #[serde(default)]
    element_fact: Vec<FactEntry>,
    /// What a flow's label says its sender does for everyone who calls it ("Validate JWT").
    #[serde(default)]
    sender_fact: Vec<FactEntry>,
    /// Sensitive-data words.
    #[serde(default)]
    words: Vec<String>,
}

/// The rows of every file read so far, merged, before they are indexed.
#[derive(Debug, Default)]
struct Rows {
    technologies: Vec<Technology>,
    icons: Vec<IconRow>,
    max_words: usize,
    store: Vec<String>,
    process: Vec<String>,
    actor: Vec<String>,
    outside_parties: Vec<String>,
    placed_devices: Vec<String>,
    threat_notes: Vec<String>,
    interfaces: Vec<String>,
    callers: Vec<String>,
    service_nouns: Vec<String>,
    machine_nouns: Vec<String>,
    process_verbs: Vec<String>,
    store_file_endings: Vec<String>,
    process_file_endings: Vec<String>,
    file_system_roots: Vec<String>,
    untrusted: Vec<String>,
    trusted: Vec<String>,
    exposed: Vec<String>,
    grouping: Vec<String>,
    boundary_marks: Vec<String>,
    infrastructure: Vec<String>,
    third_party: Vec<String>,
    places: Vec<String>,
    systems: Vec<String>,
    set_aside: Vec<String>,
    code_sections: Vec<String>,
    machines: Vec<String>,
    facts: Vec<FactEntry>,
    element_facts: Vec<FactEntry>,
    sender_facts: Vec<FactEntry>,
    sensitive_data: Vec<String>,
}

impl Knowledge {
    /// The knowledge built into the binary.
    pub fn builtin() -> Result<Knowledge, KnowledgeError> {
        Ok(Rows::builtin()?.build())
    }

    /// The built-in knowledge plus every `*.toml` in each of `dirs` (in name order).
    pub fn load(dirs: &[PathBuf]) -> Result<Knowledge, KnowledgeError> {
        let mut rows = Rows::builtin()?;
        for dir in dirs {
            rows.add_dir(dir)?;
        }
        Ok(rows.build())
    }

    /// The built-in knowledge plus `(file name, contents)` pairs, as if read from a folder.
    pub fn with_files(files: &[(&str, &str)]) -> Result<Knowledge, KnowledgeError> {
        let mut rows = Rows::builtin()?;
        for (name, text) in files {
            rows.add_file(name, text)?;
        }
        Ok(rows.build())
    }
}

/// The knowledge in force for the whole process.
static INSTALLED: OnceLock<Knowledge> = OnceLock::new();

/// Puts `knowledge` in force for the rest of the process. Call it before anything is imported:
/// once [`current`] has been read the knowledge is fixed, and this returns false.
pub fn install(knowledge: Knowledge) -> bool {
    INSTALLED.set(knowledge).is_ok()
}

/// The knowledge in force: what was [`install`]ed, or else the built-in knowledge.
pub fn current() -> &'static Knowledge {
    INSTALLED.get_or_init(|| {
        // The built-in files are part of the build and a unit test loads them, so this cannot
        // fail in a released binary; empty knowledge would only make the inference say less.
        Knowledge::builtin().unwrap_or_default()
    })
}

impl Rows {
    fn builtin() -> Result<Rows, KnowledgeError> {
        let mut rows = Rows::default();
        for (name, text) in BUILTIN {
            rows.add_file(name, text)?;
        }
        Ok(rows)
    }

    /// Adds every `*.toml` in `dir`, in name order.
    fn add_dir(&mut self, dir: &Path) -> Result<(), KnowledgeError> {
        let folder_error = |what: String| KnowledgeError {
            file: dir.display().to_string(),
            source_text: None,
            diagnostic: Box::new(
                Diagnostic::new(what).with_help("--knowledge takes a folder of .toml files"),
            ),
        };
        let entries = std::fs::read_dir(dir)
            .map_err(|e| folder_error(format!("cannot read the folder: {e}")))?;
        let mut files: Vec<PathBuf> = entries
            .flatten()
            .map(|entry| entry.path())
            .filter(|path| path.extension().is_some_and(|e| e == "toml"))
            .collect();
        files.sort();
        if files.is_empty() {
            return Err(folder_error("the folder has no .toml files".into()));
        }
        for path in files {
            let name = path.display().to_string();
            let text = std::fs::read_to_string(&path).map_err(|e| KnowledgeError {
                file: name.clone(),
                source_text: None,
                diagnostic: Box::new(Diagnostic::new(format!("cannot read: {e}"))),
            })?;
            self.add_file(&name, &text)?;
        }
        Ok(())
    }

    /// Parses and checks one file, then merges it.
    fn add_file(&mut self, file: &str, text: &str) -> Result<(), KnowledgeError> {
        let error = |diagnostic: Diagnostic| KnowledgeError {
            file: file.to_string(),
            source_text: Some(text.to_string()),
            diagnostic: Box::new(diagnostic.with_help(format!("fix {file}; {FORMAT_HELP}"))),
        };
        let parsed: KnowledgeFile = toml::from_str(text).map_err(|e| {
            error(Diagnostic::at_offset(text, e.span().map_or(0, |s| s.start), e.message()))
        })?;
        let at = |start: usize, message: String| error(Diagnostic::at_offset(text, start, message));
        let (mut ids_here, mut starts) = (Vec::new(), Vec::new());
        for row in parsed.technology {
            let start = row.span().start;
            let tech = row.into_inner();
            check_technology(&tech).map_err(|m| at(start, m))?;
            if ids_here.contains(&tech.id) {
                return Err(at(
                    start,
                    format!("technology id `{}` is already used above", tech.id),
                ));
            }
            ids_here.push(tech.id.clone());
            starts.push(start);
            self.put_technology(tech);
        }
        // After the whole file: a generic row may name products listed below it.
        for (id, start) in ids_here.iter().zip(starts) {
            self.check_in_cloud(id).map_err(|m| at(start, m))?;
        }
        let mut patterns_here = Vec::new();
        for row in parsed.icon {
            let start = row.span().start;
            let icon = row.into_inner();
            self.check_icon(&icon).map_err(|m| at(start, m))?;
            if patterns_here.contains(&icon.pattern) {
                return Err(at(
                    start,
                    format!("icon pattern `{}` is already used above", icon.pattern),
                ));
            }
            patterns_here.push(icon.pattern.clone());
            self.put_icon(icon);
        }
        if let Some(max_words) = parsed.max_words {
            self.max_words = max_words;
        }
        self.store.extend(parsed.store);
        self.process.extend(parsed.process);
        self.actor.extend(parsed.actor);
        self.outside_parties.extend(parsed.outside_parties);
        self.placed_devices.extend(parsed.placed_devices);
        self.threat_notes.extend(parsed.threat_notes);
        self.interfaces.extend(parsed.interfaces);
        self.callers.extend(parsed.callers);
        self.service_nouns.extend(parsed.service_nouns);
        self.machine_nouns.extend(parsed.machine_nouns);
        self.process_verbs.extend(parsed.process_verbs);
        self.store_file_endings.extend(parsed.store_file_endings);
        self.process_file_endings.extend(parsed.process_file_endings);
        self.file_system_roots.extend(parsed.file_system_roots);
        self.untrusted.extend(parsed.untrusted);
        self.trusted.extend(parsed.trusted);
        self.exposed.extend(parsed.exposed);
        self.grouping.extend(parsed.grouping);
        self.boundary_marks.extend(parsed.boundary_marks);
        self.infrastructure.extend(parsed.infrastructure);
        self.third_party.extend(parsed.third_party);
        self.places.extend(parsed.places);
        self.systems.extend(parsed.systems);
        self.set_aside.extend(parsed.set_aside);
        self.code_sections.extend(parsed.code_sections);
        self.machines.extend(parsed.machines);
        self.facts.extend(parsed.fact);
        self.element_facts.extend(parsed.element_fact);
        self.sender_facts.extend(parsed.sender_fact);
        self.sensitive_data.extend(parsed.words);
        Ok(())
    }

    /// Adds a technology, or replaces the row with its id where it stands (its place decides
    /// ties between labels' matches).
    fn put_technology(&mut self, tech: Technology) {
        match self.technologies.iter_mut().find(|t| t.id == tech.id) {
            Some(existing) => *existing = tech,
            None => self.technologies.push(tech),
        }
    }

    /// A technology's `in_cloud` products are known rows of its own kind: resolving it on a
    /// cloud's diagram must not change what the element is.
    fn check_in_cloud(&self, id: &str) -> Result<(), String> {
        let Some(tech) = self.technologies.iter().find(|t| t.id == id) else { return Ok(()) };
        for (provider, product) in &tech.in_cloud {
            match self.technologies.iter().find(|t| &t.id == product) {
                None => {
                    return Err(format!(
                        "technology `{id}`: in_cloud {provider} = `{product}` names an unknown \
                         technology: use an id of knowledge/technologies.toml, or add that row"
                    ))
                }
                Some(p) if p.kind != tech.kind || !product.starts_with(&format!("{provider}-")) => {
                    return Err(format!(
                        "technology `{id}`: in_cloud {provider} = `{product}` must be a \
                         {provider}-... technology of the same kind ({})",
                        tech.kind.name()
                    ))
                }
                Some(_) => {}
            }
        }
        Ok(())
    }

    /// Adds an icon row, or replaces the row with its pattern where it stands.
    fn put_icon(&mut self, icon: IconRow) {
        match self.icons.iter_mut().find(|i| i.pattern == icon.pattern) {
            Some(existing) => *existing = icon,
            None => self.icons.push(icon),
        }
    }

    /// An icon row gives a lower-case pattern and exactly one of a known technology, a kind,
    /// `marker = true` or `emblem = true`.
    fn check_icon(&self, icon: &IconRow) -> Result<(), String> {
        if icon.pattern.trim().is_empty() || icon.pattern != icon.pattern.to_lowercase() {
            return Err(format!(
                "icon pattern `{}` must be a non-empty, lower-case piece of an icon's name \
                 (styles are matched in lower case)",
                icon.pattern
            ));
        }
        match (&icon.technology, icon.kind, icon.marker || icon.emblem) {
            _ if icon.marker && icon.emblem => Err(format!(
                "icon `{}` is given both `marker = true` and `emblem = true`: choose one",
                icon.pattern
            )),
            (Some(id), None, false) if self.technologies.iter().any(|t| &t.id == id) => Ok(()),
            (Some(id), None, false) => Err(format!(
                "icon `{}` names the unknown technology `{id}`: use an id of \
                 knowledge/technologies.toml, or add a [[technology]] with that id in this file \
                 or an earlier one",
                icon.pattern
            )),
            (None, Some(_), false) | (None, None, true) => Ok(()),
            _ => Err(format!(
                "icon `{}` needs one of `technology = \"<id>\"`, `kind = \"process\"` (or \
                 \"data_store\", \"external_entity\"), `marker = true` or `emblem = true`",
                icon.pattern
            )),
        }
    }

    /// Indexes the merged rows.
    fn build(self) -> Knowledge {
        Knowledge {
            icons: Icons::new(&self.icons),
            technologies: Technologies::new(self.technologies),
            zones: ZoneWords {
                untrusted: WordList::new(&self.untrusted),
                trusted: WordList::new(&self.trusted),
                exposed: WordList::new(&self.exposed),
                grouping: WordList::new(&self.grouping),
                boundary_marks: WordList::new(&self.boundary_marks),
                infrastructure: WordList::new(&self.infrastructure),
                third_party: WordList::new(&self.third_party),
                places: WordList::new(&self.places),
                systems: WordList::new(&self.systems),
                set_aside: WordList::new(&self.set_aside),
                code_sections: WordList::new(&self.code_sections),
                machines: WordList::new(&self.machines),
            },
            labels: LabelNouns::new(self.max_words, &self.store, &self.process, &self.actor)
                .with_file_endings(&self.store_file_endings, &self.process_file_endings)
                .with_file_system_roots(&self.file_system_roots)
                .with_outside_parties(&self.outside_parties)
                .with_placed_devices(&self.placed_devices)
                .with_threat_notes(&self.threat_notes)
                .with_calls(&self.interfaces, &self.callers, &self.service_nouns)
                .with_process_verbs(&self.process_verbs)
                .with_machine_nouns(&self.machine_nouns),
            sensitive_data: WordList::new(&self.sensitive_data),
            facts: self.facts.iter().map(Fact::new).collect(),
            element_facts: self.element_facts.iter().map(Fact::new).collect(),
            sender_facts: self.sender_facts.iter().map(Fact::new).collect(),
        }
    }
}

/// A technology row has an id, a name and keywords, each keyword lower case: labels are matched
/// in lower case, so an upper-case keyword would never match.
fn check_technology(tech: &Technology) -> Result<(), String> {
    if tech.id.trim().is_empty() || tech.name.trim().is_empty() {
        return Err("a technology needs a non-empty `id` and `name`".into());
    }
    if tech.keywords.is_empty() {
        return Err(format!(
            "technology `{}` has no keywords: list the words that name it in a label",
            tech.id
        ));
    }
    match tech.keywords.iter().find(|k| k.trim().is_empty() || **k != k.to_lowercase()) {
        Some(bad) => Err(format!(
            "technology `{}`: keyword {bad:?} must be non-empty and lower case",
            tech.id
        )),
        None => Ok(()),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    fn builtin_file(name: &str) -> KnowledgeFile {
        let (_, text) = BUILTIN.iter().find(|(n, _)| n.ends_with(name)).unwrap();
        toml::from_str(text).unwrap()
    }

    #[test]
    fn every_builtin_file_parses_and_has_its_sections() {
        let k = Knowledge::builtin().unwrap();
        assert!(k.technologies.rows().len() > 150);
        let icons = builtin_file("icons.toml");
        assert!(icons.icon.len() > 200);
        let labels = builtin_file("labels.toml");
        assert!(labels.max_words.unwrap() > 0 && !labels.store.is_empty());
        let zones = builtin_file("zones.toml");
        assert!(zones.untrusted.len() > 10 && zones.trusted.len() > 10);
        assert!(builtin_file("flow-facts.toml").fact.len() >= 8);
        assert!(builtin_file("flow-facts.toml").element_fact.len() >= 3);
        assert!(!builtin_file("flow-facts.toml").sender_fact.is_empty());
        assert!(!builtin_file("sensitive-data.toml").words.is_empty());
    }

    #[test]
    fn technology_ids_are_unique_and_keywords_lower_case() {
        let k = Knowledge::builtin().unwrap();
        let mut seen = std::collections::HashSet::new();
        for t in k.technologies.rows() {
            assert!(seen.insert(&t.id), "duplicate technology id {}", t.id);
            assert!(!t.keywords.is_empty(), "{}", t.id);
            assert!(t.keywords.iter().all(|kw| *kw == kw.to_lowercase()), "{}", t.id);
        }
        let generic: Vec<_> =
            k.technologies.rows().iter().filter(|t| t.generic).map(|t| t.id.as_str()).collect();
        assert_eq!(generic.len(), 28, "{generic:?}");
    }

    #[test]
    fn every_icon_names_a_known_technology_or_a_kind() {
        // Loading checks each row; this says so on the built-in file.
        let k = Knowledge::builtin().unwrap();
        for (pattern, id) in k.icons.technology_patterns() {
            assert!(k.technologies.get(id).is_some(), "{pattern} -> {id}");
        }
    }

    fn error_of(text: &str) -> String {
        let e = Knowledge::with_files(&[("team.toml", text)]).unwrap_err();
        assert_eq!(e.file, "team.toml");
        e.diagnostic.render("error", &e.file, e.source_text.as_deref())
    }

    #[test]
    fn bad_rows_are_located_and_say_what_to_fix() {
        let e = error_of("[[technology]]\nid = \"x\"\nname = \"X\"\nclass = \"databse\"\n");
        assert!(e.contains("team.toml:4:") && e.contains("database"), "{e}");
        let e = error_of("\n[[icon]]\npattern = \"acme.widget\"\ntechnology = \"nope\"\n");
        assert!(e.contains("team.toml:2:") && e.contains("unknown technology `nope`"), "{e}");
        let row = "[[technology]]\nid = \"gw\"\nname = \"Gateway\"\nclass = \"api_gateway\"\nkind = \"process\"\nkeywords = [\"gw\"]\ngeneric = true\n";
        let e = error_of(&format!("{row}in_cloud = {{ aws = \"aws-nope\" }}\n"));
        assert!(e.contains("team.toml:1:") && e.contains("unknown technology"), "{e}");
        let e = error_of(&format!("{row}in_cloud = {{ aws = \"aws-s3\" }}\n"));
        assert!(e.contains("same kind (process)"), "{e}");
        let e = error_of(&format!("{row}in_cloud = {{ azure = \"aws-lambda\" }}\n"));
        assert!(e.contains("azure-... technology"), "{e}");
        let e = error_of("[[icon]]\npattern = \"acme.widget\"\n");
        assert!(e.contains("one of `technology") && e.contains("marker = true"), "{e}");
        let e = error_of("[[icon]]\npattern = \"acme.widget\"\nmarker = true\nemblem = true\n");
        assert!(e.contains("both `marker = true` and `emblem = true`"), "{e}");
        let e = error_of(
            "[[technology]]\nid = \"x\"\nname = \"X\"\nclass = \"database\"\nkind = \"data_store\"\nkeywords = [\"Acme\"]\n",
        );
        assert!(e.contains("team.toml:1:") && e.contains("lower case"), "{e}");
        let e = error_of("zone_words = [\"dmz\"]\n");
        assert!(e.contains("team.toml:1:") && e.contains("unknown field"), "{e}");
        let e = error_of("[[technology]]\nid = \"x\"\nname = \"X\"\nclass = \"database\"\nkind = \"store\"\nkeywords = [\"x\"]\n");
        assert!(e.contains("team.toml:5:") && e.contains("data_store"), "{e}");
    }

    #[test]
    fn user_rows_add_to_and_replace_the_builtin_ones() {
        let k = Knowledge::with_files(&[(
            "team.toml",
            r#"
store = ["shelf"]
untrusted = ["galaxy"]
words = ["recipe"]

[[technology]]
id = "acme-ledger"
name = "Acme Ledger"
class = "database"
kind = "data_store"
keywords = ["acme ledger"]

[[technology]]
id = "aws-lambda"
name = "AWS Lambda (ours)"
class = "function"
kind = "process"
keywords = ["lambda", "our lambda"]

[[icon]]
pattern = "acme.ledger"
technology = "acme-ledger"

[[fact]]
words = ["quic"]
attributes = { protocol = "quic" }
"#,
        )])
        .unwrap();
        let t = &k.technologies;
        assert_eq!(t.in_label("Acme Ledger").map(|(t, _)| t.id.as_str()), Some("acme-ledger"));
        assert_eq!(t.get("aws-lambda").unwrap().name, "AWS Lambda (ours)");
        let builtin = Knowledge::builtin().unwrap();
        assert_eq!(t.rows().len(), builtin.technologies.rows().len() + 1, "replaced in place");
        assert_eq!(t.rows()[0].id, "aws-lambda");
        assert!(k
            .icons
            .technology_patterns()
            .any(|(p, id)| p == "acme.ledger" && id == "acme-ledger"));
        assert_eq!(
            k.labels.noun_kind("Orders shelf").map(|(k, _)| k),
            Some(crate::model::vocabulary::NounKind::Store)
        );
        assert_eq!(k.zones.untrusted.find_in("The galaxy"), Some("galaxy"));
        assert_eq!(k.sensitive_data.find_in("recipe"), Some("recipe"));
        assert_eq!(k.facts.len(), builtin.facts.len() + 1);
    }
}
