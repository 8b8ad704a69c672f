//! Names for what a diagram leaves unlabelled, given after any reader: reports, titles and
//! "crosses …" lists must say *which* zone or element, never an empty string. Readers that know
//! better name things first (draw.io uses the icon: `AWS Lambda (cell 7)`); this pass only fills
//! labels still empty, after kinds and trust were read, so a made-up name decides nothing.

use crate::model::{Diagram, ElementKind};
use crate::user_text::capped;

/// Fills every empty element and boundary label of `diagram` with its kind and a short id.
pub fn name(diagram: &mut Diagram) {
    for boundary in &mut diagram.boundaries {
        if boundary.label.trim().is_empty() {
            boundary.label = format!("Zone ({})", short_id(&boundary.id));
        }
    }
    for element in diagram.graph.node_weights_mut() {
        if element.label.trim().is_empty() {
            let kind = match element.kind {
                ElementKind::ExternalEntity => "External entity",
                ElementKind::Process => "Process",
                ElementKind::DataStore => "Data store",
            };
            let what = element.tech().map_or(kind.to_string(), |t| t.name.clone());
            element.label = format!("{what} ({})", short_id(&element.id));
            element.unlabelled = true;
        }
    }
}

fn short_id(id: &str) -> String {
    format!("id {}", capped(id, 24))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Boundary, Element};

    #[test]
    fn only_empty_labels_are_filled() {
        let mut d = Diagram::new("g");
        d.add_boundary(Boundary::new("z1", "", "t"));
        d.add_boundary(Boundary::new("z2", "DMZ", "t"));
        let mut named = Element::new("a", ElementKind::Process, "t");
        named.label = "API".into();
        d.add_element(named);
        let mut blank = Element::new("b", ElementKind::DataStore, "t");
        blank.label = " ".into();
        d.add_element(blank);
        name(&mut d);
        let labels: Vec<&str> = d.boundaries.iter().map(|b| b.label.as_str()).collect();
        assert_eq!(labels, ["Zone (id z1)", "DMZ"]);
        let elements: Vec<(&str, bool)> =
            d.graph.node_weights().map(|e| (e.label.as_str(), e.unlabelled)).collect();
        assert_eq!(elements, [("API", false), ("Data store (id b)", true)]);
    }
}
