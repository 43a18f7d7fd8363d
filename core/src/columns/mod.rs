//! Which cards each column shows, and how: the board's cards grouped by stage after the
//! person's filters (deprecated shown or hidden, search text, facets such as priority or
//! whose turn), sorted within each column, and grouped into swimlanes; and the columns' work
//! in progress limits.
//!
//! The shell recomputes the columns after every change and renders the lists it gets; keeping
//! the rules here lets them be tested natively, without a browser. Like `Card::matches`, it
//! takes the lower-casing from the caller, because the core carries no Unicode case tables.

use std::cmp::Ordering;

use crate::board::{Board, EntryIndex};
use crate::flow::parse_time;
use crate::health::{Kind, health};
use crate::requirement::Card;
use crate::results::Evidence;
use crate::stage::{Stage, normalize_word};
use crate::team::Team;

/// What a card can be filtered by, beside the search.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Facet {
    Priority,
    Kind,
    Risk,
    Story,
    Owner,
    /// Whose turn it is (`Team::turn`): an agent's name.
    Turn,
    /// A kind of finding of the health panel (`Kind::key`), or `any`.
    Health,
    /// `yes`: the stage was inferred; `no`: read from the file.
    Inferred,
    /// `failing`, `passing` or `none` (no test result matched).
    Results,
}

/// The value of a facet that picks the cards with no value (no priority, no story). In
/// brackets, so that a story or a priority written "None" is a value like any other.
pub const NONE: &str = "(none)";

impl Facet {
    /// Every facet, in the order the filters show them.
    pub const ALL: [Facet; 9] = [
        Facet::Priority,
        Facet::Kind,
        Facet::Risk,
        Facet::Story,
        Facet::Owner,
        Facet::Turn,
        Facet::Health,
        Facet::Inferred,
        Facet::Results,
    ];

    /// Its name in a link (`#priority=high`).
    pub fn key(self) -> &'static str {
        match self {
            Facet::Priority => "priority",
            Facet::Kind => "type",
            Facet::Risk => "risk",
            Facet::Story => "story",
            Facet::Owner => "owner",
            Facet::Turn => "turn",
            Facet::Health => "health",
            Facet::Inferred => "inferred",
            Facet::Results => "results",
        }
    }

    /// The facet a link's `key` names.
    pub fn parse(key: &str) -> Option<Facet> {
        Facet::ALL.into_iter().find(|f| f.key() == key)
    }

    /// Its name as a label.
    pub fn title(self) -> &'static str {
        match self {
            Facet::Priority => "Priority",
            Facet::Kind => "Type",
            Facet::Risk => "Risk level",
            Facet::Story => "Story",
            Facet::Owner => "Owner",
            Facet::Turn => "Whose turn",
            Facet::Health => "Health",
            Facet::Inferred => "Stage",
            Facet::Results => "Test results",
        }
    }

    /// The card's value of a facet read from its fields; `None` for the other facets.
    fn word(self, card: &Card) -> Option<Option<&str>> {
        let word = match self {
            Facet::Priority => &card.priority,
            Facet::Kind => &card.kind,
            Facet::Risk => &card.risk,
            Facet::Story => &card.story,
            Facet::Owner => &card.owner,
            _ => return None,
        };
        Some(word.as_deref().map(str::trim).filter(|w| !w.is_empty()))
    }

    /// The value as the facet takes it from a link, or `None` when it is no value of it: the
    /// facets with a fixed set of values take only those (any case), the others any text.
    fn accepts(self, value: &str) -> Option<&str> {
        let fixed: &[&'static str] = match self {
            Facet::Inferred => &["yes", "no"],
            Facet::Results => &["failing", "passing", "none"],
            Facet::Health => {
                return if value.eq_ignore_ascii_case("any") {
                    Some("any")
                } else {
                    Kind::ALL
                        .iter()
                        .map(|k| k.key())
                        .find(|k| k.eq_ignore_ascii_case(value))
                };
            }
            _ => return (!value.is_empty()).then_some(value),
        };
        fixed
            .iter()
            .copied()
            .find(|w| w.eq_ignore_ascii_case(value))
    }

    /// How a value of the facet reads on a chip: "Priority: high", "Health: Missing tests".
    pub fn describe(self, value: &str) -> String {
        let shown = match (self, value) {
            (Facet::Health, "any") => "any finding".to_owned(),
            (Facet::Health, key) => {
                Kind::parse(key).map_or_else(|| key.to_owned(), |k| k.title().to_owned())
            }
            (Facet::Inferred, "yes") => "inferred".to_owned(),
            (Facet::Inferred, _) => "read from the file".to_owned(),
            (Facet::Turn, agent) => agent.to_owned(),
            (_, NONE) => format!("no {}", self.title().to_ascii_lowercase()),
            (_, word) => word.to_owned(),
        };
        format!("{}: {shown}", self.title())
    }
}

/// What the person chose to see. `Default` shows every card that is not deprecated.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CardFilter {
    /// Show deprecated requirements too.
    pub with_deprecated: bool,
    /// Show only the cards whose id, text, tests or code contain this text. It must already
    /// be lower-cased (with the same `lower` given to `columns`) and trimmed; empty shows all.
    pub search: String,
    /// Show only the cards that have, for every facet named here, one of its values here.
    pub facets: Vec<(Facet, String)>,
}

/// The values a filter chose for each facet; a facet with none chosen lets every card by.
struct Chosen<'a> {
    values: [Vec<&'a str>; 9],
}

impl CardFilter {
    /// Adds a facet's value (once), keeping the facets in their order.
    pub fn add(&mut self, facet: Facet, value: &str) {
        if !self.facets.iter().any(|(f, v)| *f == facet && v == value) {
            let at = self
                .facets
                .iter()
                .position(|(f, _)| *f > facet)
                .unwrap_or(self.facets.len());
            self.facets.insert(at, (facet, value.to_owned()));
        }
    }

    /// The facets as a link's pairs (`priority=high`), in order.
    pub fn to_pairs(&self) -> Vec<(&'static str, String)> {
        self.facets
            .iter()
            .map(|(f, v)| (f.key(), v.clone()))
            .collect()
    }

    /// The facets a link's pairs name; pairs of other keys and empty values are left out.
    pub fn facets_from_pairs<'a>(
        pairs: impl IntoIterator<Item = (&'a str, &'a str)>,
    ) -> Vec<(Facet, String)> {
        let mut filter = CardFilter::default();
        for (key, value) in pairs {
            if let Some(facet) = Facet::parse(key)
                && let Some(value) = facet.accepts(value.trim())
            {
                filter.add(facet, value);
            }
        }
        filter.facets
    }

    fn chosen(&self) -> Chosen<'_> {
        let mut values: [Vec<&str>; 9] = Default::default();
        for (facet, value) in &self.facets {
            values[*facet as usize].push(value.as_str());
        }
        Chosen { values }
    }
}

/// What the cards are matched against beyond their own fields: the team for whose turn it
/// is, the test results, and the health findings per entry (worked out only when a filter
/// asks for them).
struct Context<'a> {
    team: &'a Team,
    evidence: &'a Evidence,
    /// Per entry, a bit per `Kind` (its index in `Kind::ALL`) found on it.
    findings: Vec<u16>,
}

impl Context<'_> {
    fn has(&self, facet: Facet, value: &str, entry: EntryIndex, card: &Card) -> bool {
        if let Some(word) = facet.word(card) {
            return match word {
                None => value == NONE,
                Some(word) => word.eq_ignore_ascii_case(value),
            };
        }
        match facet {
            Facet::Turn => self.team.turn(card.stage) == Some(value),
            Facet::Health => {
                let found = self.findings.get(entry).copied().unwrap_or(0);
                match Kind::ALL.iter().position(|k| k.key() == value) {
                    Some(bit) => found & (1 << bit) != 0,
                    None => value == "any" && found != 0,
                }
            }
            Facet::Inferred => card.inferred.is_some() == (value == "yes"),
            Facet::Results => {
                let tally = self.evidence.tally(entry);
                match value {
                    "failing" => tally.failed > 0,
                    "passing" => tally.failed == 0 && tally.passed > 0,
                    _ => tally.failed == 0 && tally.passed == 0,
                }
            }
            _ => false,
        }
    }
}

/// The health findings of every entry as bits, one per `Kind`.
fn findings(board: &Board, evidence: &Evidence) -> Vec<u16> {
    let mut bits = vec![0u16; board.len()];
    for finding in health(board, evidence).findings {
        let bit = Kind::ALL
            .iter()
            .position(|k| *k == finding.kind)
            .unwrap_or(0);
        if let Some(slot) = bits.get_mut(finding.entry) {
            *slot |= 1 << bit;
        }
    }
    bits
}

/// What the columns show, and what they hold.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Shown {
    /// The entries each column shows, Backlog first, each list in file order.
    pub columns: [Vec<EntryIndex>; 5],
    /// How many cards each column holds before the search and the facets (deprecated ones
    /// counted only when shown): the "of" of "3 of 12".
    pub totals: [usize; 5],
    /// How many cards each column holds that are not deprecated: what its limit counts.
    pub active: [usize; 5],
}

/// The cards each column shows after `filter`, and how many each holds.
pub fn columns(
    board: &Board,
    team: &Team,
    evidence: &Evidence,
    filter: &CardFilter,
    lower: impl Fn(&str) -> String,
) -> Shown {
    let chosen = filter.chosen();
    let context = Context {
        team,
        evidence,
        findings: if chosen.values[Facet::Health as usize].is_empty() {
            Vec::new()
        } else {
            findings(board, evidence)
        },
    };
    let mut shown = Shown::default();
    for (entry, card) in board.cards() {
        let stage = card.stage.index();
        if !card.deprecated {
            shown.active[stage] += 1;
        } else if !filter.with_deprecated {
            continue;
        }
        shown.totals[stage] += 1;
        let facets = Facet::ALL.into_iter().all(|facet| {
            let values = &chosen.values[facet as usize];
            values.is_empty() || values.iter().any(|v| context.has(facet, v, entry, card))
        });
        // The search is the costly test, so it runs last.
        if facets && (filter.search.is_empty() || card.matches(&filter.search, &lower)) {
            shown.columns[stage].push(entry);
        }
    }
    shown
}

/// The values a facet takes on the board's cards that are not deprecated, with how many
/// cards have each: the words of a field most common first (priorities by rank) and `NONE`
/// last for the cards without one; each kind of finding found, after `any`; `yes` and `no`
/// for an inferred stage; `failing`, `passing` and `none` once there are results. Values no
/// card has are left out. Empty for `Turn`, which the team answers.
pub fn values(board: &Board, evidence: &Evidence, facet: Facet) -> Vec<(String, usize)> {
    let mut counts: Vec<(String, usize)> = Vec::new();
    let mut count = |word: &str| match counts
        .iter_mut()
        .find(|(w, _)| w.eq_ignore_ascii_case(word))
    {
        Some((_, n)) => *n += 1,
        None => counts.push((word.to_owned(), 1)),
    };
    let cards = || board.cards().filter(|(_, c)| !c.deprecated);
    match facet {
        Facet::Turn => {}
        Facet::Health => {
            let bits = findings(board, evidence);
            for (entry, _) in cards() {
                let found = bits.get(entry).copied().unwrap_or(0);
                if found != 0 {
                    count("any");
                }
                for (bit, kind) in Kind::ALL.iter().enumerate() {
                    if found & (1 << bit) != 0 {
                        count(kind.key());
                    }
                }
            }
            order(&mut counts, |(w, _)| {
                let rank = Kind::ALL
                    .iter()
                    .position(|k| k.key() == w)
                    .map_or(0, |r| r + 1);
                (rank as u8, 0, "")
            });
        }
        Facet::Inferred => {
            for (_, card) in cards() {
                count(if card.inferred.is_some() { "yes" } else { "no" });
            }
            order(&mut counts, |(w, _)| (u8::from(w != "yes"), 0, ""));
        }
        Facet::Results => {
            if evidence.reports.is_empty() {
                return Vec::new();
            }
            for (entry, _) in cards() {
                let tally = evidence.tally(entry);
                count(if tally.failed > 0 {
                    "failing"
                } else if tally.passed > 0 {
                    "passing"
                } else {
                    "none"
                });
            }
            let words = ["failing", "passing", "none"];
            order(&mut counts, |(w, _)| {
                (words.iter().position(|o| o == w).unwrap_or(3) as u8, 0, "")
            });
        }
        _ => {
            for (_, card) in cards() {
                count(facet.word(card).flatten().unwrap_or(NONE));
            }
            // Priorities by rank, the other words most common first; "none" last, where a
            // person looks for it.
            order(&mut counts, |(w, n)| match w.as_str() {
                NONE => (u8::MAX, 0, ""),
                w if facet == Facet::Priority => (priority_rank(Some(w)), 0, w),
                w => (0, -(*n as i64), w),
            });
        }
    }
    counts
}

/// What the cards of each column are grouped by into swimlanes.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum GroupBy {
    #[default]
    None,
    Story,
    Priority,
    Owner,
    Kind,
}

impl GroupBy {
    pub const ALL: [GroupBy; 5] = [
        GroupBy::None,
        GroupBy::Story,
        GroupBy::Priority,
        GroupBy::Owner,
        GroupBy::Kind,
    ];

    /// Its name in a select's value.
    pub fn key(self) -> &'static str {
        match self {
            GroupBy::None => "none",
            GroupBy::Story => "story",
            GroupBy::Priority => "priority",
            GroupBy::Owner => "owner",
            GroupBy::Kind => "type",
        }
    }

    pub fn parse(key: &str) -> Option<GroupBy> {
        GroupBy::ALL.into_iter().find(|g| g.key() == key)
    }

    /// Its name as an option of "Group by".
    pub fn title(self) -> &'static str {
        match self {
            GroupBy::None => "None",
            GroupBy::Story => "Story",
            GroupBy::Priority => "Priority",
            GroupBy::Owner => "Owner",
            GroupBy::Kind => "Type",
        }
    }

    fn facet(self) -> Option<Facet> {
        match self {
            GroupBy::None => None,
            GroupBy::Story => Some(Facet::Story),
            GroupBy::Priority => Some(Facet::Priority),
            GroupBy::Owner => Some(Facet::Owner),
            GroupBy::Kind => Some(Facet::Kind),
        }
    }

    /// The lane a card goes in: its value, `None` for the lane of cards without one.
    pub fn lane_of(self, card: &Card) -> Option<String> {
        self.facet()
            .and_then(|f| f.word(card).flatten())
            .map(str::to_owned)
    }

    /// A lane's heading: "Story: Login", "No story".
    pub fn lane_title(self, name: Option<&str>) -> String {
        let what = self.title().to_ascii_lowercase();
        match name {
            Some(name) => format!("{}: {name}", self.title()),
            None if self == GroupBy::None => "All cards".to_owned(),
            None => format!("No {what}"),
        }
    }
}

/// A swimlane: the cards of one value of the grouping, per column.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Lane {
    /// The value its cards share; `None` for the cards without one.
    pub name: Option<String>,
    pub columns: [Vec<EntryIndex>; 5],
}

impl Lane {
    /// How many cards it shows in all.
    pub fn len(&self) -> usize {
        self.columns.iter().map(Vec::len).sum()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// The columns split into lanes by `group`, each column keeping its order. Lanes come in the
/// order of their values (priorities by rank, the others by name, numbers in them by value),
/// the lane of cards without a value last. With `GroupBy::None`, one lane of every card.
pub fn lanes(board: &Board, columns: [Vec<EntryIndex>; 5], group: GroupBy) -> Vec<Lane> {
    if group == GroupBy::None {
        return vec![Lane {
            name: None,
            columns,
        }];
    }
    let mut lanes: Vec<Lane> = Vec::new();
    for (stage, entries) in columns.into_iter().enumerate() {
        for entry in entries {
            let name = board.card(entry).and_then(|c| group.lane_of(c));
            // Values that differ only in ASCII case are one lane, as they are one filter value.
            let same = |l: &Lane| match (&l.name, &name) {
                (Some(a), Some(b)) => a.eq_ignore_ascii_case(b),
                (a, b) => a == b,
            };
            let at = match lanes.iter().position(same) {
                Some(at) => at,
                None => {
                    lanes.push(Lane {
                        name,
                        columns: Default::default(),
                    });
                    lanes.len() - 1
                }
            };
            lanes[at].columns[stage].push(entry);
        }
    }
    order(&mut lanes, |lane| match lane.name.as_deref() {
        None => (u8::MAX, 0, ""),
        Some(name) if group == GroupBy::Priority => (priority_rank(Some(name)), 0, name),
        Some(name) => (0, 0, name),
    });
    lanes
}

/// How the cards of a column are ordered.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum SortBy {
    /// The order of the file.
    #[default]
    File,
    /// Most urgent first (critical, high, medium, low), then the file's order.
    Priority,
    /// By id, numbers by value: REQ-2 before REQ-10.
    Id,
    /// Longest in its stage first; cards whose history does not say last.
    TimeInStage,
    /// Most recently moved first; cards never moved last.
    LastMoved,
}

impl SortBy {
    pub const ALL: [SortBy; 5] = [
        SortBy::File,
        SortBy::Priority,
        SortBy::Id,
        SortBy::TimeInStage,
        SortBy::LastMoved,
    ];

    pub fn key(self) -> &'static str {
        match self {
            SortBy::File => "file",
            SortBy::Priority => "priority",
            SortBy::Id => "id",
            SortBy::TimeInStage => "time_in_stage",
            SortBy::LastMoved => "last_moved",
        }
    }

    pub fn parse(key: &str) -> Option<SortBy> {
        SortBy::ALL.into_iter().find(|s| s.key() == key)
    }

    pub fn title(self) -> &'static str {
        match self {
            SortBy::File => "File order",
            SortBy::Priority => "Priority",
            SortBy::Id => "Id",
            SortBy::TimeInStage => "Time in stage",
            SortBy::LastMoved => "Last moved",
        }
    }
}

/// Where a card stands in a column sorted by `by`: a rank, a number and a text, compared in
/// that order (`order`). `moved` takes the card as just moved, the newest in its stage and
/// the most recently moved, for `lands_at`.
fn sort_key(card: Option<&Card>, by: SortBy, moved: bool) -> (u8, i64, &str) {
    // A time the history does not give sorts after every known one.
    let time = |at: Option<&str>, sign: i64| match at.and_then(parse_time) {
        Some(t) => (0, sign * t, ""),
        None => (1, 0, ""),
    };
    let Some(card) = card else {
        return (u8::MAX, 0, "");
    };
    match by {
        SortBy::File => (0, 0, ""),
        SortBy::Priority => (priority_rank(card.priority.as_deref()), 0, ""),
        SortBy::Id => (0, 0, card.id.as_str()),
        SortBy::TimeInStage if moved => (0, i64::MAX, ""),
        SortBy::TimeInStage => time(card.stage_since(), 1),
        SortBy::LastMoved if moved => (0, i64::MIN, ""),
        SortBy::LastMoved => time(card.last_move.as_ref().map(|(_, at)| at.as_str()), -1),
    }
}

/// Orders a column's entries by `by`; ties keep the file's order.
pub fn sort(board: &Board, column: &mut Vec<EntryIndex>, by: SortBy) {
    if by == SortBy::File {
        return;
    }
    let mut keyed: Vec<(EntryIndex, (u8, i64, &str))> = column
        .iter()
        .map(|&entry| (entry, sort_key(board.card(entry), by, false)))
        .collect();
    order(&mut keyed, |k| k.1);
    *column = keyed.into_iter().map(|k| k.0).collect();
}

/// Orders `items` by a key of a rank, then a number, then a text read the way people read it
/// (`natural`); ties keep their order. Every order of this module goes through it.
fn order<T: Clone>(items: &mut Vec<T>, key: impl for<'b> Fn(&'b T) -> (u8, i64, &'b str)) {
    let keys: Vec<(u8, i64, &str)> = items.iter().map(key).collect();
    let sorted = merge_sort(keys.len(), &|a, b| compare_keys(keys[a], keys[b]));
    let ordered: Vec<T> = sorted.iter().map(|&i| items[i].clone()).collect();
    *items = ordered;
}

/// A rank, then a number, then a text read the way people read it.
fn compare_keys(x: (u8, i64, &str), y: (u8, i64, &str)) -> Ordering {
    x.0.cmp(&y.0)
        .then(x.1.cmp(&y.1))
        .then_with(|| natural(x.2, y.2))
}

/// The indices `0..n` in the order `compare` gives them, ties in their first order: a
/// bottom-up merge sort. Written here, over indices and a `dyn` comparison, so the page
/// carries one small sort instead of the standard library's, 3 to 5 KB per element type
/// and comparison (`tests/tidy.rs`).
fn merge_sort(n: usize, compare: &dyn Fn(usize, usize) -> Ordering) -> Vec<usize> {
    let mut from: Vec<usize> = (0..n).collect();
    let mut to = vec![0; n];
    let mut width = 1;
    while width < n {
        let mut start = 0;
        while start < n {
            let mid = (start + width).min(n);
            let end = (start + 2 * width).min(n);
            let (mut i, mut j, mut k) = (start, mid, start);
            while i < mid && j < end {
                // `<=` on the left keeps ties in their order.
                if compare(from[j], from[i]) == Ordering::Less {
                    to[k] = from[j];
                    j += 1;
                } else {
                    to[k] = from[i];
                    i += 1;
                }
                k += 1;
            }
            to[k..k + (mid - i)].copy_from_slice(&from[i..mid]);
            k += mid - i;
            to[k..k + (end - j)].copy_from_slice(&from[j..end]);
            start = end;
        }
        std::mem::swap(&mut from, &mut to);
        width *= 2;
    }
    from
}

/// Where `entry` lands in a column sorted by `by` when it moves there: the index in `column`
/// it goes before (`column.len()`: at the end). A moved card is the most recently moved
/// and the newest in its stage, so it goes first by last move and after every card with a
/// known time by time in stage; ties go by the file's order, as `sort` leaves them.
pub fn lands_at(board: &Board, column: &[EntryIndex], entry: EntryIndex, by: SortBy) -> usize {
    let moved = sort_key(board.card(entry), by, true);
    column
        .iter()
        .position(|&c| {
            compare_keys(sort_key(board.card(c), by, false), moved)
                .then(c.cmp(&entry))
                .is_gt()
        })
        .unwrap_or(column.len())
}

/// How urgent a priority word is, 0 most: the words of MoSCoW, P0–P4 and the common scales.
/// Words the table does not know come after those it knows, and no priority after all.
pub fn priority_rank(word: Option<&str>) -> u8 {
    let Some(word) = word else { return 9 };
    match normalize_word(word).as_str() {
        "critical" | "blocker" | "highest" | "urgent" | "p0" | "must" | "must_have" => 0,
        "high" | "major" | "p1" | "should" | "should_have" => 1,
        "medium" | "normal" | "moderate" | "p2" | "could" | "could_have" => 2,
        "low" | "minor" | "p3" | "wont" | "won't" | "won't_have" | "wont_have" => 3,
        "lowest" | "trivial" | "p4" => 4,
        _ => 8,
    }
}

/// Compares texts the way people read them: runs of digits by their value (`REQ-2` before
/// `REQ-10`), the rest without regard to ASCII case.
pub fn natural(a: &str, b: &str) -> Ordering {
    let (mut a, mut b) = (a.as_bytes(), b.as_bytes());
    loop {
        match (a.first(), b.first()) {
            (None, None) => return Ordering::Equal,
            (None, Some(_)) => return Ordering::Less,
            (Some(_), None) => return Ordering::Greater,
            (Some(x), Some(y)) if x.is_ascii_digit() && y.is_ascii_digit() => {
                let run = |s: &[u8]| s.iter().take_while(|c| c.is_ascii_digit()).count();
                let (na, nb) = (run(a), run(b));
                let strip = |s: &[u8]| {
                    let zeros = s.iter().take_while(|c| **c == b'0').count();
                    s[zeros..].to_vec()
                };
                let (da, db) = (strip(&a[..na]), strip(&b[..nb]));
                let order = da.len().cmp(&db.len()).then_with(|| da.cmp(&db));
                if order != Ordering::Equal {
                    return order;
                }
                a = &a[na..];
                b = &b[nb..];
            }
            (Some(x), Some(y)) => {
                let order = x.to_ascii_lowercase().cmp(&y.to_ascii_lowercase());
                if order != Ordering::Equal {
                    return order;
                }
                a = &a[1..];
                b = &b[1..];
            }
        }
    }
}

/// How a person laid the board out: kept with the board (`SavedBoard::layout`), not in the
/// file, unless they choose to write the limits there.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Layout {
    /// Each column's work in progress limit, Backlog first; `None` for no limit.
    pub wip_limits: [Option<u32>; 5],
    pub sort: SortBy,
    pub group: GroupBy,
}

impl Layout {
    /// Reads a saved layout leniently: what is missing, or not what this version writes (a sort
    /// a later version added, a limit of 0), is the default, so a layout never keeps a saved
    /// board from opening. Read by hand from the JSON value rather than derived, which keeps a
    /// deserializer per field out of the page.
    pub fn from_value(value: &serde_json::Value) -> Layout {
        let limits = value
            .get("wip_limits")
            .and_then(serde_json::Value::as_array);
        let word = |key: &str| value.get(key).and_then(serde_json::Value::as_str);
        Layout {
            wip_limits: std::array::from_fn(|i| {
                limits
                    .and_then(|l| l.get(i))
                    .and_then(serde_json::Value::as_u64)
                    .and_then(|n| u32::try_from(n).ok())
                    .filter(|n| *n >= 1)
            }),
            sort: word("sort").and_then(SortBy::parse).unwrap_or_default(),
            group: word("group").and_then(GroupBy::parse).unwrap_or_default(),
        }
    }
}

impl Layout {
    /// The layout as JSON, as `SavedBoard::layout` keeps it: `{"wip_limits": [null, null, 5,
    /// null, null], "sort": "id", "group": "story"}`. Written by hand like `from_value` reads
    /// it, which keeps serde's derived code for it out of the page.
    pub fn to_json(&self) -> String {
        let limits: Vec<String> = self
            .wip_limits
            .iter()
            .map(|l| l.map_or_else(|| "null".to_owned(), |n| n.to_string()))
            .collect();
        format!(
            r#"{{"wip_limits":[{}],"sort":"{}","group":"{}"}}"#,
            limits.join(","),
            self.sort.key(),
            self.group.key()
        )
    }

    /// Reads `to_json`'s text; anything else is the default layout.
    pub fn from_json(text: &str) -> Layout {
        serde_json::from_str::<serde_json::Value>(text)
            .map(|v| Layout::from_value(&v))
            .unwrap_or_default()
    }
}

/// A column's count against its limit, as a header says it to everyone: "Red: 7 of 5, over
/// the limit", "Red: 3 of 5", or "Red: 3 cards" with no limit.
pub fn limit_text(stage: Stage, count: usize, limit: Option<u32>) -> String {
    match limit {
        Some(limit) if count > limit as usize => {
            format!("{stage}: {count} of {limit}, over the limit")
        }
        Some(limit) => format!("{stage}: {count} of {limit}"),
        None => format!("{stage}: {count} card{}", if count == 1 { "" } else { "s" }),
    }
}

#[cfg(test)]
mod tests;
