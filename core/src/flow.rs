//! Flow charts' data (issue 15): the cumulative flow diagram, cycle times and aging work in
//! progress, read from every requirement's `tdd_history`.
//!
//! It owns reading the history's times and stages into days and the three charts' numbers;
//! it does not draw (the shell's `ui::flow` does) and never writes: the charts are a view of
//! the file. Every function takes `today` as a day number from the caller's clock, so the
//! same board always gives the same charts in tests.
//!
//! Days are whole UTC days since 1970-01-01. Times are converted by hand
//! (`days_from_civil`, `civil_from_days`, Howard Hinnant's algorithms) rather than with a
//! date crate: the page has a size budget, and the charts need only days, not time zones or
//! calendars. The shipped code links no sort routine (see ARCHITECTURE.md), so a card's steps
//! are put in time order by insertion (histories are appended in order, so this is linear in
//! practice) and cycle times by a small Shell sort for the percentiles.

use serde_json::Value;

use crate::board::{Board, EntryIndex, HistorySource};
use crate::stage::Stage;

/// The longest span the cumulative flow diagram covers, in days (about ten years): a step
/// dated far from the others cannot make the chart allocate without bound.
pub const MAX_DAYS: i64 = 3_660;

/// One readable step of a card's history.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Step {
    /// Seconds since 1970-01-01 UTC, to order steps within a day.
    pub at: i64,
    pub day: i64,
    pub from: Stage,
    pub to: Stage,
}

/// One card's readable history, its steps in time order (equal times keep file order).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Track {
    pub entry: EntryIndex,
    pub id: String,
    /// The stage the card is in now (its `tdd_stage`, or the one the board inferred).
    pub stage: Stage,
    pub steps: Vec<Step>,
}

/// Every non-deprecated card's history, and how many steps could not be read.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Histories {
    pub tracks: Vec<Track>,
    /// Steps whose time or stage could not be read: left out of every chart, and counted so
    /// the view can say so.
    pub unreadable: usize,
    /// Steps read.
    pub steps: usize,
}

/// The cumulative flow diagram: for each day from `first` on, how many cards are in each
/// stage (in `Stage::ALL` order) at the end of that day.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Cumulative {
    pub first: i64,
    pub counts: Vec<[u32; 5]>,
}

/// One requirement's cycle time.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Cycle {
    pub entry: EntryIndex,
    pub id: String,
    /// The day it first left Backlog.
    pub started: i64,
    /// The day it first reached Reviewed.
    pub reviewed: i64,
    /// Whole days, counting both the first and the last: `reviewed - started + 1`.
    pub days: u32,
}

/// The cycle times and their 50th and 85th percentiles (nearest rank).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CycleTimes {
    pub cycles: Vec<Cycle>,
    pub p50: Option<u32>,
    pub p85: Option<u32>,
}

/// A card in Test written, Red or Green, and how long it has been in that stage.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Aging {
    pub entry: EntryIndex,
    pub id: String,
    pub stage: Stage,
    /// The day it last entered its stage, and its age there in days counting that day and
    /// today; `None` when no step of its history enters the stage it is in.
    pub since: Option<(i64, u32)>,
}

/// The three charts' data for one board.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Flow {
    pub cumulative: Cumulative,
    pub cycles: CycleTimes,
    pub aging: Vec<Aging>,
    pub unreadable: usize,
    pub steps: usize,
}

/// Reads the board's histories and computes all three charts.
pub fn flow(board: &Board, today: i64) -> Flow {
    let histories = read(board);
    Flow {
        cumulative: cumulative(&histories, today),
        cycles: cycle_times(&histories),
        aging: aging(&histories, today),
        unreadable: histories.unreadable,
        steps: histories.steps,
    }
}

/// Every non-deprecated card's readable steps, in time order. Deprecated cards are left out
/// of every chart: they are no longer work.
pub fn read(board: &Board) -> Histories {
    let mut out = Histories::default();
    for (entry, card) in board.cards() {
        if card.deprecated {
            continue;
        }
        let mut steps = Vec::new();
        // A step's words as written: strings only (a number is no stage and no time).
        let list = match board.history_source(entry) {
            Some(HistorySource::Edited(value)) => value.get("tdd_history").cloned(),
            Some(HistorySource::Text(text)) => serde_json::from_str::<OnlyHistory>(text)
                .ok()
                .map(|o| o.tdd_history),
            None => None,
        };
        // Like `board::history`: anything in the list that is not an object is no step.
        if let Some(Value::Array(list)) = list {
            for step in list.iter().filter_map(Value::as_object) {
                let word = |key: &str| step.get(key).and_then(Value::as_str).unwrap_or("");
                read_step(
                    &mut steps,
                    &mut out.unreadable,
                    word("from"),
                    word("to"),
                    word("at"),
                );
            }
        }
        out.steps += steps.len();
        in_time_order(&mut steps);
        out.tracks.push(Track {
            entry,
            id: card.id.to_string(),
            stage: card.stage,
            steps,
        });
    }
    out
}

/// One step read from its words, or counted as unreadable.
fn read_step(steps: &mut Vec<Step>, unreadable: &mut usize, from: &str, to: &str, at: &str) {
    match (parse_time(at), stage(from), stage(to)) {
        (Some(at), Some(from), Some(to)) => steps.push(Step {
            at,
            day: at.div_euclid(86_400),
            from,
            to,
        }),
        _ => *unreadable += 1,
    }
}

/// A stage word: the board's own spelling at once, any other through `Stage::parse`.
fn stage(word: &str) -> Option<Stage> {
    match word {
        "backlog" => Some(Stage::Backlog),
        "test_written" => Some(Stage::TestWritten),
        "red" => Some(Stage::Red),
        "green" => Some(Stage::Green),
        "reviewed" => Some(Stage::Reviewed),
        _ => Stage::parse(word),
    }
}

/// A requirement's text read for its `tdd_history` only: serde skips the other keys without
/// building them (reading whole objects with `Board::value` took most of the flow view's time on
/// a large board). The steps are read as JSON values: a reading that borrowed the words
/// from the text was about twice as fast, but cost the page 1.5 KB, and this one already draws
/// a board of 50,000 steps in about 100 ms (bench/results-flow.md).
#[derive(serde::Deserialize)]
struct OnlyHistory {
    #[serde(default)]
    tdd_history: Value,
}

/// Orders steps by time, keeping file order among equal times (a stable insertion sort:
/// linear on histories already in order, as appended ones are).
fn in_time_order(steps: &mut [Step]) {
    for i in 1..steps.len() {
        let mut j = i;
        while j > 0 && steps[j - 1].at > steps[j].at {
            steps.swap(j - 1, j);
            j -= 1;
        }
    }
}

/// The cumulative flow diagram, from the first day of any readable step to `today` (or to
/// the last step's day when that is later), at most `MAX_DAYS` days ending there.
///
/// Each card counts in exactly one stage every day, the one it is in at the end of that day,
/// so a backward move (Green → Red) lowers the later band, as ActionableAgile draws it. Before
/// its first step a card counts in that step's `from` stage; a card with no readable history
/// counts in its current stage every day (the file does not say when it arrived, and leaving
/// it out would make the bands disagree with the board). Steps before the first day shown
/// set where a card starts. With no readable step at all there is no chart (`counts` empty).
///
/// The work is one pass over the steps into per-day changes, then one running sum:
/// O(steps + days × 5).
pub fn cumulative(histories: &Histories, today: i64) -> Cumulative {
    let days = histories
        .tracks
        .iter()
        .flat_map(|t| t.steps.iter().map(|s| s.day));
    let (Some(earliest), Some(latest)) = (days.clone().min(), days.max()) else {
        return Cumulative::default();
    };
    let last = latest.max(today);
    let first = earliest.max(last - (MAX_DAYS - 1));
    let len = (last - first + 1) as usize;
    let mut changes = vec![[0i64; 5]; len];
    for track in &histories.tracks {
        let mut current = track.steps.first().map_or(track.stage, |s| s.from);
        changes[0][current.index()] += 1;
        for step in &track.steps {
            let at = (step.day - first).clamp(0, len as i64 - 1) as usize;
            changes[at][current.index()] -= 1;
            changes[at][step.to.index()] += 1;
            current = step.to;
        }
    }
    let mut running = [0i64; 5];
    let counts = changes
        .iter()
        .map(|change| {
            let mut row = [0u32; 5];
            for (i, c) in change.iter().enumerate() {
                running[i] += c;
                row[i] = running[i].max(0) as u32;
            }
            row
        })
        .collect();
    Cumulative { first, counts }
}

/// The cycle time of every card that reached Reviewed: from the first day it left Backlog
/// (its first step to any other stage) to the first day it reached Reviewed, counting both
/// days as ActionableAgile does (reviewed the day it started: 1 day). A card reviewed again
/// after a regression keeps its first review. Percentiles by nearest rank: the p-th is the
/// value at rank ⌈p × n / 100⌉ of the times in increasing order.
pub fn cycle_times(histories: &Histories) -> CycleTimes {
    let mut out = CycleTimes::default();
    let mut times = Vec::new();
    for track in &histories.tracks {
        let Some(start) = track.steps.iter().position(|s| s.to != Stage::Backlog) else {
            continue;
        };
        let Some(end) = track.steps[start..]
            .iter()
            .find(|s| s.to == Stage::Reviewed)
        else {
            continue;
        };
        let started = track.steps[start].day;
        let days = u32::try_from(end.day - started + 1).unwrap_or(u32::MAX);
        times.push(days);
        out.cycles.push(Cycle {
            entry: track.entry,
            id: track.id.clone(),
            started,
            reviewed: end.day,
            days,
        });
    }
    in_order(&mut times);
    out.p50 = percentile(&times, 50);
    out.p85 = percentile(&times, 85);
    out
}

/// The nearest-rank `p`-th percentile of values in increasing order: the value at rank
/// ⌈p × n / 100⌉.
fn percentile(ordered: &[u32], p: usize) -> Option<u32> {
    let rank = (p * ordered.len()).div_ceil(100).max(1);
    ordered.get(rank - 1).copied()
}

/// Puts values in increasing order (Shell sort with Ciura's gaps: a few lines, no sort
/// routine linked, and quick enough for the tens of thousands of cycle times of a large board).
fn in_order(values: &mut [u32]) {
    let mut gaps = vec![1usize, 4, 10, 23, 57, 132, 301, 701];
    while let Some(&last) = gaps.last()
        && last * 9 / 4 < values.len()
    {
        gaps.push(last * 9 / 4);
    }
    for &gap in gaps.iter().rev() {
        for i in gap..values.len() {
            let v = values[i];
            let mut j = i;
            while j >= gap && values[j - gap] > v {
                values[j] = values[j - gap];
                j -= gap;
            }
            values[j] = v;
        }
    }
}

/// Every card now in Test written, Red or Green, in board order, with the day it last
/// entered that stage and its age there counting that day and today (entered today: 1 day).
pub fn aging(histories: &Histories, today: i64) -> Vec<Aging> {
    histories
        .tracks
        .iter()
        .filter(|t| matches!(t.stage, Stage::TestWritten | Stage::Red | Stage::Green))
        .map(|t| Aging {
            entry: t.entry,
            id: t.id.clone(),
            stage: t.stage,
            since: t.steps.iter().rev().find(|s| s.to == t.stage).map(|s| {
                let age = u32::try_from(today - s.day + 1).unwrap_or(0).max(1);
                (s.day, age)
            }),
        })
        .collect()
}

/// Seconds since 1970-01-01 UTC of an ISO 8601 time: `2026-03-01T10:00:00Z`, with an offset
/// (`+02:00`, `-0500`), fractional seconds, no seconds, a space for the `T`, or a bare date
/// (midnight UTC). A time without a zone is read as UTC. `None` for anything else.
pub fn parse_time(text: &str) -> Option<i64> {
    let b = text.trim().as_bytes();
    let num = |range: std::ops::Range<usize>| -> Option<i64> {
        let digits = b.get(range)?;
        let mut n = 0i64;
        for &d in digits {
            if !d.is_ascii_digit() {
                return None;
            }
            n = n * 10 + i64::from(d - b'0');
        }
        Some(n)
    };
    let (year, month, day) = (num(0..4)?, num(5..7)?, num(8..10)?);
    if b.get(4) != Some(&b'-') || b.get(7) != Some(&b'-') || !(1..=12).contains(&month) {
        return None;
    }
    if !(1..=days_in_month(year, month)).contains(&day) {
        return None;
    }
    let date = days_from_civil(year, month, day) * 86_400;
    let rest = &b[10..];
    if rest.is_empty() {
        return Some(date);
    }
    if !matches!(rest[0], b'T' | b't' | b' ') {
        return None;
    }
    let (hour, minute) = (num(11..13)?, num(14..16)?);
    if b.get(13) != Some(&b':') || hour > 23 || minute > 59 {
        return None;
    }
    let mut at = 16;
    let mut second = 0;
    if b.get(at) == Some(&b':') {
        second = num(17..19)?;
        if second > 60 {
            return None;
        }
        at = 19;
        if matches!(b.get(at), Some(b'.' | b',')) {
            at += 1;
            let digits = b[at..].iter().take_while(|d| d.is_ascii_digit()).count();
            if digits == 0 {
                return None;
            }
            at += digits;
        }
    }
    let offset = match &b[at..] {
        [] | [b'Z' | b'z'] => 0,
        [sign @ (b'+' | b'-'), zone @ ..] => {
            let (h, m) = match zone {
                [h1, h2, b':', m1, m2] | [h1, h2, m1, m2] => (two(*h1, *h2)?, two(*m1, *m2)?),
                [h1, h2] => (two(*h1, *h2)?, 0),
                _ => return None,
            };
            if h > 23 || m > 59 {
                return None;
            }
            let minutes = h * 60 + m;
            if *sign == b'+' { minutes } else { -minutes }
        }
        _ => return None,
    };
    Some(date + hour * 3_600 + minute * 60 + second - offset * 60)
}

/// A two-digit number.
fn two(a: u8, b: u8) -> Option<i64> {
    (a.is_ascii_digit() && b.is_ascii_digit()).then(|| i64::from((a - b'0') * 10 + (b - b'0')))
}

fn days_in_month(year: i64, month: i64) -> i64 {
    match month {
        2 if year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 1970-01-01 of a date in the proleptic Gregorian calendar (Howard Hinnant's
/// `days_from_civil`).
pub fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The date of a day number (Howard Hinnant's `civil_from_days`): year, month, day.
pub fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

/// A day number as an ISO date, `2026-03-05`.
pub fn iso_date(days: i64) -> String {
    let (y, m, d) = civil_from_days(days);
    format!("{y:04}-{m:02}-{d:02}")
}

#[cfg(test)]
mod tests;
