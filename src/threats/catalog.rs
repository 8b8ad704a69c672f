//! The set of rules in force: the built-in catalog, plus user catalogs that add or override rules
//! by id, narrowed by `--rules` / `--exclude-rules`.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::sync::Arc;

use super::rule::{parse_rules, Rule};
use crate::diagnostic::Diagnostic;

mod builtin {
    include!(concat!(env!("OUT_DIR"), "/catalog.rs"));
}

/// An error in a rule file: the file, and the diagnostic inside it.
#[derive(Debug)]
pub struct CatalogError {
    pub file: String,
    pub source_text: Option<String>,
    pub diagnostic: Box<Diagnostic>,
}

/// Rules by id, in id order.
#[derive(Debug, Clone, Default)]
pub struct Catalog {
    rules: BTreeMap<String, Arc<Rule>>,
    /// Ids defined by user catalogs (they may override built-in ids, not each other).
    user_ids: BTreeSet<String>,
}

impl Catalog {
    /// The catalog compiled into the binary.
    pub fn builtin() -> Result<Catalog, CatalogError> {
        let mut catalog = Catalog::default();
        for (name, text) in builtin::BUILTIN {
            catalog.add_file(&format!("catalog/{name}"), text, false)?;
        }
        Ok(catalog)
    }

    /// A catalog from `(file name, contents)` pairs, as if they were the built-in files.
    pub fn from_files(files: &[(&str, &str)]) -> Result<Catalog, CatalogError> {
        let mut catalog = Catalog::default();
        for (name, text) in files {
            catalog.add_file(name, text, false)?;
        }
        Ok(catalog)
    }

    /// Adds the rules of one file. Within one layer (built-in, or user) an id may appear once;
    /// a user rule replaces a built-in rule of the same id.
    fn add_file(&mut self, file: &str, text: &str, user: bool) -> Result<(), CatalogError> {
        let error = |diagnostic: Diagnostic| CatalogError {
            file: file.to_string(),
            source_text: Some(text.to_string()),
            diagnostic: Box::new(diagnostic),
        };
        for rule in parse_rules(file, text).map_err(error)? {
            if let Some(existing) = self.rules.get(&rule.id) {
                if self.user_ids.contains(&rule.id) == user {
                    return Err(error(
                        Diagnostic::at(
                            rule.line,
                            1,
                            format!(
                                "rule id {} is already used in {}:{}",
                                rule.id, existing.file, existing.line
                            ),
                        )
                        .with_help("give each rule its own id (a user catalog may reuse a built-in id to override it)"),
                    ));
                }
            }
            if user {
                self.user_ids.insert(rule.id.clone());
            }
            self.rules.insert(rule.id.clone(), Arc::new(rule));
        }
        Ok(())
    }

    /// Adds every `*.toml` under `dir` (sorted by path), overriding built-in rules with the same id.
    pub fn add_dir(&mut self, dir: &Path) -> Result<usize, CatalogError> {
        let io_error = |what: String| CatalogError {
            file: dir.display().to_string(),
            source_text: None,
            diagnostic: Box::new(
                Diagnostic::new(what).with_help("--catalog takes a folder of .toml rule files"),
            ),
        };
        let mut files = Vec::new();
        let entries =
            std::fs::read_dir(dir).map_err(|e| io_error(format!("cannot read the folder: {e}")))?;
        for entry in entries.flatten() {
            let path = entry.path();
            if path.extension().is_some_and(|e| e == "toml") {
                files.push(path);
            }
        }
        files.sort();
        if files.is_empty() {
            return Err(io_error("the folder has no .toml rule files".into()));
        }
        let mut added = 0;
        for path in files {
            let name = path.display().to_string();
            let text = std::fs::read_to_string(&path).map_err(|e| CatalogError {
                file: name.clone(),
                source_text: None,
                diagnostic: Box::new(Diagnostic::new(format!("cannot read: {e}"))),
            })?;
            let before = self.user_ids.len();
            self.add_file(&name, &text, true)?;
            added += self.user_ids.len() - before;
        }
        Ok(added)
    }

    /// Keeps rules selected by id or tag (`only`, when not empty) and not excluded by id or tag.
    /// Returns the selectors that matched no rule, so the caller can warn.
    pub fn select(&mut self, only: &[String], exclude: &[String]) -> Vec<String> {
        let matches = |rule: &Rule, sel: &str| {
            rule.id.eq_ignore_ascii_case(sel)
                || rule.tags.iter().any(|t| t.eq_ignore_ascii_case(sel))
                || rule.category.name() == sel
                || (sel.ends_with('*')
                    && rule
                        .id
                        .to_ascii_uppercase()
                        .starts_with(&sel[..sel.len() - 1].to_ascii_uppercase()))
        };
        let unmatched = only
            .iter()
            .chain(exclude)
            .filter(|sel| !self.rules.values().any(|r| matches(r, sel)))
            .cloned()
            .collect();
        self.rules.retain(|_, r| {
            (only.is_empty() || only.iter().any(|s| matches(r, s)))
                && !exclude.iter().any(|s| matches(r, s))
        });
        unmatched
    }

    pub fn get(&self, id: &str) -> Option<&Arc<Rule>> {
        self.rules.get(id).or_else(|| self.rules.values().find(|r| r.id.eq_ignore_ascii_case(id)))
    }

    /// Whether a rule came from a user catalog.
    pub fn is_user_rule(&self, id: &str) -> bool {
        self.user_ids.contains(id)
    }

    /// Rules in id order.
    pub fn rules(&self) -> impl Iterator<Item = &Arc<Rule>> {
        self.rules.values()
    }

    pub fn len(&self) -> usize {
        self.rules.len()
    }

    pub fn is_empty(&self) -> bool {
        self.rules.is_empty()
    }
}
