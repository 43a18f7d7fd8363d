//! Which cards each column shows: the board's cards grouped by stage, in file order, after the
//! person's filters (deprecated shown or hidden, search text, whose turn).
//!
//! The shell recomputes the columns after every change and renders the lists it gets; keeping
//! the rule here lets it be tested natively, without a browser. Like `Card::matches`, it takes
//! the lower-casing from the caller, because the core carries no Unicode case tables.

use crate::board::{Board, EntryIndex};
use crate::requirement::Card;
use crate::team::Team;

/// What the person chose to see. `Default` shows every card that is not deprecated.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CardFilter {
    /// Show deprecated requirements too.
    pub with_deprecated: bool,
    /// Show only the cards whose id, text, tests or code contain this text. It must already
    /// be lower-cased (with the same `lower` given to `columns`) and trimmed; empty shows all.
    pub search: String,
    /// Show only the cards where it is this agent's turn (`Team::turn`).
    pub turn: Option<String>,
    /// Show only the entries marked here (a kind of finding of the health panel).
    pub only: Option<Vec<bool>>,
}

impl CardFilter {
    /// Whether a card passes the filter; `lower` lower-cases the card's text for the search.
    pub fn shows(&self, card: &Card, team: &Team, lower: impl Fn(&str) -> String) -> bool {
        if card.deprecated && !self.with_deprecated {
            return false;
        }
        if let Some(agent) = &self.turn
            && team.turn(card.stage) != Some(agent.as_str())
        {
            return false;
        }
        // The search is the costly test, so it runs last.
        self.search.is_empty() || card.matches(&self.search, lower)
    }
}

/// The entries each column shows, Backlog first, each list in file order.
pub fn columns(
    board: &Board,
    team: &Team,
    filter: &CardFilter,
    lower: impl Fn(&str) -> String,
) -> [Vec<EntryIndex>; 5] {
    let mut columns: [Vec<EntryIndex>; 5] = Default::default();
    for (entry, card) in board.cards() {
        if filter
            .only
            .as_ref()
            .is_some_and(|only| !only.get(entry).copied().unwrap_or(false))
        {
            continue;
        }
        if filter.shows(card, team, &lower) {
            columns[card.stage.index()].push(entry);
        }
    }
    columns
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::team::read_agent_files;

    /// Cards in every column, in an order that is not the column order, and a deprecated one.
    const FILE: &str = r#"[
        {"id": "R-0", "ears": "Login with SSO", "tdd_stage": "green", "tests": ["t/sso.py"], "code": ["src/sso.py"]},
        {"id": "R-1", "ears": "Logout", "tdd_stage": "backlog"},
        {"id": "R-2", "ears": "Passwords are HASHED", "tdd_stage": "red", "tests": ["t/hash.py"], "code": ["c"]},
        {"id": "R-3", "ears": "Rate limit", "status": "deprecated", "tdd_stage": "backlog"},
        {"id": "R-4", "ears": "Audit log", "tdd_stage": "test_written", "tests": ["t/Audit_Login.py"]},
        {"id": "R-5", "ears": "Café opens", "tdd_stage": "reviewed", "tests": ["t"], "code": ["c"]},
        {"id": "R-6", "ears": "Session expiry", "tdd_stage": "backlog"},
        "not a requirement"
    ]"#;

    fn team() -> Team {
        let file = |name: &str, text: &str| (name.to_owned(), text.as_bytes().to_vec());
        let (members, _) = read_agent_files(&[
            file(
                "qa.md",
                "---\nname: qa\ndescription: Writes failing tests first\n---\n",
            ),
            file(
                "dev.md",
                "---\nname: dev\ndescription: Implements the code\n---\n",
            ),
        ]);
        let mut team = Team::default();
        team.add(members);
        team
    }

    fn filter(with_deprecated: bool, search: &str, turn: Option<&str>) -> CardFilter {
        CardFilter {
            with_deprecated,
            search: search.to_owned(),
            turn: turn.map(str::to_owned),
            only: None,
        }
    }

    #[test]
    fn groups_by_stage_in_file_order_after_the_filters() {
        let (board, _) = Board::import("m.json", FILE.as_bytes()).unwrap();
        let team = team();
        let none: [&[EntryIndex]; 5] = [&[1, 6], &[4], &[2], &[0], &[5]];
        // (filter, the entries of each column, Backlog first).
        let table: [(CardFilter, [&[EntryIndex]; 5]); 10] = [
            (CardFilter::default(), none),
            (filter(true, "", None), [&[1, 3, 6], &[4], &[2], &[0], &[5]]),
            // Search looks at id, text and paths, in any case the lower-casing handles.
            (filter(false, "login", None), [&[], &[4], &[], &[0], &[]]),
            (filter(false, "hashed", None), [&[], &[], &[2], &[], &[]]),
            (filter(false, "café", None), [&[], &[], &[], &[], &[5]]),
            (filter(false, "r-6", None), [&[6], &[], &[], &[], &[]]),
            (filter(false, "rate", None), [&[]; 5]),
            (filter(true, "rate", None), [&[3], &[], &[], &[], &[]]),
            // Whose turn: qa owns Test written and Red, so Backlog and Test written cards are
            // qa's turn; dev owns Green, so Red cards are dev's.
            (
                filter(false, "", Some("qa")),
                [&[1, 6], &[4], &[], &[], &[]],
            ),
            (
                filter(false, "log", Some("qa")),
                [&[1], &[4], &[], &[], &[]],
            ),
        ];
        for (filter, expected) in table {
            let got = columns(&board, &team, &filter, str::to_lowercase);
            let expected: Vec<Vec<EntryIndex>> = expected.iter().map(|c| c.to_vec()).collect();
            assert_eq!(got.to_vec(), expected, "{filter:?}");
        }
    }

    #[test]
    fn a_turn_filter_for_an_agent_with_no_turn_shows_nothing() {
        let (board, _) = Board::import("m.json", FILE.as_bytes()).unwrap();
        let team = team();
        for agent in ["dev", "ghost"] {
            let got = columns(
                &board,
                &team,
                &filter(true, "", Some(agent)),
                str::to_lowercase,
            );
            let total: usize = got.iter().map(Vec::len).sum();
            let expected = if agent == "dev" { 1 } else { 0 };
            assert_eq!(total, expected, "{agent}");
        }
        // Without a team nobody has a turn.
        let got = columns(
            &board,
            &Team::default(),
            &filter(false, "", Some("qa")),
            str::to_lowercase,
        );
        assert!(got.iter().all(Vec::is_empty));
    }

    #[test]
    fn the_search_uses_the_lower_casing_it_is_given() {
        let (board, _) = Board::import("m.json", FILE.as_bytes()).unwrap();
        let got = columns(
            &board,
            &Team::default(),
            &filter(false, "hashed", None),
            str::to_owned,
        );
        assert!(got.iter().all(Vec::is_empty), "no lower-casing, no match");
    }
}
