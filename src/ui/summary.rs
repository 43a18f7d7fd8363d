//! The board's header: a one-line summary ("42 requirements · 9 reviewed · 3 with gaps") and
//! a thin bar whose segments are the share of each stage.
//!
//! It counts the whole board, not what search or "Whose turn" leave in the columns, and
//! leaves deprecated requirements out of every count but their own, as the columns do by
//! default. One pass over the cards per board change (`AppState::revision`) feeds a memo, so
//! the text and the bar change only when a count does; there is no signal per card.

use leptos::prelude::*;

use crate::ui::state::AppState;
use traceboard_core::stage::Stage;

/// What the header shows, counted in one pass over the board's cards.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
struct Tally {
    /// Cards per stage, in `Stage::ALL` order, deprecated ones left out.
    stages: [u32; 5],
    /// Cards that lack what their stage needs (`Card::gaps`).
    gaps: u32,
    deprecated: u32,
}

impl Tally {
    fn total(&self) -> u32 {
        self.stages.iter().sum()
    }

    /// "42 requirements · 9 reviewed · 3 with gaps", with the deprecated ones when any.
    fn line(&self) -> String {
        let total = self.total();
        let mut line = format!(
            "{total} requirement{} · {} reviewed · {} with gaps",
            if total == 1 { "" } else { "s" },
            self.stages[Stage::Reviewed.index()],
            self.gaps
        );
        if self.deprecated > 0 {
            line += &format!(" · {} deprecated", self.deprecated);
        }
        line
    }

    /// The bar's columns, each stage's count as its fraction of the width.
    fn shares(&self) -> String {
        let shares: Vec<String> = self.stages.iter().map(|n| format!("{n}fr")).collect();
        shares.join(" ")
    }

    /// The bar's text equivalent: every stage and its count.
    fn label(&self) -> String {
        let counts: Vec<String> = Stage::ALL
            .iter()
            .map(|s| format!("{} {}", s.title(), self.stages[s.index()]))
            .collect();
        format!("Cards by stage: {}", counts.join(", "))
    }
}

#[component]
pub fn BoardSummary() -> impl IntoView {
    let state = expect_context::<AppState>();
    let tally = move || {
        state.revision.track();
        state.with_board(|board| {
            let mut tally = Tally::default();
            for (_, card) in board.into_iter().flat_map(|b| b.cards()) {
                if card.deprecated {
                    tally.deprecated += 1;
                } else {
                    tally.stages[card.stage.index()] += 1;
                    tally.gaps += u32::from(!card.gaps().is_empty());
                }
            }
            tally
        })
    };
    // One pass over the cards per board change; the line and the bar are drawn from it.
    move || {
        let tally = tally();
        view! {
            <div class="board-summary">
                <p class="summary-line">{tally.line()}</p>
                // One column per stage, as wide as its share: "20fr 5fr 3fr 5fr 9fr".
                <div
                    class="stage-bar"
                    role="img"
                    aria-label=tally.label()
                    style:grid-template-columns=tally.shares()
                >
                    {Stage::ALL.map(|stage| view! { <span data-stage=stage.key()></span> })}
                </div>
            </div>
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Tally;

    #[test]
    fn the_line_counts_requirements_reviewed_gaps_and_deprecated() {
        let cases = [
            (
                Tally::default(),
                "0 requirements · 0 reviewed · 0 with gaps",
            ),
            (
                Tally {
                    stages: [1, 0, 0, 0, 0],
                    gaps: 0,
                    deprecated: 0,
                },
                "1 requirement · 0 reviewed · 0 with gaps",
            ),
            (
                Tally {
                    stages: [20, 5, 3, 5, 9],
                    gaps: 3,
                    deprecated: 2,
                },
                "42 requirements · 9 reviewed · 3 with gaps · 2 deprecated",
            ),
        ];
        for (tally, line) in cases {
            assert_eq!(tally.line(), line);
        }
    }

    #[test]
    fn the_bar_names_every_stage_and_sizes_it_by_its_count() {
        let tally = Tally {
            stages: [4, 3, 2, 1, 0],
            gaps: 0,
            deprecated: 0,
        };
        assert_eq!(
            tally.label(),
            "Cards by stage: Backlog 4, Test written 3, Red 2, Green 1, Reviewed 0"
        );
        assert_eq!(tally.shares(), "4fr 3fr 2fr 1fr 0fr");
    }
}
