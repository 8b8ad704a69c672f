//! Words and phrases the inference looks for, kept as data (`knowledge/*.toml`, embedded at build
//! time) and matched one way everywhere: as whole words, ignoring case, punctuation and
//! apostrophes.
//!
//! Matching compares normalised copies only and never slices the original text with positions
//! found in a copy: lower-casing can change a string's length (`İ` is two bytes, its lower case
//! three), so indexes found in one are meaningless in the other.

/// A list of words and phrases, normalised once.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct WordList {
    /// Each entry as written, and its words after normalisation.
    entries: Vec<(String, Vec<String>)>,
}

impl WordList {
    pub fn new<S: AsRef<str>>(phrases: &[S]) -> Self {
        let entries = phrases
            .iter()
            .map(|p| (p.as_ref().to_string(), words(p.as_ref())))
            .filter(|(_, w)| !w.is_empty())
            .collect();
        WordList { entries }
    }

    /// The first entry (in list order) that occurs in `text` as whole words.
    pub fn find_in(&self, text: &str) -> Option<&str> {
        let text = words(text);
        self.entries
            .iter()
            .find(|(_, phrase)| occurs(&text, phrase))
            .map(|(written, _)| written.as_str())
    }

    /// The entries as written, in order.
    pub fn written(&self) -> impl Iterator<Item = &str> {
        self.entries.iter().map(|(written, _)| written.as_str())
    }

    /// Whether `phrase` is one of the entries, compared as normalised words.
    pub fn contains(&self, phrase: &str) -> bool {
        let phrase = words(phrase);
        self.entries.iter().any(|(_, entry)| *entry == phrase)
    }

    /// The longest entry (in words; the first of equals) that occurs in `words_of_text`, with its
    /// length: "public subnet" says more than "public".
    pub fn longest_in(&self, words_of_text: &[String]) -> Option<(&str, usize)> {
        self.longest_where(|phrase| occurs(words_of_text, phrase))
    }

    /// [`Self::longest_in`], leaving out occurrences right after a negation: a zone "with no
    /// public IPs" says what it is not.
    pub fn longest_unnegated_in(&self, words_of_text: &[String]) -> Option<(&str, usize)> {
        self.longest_where(|phrase| occurs_unnegated(words_of_text, phrase))
    }

    fn longest_where(&self, found: impl Fn(&[String]) -> bool) -> Option<(&str, usize)> {
        self.entries.iter().filter(|(_, phrase)| found(phrase)).fold(
            None,
            |best: Option<(&str, usize)>, (written, phrase)| match best {
                Some((_, n)) if n >= phrase.len() => best,
                _ => Some((written.as_str(), phrase.len())),
            },
        )
    }
}

impl WordList {
    /// The entry that `words_of_text` ends with ("Internet Banking System" ends with "system").
    pub fn ending(&self, words_of_text: &[String]) -> Option<&str> {
        self.entries
            .iter()
            .find(|(_, phrase)| !phrase.is_empty() && words_of_text.ends_with(phrase))
            .map(|(written, _)| written.as_str())
    }
}

/// Words that cancel the phrase right after them ("not encrypted", "no public IPs").
pub const NEGATIONS: &[&str] = &["no", "not", "non", "without", "un"];

/// Whether `phrase` occurs in `text` as whole words, not right after a negation.
pub fn occurs_unnegated(text: &[String], phrase: &[String]) -> bool {
    if phrase.is_empty() || phrase.len() > text.len() {
        return false;
    }
    (0..=text.len() - phrase.len()).any(|at| {
        text[at..at + phrase.len()] == *phrase
            && !(at > 0 && NEGATIONS.contains(&text[at - 1].as_str()))
    })
}

/// Whether `phrase` occurs in `text` as consecutive whole words.
fn occurs(text: &[String], phrase: &[String]) -> bool {
    !phrase.is_empty() && text.windows(phrase.len()).any(|w| w == phrase)
}

/// The words of `text`: lower case, apostrophes dropped (`user's` → `users`), every other
/// character that is not a letter or digit a separator. Chinese and Japanese are written without
/// spaces, so each of their characters is a word of its own: a phrase of the lists written in
/// them ("外部", external) is found as consecutive characters ("外部连接服务", "外部連携サービス").
pub fn words(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current = String::new();
    for c in text.chars() {
        if is_unspaced_script(c) {
            if !current.is_empty() {
                out.push(std::mem::take(&mut current));
            }
            out.push(c.to_string());
        } else if c.is_alphanumeric() {
            current.extend(c.to_lowercase());
        } else if matches!(c, '\'' | '’' | '`') {
            continue;
        } else if !current.is_empty() {
            out.push(std::mem::take(&mut current));
        }
    }
    if !current.is_empty() {
        out.push(current);
    }
    out
}

/// Whether `c` is written in a script without spaces between words: Han ideographs (Chinese,
/// Japanese kanji), hiragana and katakana. Korean separates its words with spaces, as the scripts
/// of the other languages do.
fn is_unspaced_script(c: char) -> bool {
    matches!(c,
        '\u{3040}'..='\u{30ff}'      // hiragana, katakana (with the prolonged sound mark)
        | '\u{3400}'..='\u{4dbf}'    // CJK extension A
        | '\u{4e00}'..='\u{9fff}'    // CJK unified ideographs
        | '\u{f900}'..='\u{faff}'    // CJK compatibility ideographs
        | '\u{ff66}'..='\u{ff9f}'    // half-width katakana
    )
}

/// How many words a reader sees in `text`: as [`words`], but a run of Chinese or Japanese
/// characters counts as one, so "メール配信サービス" is one short name, not nine words.
fn reader_word_count(text: &str) -> usize {
    let mut count = 0;
    let mut in_word = false;
    let mut in_unspaced = false;
    for c in text.chars() {
        let unspaced = is_unspaced_script(c);
        let letter = unspaced || c.is_alphanumeric() || matches!(c, '\'' | '’' | '`');
        if letter && (!in_word || unspaced != in_unspaced) {
            count += 1;
        }
        in_word = letter;
        in_unspaced = unspaced;
    }
    count
}

/// Words in a boundary label that rank it, or say that it is only a grouping
/// (`knowledge/zones.toml`).
#[derive(Debug, Default)]
pub struct ZoneWords {
    pub untrusted: WordList,
    pub trusted: WordList,
    pub exposed: WordList,
    pub grouping: WordList,
    /// Words that name the box a trust boundary without saying which side is trusted.
    pub boundary_marks: WordList,
    /// Trusted words that name infrastructure (an account, a VPC, a subnet): a zone they name is
    /// no trust step above the trusted zone around it.
    pub infrastructure: WordList,
    /// Untrusted words that say whose a zone is: someone else's (a third party, a partner, a
    /// vendor, "External services"). What the system's diagram draws inside such a zone is run by
    /// that party.
    pub third_party: WordList,
    /// Words that mark a box of designs its author set aside ("Excluded", "Rejected
    /// alternatives"): what it holds is no part of the system, and the box is no boundary.
    pub set_aside: WordList,
    /// Words that name a section of the system's code ("Frontend", "Backend"): a top-level box
    /// so named is where that part runs, one of the system's parts, not the perimeter around it.
    pub code_sections: WordList,
    /// Words that name the machine the system runs on ("Docker host", "VM"): a top-level box so
    /// named is that machine even when it names the platform it runs (Docker), not a box where
    /// one kind of service is deployed.
    pub machines: WordList,
    /// Untrusted words that say where a zone faces, not whose it is ("Internet", "Public"): a
    /// label that goes on to name a system ([`Self::systems`]) is that system's box.
    pub places: WordList,
    /// The nouns that end a label naming a system ("Internet Banking System", "Public Internet
    /// — FastAPI Application"): the box is the system's own, whatever place word qualifies it.
    pub systems: WordList,
}

/// The zone words in force (see [`crate::knowledge`]).
pub fn zone_words() -> &'static ZoneWords {
    &crate::knowledge::current().zones
}

/// What a label's own noun says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NounKind {
    Store,
    Process,
    Actor,
}

/// The nouns that say what an element is (`knowledge/labels.toml`).
#[derive(Debug)]
pub struct LabelNouns {
    /// Labels with more words than this are descriptions: their nouns do not decide.
    max_words: usize,
    lists: [(NounKind, WordList); 3],
    /// File endings (lower case, no dot) that make a label that is a file name a store
    /// (`output/report.html`) or a process (`build.sh`).
    file_endings: Vec<(NounKind, String)>,
    /// Folders at the root of a machine's file system (`/var`, `/home`): a path from one of them
    /// is a folder on a machine, not a URL route (see [`Self::file_kind`]).
    file_system_roots: Vec<String>,
    /// Actor nouns that name an outside organisation (an ISP, a partner, a bank), not a person:
    /// whose a thing is (see [`outside_party`]).
    outside_parties: WordList,
    /// Network devices whose bracketed word says where they sit (see [`names_placed_device`]).
    placed_devices: WordList,
    /// Words that name threats (see [`names_a_threat`]).
    threat_notes: WordList,
    /// Words that name a service's programming interface (see [`names_an_interface`]).
    interfaces: WordList,
    /// Nouns of programs that call out and listen to no one (see [`names_a_caller`]).
    callers: WordList,
    /// Nouns that name a system rather than a person (see [`names_a_system`]).
    service_nouns: WordList,
    /// Nouns of machines and endpoints (see [`names_a_program`]).
    machine_nouns: WordList,
    /// Verbs a DFD names its processes with (see [`leading_process_verb`]).
    process_verbs: WordList,
}

impl Default for LabelNouns {
    /// No nouns: no label decides a kind.
    fn default() -> Self {
        LabelNouns::new(0, &[], &[], &[])
    }
}

/// The kind a short label's own noun names, and the noun: the one nearest the end wins
/// ("Database service" is a process). Of a long label only the first line counts, and a long
/// first line (a description) says nothing.
pub fn noun_kind(label: &str) -> Option<(NounKind, String)> {
    crate::knowledge::current().labels.noun_kind(label)
}

/// The verb a short label's first line starts with, when it is one a DFD names its processes
/// with (`process_verbs` of `knowledge/labels.toml`: "Manage Employee Information", "Managing
/// Vehicles", "View Polls"): the label says what is done, so the thing is a process, whatever
/// person or thing it is done to. Of two words or more: "Monitor" alone is a screen.
pub fn leading_process_verb(label: &str) -> Option<String> {
    crate::knowledge::current().labels.leading_process_verb(label)
}

/// The outside organisation a short label names ("ISP", "Partner bank"), when the noun that
/// decides its kind (see [`noun_kind`]) is one of the `outside_parties` of
/// `knowledge/labels.toml`: a generic device icon captioned so is that party's machine.
pub fn outside_party(label: &str) -> Option<String> {
    crate::knowledge::current().labels.outside_party(label)
}

/// Whether a label names a threat (`threat_notes` of `knowledge/labels.toml`: "[S] Spoofing",
/// "SQL Injection", "Insider Threat"): a box of such words no flow touches is a threat the author
/// noted on the picture, not a part of the system.
pub fn names_a_threat(label: &str) -> bool {
    crate::knowledge::current().labels.names_a_threat(label)
}

/// Whether a label, brackets left out, names a network device (`placed_devices` of
/// `knowledge/labels.toml`: a firewall, a router, a load balancer): the word in its brackets
/// then says where it sits (`Firewall (External)`, `Firewall (Data)`), not what kind it is.
pub fn names_placed_device(label: &str) -> bool {
    let outside_brackets = title_of(label);
    crate::knowledge::current().labels.placed_devices.find_in(&outside_brackets).is_some()
}

/// Whether a label names a service's programming interface (`interfaces` of
/// `knowledge/labels.toml`: "REST", "WebSocket", "API", "data feed"): an outside party so named
/// is a service the system calls or subscribes to, not a person.
pub fn names_an_interface(label: &str) -> bool {
    crate::knowledge::current().labels.interfaces.find_in(label).is_some()
}

/// Whether a label names a system, not a person (`service_nouns` of `knowledge/labels.toml`: "Partner
/// systems", "Vendor platform", "Bank server"): a party that answers the calls it is sent.
pub fn names_a_system(label: &str) -> bool {
    crate::knowledge::current().labels.service_nouns.find_in(label).is_some()
}

/// Whether a label's name names a program or a machine, not a person: a system
/// (`service_nouns`), an interface (`interfaces`) or a machine or endpoint (`machine_nouns`: a
/// device, a sensor, a bot, a webhook). Rules about what a person does (is phished, opens a page
/// in a browser) are not raised on an actor so named. Bullets under the name say what the party
/// uses ("Users" over "• Staff Portal • Hosting Platforms"), not what it is; a name wrapped over
/// two lines is read whole ("Alexa Enabled" / "Device"), its asides in brackets too ("GPS
/// trackers (IoT devices)"). A client named by the interface it speaks ("WebSocket Client",
/// "REST client") is whoever runs it, a browser or a person's tool: its interface word does not
/// count. See [`named_lines`].
pub fn names_a_program(label: &str) -> bool {
    let labels = &crate::knowledge::current().labels;
    let title = named_lines(label);
    let client =
        words(&without_asides(&title)).last().is_some_and(|w| w == "client" || w == "clients");
    let interface = !client && labels.interfaces.find_in(&title).is_some();
    interface
        || labels.service_nouns.find_in(&title).is_some()
        || labels.machine_nouns.find_in(&title).is_some()
}

/// Whether the first line of a label names a program that calls out and listens to no one
/// (`callers` of `knowledge/labels.toml`: a worker, a CLI, a crawler, a trading engine): what an
/// outside service sends it is the answer to its own call.
pub fn names_a_caller(label: &str) -> bool {
    let first_line = label.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
    crate::knowledge::current().labels.callers.find_in(first_line).is_some()
}

/// What a label that is a file name is, by its ending (`knowledge/labels.toml`).
/// Whether a label's headline is a route of a web API (see [`LabelNouns::is_url_route`]).
pub fn is_url_route(label: &str) -> bool {
    crate::knowledge::current().labels.is_url_route(&headline(label))
}

pub fn file_kind(label: &str) -> Option<(NounKind, String)> {
    crate::knowledge::current().labels.file_kind(label)
}

/// Words from which a line under a one-word name reads as a sentence about the thing, not as
/// the rest of a wrapped name.
const SENTENCE_WORDS: usize = 4;

impl LabelNouns {
    pub fn new(max_words: usize, store: &[String], process: &[String], actor: &[String]) -> Self {
        LabelNouns {
            max_words,
            lists: [
                (NounKind::Store, WordList::new(store)),
                (NounKind::Process, WordList::new(process)),
                (NounKind::Actor, WordList::new(actor)),
            ],
            file_endings: Vec::new(),
            file_system_roots: Vec::new(),
            outside_parties: WordList::default(),
            placed_devices: WordList::default(),
            threat_notes: WordList::default(),
            interfaces: WordList::default(),
            callers: WordList::default(),
            service_nouns: WordList::default(),
            machine_nouns: WordList::default(),
            process_verbs: WordList::default(),
        }
    }

    /// The same nouns, with the outside parties (read only on generic device icons).
    pub fn with_outside_parties(mut self, parties: &[String]) -> Self {
        self.outside_parties = WordList::new(parties);
        self
    }

    /// The same nouns, with the network devices whose brackets name a place.
    pub fn with_placed_devices(mut self, devices: &[String]) -> Self {
        self.placed_devices = WordList::new(devices);
        self
    }

    /// The same nouns, with the words that name threats.
    pub fn with_threat_notes(mut self, words: &[String]) -> Self {
        self.threat_notes = WordList::new(words);
        self
    }

    /// The same nouns, with the words of interfaces, of programs that call out and of systems.
    pub fn with_calls(
        mut self,
        interfaces: &[String],
        callers: &[String],
        services: &[String],
    ) -> Self {
        self.interfaces = WordList::new(interfaces);
        self.callers = WordList::new(callers);
        self.service_nouns = WordList::new(services);
        self
    }

    /// The same nouns, with the nouns of machines and endpoints.
    pub fn with_machine_nouns(mut self, nouns: &[String]) -> Self {
        self.machine_nouns = WordList::new(nouns);
        self
    }

    /// The same nouns, with the verbs a DFD names its processes with.
    pub fn with_process_verbs(mut self, verbs: &[String]) -> Self {
        self.process_verbs = WordList::new(verbs);
        self
    }

    /// The verb a short label's first line starts with (see [`leading_process_verb`]).
    pub fn leading_process_verb(&self, label: &str) -> Option<String> {
        let first_line = headline(&without_attribute_lines(label));
        // A process number before the name ("4. Managing Vehicles") is not its first word.
        let all = words(&first_line);
        let text: Vec<&String> =
            all.iter().skip_while(|w| w.chars().all(|c| c.is_ascii_digit())).collect();
        let first = text.first()?;
        if text.len() < 2 || text.len() > self.max_words {
            return None;
        }
        self.process_verbs.contains(first).then(|| first.to_string())
    }

    /// Whether a label names a threat (see [`names_a_threat`]).
    pub fn names_a_threat(&self, label: &str) -> bool {
        self.threat_notes.find_in(label).is_some()
    }

    /// The outside party a short label names (see [`outside_party`]): the label's nouns are
    /// read with the outside parties as actor nouns, and one of them must decide.
    pub fn outside_party(&self, label: &str) -> Option<String> {
        let parties = (NounKind::Actor, &self.outside_parties);
        let (kind, noun) = self.noun_among(label, Some(parties))?;
        (kind == NounKind::Actor && self.outside_parties.contains(&noun)).then_some(noun)
    }

    /// The same nouns, with the file endings that make a file-name label a store or a process.
    pub fn with_file_endings(mut self, store: &[String], process: &[String]) -> Self {
        let lower = |e: &String| e.trim_start_matches('.').to_ascii_lowercase();
        self.file_endings = (store.iter().map(|e| (NounKind::Store, lower(e))))
            .chain(process.iter().map(|e| (NounKind::Process, lower(e))))
            .collect();
        self
    }

    /// The same nouns, with the folders at the root of a machine's file system.
    pub fn with_file_system_roots(mut self, roots: &[String]) -> Self {
        self.file_system_roots =
            roots.iter().map(|r| r.trim().trim_end_matches('/').to_ascii_lowercase()).collect();
        self
    }

    /// Whether `name` is a path on a machine's file system, from the root: it starts at one of
    /// the file system's root folders ("/var/www/html/myapp") or goes through a hidden folder
    /// ("/workspace/.claude"), which no URL route does (`.well-known` aside).
    fn on_a_file_system(&self, name: &str) -> bool {
        if !name.starts_with('/') {
            return false;
        }
        let lower = name.to_ascii_lowercase();
        let from_root = self.file_system_roots.iter().any(|root| {
            !root.is_empty()
                && lower.strip_prefix(root.as_str()).is_some_and(|r| r.starts_with('/'))
        });
        let hidden = lower.split('/').any(|part| {
            part.len() > 1 && part.starts_with('.') && part != ".." && part != ".well-known"
        });
        from_root || hidden
    }

    /// Whether a label's headline is a route of a web API: an HTTP method before a path (`GET
    /// /api/users`, `POST /orders/{id}`), or a path that reads as one on its own: from `/api`,
    /// `/graphql` or a version (`/v1/partners`), or with a parameter (`/users/:id`). A route is
    /// served by the team's code, whatever people or parties its segments name ("users",
    /// "partners"). Paths from a machine's root folders stay folders (`/var/www`).
    pub fn is_url_route(&self, headline: &str) -> bool {
        const METHODS: [&str; 7] = ["get", "post", "put", "patch", "delete", "head", "options"];
        let mut words = headline.split_whitespace();
        let Some(first) = words.next() else { return false };
        let method = first.split('/').all(|m| METHODS.contains(&m.to_ascii_lowercase().as_str()));
        let path = if method { words.next().unwrap_or_default() } else { first };
        let segments: Vec<&str> = match path.strip_prefix('/') {
            Some(rest) if !rest.is_empty() && !rest.ends_with('/') => rest.split('/').collect(),
            _ => return false,
        };
        if self.on_a_file_system(path) || segments.iter().any(|s| s.is_empty()) {
            return false;
        }
        let lower = segments[0].to_ascii_lowercase();
        let version = lower.strip_prefix('v').is_some_and(|n| n.parse::<u8>().is_ok());
        let parameter = segments.iter().any(|s| s.starts_with(':') || s.starts_with('{'));
        method || version || parameter || ["api", "graphql", "rest"].contains(&lower.as_str())
    }

    /// What a label that is a file name (one word with a known ending: `./dfd.dot`,
    /// `output/rfc-index.html`, `get_text.pl`) is, and the ending.
    pub fn file_kind(&self, label: &str) -> Option<(NounKind, String)> {
        let name = label.trim();
        if name.is_empty() || name.chars().any(char::is_whitespace) {
            return None;
        }
        // A path to a folder ("./media", "uploads/", "~/.cache/app/") holds files: a store.
        // A path from the root alone ("/v1/tunnel") is as often a URL route, so it decides
        // nothing here, unless it is plainly a machine's ("/var/www/html/myapp", a hidden
        // folder: "/home/app/.claude").
        let relative = ["./", "../", "~/", ".\\"].iter().any(|p| name.starts_with(p));
        let folder = name.len() > 1 && (name.ends_with('/') || name.ends_with('\\'));
        let on_a_file_system = self.on_a_file_system(name);
        let file = name.rsplit(['/', '\\']).next()?;
        // A hidden folder or dotfile at the end (".claude", ".cache") holds settings or files.
        let hidden = file.len() > 1 && file.starts_with('.') && !file[1..].contains('.');
        if (folder || relative || on_a_file_system) && (!file.contains('.') || hidden) {
            return Some((NounKind::Store, "/".to_string()));
        }
        let (stem, ending) = file.rsplit_once('.')?;
        if stem.trim_matches('.').is_empty() || ending.is_empty() {
            return None;
        }
        let ending = ending.to_ascii_lowercase();
        self.file_endings
            .iter()
            .find(|(_, e)| *e == ending)
            .map(|(kind, e)| (*kind, format!(".{e}")))
    }

    /// The kind a short label's own noun names, and the noun (see [`noun_kind`]).
    pub fn noun_kind(&self, label: &str) -> Option<(NounKind, String)> {
        self.noun_among(label, None)
    }

    /// [`Self::noun_kind`] over the noun lists and `extra`.
    fn noun_among(
        &self,
        label: &str,
        extra: Option<(NounKind, &WordList)>,
    ) -> Option<(NounKind, String)> {
        // Lines under the name written as `key: value` ("topic: fleet/+/telemetry") are the
        // thing's attributes, never part of its name.
        let label = &without_attribute_lines(label);
        // The title names the thing; the description under it or in brackets only says more
        // about it ("Database" over "Student data, User accounts"; "Usuário (Cliente da API)").
        let title = title_of(label);
        // A first line of two words or more with a noun of its own is the name, and the lines
        // under it say what the thing does or holds ("Cliente final" over "Portal de reservas").
        // A one-word first line may be a name wrapped over two lines ("Customer" / "Database"):
        // then all of the title is read, unless the line under it is a sentence of its own
        // ("Agent" / "wertet Logs gegen Szenarien aus": what the agent does), which no name
        // wraps into.
        let mut lines = title.lines().map(str::trim).filter(|l| !l.is_empty());
        if let (Some(first), Some(second)) = (lines.next(), lines.next()) {
            // A line under a one-word name that starts with that name again ("Citizen" /
            // "Citizen App") is what the named one uses, not the rest of a wrapped name.
            let repeats = reader_word_count(first) == 1
                && words(second).first().is_some_and(|w| words(first).first() == Some(w));
            if reader_word_count(first) >= 2
                || reader_word_count(second) >= SENTENCE_WORDS
                || repeats
            {
                if let Some(found) = self.noun_in(first, extra) {
                    return Some(found);
                }
            }
        }
        if title.len() < label.len() {
            if let Some(found) = self.noun_in(&title, extra) {
                return Some(found);
            }
        }
        self.noun_in(label, extra)
    }

    /// [`Self::noun_among`] over the whole of `label`: the noun nearest the end of a short
    /// label, or of the first line of a long one.
    fn noun_in(
        &self,
        label: &str,
        extra: Option<(NounKind, &WordList)>,
    ) -> Option<(NounKind, String)> {
        let nouns = self;
        let mut text = words(label);
        if reader_word_count(label) > nouns.max_words {
            let first_line = label.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
            if reader_word_count(first_line) > nouns.max_words {
                return None;
            }
            text = words(first_line);
        }
        if text.is_empty() {
            return None;
        }
        // A copy number written onto a noun ("PC1", "Router2", "User3") is not part of it: read
        // the words without it when they say nothing as written.
        nouns.noun_in_words(&text, extra).or_else(|| {
            let numbered: Vec<String> = text.iter().map(|w| without_copy_number(w)).collect();
            (numbered != text).then(|| nouns.noun_in_words(&numbered, extra)).flatten()
        })
    }

    /// The noun among `text`'s words: the phrase ending last wins; of two ending at the same
    /// word, the longer.
    fn noun_in_words(
        &self,
        text: &[String],
        extra: Option<(NounKind, &WordList)>,
    ) -> Option<(NounKind, String)> {
        let mut best: Option<(usize, usize, NounKind, String)> = None;
        let lists = self.lists.iter().map(|(k, l)| (*k, l)).chain(extra);
        for (kind, list) in lists {
            for (written, phrase) in &list.entries {
                let n = phrase.len();
                if n == 0 || n > text.len() {
                    continue;
                }
                for end in (n..=text.len()).rev() {
                    if text[end - n..end] == phrase[..] {
                        if best.as_ref().is_none_or(|(e, l, _, _)| (end, n) > (*e, *l)) {
                            best = Some((end, n, kind, written.clone()));
                        }
                        break;
                    }
                }
            }
        }
        best.map(|(_, _, kind, word)| (kind, word))
    }
}

/// A word without the digits written onto its end when two letters or more stay ("pc1" is
/// "pc", "router02" "router"); other words as they are ("s3", "k8s", "2fa").
fn without_copy_number(word: &str) -> String {
    let stem = word.trim_end_matches(|c: char| c.is_ascii_digit());
    if stem.len() < word.len() && stem.chars().filter(|c| c.is_alphabetic()).count() >= 2 {
        stem.to_string()
    } else {
        word.to_string()
    }
}

/// A label's first line of title (see [`title_of`]): the name a card or an HTML table sets first,
/// above the technology and description lines under it ("Single-Page Application" over
/// "JavaScript and Angular" and "Provides … via their web browser").
pub fn headline(label: &str) -> String {
    let title = title_of(label);
    title.lines().map(str::trim).find(|l| !l.is_empty()).unwrap_or_default().to_string()
}

/// A label's title: the text before a blank line, without lines that are bullet points and
/// without asides in parentheses (square brackets are kept: `[root] provider["…/aws"]` is a
/// Terraform address, not an aside). What follows a blank line or a bullet describes the thing ("Database"
/// over "Student data", "• Create Case" under "Salesforce API"); an aside in brackets qualifies
/// it ("Usuário (Cliente da API)" is a user). A label with none of these is its own title.
fn title_of(label: &str) -> String {
    without_asides(&named_lines(label))
}

/// A label's lines up to its first blank line, without bullet points: its name, with any asides
/// in brackets (see [`title_of`], which drops them too).
fn named_lines(label: &str) -> String {
    let mut title = String::new();
    for line in label.lines() {
        let line = line.trim();
        if line.is_empty() {
            if title.trim().is_empty() {
                continue;
            }
            break;
        }
        if line.starts_with(['•', '·', '-', '*', '–', '▪', '◦']) {
            continue;
        }
        title.push_str(line);
        title.push('\n');
    }
    title
}

/// `text` without what it says in parentheses.
fn without_asides(title: &str) -> String {
    let mut bare = String::new();
    let mut depth = 0usize;
    for c in title.chars() {
        match c {
            '(' => depth += 1,
            ')' => depth = depth.saturating_sub(1),
            _ if depth == 0 => bare.push(c),
            _ => {}
        }
    }
    bare.trim().to_string()
}

/// `label` without the lines after its first that read `key: value` (a short key of at most
/// three words, then a colon and a value: "topic: fleet/+/telemetry", "L1 trace: every claim"):
/// such a line sets out an attribute of the thing the first line names.
fn without_attribute_lines(label: &str) -> String {
    let mut kept = String::new();
    let mut first = true;
    for line in label.lines() {
        let is_attribute = !first
            && line.split_once(':').is_some_and(|(key, value)| {
                let key_words = key.split_whitespace().count();
                (1..=3).contains(&key_words) && !value.trim().is_empty() && !value.starts_with("//")
            });
        if !line.trim().is_empty() {
            first = false;
        }
        if !is_attribute {
            kept.push_str(line);
            kept.push('\n');
        }
    }
    kept.trim_end().to_string()
}

/// The private address block a label names (`10.10.10.0/24`, `192.168.1.0/24`,
/// `172.16.0.0/12`: the ranges RFC 1918 keeps off the Internet), written with its prefix length.
/// A box named by one is a network the organisation runs itself (a VNet, a lab's host-only
/// network), whatever else its label says; an address without a prefix is a host, not a network.
pub fn private_address_block(label: &str) -> Option<String> {
    label
        .split(|c: char| !(c.is_ascii_digit() || c == '.' || c == '/'))
        .find(|token| is_private_block(token))
        .map(str::to_string)
}

fn is_private_block(token: &str) -> bool {
    let Some((address, prefix)) = token.split_once('/') else { return false };
    let Ok(prefix) = prefix.parse::<u8>() else { return false };
    let octets: Vec<u8> = address.split('.').filter_map(|o| o.parse().ok()).collect();
    if prefix > 32 || octets.len() != 4 || address.split('.').count() != 4 {
        return false;
    }
    match (octets[0], octets[1]) {
        (10, _) => prefix >= 8,
        (172, 16..=31) => prefix >= 12,
        (192, 168) => prefix >= 16,
        _ => false,
    }
}

/// The sensitive-data words in force (`knowledge/sensitive-data.toml`, see
/// [`crate::knowledge`]).
pub fn sensitive_data_words() -> &'static WordList {
    &crate::knowledge::current().sensitive_data
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn private_address_blocks_are_found_with_their_prefix() {
        let found = |l: &str| private_address_block(l);
        assert_eq!(found("vmnet2 · Host-only · 10.10.10.0/24"), Some("10.10.10.0/24".into()));
        assert_eq!(found("Office LAN (192.168.1.0/24)"), Some("192.168.1.0/24".into()));
        assert_eq!(found("net 172.20.0.0/16"), Some("172.20.0.0/16".into()));
        assert_eq!(found("Public 203.0.113.0/24"), None, "a public block");
        assert_eq!(found("172.32.0.0/16"), None, "outside 172.16/12");
        assert_eq!(found("Server 10.0.0.5"), None, "a host, no prefix");
        assert_eq!(found("10.0.0.0/40"), None);
        assert_eq!(found("v1.2/3"), None);
    }

    #[test]
    fn whole_words_only() {
        let list = WordList::new(&["key", "third party", "user machine"]);
        assert_eq!(list.find_in("monkey pictures"), None);
        assert_eq!(list.find_in("API key"), Some("key"));
        assert_eq!(list.find_in("Third-Party APIs"), Some("third party"));
        assert_eq!(list.find_in("User's Machine"), None, "users ≠ user");
        assert_eq!(
            WordList::new(&["user's machine"]).find_in("USER’S MACHINE"),
            Some("user's machine")
        );
    }

    #[test]
    fn case_changing_text_is_safe() {
        let list = WordList::new(&["internet"]);
        assert_eq!(list.find_in("İİ(process)é İnternet"), None);
        assert_eq!(list.find_in("ẞ INTERNET Σ"), Some("internet"));
        assert_eq!(words("İİ"), vec!["i\u{307}i\u{307}"]);
    }

    #[test]
    fn sensitive_data_is_named_by_whole_words() {
        let w = sensitive_data_words();
        assert_eq!(w.find_in("monkey pictures"), None);
        assert_eq!(w.find_in("turkey recipes"), None);
        assert_eq!(w.find_in("order, card token"), Some("card"));
        assert_eq!(w.find_in("API keys"), Some("keys"));
        assert_eq!(w.find_in("login credentials"), Some("credentials"));
    }

    #[test]
    fn label_nouns() {
        let k = |l: &str| noun_kind(l).map(|(k, _)| k);
        assert_eq!(k("Mail Events DB"), Some(NounKind::Store));
        assert_eq!(k("User Account Table"), Some(NounKind::Store));
        assert_eq!(k("Customer Data"), Some(NounKind::Store));
        assert_eq!(k("Database service"), Some(NounKind::Process));
        assert_eq!(k("mySQL functions"), Some(NounKind::Process));
        assert_eq!(k("Authorized User via kubectl"), Some(NounKind::Actor));
        assert_eq!(k("Desktop - Chrome/Firefox"), Some(NounKind::Actor));
        assert_eq!(k("Payments"), None);
        assert_eq!(k("Internet\nGateway"), Some(NounKind::Process));
        assert_eq!(k("Redis Server"), None);
        assert_eq!(k("A validator that writes a Splunk row for every rejected request"), None);
        assert_eq!(k("Orders queue\n(holds every order until it is paid)"), Some(NounKind::Store));
        // The title decides over the description under it and the aside in brackets...
        assert_eq!(k("Database\n\nStudent data\nUser accounts"), Some(NounKind::Store));
        assert_eq!(k("Usuário (Cliente da API)"), Some(NounKind::Actor));
        assert_eq!(k("Salesforce API\n• Create Case\n• Agent login"), Some(NounKind::Process));
        assert_eq!(k("Orders (table)"), Some(NounKind::Store), "a title with no noun: all of it");
        assert_eq!(k("[root] provider[\"registry.terraform.io/hashicorp/aws\"]"), None);
        // ...but a name wrapped over two lines is one title.
        assert_eq!(k("Customer\nDatabase"), Some(NounKind::Store));
        // A sentence under a one-word name says what the thing does: the name decides.
        assert_eq!(k("Agent\nreads the logs against scenarios"), Some(NounKind::Process));
        assert_eq!(k("Collector\nbatch logs"), Some(NounKind::Store), "two words may wrap");
        assert_eq!(k("WWW server"), Some(NounKind::Process));
        assert_eq!(k("Merchant API"), Some(NounKind::Actor), "an outside party's API");
        assert_eq!(k("Payments API"), Some(NounKind::Process));
        assert_eq!(k("Index Razor Page"), Some(NounKind::Process), "a page, not a search index");
        assert_eq!(k("Admin Dashboard"), Some(NounKind::Process), "the staff's screen, not staff");
        // A name of two words with its own noun decides over the lines under it...
        assert_eq!(k("Order service\nwrites the orders table"), Some(NounKind::Process));
        assert_eq!(k("Clinic staff\nBooking portal"), Some(NounKind::Actor));
        // ...and a `key: value` line under a name is an attribute, not part of the name.
        assert_eq!(k("Event bus\nqueue: orders.created"), None);
        assert_eq!(k("Ledger\nowner: finance team"), Some(NounKind::Store));
        assert_eq!(k("Payments\nhttps://pay.example"), None, "a URL is no attribute line");
    }

    /// People a system hands work to are persons, whatever software sense "agent" has; a graph
    /// or base of knowledge holds data; "someone else's" says whose a thing is.
    #[test]
    fn people_knowledge_bases_and_other_parties_things() {
        let k = |l: &str| noun_kind(l).map(|(k, _)| k);
        assert_eq!(k("Human Agent Desk\n(escalation queue)"), Some(NounKind::Actor));
        assert_eq!(k("Support agent"), Some(NounKind::Actor));
        assert_eq!(k("Triage agent"), Some(NounKind::Process), "a software agent stays one");
        assert_eq!(k("Knowledge Graph"), Some(NounKind::Store));
        assert_eq!(k("Knowledge base service"), Some(NounKind::Process));
        assert_eq!(k("someone else's\nresource server"), Some(NounKind::Actor));
    }

    /// A line under a one-word name that starts with the name again says what the named one
    /// uses ("Citizen" / "Citizen App"): the person stays a person. A one-word name wrapped over
    /// two lines is still read whole ("Customer" / "Database").
    #[test]
    fn a_person_over_their_app_is_the_person() {
        let k = |l: &str| noun_kind(l).map(|(k, _)| k);
        assert_eq!(k("Citizen\nCitizen App"), Some(NounKind::Actor));
        assert_eq!(k("Parking Attendant\nVendor App"), Some(NounKind::Actor));
        assert_eq!(k("Customer\nDatabase"), Some(NounKind::Store), "a wrapped name");
        assert_eq!(k("Orders\nOrders API"), Some(NounKind::Process), "no person named first");
    }

    /// A pipeline's or an agent's steps named by what they do are the team's processes, whatever
    /// the lines under the name say they use.
    #[test]
    fn steps_named_by_what_they_do_are_processes() {
        let k = |l: &str| noun_kind(l).map(|(k, _)| k);
        assert_eq!(k("Intent Classifier\nClaude 3.5 Haiku"), Some(NounKind::Process));
        assert_eq!(k("Response Generator"), Some(NounKind::Process));
        assert_eq!(k("Rate Limiter\nRedis backed"), Some(NounKind::Process));
        assert_eq!(k("Load generator"), Some(NounKind::Actor), "the longer phrase says more");
        assert_eq!(k("Classifier results table"), Some(NounKind::Store), "the last noun wins");
    }

    /// Public data read from someone else's servers (the weather, the news, the time) is an
    /// outside party's; a store of it is the system's own.
    #[test]
    fn public_data_services_are_outside_parties() {
        let k = |l: &str| noun_kind(l).map(|(k, _)| k);
        assert_eq!(k("NWS Weather API"), Some(NounKind::Actor));
        assert_eq!(k("RSS News Feeds"), Some(NounKind::Actor));
        assert_eq!(k("Public time services\nNTP"), Some(NounKind::Actor));
        assert_eq!(k("Weather cache"), Some(NounKind::Store));
        assert_eq!(k("Feed API"), Some(NounKind::Process), "the team's own feed endpoint");
    }

    /// Devices in the field that send readings in are outside parties; the system's own
    /// registry or shadow of them is not.
    #[test]
    fn devices_in_the_field_are_actors() {
        let k = |l: &str| noun_kind(l).map(|(k, _)| k);
        assert_eq!(k("IoT Device"), Some(NounKind::Actor));
        assert_eq!(k("Temperature sensors"), Some(NounKind::Actor));
        assert_eq!(k("Wearables"), Some(NounKind::Actor));
        assert_eq!(k("Smart meter"), Some(NounKind::Actor));
        assert_eq!(k("Device registry"), Some(NounKind::Store));
        assert_eq!(k("Sensor data"), Some(NounKind::Store));
        assert_eq!(k("Device Shadow"), None, "a device alone names no party");
    }

    #[test]
    fn programs_and_machines_are_named_by_the_title() {
        assert!(names_a_program("Partner systems"));
        assert!(names_a_program("Alexa Enabled\nDevice"));
        assert!(names_a_program("Stripe webhook"));
        assert!(names_a_program("Weather API"));
        assert!(!names_a_program("Users\n• Staff Portal\n• Hosting Platforms"));
        assert!(names_a_program("GPS trackers (IoT devices)"));
        assert!(!names_a_program("Customer"));
        assert!(!names_a_program("WebSocket Client\n(browser, CLI)"));
    }

    #[test]
    fn outside_parties_are_organisations_not_persons() {
        assert_eq!(outside_party("ISP").as_deref(), Some("isp"));
        assert_eq!(
            outside_party("Internet Service Provider").as_deref(),
            Some("internet service provider")
        );
        assert_eq!(outside_party("Partner").as_deref(), Some("partner"));
        assert_eq!(outside_party("Admin"), None, "a person's noun says nothing of whose");
        assert_eq!(outside_party("Partner API"), None, "the noun that decides is not a party");
        assert_eq!(outside_party("Customer DB"), None);
        assert_eq!(outside_party("Identity provider"), None);
    }

    #[test]
    fn nouns_in_other_languages() {
        let kind = |label: &str| noun_kind(label).map(|(k, _)| k);
        assert_eq!(kind("Usuário"), Some(NounKind::Actor));
        assert_eq!(kind("Banque partenaire"), Some(NounKind::Actor));
        assert_eq!(kind("Браузер пользователя"), Some(NounKind::Actor));
        assert_eq!(kind("SQL База данных"), Some(NounKind::Store));
        assert_eq!(kind("Файловое хранилище"), Some(NounKind::Store));
        assert_eq!(kind("Base de données"), Some(NounKind::Store));
        assert_eq!(kind("Serviço de pagamentos"), Some(NounKind::Process));
    }

    /// Vietnamese puts the noun first and its qualifier after ("Sinh viên UIT", a university's
    /// students; "Doanh nghiệp đối tác", partner businesses).
    #[test]
    fn vietnamese_people_and_partners_are_actors() {
        let kind = |label: &str| noun_kind(label).map(|(k, _)| k);
        assert_eq!(kind("Sinh viên UIT"), Some(NounKind::Actor));
        assert_eq!(kind("Doanh nghiệp đối tác"), Some(NounKind::Actor));
        assert_eq!(kind("Người dùng"), Some(NounKind::Actor));
        assert_eq!(kind("Khách hàng"), Some(NounKind::Actor));
    }

    #[test]
    fn chinese_and_japanese_are_matched_character_by_character() {
        assert_eq!(words("Web前端"), ["web", "前", "端"]);
        assert_eq!(reader_word_count("メール配信サービス"), 1);
        assert_eq!(reader_word_count("Web アプリ v2"), 3);
        assert_eq!(reader_word_count("Webアプリ"), 2);
        let kind = |label: &str| noun_kind(label).map(|(k, _)| k);
        assert_eq!(kind("利用者"), Some(NounKind::Actor));
        assert_eq!(kind("注文データベース"), Some(NounKind::Store));
        assert_eq!(kind("用户界面"), Some(NounKind::Process), "the interface, not the user");
        assert_eq!(kind("订单服务"), Some(NounKind::Process));
        let z = zone_words();
        assert_eq!(z.third_party.find_in("外部連携サービス"), Some("外部"));
        assert_eq!(z.trusted.find_in("内部网络"), Some("内部"));
        assert_eq!(z.untrusted.find_in("部外"), None, "characters in the order written");
    }

    #[test]
    fn zone_words_rank_labels() {
        let z = zone_words();
        assert_eq!(z.untrusted.find_in("The Internet"), Some("internet"));
        assert_eq!(z.untrusted.find_in("Public subnet"), Some("public"));
        assert_eq!(z.grouping.longest_in(&words("DB subnet group")), Some(("db subnet group", 3)));
        assert_eq!(z.trusted.find_in("Private subnet"), Some("private"));
        assert_eq!(z.untrusted.find_in("User's Machine"), Some("users machine"));
        assert_eq!(z.trusted.find_in("Availability zone 1"), None);
        // The systems on either side of an integration are other teams' and vendors'.
        assert_eq!(z.third_party.find_in("TARGET SYSTEMS"), Some("target systems"));
        assert_eq!(z.untrusted.find_in("Upstream systems (ERP, CRM)"), Some("upstream systems"));
        assert_eq!(z.untrusted.find_in("Source code"), None);
        assert_eq!(z.untrusted.find_in("Availability zone 1"), None);
    }
}
