//! Turns DOT text into tokens in one linear pass.
//!
//! Quoted strings are resolved here the way Graphviz's scanner resolves them (`\"` and line
//! continuations, `+` concatenation); label escapes such as `\n` or `\N` stay for lowering, which
//! knows the node and graph names.

use super::ast::{Id, IdKind, Pos};
use crate::diagnostic::Diagnostic;

#[derive(Debug, Clone, PartialEq)]
pub enum Tok {
    Id(Id),
    LBrace,
    RBrace,
    LBracket,
    RBracket,
    Equals,
    Semi,
    Comma,
    Colon,
    /// `->` (true) or `--` (false).
    EdgeOp(bool),
    Eof,
}

impl Tok {
    /// How the token reads in an error message.
    pub fn describe(&self) -> String {
        match self {
            Tok::Id(id) => match id.kind {
                IdKind::Html => "an HTML string".to_string(),
                IdKind::Quoted => format!("\"{}\"", shorten(&id.text)),
                _ => format!("`{}`", shorten(&id.text)),
            },
            Tok::LBrace => "`{`".into(),
            Tok::RBrace => "`}`".into(),
            Tok::LBracket => "`[`".into(),
            Tok::RBracket => "`]`".into(),
            Tok::Equals => "`=`".into(),
            Tok::Semi => "`;`".into(),
            Tok::Comma => "`,`".into(),
            Tok::Colon => "`:`".into(),
            Tok::EdgeOp(true) => "`->`".into(),
            Tok::EdgeOp(false) => "`--`".into(),
            Tok::Eof => "the end of the file".into(),
        }
    }
}

fn shorten(text: &str) -> String {
    if text.chars().count() > 40 {
        let head: String = text.chars().take(40).collect();
        format!("{head}…")
    } else {
        text.to_string()
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Token {
    pub tok: Tok,
    pub pos: Pos,
}

struct Lexer<'a> {
    src: &'a str,
    at: usize,
    line: usize,
    column: usize,
    /// Only whitespace seen so far on this line: `#` starts a preprocessor line.
    line_start: bool,
}

/// Splits `src` into tokens, ending with [`Tok::Eof`].
pub fn tokenize(src: &str) -> Result<Vec<Token>, Diagnostic> {
    let mut lexer = Lexer { src, at: 0, line: 1, column: 1, line_start: true };
    let mut tokens = Vec::with_capacity(src.len() / 4);
    loop {
        let token = lexer.next_token()?;
        let done = token.tok == Tok::Eof;
        tokens.push(token);
        if done {
            return Ok(tokens);
        }
    }
}

fn is_id_start(c: char) -> bool {
    c.is_alphabetic() || c == '_' || (!c.is_ascii() && !c.is_whitespace() && !c.is_control())
}

fn is_id_continue(c: char) -> bool {
    is_id_start(c) || c.is_ascii_digit() || (!c.is_ascii() && c.is_alphanumeric())
}

impl<'a> Lexer<'a> {
    fn peek(&self) -> Option<char> {
        self.src.get(self.at..).and_then(|s| s.chars().next())
    }

    fn peek2(&self) -> Option<char> {
        self.src.get(self.at..).and_then(|s| s.chars().nth(1))
    }

    fn bump(&mut self) -> Option<char> {
        let c = self.peek()?;
        self.at += c.len_utf8();
        if c == '\n' {
            self.line += 1;
            self.column = 1;
            self.line_start = true;
        } else {
            self.column += 1;
            if !c.is_whitespace() {
                self.line_start = false;
            }
        }
        Some(c)
    }

    fn pos(&self) -> Pos {
        Pos { line: self.line, column: self.column }
    }

    /// Skips whitespace and the three comment styles.
    fn skip_trivia(&mut self) -> Result<(), Diagnostic> {
        while let Some(c) = self.peek() {
            if c.is_whitespace() || c == '\u{feff}' {
                self.bump();
            } else if c == '#' && self.line_start {
                while self.peek().is_some_and(|c| c != '\n') {
                    self.bump();
                }
            } else if c == '/' && self.peek2() == Some('/') {
                while self.peek().is_some_and(|c| c != '\n') {
                    self.bump();
                }
            } else if c == '/' && self.peek2() == Some('*') {
                let start = self.pos();
                self.bump();
                self.bump();
                loop {
                    match self.bump() {
                        None => {
                            return Err(Diagnostic::at(
                                start.line,
                                start.column,
                                "unterminated `/*` comment",
                            )
                            .with_help("close the comment with `*/`"))
                        }
                        Some('*') if self.peek() == Some('/') => {
                            self.bump();
                            break;
                        }
                        Some(_) => {}
                    }
                }
            } else {
                break;
            }
        }
        Ok(())
    }

    fn next_token(&mut self) -> Result<Token, Diagnostic> {
        self.skip_trivia()?;
        let pos = self.pos();
        let Some(c) = self.peek() else {
            return Ok(Token { tok: Tok::Eof, pos });
        };
        let single = match c {
            '{' => Some(Tok::LBrace),
            '}' => Some(Tok::RBrace),
            '[' => Some(Tok::LBracket),
            ']' => Some(Tok::RBracket),
            '=' => Some(Tok::Equals),
            ';' => Some(Tok::Semi),
            ',' => Some(Tok::Comma),
            ':' => Some(Tok::Colon),
            _ => None,
        };
        if let Some(tok) = single {
            self.bump();
            return Ok(Token { tok, pos });
        }
        let tok = match c {
            '-' if self.peek2() == Some('>') => {
                self.bump();
                self.bump();
                Tok::EdgeOp(true)
            }
            '-' if self.peek2() == Some('-') => {
                self.bump();
                self.bump();
                Tok::EdgeOp(false)
            }
            '"' => self.quoted(pos)?,
            '<' => self.html(pos)?,
            c if c.is_ascii_digit() || c == '-' || c == '.' => self.numeral(pos)?,
            c if is_id_start(c) => {
                let start = self.at;
                while self.peek().is_some_and(is_id_continue) {
                    self.bump();
                }
                let text = self.src.get(start..self.at).unwrap_or_default().to_string();
                Tok::Id(Id { text, kind: IdKind::Plain })
            }
            other => {
                return Err(Diagnostic::at(
                    pos.line,
                    pos.column,
                    format!("unexpected character `{}`", other.escape_debug()),
                )
                .with_help("ids with this character must be quoted: \"like this\""))
            }
        };
        Ok(Token { tok, pos })
    }

    fn numeral(&mut self, pos: Pos) -> Result<Tok, Diagnostic> {
        let start = self.at;
        if self.peek() == Some('-') {
            self.bump();
        }
        let mut digits = 0;
        let mut dot = false;
        while let Some(c) = self.peek() {
            if c.is_ascii_digit() {
                digits += 1;
            } else if c == '.' && !dot {
                dot = true;
            } else {
                break;
            }
            self.bump();
        }
        if digits == 0 {
            return Err(Diagnostic::at(pos.line, pos.column, "a number needs at least one digit")
                .with_help("write a number such as `-0.5`, or quote the id"));
        }
        let text = self.src.get(start..self.at).unwrap_or_default().to_string();
        Ok(Tok::Id(Id { text, kind: IdKind::Numeral }))
    }

    /// One quoted string, then any `+ "more"` continuations.
    fn quoted(&mut self, pos: Pos) -> Result<Tok, Diagnostic> {
        let mut text = self.one_quoted(pos)?;
        loop {
            let (at, line, column, line_start) = (self.at, self.line, self.column, self.line_start);
            self.skip_trivia()?;
            if self.peek() == Some('+') {
                self.bump();
                self.skip_trivia()?;
                let next = self.pos();
                if self.peek() != Some('"') {
                    return Err(Diagnostic::at(
                        next.line,
                        next.column,
                        "expected a quoted string after `+`",
                    )
                    .with_help("`+` joins quoted strings only: \"a\" + \"b\""));
                }
                text.push_str(&self.one_quoted(next)?);
            } else {
                // Not a concatenation: give the trivia back so positions stay exact.
                self.at = at;
                self.line = line;
                self.column = column;
                self.line_start = line_start;
                return Ok(Tok::Id(Id { text, kind: IdKind::Quoted }));
            }
        }
    }

    fn one_quoted(&mut self, pos: Pos) -> Result<String, Diagnostic> {
        self.bump();
        let mut text = String::new();
        loop {
            match self.bump() {
                None => {
                    return Err(Diagnostic::at(pos.line, pos.column, "unterminated string")
                        .with_help("close the string with `\"`; write `\\\"` for a quote inside"))
                }
                Some('"') => return Ok(text),
                Some('\\') => match self.peek() {
                    Some('"') => {
                        self.bump();
                        text.push('"');
                    }
                    Some('\n') => {
                        self.bump();
                    }
                    Some('\r') if self.peek2() == Some('\n') => {
                        self.bump();
                        self.bump();
                    }
                    _ => text.push('\\'),
                },
                Some(c) => text.push(c),
            }
        }
    }

    fn html(&mut self, pos: Pos) -> Result<Tok, Diagnostic> {
        self.bump();
        let start = self.at;
        let mut depth = 1usize;
        loop {
            let end = self.at;
            match self.bump() {
                None => {
                    return Err(Diagnostic::at(pos.line, pos.column, "unterminated HTML string")
                        .with_help("every `<` in an HTML label needs its `>`"))
                }
                Some('<') => depth += 1,
                Some('>') => {
                    depth -= 1;
                    if depth == 0 {
                        let text = self.src.get(start..end).unwrap_or_default().to_string();
                        return Ok(Tok::Id(Id { text, kind: IdKind::Html }));
                    }
                }
                Some(_) => {}
            }
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    fn toks(src: &str) -> Vec<Tok> {
        tokenize(src).expect("test input is valid").into_iter().map(|t| t.tok).collect()
    }

    fn id(text: &str, kind: IdKind) -> Tok {
        Tok::Id(Id { text: text.into(), kind })
    }

    #[test]
    fn punctuation_and_edges() {
        assert_eq!(
            toks("a->b--c:ne;[]{},="),
            vec![
                id("a", IdKind::Plain),
                Tok::EdgeOp(true),
                id("b", IdKind::Plain),
                Tok::EdgeOp(false),
                id("c", IdKind::Plain),
                Tok::Colon,
                id("ne", IdKind::Plain),
                Tok::Semi,
                Tok::LBracket,
                Tok::RBracket,
                Tok::LBrace,
                Tok::RBrace,
                Tok::Comma,
                Tok::Equals,
                Tok::Eof
            ]
        );
    }

    #[test]
    fn numerals() {
        assert_eq!(
            toks("-.5 1.2 42")[..3],
            [id("-.5", IdKind::Numeral), id("1.2", IdKind::Numeral), id("42", IdKind::Numeral)]
        );
        assert!(tokenize("-").is_err());
    }

    #[test]
    fn quoted_strings() {
        assert_eq!(toks(r#""say \"hi\"""#)[0], id("say \"hi\"", IdKind::Quoted));
        assert_eq!(toks("\"ab\\\ncd\"")[0], id("abcd", IdKind::Quoted));
        assert_eq!(toks("\"ab\\\r\ncd\"")[0], id("abcd", IdKind::Quoted));
        assert_eq!(toks(r#""a\nb\l""#)[0], id(r"a\nb\l", IdKind::Quoted));
        assert_eq!(
            toks("\"a\" + /* c */ \"b\"\n+ \"c\" x")[..2],
            [id("abc", IdKind::Quoted), id("x", IdKind::Plain)]
        );
    }

    #[test]
    fn html_strings_nest() {
        assert_eq!(
            toks("<<b>x</b>> y")[..2],
            [id("<b>x</b>", IdKind::Html), id("y", IdKind::Plain)]
        );
    }

    #[test]
    fn comments_and_preprocessor_lines() {
        assert_eq!(
            toks("# 1 \"x.dot\"\n  # also\na // x\n/* b \n */ c\n"),
            vec![id("a", IdKind::Plain), id("c", IdKind::Plain), Tok::Eof]
        );
        // Mid-line `#` is not a comment, as in Graphviz.
        assert!(tokenize("c # x").is_err());
    }

    #[test]
    fn unicode_ids_and_positions() {
        let tokens = tokenize("größe ->\n  日本").expect("test input is valid");
        assert_eq!(tokens[0].tok, id("größe", IdKind::Plain));
        assert_eq!(tokens[1].pos, Pos { line: 1, column: 7 });
        assert_eq!(tokens[2].tok, id("日本", IdKind::Plain));
        assert_eq!(tokens[2].pos, Pos { line: 2, column: 3 });
    }

    #[test]
    fn unterminated_string_points_at_its_start() {
        let err = tokenize("a\n  b [label=\"oops\n]\n").unwrap_err();
        assert_eq!(err.location, Some(crate::diagnostic::Location::Text { line: 2, column: 12 }));
        assert!(err.message.contains("unterminated string"));
        assert!(tokenize("/* x").is_err());
        assert!(tokenize("<a<b>").is_err());
    }
}
