//! The regular expressions of JSON Schema `pattern`s, as far as the schemas the tests use need:
//! literals, `.`, classes (`[a-f0-9]`, `[^/]`), groups, `|`, `^`, `$` and the quantifiers `?`,
//! `*`, `+`, `{n}`, `{n,}`, `{n,m}`. A pattern is found anywhere in the text unless anchored, as
//! JSON Schema says. Matching backtracks: fine for short schema patterns on short values, which
//! is all the tests give it. Anything else in a pattern is refused, not guessed.

/// A parsed pattern.
pub struct Pattern {
    alternatives: Vec<Sequence>,
}

type Sequence = Vec<Repeat>;

/// An atom and how often it may repeat.
struct Repeat {
    atom: Atom,
    min: usize,
    max: usize,
}

enum Atom {
    Char(char),
    Any,
    Class { ranges: Vec<(char, char)>, negated: bool },
    Group(Vec<Sequence>),
    Start,
    End,
}

impl Pattern {
    pub fn new(source: &str) -> Result<Pattern, String> {
        let chars: Vec<char> = source.chars().collect();
        let mut parser = Parser { chars: &chars, at: 0 };
        let alternatives = parser.alternatives()?;
        if parser.at < chars.len() {
            return Err(format!("pattern {source:?}: unexpected {:?}", chars[parser.at]));
        }
        Ok(Pattern { alternatives })
    }

    /// Whether the pattern matches somewhere in `text`.
    pub fn is_found_in(&self, text: &str) -> bool {
        let text: Vec<char> = text.chars().collect();
        (0..=text.len())
            .any(|start| alternatives_match(&self.alternatives, &text, start, &mut |_| true))
    }
}

struct Parser<'a> {
    chars: &'a [char],
    at: usize,
}

impl Parser<'_> {
    fn peek(&self) -> Option<char> {
        self.chars.get(self.at).copied()
    }

    fn next(&mut self) -> Result<char, String> {
        let c = self.peek().ok_or("the pattern ends early")?;
        self.at += 1;
        Ok(c)
    }

    fn alternatives(&mut self) -> Result<Vec<Sequence>, String> {
        let mut alternatives = vec![self.sequence()?];
        while self.peek() == Some('|') {
            self.at += 1;
            alternatives.push(self.sequence()?);
        }
        Ok(alternatives)
    }

    fn sequence(&mut self) -> Result<Sequence, String> {
        let mut sequence = Vec::new();
        while let Some(c) = self.peek().filter(|c| *c != '|' && *c != ')') {
            self.at += 1;
            let atom = match c {
                '^' => Atom::Start,
                '$' => Atom::End,
                '.' => Atom::Any,
                '(' => {
                    let group = self.alternatives()?;
                    if self.next()? != ')' {
                        return Err("a group is not closed".into());
                    }
                    Atom::Group(group)
                }
                '[' => self.class()?,
                '\\' => Atom::Char(self.escaped()?),
                '*' | '+' | '?' | '{' => return Err(format!("{c:?} repeats nothing")),
                // ECMA-262 reads a `]` outside a class as itself (the SARIF schema has one).
                other => Atom::Char(other),
            };
            let (min, max) = self.quantifier()?;
            if matches!(atom, Atom::Start | Atom::End) && (min, max) != (1, 1) {
                return Err(format!("{c:?} cannot repeat"));
            }
            sequence.push(Repeat { atom, min, max });
        }
        Ok(sequence)
    }

    fn escaped(&mut self) -> Result<char, String> {
        let c = self.next()?;
        if c.is_ascii_alphanumeric() {
            return Err(format!("the escape \\{c} is not supported"));
        }
        Ok(c)
    }

    fn class(&mut self) -> Result<Atom, String> {
        let negated = self.peek() == Some('^');
        if negated {
            self.at += 1;
        }
        let mut ranges = Vec::new();
        loop {
            let c = match self.next()? {
                ']' => break,
                '\\' => self.escaped()?,
                c => c,
            };
            let is_range = self.peek() == Some('-') && self.chars.get(self.at + 1) != Some(&']');
            if is_range {
                self.at += 1;
                let end = match self.next()? {
                    '\\' => self.escaped()?,
                    end => end,
                };
                if end < c {
                    return Err(format!("the range {c}-{end} is backwards"));
                }
                ranges.push((c, end));
            } else {
                ranges.push((c, c));
            }
        }
        Ok(Atom::Class { ranges, negated })
    }

    fn quantifier(&mut self) -> Result<(usize, usize), String> {
        let bounds = match self.peek() {
            Some('?') => (0, 1),
            Some('*') => (0, usize::MAX),
            Some('+') => (1, usize::MAX),
            Some('{') => return self.counted(),
            _ => return Ok((1, 1)),
        };
        self.at += 1;
        Ok(bounds)
    }

    /// `{n}`, `{n,}` or `{n,m}`.
    fn counted(&mut self) -> Result<(usize, usize), String> {
        let close = self.chars[self.at..].iter().position(|c| *c == '}').ok_or("an open {")?;
        let inside: String = self.chars[self.at + 1..self.at + close].iter().collect();
        self.at += close + 1;
        let number = |s: &str| {
            let digits = !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
            let n = digits.then(|| s.parse::<usize>().ok()).flatten();
            n.ok_or(format!("bad count {{{inside}}}"))
        };
        let (min, max) = match inside.split_once(',') {
            None => number(&inside).map(|n| (n, n))?,
            Some((low, "")) => (number(low)?, usize::MAX),
            Some((low, high)) => (number(low)?, number(high)?),
        };
        if max < min {
            return Err(format!("the count {{{inside}}} is backwards"));
        }
        Ok((min, max))
    }
}

/// Whether one of the alternatives matches at `at` and `then` accepts where it ends.
fn alternatives_match(
    alternatives: &[Sequence],
    text: &[char],
    at: usize,
    then: &mut dyn FnMut(usize) -> bool,
) -> bool {
    alternatives.iter().any(|sequence| sequence_match(sequence, text, at, then))
}

fn sequence_match(
    sequence: &[Repeat],
    text: &[char],
    at: usize,
    then: &mut dyn FnMut(usize) -> bool,
) -> bool {
    let Some((first, rest)) = sequence.split_first() else { return then(at) };
    repeat_match(first, 0, text, at, &mut |end| sequence_match(rest, text, end, then))
}

/// Greedy: one more repetition first, then stop when `min` are done.
fn repeat_match(
    repeat: &Repeat,
    done: usize,
    text: &[char],
    at: usize,
    then: &mut dyn FnMut(usize) -> bool,
) -> bool {
    if done < repeat.max {
        let more = atom_match(&repeat.atom, text, at, &mut |end| {
            // An empty repetition beyond the minimum adds nothing, and could loop for ever.
            (end != at || done < repeat.min) && repeat_match(repeat, done + 1, text, end, then)
        });
        if more {
            return true;
        }
    }
    done >= repeat.min && then(at)
}

fn atom_match(atom: &Atom, text: &[char], at: usize, then: &mut dyn FnMut(usize) -> bool) -> bool {
    match atom {
        Atom::Start => at == 0 && then(at),
        Atom::End => at == text.len() && then(at),
        Atom::Group(alternatives) => alternatives_match(alternatives, text, at, then),
        _ => text.get(at).is_some_and(|&c| single_matches(atom, c)) && then(at + 1),
    }
}

fn single_matches(atom: &Atom, c: char) -> bool {
    match atom {
        Atom::Char(expected) => c == *expected,
        // ECMA-262's `.` stops at every line terminator.
        Atom::Any => !matches!(c, '\n' | '\r' | '\u{2028}' | '\u{2029}'),
        Atom::Class { ranges, negated } => {
            ranges.iter().any(|(low, high)| (*low..=*high).contains(&c)) != *negated
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::Pattern;

    fn found(pattern: &str, text: &str) -> bool {
        Pattern::new(pattern).unwrap().is_found_in(text)
    }

    #[test]
    fn the_schemas_patterns() {
        let uuid = "^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[1-5][0-9a-fA-F]{3}-[89abAB][0-9a-fA-F]{3}-[0-9a-fA-F]{12}$";
        assert!(found(uuid, "0b5c9a6e-12ab-4cde-8f01-23456789abcd"));
        assert!(!found(uuid, "0b5c9a6e-12ab-6cde-8f01-23456789abcd"));
        assert!(found("[0-9]+(\\.[0-9]+){3}", "v1.2.3.4"));
        assert!(!found("[0-9]+(\\.[0-9]+){3}", "1.2.3"));
        assert!(found("[^/]+/.+", "text/plain"));
        assert!(!found("[^/]+/.+", "/plain"));
        assert!(!found("[^/]+/.+", "a/\r"), "`.` does not match a line terminator");
        assert!(found("^T-[0-9a-f]{10}$", "T-0123456789"));
        assert!(!found("^T-[0-9a-f]{10}$", "T-0123456789a"));
        assert!(found("^[Cc][Ww][Ee]-", "cwe-79"));
        let language = "^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}]?$";
        assert!(found(language, "en"));
        assert!(found(language, "en-US"));
        assert!(!found(language, "1"));
    }

    #[test]
    fn quantifiers_backtrack() {
        assert!(found("^a*ab$", "aaab"));
        assert!(found("^(ab|a)*c$", "ababac"));
        assert!(found("^x{2,3}$", "xxx"));
        assert!(!found("^x{2,3}$", "xxxx"));
        assert!(found("^x{2,}$", "xxxxx"));
        assert!(found("^(a?)*$", "aa"), "an empty repetition does not loop");
    }

    #[test]
    fn unsupported_syntax_is_refused() {
        for pattern in ["\\d", "(a", "a{", "*a", "[a", "a{x}", "a{+3}", "a{3,2}", "[z-a]", "^*"] {
            assert!(Pattern::new(pattern).is_err(), "{pattern}");
        }
    }
}
