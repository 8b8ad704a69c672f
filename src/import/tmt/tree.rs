//! The XML of a `.tm7` file as a small tree of local names, attributes and text.
//!
//! A `.tm7` is a .NET DataContract serialisation: the meaning is in element names and nesting,
//! and namespaces only repeat themselves, so names are kept without their prefix. The parts the
//! reader never looks at (embedded images, the template's standard elements and threat types)
//! are skipped while reading: they are most of the file's bytes. Text is unescaped by
//! [`unescape`], which decodes only XML's own entities, so a DOCTYPE cannot expand anything.

use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;

use crate::diagnostic::Diagnostic;
use crate::import::drawio::xml::unescape;
use crate::import::Limits;

/// Subtrees left out while reading.
const SKIPPED: &[&str] = &[
    "ImageSource",
    "ImageStream",
    "Image",
    "StandardElements",
    "ThreatTypes",
    "ThreatCategories",
    "ThreatMetaData",
    "Validations",
    "MetaInformation",
    "Profile",
    "Notes",
];

/// One XML element.
#[derive(Debug, Default)]
pub struct Node {
    /// The local name (`Borders` for `<a:Borders>`).
    pub name: String,
    /// Attributes by local name (`type` for `i:type`); namespace declarations left out.
    pub attributes: Vec<(String, String)>,
    pub text: String,
    pub children: Vec<Node>,
}

impl Node {
    pub fn child(&self, name: &str) -> Option<&Node> {
        self.children.iter().find(|c| c.name == name)
    }

    /// The trimmed text of the child `name`, when it has some.
    pub fn text_of(&self, name: &str) -> Option<&str> {
        self.child(name).map(|c| c.text.trim()).filter(|t| !t.is_empty())
    }

    pub fn attribute(&self, name: &str) -> Option<&str> {
        self.attributes.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
    }
}

fn local(name: &str) -> String {
    name.rsplit(':').next().unwrap_or_default().to_string()
}

fn open(start: &BytesStart<'_>) -> Node {
    let mut attributes = Vec::new();
    let mut iter = start.attributes();
    iter.with_checks(false);
    for attribute in iter.flatten() {
        let key = attribute.key.as_ref().to_string();
        if key == "xmlns" || key.starts_with("xmlns:") {
            continue;
        }
        let value = unescape(&attribute.value).into_owned();
        attributes.push((local(&key), value));
    }
    Node { name: local(start.name().as_ref()), attributes, ..Node::default() }
}

/// Reads the document's root element. `limits` bound the nesting and the number of elements kept
/// (ten per allowed element: a model element is a dozen XML elements with its properties).
pub fn parse(source: &str, limits: &Limits) -> Result<Node, Diagnostic> {
    let max_nodes = limits.max_elements.saturating_mul(10).max(1000);
    let mut reader = Reader::from_str(source);
    let mut stack: Vec<Node> = vec![Node::default()];
    let (mut skipping, mut kept) = (0usize, 0usize);
    loop {
        let event = reader.read_event().map_err(|e| {
            let offset = reader.error_position() as usize;
            Diagnostic::at_offset(source, offset, format!("the file is not well-formed XML: {e}"))
                .with_help("open and save the model in the Threat Modeling Tool, or check that it was not truncated")
        })?;
        let at = reader.buffer_position() as usize;
        match event {
            Event::Start(s) if skipping > 0 || skipped(&s) => skipping += 1,
            Event::Empty(s) if skipping > 0 || skipped(&s) => {}
            Event::Start(s) => {
                if stack.len() > limits.max_depth {
                    return Err(Diagnostic::at_offset(source, at, format!("the XML nests more than {} elements deep", limits.max_depth))
                        .with_help("this is not what the Threat Modeling Tool writes; raise --max-depth if the file is genuine"));
                }
                kept += 1;
                stack.push(open(&s));
            }
            Event::Empty(s) => {
                kept += 1;
                let node = open(&s);
                if let Some(parent) = stack.last_mut() {
                    parent.children.push(node);
                }
            }
            Event::End(_) if skipping > 0 => skipping -= 1,
            Event::End(_) => {
                if let Some(node) = stack.pop() {
                    match stack.last_mut() {
                        Some(parent) => parent.children.push(node),
                        None => stack.push(node),
                    }
                }
            }
            Event::Text(t) if skipping == 0 => push_text(&mut stack, &unescape(&t)),
            Event::CData(t) if skipping == 0 => push_text(&mut stack, &t),
            Event::GeneralRef(r) if skipping == 0 => {
                push_text(&mut stack, &unescape(&format!("&{};", &*r)))
            }
            Event::Eof => break,
            _ => {}
        }
        if kept > max_nodes {
            return Err(Diagnostic::at_offset(
                source,
                at,
                format!("the model has more than {max_nodes} XML elements"),
            )
            .with_help("split the model, or raise --max-elements"));
        }
    }
    let document = stack.swap_remove(0);
    document.children.into_iter().next().ok_or_else(|| {
        Diagnostic::new("the file holds no XML element")
            .with_help("give a model saved by the Threat Modeling Tool (.tm7)")
    })
}

fn skipped(start: &BytesStart<'_>) -> bool {
    SKIPPED.contains(&local(start.local_name().as_ref()).as_str())
}

fn push_text(stack: &mut [Node], text: &str) {
    if let Some(node) = stack.last_mut() {
        node.text.push_str(text);
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn local_names_text_and_skipped_parts() {
        let xml = r#"<a:Root xmlns:a="x" xmlns:i="y"><a:V i:type="Connector">1 &amp; 2</a:V><Image>AAAA<b>c</b></Image><Image/><W/></a:Root>"#;
        let root = parse(xml, &Limits::default()).unwrap();
        assert_eq!(root.name, "Root");
        let v = root.child("V").unwrap();
        assert_eq!((v.attribute("type"), v.text.as_str()), (Some("Connector"), "1 & 2"));
        assert!(root.child("Image").is_none());
        assert!(root.child("W").is_some());
    }

    #[test]
    fn errors_have_a_line_and_deep_files_stop() {
        let e = parse("<a>\n<b></c></a>", &Limits::default()).unwrap_err();
        assert!(
            matches!(e.location, Some(crate::diagnostic::Location::Text { line: 2, .. })),
            "{e}"
        );
        let deep = "<a>".repeat(300) + &"</a>".repeat(300);
        let e = parse(&deep, &Limits::default()).unwrap_err();
        assert!(e.message.contains("deep"), "{e}");
    }
}
