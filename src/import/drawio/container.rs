//! From the bytes of a file to the XML of each page.
//!
//! draw.io hides its model in several wrappers: an `<mxfile>` whose `<diagram>`s hold either a
//! plain `<mxGraphModel>` or base64 of raw deflate of URI-encoded XML; a bare `<mxGraphModel>`; an
//! SVG whose root `content` attribute holds an escaped mxfile; a PNG with a `tEXt` (or legacy
//! `zTXt`) chunk. The wrapper is recognised by content, never by file name. Every inflation draws
//! from one budget, checked while inflating, so a deflate bomb stops after the limit, not after
//! filling memory.

use std::io::Read;
use std::ops::Range;

use base64::engine::general_purpose::{GeneralPurpose, GeneralPurposeConfig};
use base64::engine::DecodePaddingMode;
use base64::Engine;
use flate2::read::{DeflateDecoder, ZlibDecoder};
use quick_xml::events::Event;
use quick_xml::Reader;

use super::xml::{attribute, name_of, syntax_error, unescape};
use crate::diagnostic::Diagnostic;

/// One page: its name and the XML of its `<mxGraphModel>` (empty for an empty page).
#[derive(Debug, Clone, PartialEq)]
pub struct Page {
    pub name: String,
    pub xml: String,
    /// Where the page's content is in the document's text ([`Pages::embedded`] or the file):
    /// its `<mxGraphModel>` element, or the compressed text inside its `<diagram>`. `None` for
    /// an empty page. Lets the file be written back with the page changed and nothing else.
    pub span: Option<Range<usize>>,
    /// The content is compressed (the span holds base64, not XML).
    pub compressed: bool,
}

/// The pages of a file.
#[derive(Debug, Clone, PartialEq)]
pub struct Pages {
    pub pages: Vec<Page>,
    /// The text the pages' spans point into when it is not the file's own text: the draw.io
    /// document embedded in an SVG's `content` or a PNG's text chunk.
    pub embedded: Option<String>,
}

impl Page {
    fn plain(name: String, xml: String, span: Option<Range<usize>>) -> Self {
        Page { name, xml, span, compressed: false }
    }
}

/// What inflating may still produce, in bytes, across the whole file.
pub struct InflateBudget {
    remaining: usize,
    limit: usize,
}

impl InflateBudget {
    pub fn new(limit: usize) -> Self {
        InflateBudget { remaining: limit, limit }
    }

    fn exceeded(&self) -> Diagnostic {
        Diagnostic::new(format!(
            "compressed content inflates to more than the limit of {} bytes",
            self.limit
        ))
        .with_help(
            "the file may be a decompression bomb; if it is a genuine diagram, raise the limit \
             with --max-inflated-bytes",
        )
    }
}

const PNG_SIGNATURE: &[u8] = b"\x89PNG\r\n\x1a\n";

/// Reads every page of a draw.io file in any of its wrappers.
pub fn read_pages(bytes: &[u8], budget: &mut InflateBudget) -> Result<Pages, Diagnostic> {
    if bytes.starts_with(PNG_SIGNATURE) {
        let text = png_text(bytes, budget)?;
        let pages = pages_from_text(&text, budget, 0)?;
        return Ok(Pages { embedded: pages.embedded.or(Some(text)), ..pages });
    }
    pages_from_text(&file_text(bytes), budget, 0)
}

/// The text of a file that is not a PNG, as [`read_pages`] reads it: its spans point into this.
pub fn file_text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).trim_start_matches('\u{feff}').to_string()
}

/// How many wrappers may be nested (an SVG holding an mxfile is one).
const MAX_WRAPPING: usize = 3;

fn pages_from_text(
    text: &str,
    budget: &mut InflateBudget,
    wrapping: usize,
) -> Result<Pages, Diagnostic> {
    if wrapping > MAX_WRAPPING {
        return Err(Diagnostic::new("draw.io content is wrapped too many times")
            .with_help("save the diagram again from draw.io as a plain .drawio file"));
    }
    let trimmed = text.trim_start();
    if trimmed.is_empty() {
        return Err(Diagnostic::new("the file is empty")
            .with_help("give a draw.io file (.drawio, .xml, .drawio.svg or .drawio.png)"));
    }
    if !trimmed.starts_with('<') {
        return Err(Diagnostic::new("the file is not XML, so not a draw.io diagram")
            .with_help("give a draw.io file (.drawio, .xml, .drawio.svg or .drawio.png)"));
    }
    let mut reader = Reader::from_str(text);
    loop {
        let before = reader.buffer_position();
        let event = match reader.read_event() {
            Ok(event) => event,
            Err(e) => return Err(syntax_error(&e, reader.error_position())),
        };
        match event {
            Event::Start(e) | Event::Empty(e) => {
                let name = name_of(&e);
                let unwrapped = |pages| Ok(Pages { pages, embedded: None });
                return match name.as_str() {
                    "mxfile" => unwrapped(mxfile_pages(&mut reader, text, budget)?),
                    "mxGraphModel" => {
                        let start = clamp(text, before);
                        let xml = text[start..].to_string();
                        unwrapped(vec![Page::plain("Page-1".into(), xml, Some(start..text.len()))])
                    }
                    "svg" => {
                        let Some(content) = attribute(&e, "content") else {
                            return Err(not_drawio("an SVG without an embedded draw.io diagram")
                                .with_help(
                                "export the SVG from draw.io with \"Include a copy of my diagram\"",
                            ));
                        };
                        let inner = if content.trim_start().starts_with('<') {
                            content
                        } else {
                            inflate_page(&content, budget)?
                        };
                        let pages = pages_from_text(&inner, budget, wrapping + 1)?;
                        Ok(Pages { embedded: pages.embedded.or(Some(inner)), ..pages })
                    }
                    "mxlibrary" => Err(Diagnostic::new(
                        "this is a draw.io shape library (<mxlibrary>), not a diagram",
                    )
                    .with_help("open the library in draw.io and draw a diagram with its shapes")),
                    other => Err(not_drawio(&format!("XML whose root element is <{other}>"))),
                };
            }
            Event::Eof => {
                return Err(not_drawio("XML without any element"));
            }
            _ => {}
        }
    }
}

fn clamp(text: &str, position: u64) -> usize {
    usize::try_from(position).map_or(text.len(), |p| p.min(text.len()))
}

fn not_drawio(what: &str) -> Diagnostic {
    Diagnostic::new(format!("not a draw.io diagram: {what}"))
        .with_help("give a draw.io file (.drawio, .xml, .drawio.svg or .drawio.png)")
}

/// The pages of an `<mxfile>`, whose start tag the reader has just read.
fn mxfile_pages(
    reader: &mut Reader<&[u8]>,
    text: &str,
    budget: &mut InflateBudget,
) -> Result<Vec<Page>, Diagnostic> {
    let mut pages = Vec::new();
    // The open <diagram>: its name, its text so far, and where that text starts.
    let mut current: Option<(String, String, usize)> = None;
    let default_name = |pages: &Vec<Page>| format!("Page-{}", pages.len() + 1);
    loop {
        let before = reader.buffer_position();
        let event = match reader.read_event() {
            Ok(event) => event,
            Err(e) => return Err(syntax_error(&e, reader.error_position())),
        };
        match event {
            Event::Start(e) if e.local_name().as_ref() == "diagram" => {
                let name = attribute(&e, "name")
                    .filter(|n| !n.trim().is_empty())
                    .unwrap_or_else(|| default_name(&pages));
                current = Some((name, String::new(), clamp(text, reader.buffer_position())));
            }
            Event::Empty(e) if e.local_name().as_ref() == "diagram" => {
                let name = attribute(&e, "name")
                    .filter(|n| !n.trim().is_empty())
                    .unwrap_or_else(|| default_name(&pages));
                pages.push(Page::plain(name, String::new(), None));
            }
            Event::Start(e) if e.local_name().as_ref() == "mxGraphModel" => {
                let end = e.to_end().into_owned();
                if let Err(error) = reader.read_to_end(end.name()) {
                    return Err(syntax_error(&error, reader.error_position()));
                }
                let span = clamp(text, before)..clamp(text, reader.buffer_position());
                let xml = text[span.clone()].to_string();
                let name = match current.take() {
                    Some((name, _, _)) => name,
                    None => default_name(&pages),
                };
                pages.push(Page::plain(name, xml, Some(span)));
            }
            Event::Text(t) => {
                if let Some((_, body, _)) = current.as_mut() {
                    body.push_str(&unescape(t.as_ref()));
                }
            }
            Event::CData(t) => {
                if let Some((_, body, _)) = current.as_mut() {
                    body.push_str(t.as_ref());
                }
            }
            Event::GeneralRef(r) => {
                if let Some((_, body, _)) = current.as_mut() {
                    body.push_str(&unescape(&format!("&{};", r.as_ref() as &str)));
                }
            }
            Event::End(e) if e.local_name().as_ref() == "diagram" => {
                if let Some((name, body, start)) = current.take() {
                    pages.push(compressed_page(name, &body, start..clamp(text, before), budget)?);
                }
            }
            Event::End(e) if e.local_name().as_ref() == "mxfile" => break,
            Event::Eof => break,
            _ => {}
        }
    }
    if pages.is_empty() {
        return Err(Diagnostic::new("the draw.io file has no pages (no <diagram> element)")
            .with_help("open the file in draw.io to check that it holds a diagram"));
    }
    Ok(pages)
}

/// A `<diagram>` whose content is text: compressed, or empty.
fn compressed_page(
    name: String,
    body: &str,
    span: Range<usize>,
    budget: &mut InflateBudget,
) -> Result<Page, Diagnostic> {
    if body.trim().is_empty() {
        return Ok(Page::plain(name, String::new(), None));
    }
    let xml = inflate_page(body, budget)
        .map_err(|d| Diagnostic { message: format!("page {name:?}: {}", d.message), ..d })?;
    Ok(Page { name, xml, span: Some(span), compressed: true })
}

/// A compressed page: base64 of raw deflate of the URI-encoded XML.
pub fn inflate_page(body: &str, budget: &mut InflateBudget) -> Result<String, Diagnostic> {
    let compact: String = body.chars().filter(|c| !c.is_whitespace()).collect();
    let engine = GeneralPurpose::new(
        &base64::alphabet::STANDARD,
        GeneralPurposeConfig::new()
            .with_decode_padding_mode(DecodePaddingMode::Indifferent)
            .with_decode_allow_trailing_bits(true),
    );
    let deflated = engine.decode(compact.as_bytes()).map_err(|e| {
        Diagnostic::new(format!("a compressed page is not valid base64 ({e})"))
            .with_help("the file may be truncated or edited by hand; open and save it in draw.io")
    })?;
    let inflated = inflate(DeflateDecoder::new(deflated.as_slice()), budget)?;
    Ok(uri_decoded(&inflated))
}

/// draw.io URI-encodes the page XML before compressing it; very old files did not.
fn uri_decoded(inflated: &[u8]) -> String {
    let text = String::from_utf8_lossy(inflated);
    if text.trim_start().starts_with('<') {
        return text.into_owned();
    }
    percent_encoding::percent_decode(inflated).decode_utf8_lossy().into_owned()
}

/// Inflates within the budget, reading in steps so that the limit is hit early.
fn inflate(mut decoder: impl Read, budget: &mut InflateBudget) -> Result<Vec<u8>, Diagnostic> {
    let mut out = Vec::new();
    let mut chunk = [0u8; 64 * 1024];
    loop {
        let n = match decoder.read(&mut chunk) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) => {
                return Err(Diagnostic::new(format!(
                    "compressed content is truncated or corrupt ({e})"
                ))
                .with_help("the file may be truncated; open and save it again in draw.io"))
            }
        };
        if n > budget.remaining {
            return Err(budget.exceeded());
        }
        budget.remaining -= n;
        out.extend_from_slice(chunk.get(..n).unwrap_or_default());
    }
    Ok(out)
}

/// The draw.io text embedded in a PNG: `tEXt`/`iTXt` with keyword `mxfile` (URI-encoded), or the
/// legacy `zTXt` with keyword `mxGraphModel` (compressed).
fn png_text(bytes: &[u8], budget: &mut InflateBudget) -> Result<String, Diagnostic> {
    let mut at = PNG_SIGNATURE.len();
    while let Some(header) = bytes.get(at..at + 8) {
        let length = u32::from_be_bytes([header[0], header[1], header[2], header[3]]) as usize;
        let kind = &header[4..8];
        let Some(data) = at.checked_add(8 + length).and_then(|end| bytes.get(at + 8..end)) else {
            break;
        };
        if let Some(text) = chunk_text(kind, data, budget)? {
            return Ok(text);
        }
        if kind == b"IEND" {
            break;
        }
        at += 12 + length;
    }
    Err(not_drawio("a PNG without an embedded draw.io diagram")
        .with_help("export the PNG from draw.io with \"Include a copy of my diagram\""))
}

fn chunk_text(
    kind: &[u8],
    data: &[u8],
    budget: &mut InflateBudget,
) -> Result<Option<String>, Diagnostic> {
    let Some(nul) = data.iter().position(|&b| b == 0) else { return Ok(None) };
    let keyword = &data[..nul];
    if keyword != b"mxfile" && keyword != b"mxGraphModel" {
        return Ok(None);
    }
    let rest = &data[nul + 1..];
    let raw: Vec<u8> = match kind {
        b"tEXt" => rest.to_vec(),
        b"zTXt" => {
            let compressed = rest.get(1..).unwrap_or_default();
            match inflate(ZlibDecoder::new(compressed), budget) {
                Ok(raw) => raw,
                Err(_) => inflate(DeflateDecoder::new(compressed), budget)?,
            }
        }
        b"iTXt" => {
            // flag, method, language\0, translated keyword\0, text
            let compressed = rest.first().copied() == Some(1);
            let after_flags = rest.get(2..).unwrap_or_default();
            let mut parts = after_flags.splitn(3, |&b| b == 0);
            let text = parts.nth(2).unwrap_or_default();
            if compressed {
                inflate(ZlibDecoder::new(text), budget)?
            } else {
                text.to_vec()
            }
        }
        _ => return Ok(None),
    };
    Ok(Some(uri_decoded(&raw)))
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
pub(crate) mod tests {
    use super::*;
    use flate2::write::{DeflateEncoder, ZlibEncoder};
    use flate2::Compression;
    use std::io::Write;

    pub const MODEL: &str = r#"<mxGraphModel><root><mxCell id="0"/><mxCell id="1" parent="0"/><mxCell id="a" value="A" style="ellipse" vertex="1" parent="1"><mxGeometry x="0" y="0" width="80" height="80" as="geometry"/></mxCell></root></mxGraphModel>"#;

    pub fn deflate(data: &[u8]) -> Vec<u8> {
        let mut e = DeflateEncoder::new(Vec::new(), Compression::default());
        e.write_all(data).expect("test input is valid");
        e.finish().expect("test input is valid")
    }

    /// What draw.io writes inside a compressed `<diagram>`.
    pub fn compress_page(xml: &str) -> String {
        let encoded =
            percent_encoding::utf8_percent_encode(xml, percent_encoding::NON_ALPHANUMERIC)
                .to_string();
        base64::engine::general_purpose::STANDARD.encode(deflate(encoded.as_bytes()))
    }

    pub fn png_chunk(kind: &[u8], data: &[u8]) -> Vec<u8> {
        let mut out = (data.len() as u32).to_be_bytes().to_vec();
        out.extend_from_slice(kind);
        out.extend_from_slice(data);
        let mut crc = flate2::Crc::new();
        crc.update(kind);
        crc.update(data);
        out.extend_from_slice(&crc.sum().to_be_bytes());
        out
    }

    pub fn png_with(chunk: Vec<u8>) -> Vec<u8> {
        let mut png = PNG_SIGNATURE.to_vec();
        png.extend(png_chunk(b"IHDR", &[0, 0, 0, 1, 0, 0, 0, 1, 8, 6, 0, 0, 0]));
        png.extend(chunk);
        png.extend(png_chunk(b"IEND", &[]));
        png
    }

    fn pages(bytes: &[u8]) -> Result<Vec<Page>, Diagnostic> {
        read_pages(bytes, &mut InflateBudget::new(64 << 20)).map(|p| p.pages)
    }

    #[test]
    fn plain_mxfile_with_two_pages() {
        let file = format!(
            r#"<?xml version="1.0"?><mxfile><diagram id="x" name="Context">{MODEL}</diagram><diagram name="Second">{MODEL}</diagram></mxfile>"#
        );
        let p = pages(file.as_bytes()).expect("test input is valid");
        assert_eq!(p.len(), 2);
        assert_eq!(p[0].name, "Context");
        assert_eq!(p[1].name, "Second");
        assert_eq!(p[0].xml, MODEL);
    }

    #[test]
    fn spans_point_at_each_pages_content_in_the_text_read() {
        let compressed = compress_page(MODEL);
        let file = format!(
            "\u{feff}<mxfile><diagram name=\"A\">{MODEL}</diagram><diagram name=\"B\">{compressed}</diagram><diagram name=\"C\"/></mxfile>"
        );
        let read = read_pages(file.as_bytes(), &mut InflateBudget::new(1 << 20)).unwrap();
        assert_eq!(read.embedded, None);
        let text = file_text(file.as_bytes());
        let [a, b, c] = &read.pages[..] else { panic!("three pages") };
        assert_eq!(&text[a.span.clone().unwrap()], MODEL);
        assert!(!a.compressed);
        assert_eq!(&text[b.span.clone().unwrap()], compressed);
        assert!(b.compressed);
        assert_eq!(b.xml, MODEL);
        assert_eq!((c.span.clone(), c.xml.as_str()), (None, ""));
        // A bare model is a page from its start to the end of the file.
        let bare = read_pages(MODEL.as_bytes(), &mut InflateBudget::new(1 << 20)).unwrap();
        assert_eq!(bare.pages[0].span, Some(0..MODEL.len()));
    }

    #[test]
    fn an_embedded_diagram_is_the_text_its_spans_point_into() {
        let mxfile = format!(r#"<mxfile><diagram name="S">{MODEL}</diagram></mxfile>"#);
        let escaped = mxfile.replace('&', "&amp;").replace('<', "&lt;").replace('"', "&quot;");
        let svg = format!(r#"<svg xmlns="http://www.w3.org/2000/svg" content="{escaped}"/>"#);
        let read = read_pages(svg.as_bytes(), &mut InflateBudget::new(1 << 20)).unwrap();
        let embedded = read.embedded.unwrap();
        assert_eq!(embedded, mxfile);
        assert_eq!(&embedded[read.pages[0].span.clone().unwrap()], MODEL);
    }

    #[test]
    fn compressed_page() {
        let file =
            format!(r#"<mxfile><diagram name="Z">{}</diagram></mxfile>"#, compress_page(MODEL));
        let p = pages(file.as_bytes()).expect("test input is valid");
        assert_eq!(p[0].name, "Z");
        assert_eq!(p[0].xml, MODEL);
    }

    #[test]
    fn bare_model_is_page_1() {
        let p = pages(MODEL.as_bytes()).expect("test input is valid");
        assert_eq!(p[0].name, "Page-1");
        assert_eq!(p[0].xml, MODEL);
    }

    #[test]
    fn svg_with_escaped_compressed_mxfile() {
        let mxfile =
            format!(r#"<mxfile><diagram name="S">{}</diagram></mxfile>"#, compress_page(MODEL));
        let escaped = mxfile
            .replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;")
            .replace('"', "&quot;");
        let svg = format!(
            r#"<?xml version="1.0"?><!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "x"><svg xmlns="http://www.w3.org/2000/svg" content="{escaped}"><g/></svg>"#
        );
        let p = pages(svg.as_bytes()).expect("test input is valid");
        assert_eq!(p[0].name, "S");
        assert_eq!(p[0].xml, MODEL);
    }

    #[test]
    fn png_text_chunk() {
        let mxfile = format!(r#"<mxfile><diagram name="P">{MODEL}</diagram></mxfile>"#);
        let encoded =
            percent_encoding::utf8_percent_encode(&mxfile, percent_encoding::NON_ALPHANUMERIC)
                .to_string();
        let mut data = b"mxfile\0".to_vec();
        data.extend_from_slice(encoded.as_bytes());
        let p = pages(&png_with(png_chunk(b"tEXt", &data))).expect("test input is valid");
        assert_eq!(p[0].name, "P");
        assert_eq!(p[0].xml, MODEL);
    }

    #[test]
    fn png_legacy_ztxt_chunk() {
        let encoded =
            percent_encoding::utf8_percent_encode(MODEL, percent_encoding::NON_ALPHANUMERIC)
                .to_string();
        let mut z = ZlibEncoder::new(Vec::new(), Compression::default());
        z.write_all(encoded.as_bytes()).expect("test input is valid");
        let mut data = b"mxGraphModel\0\0".to_vec();
        data.extend(z.finish().expect("test input is valid"));
        let p = pages(&png_with(png_chunk(b"zTXt", &data))).expect("test input is valid");
        assert_eq!(p[0].xml, MODEL);
        // Raw deflate, as some writers did.
        let mut data = b"mxGraphModel\0\0".to_vec();
        data.extend(deflate(encoded.as_bytes()));
        assert_eq!(
            pages(&png_with(png_chunk(b"zTXt", &data))).expect("test input is valid")[0].xml,
            MODEL
        );
    }

    #[test]
    fn png_without_diagram_is_an_error() {
        let e = pages(&png_with(png_chunk(b"tEXt", b"Software\0x"))).unwrap_err();
        assert!(e.message.contains("PNG"), "{e}");
        assert!(pages(PNG_SIGNATURE).is_err());
        assert!(pages(b"\x89PNG\r\n\x1a\n\xff\xff\xff\xffIHDR").is_err());
    }

    #[test]
    fn deflate_bomb_stops_at_the_limit() {
        // 1 GiB of zeros: one sync-flushed deflate block of 1 MiB, repeated, then an empty final
        // block (`03 00`). Building it this way keeps the test fast.
        let mut compress = flate2::Compress::new(Compression::best(), false);
        let mut block = Vec::with_capacity(1 << 16);
        compress
            .compress_vec(&vec![0u8; 1 << 20], &mut block, flate2::FlushCompress::Sync)
            .expect("test input is valid");
        let mut stream = Vec::with_capacity(block.len() * 1024 + 2);
        for _ in 0..1024 {
            stream.extend_from_slice(&block);
        }
        stream.extend_from_slice(&[0x03, 0x00]);
        // The construction is sound: four blocks and the end inflate to exactly 4 MiB.
        let mut small = block.repeat(4);
        small.extend_from_slice(&[0x03, 0x00]);
        let mut check = Vec::new();
        DeflateDecoder::new(small.as_slice()).read_to_end(&mut check).expect("test input is valid");
        assert_eq!(check.len(), 4 << 20);
        let bomb = base64::engine::general_purpose::STANDARD.encode(&stream);
        let file = format!(r#"<mxfile><diagram name="B">{bomb}</diagram></mxfile>"#);
        let err = read_pages(file.as_bytes(), &mut InflateBudget::new(8 << 20)).unwrap_err();
        assert!(err.message.contains("limit"), "{err}");
        assert!(err.help.is_some());
    }

    #[test]
    fn truncated_compressed_page() {
        let full = compress_page(MODEL);
        let file =
            format!(r#"<mxfile><diagram name="T">{}</diagram></mxfile>"#, &full[..full.len() / 2]);
        let err = pages(file.as_bytes()).unwrap_err();
        assert!(err.message.contains("page \"T\""), "{err}");
    }

    #[test]
    fn not_drawio_inputs() {
        assert!(pages(b"").unwrap_err().message.contains("empty"));
        assert!(pages(b"digraph { a -> b }").unwrap_err().message.contains("not XML"));
        assert!(pages(b"<html><body/></html>").unwrap_err().message.contains("<html>"));
        assert!(pages(b"<mxlibrary>[]</mxlibrary>").unwrap_err().message.contains("library"));
        assert!(pages(b"<mxfile></mxfile>").unwrap_err().message.contains("no pages"));
        assert!(pages(b"<mxfile><diagram>").is_err() || pages(b"<mxfile><diagram>").is_ok());
    }
}
