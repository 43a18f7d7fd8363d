//! What autosave keeps of a workspace, and how a workspace comes back from it.
//!
//! It keeps the inputs of the board, not the board: the exported matrix text (which holds
//! every move), its file name, and the raw agent files with the stage owners (including the
//! stages where a person chose nobody). Restoring reads them again through the same importers
//! a person uses, so a saved board can never disagree with what a fresh import of the same
//! text shows. `SavedBoard` is a storage format, so it is the one type here that derives
//! `Serialize`; where the bytes go (IndexedDB, localStorage) is the shell's `storage`
//! module's business, not this one's.

use serde::{Deserialize, Serialize};

use crate::board::Board;
use crate::columns::Layout;
use crate::fields::Fields;
use crate::team::{Owner, Team, read_agent_files};
use crate::workspace::Workspace;

/// An agent definition file as the user imported it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SavedFile {
    pub name: String,
    pub text: String,
}

/// Everything needed to rebuild the workspace after a reload. `Default` is the save of an
/// empty workspace (no board, no agents).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SavedBoard {
    pub file_name: String,
    /// When it was saved, as an ISO 8601 timestamp.
    pub saved_at: String,
    /// The matrix as export would write it; `None` when only agents are open.
    pub matrix: Option<String>,
    #[serde(default)]
    pub agents: Vec<SavedFile>,
    /// The owning agent's name per column, Backlog first; `None` where no agent owns it.
    #[serde(default)]
    pub owners: [Option<String>; 5],
    /// The columns where a person chose "No owner", Backlog first. A separate field rather
    /// than a new shape of `owners` so that saves written before it still read: they read as
    /// all `false`, "not chosen yet", which is all they could say.
    #[serde(default)]
    pub no_owner: [bool; 5],
    /// The fields a person chose for the matrix in the "Fields" dialog, as `Fields::to_json`
    /// writes them; `None` when the board reads it its own way. Saves written before it read
    /// as `None`.
    #[serde(default)]
    pub fields: Option<String>,
    /// The file's text as the board last read or wrote it, when `matrix` holds changes the
    /// file does not have: the base of the next merge (`Board::base_text`). `None` when they
    /// are the same; saves written before it read as `None`.
    #[serde(default)]
    pub disk: Option<String>,
    /// How many requirements differ from `disk` (`Board::unsaved`).
    #[serde(default)]
    pub unsaved: usize,
    /// The conflicts with the file still waiting for a person (`Conflict::list_to_json`);
    /// `None` when there are none.
    #[serde(default)]
    pub conflicts: Option<String>,
    /// The columns' limits, the sort and the lanes (`Layout::to_json`); saves written before
    /// it read as the default layout.
    #[serde(default)]
    pub layout: Option<String>,
}

/// A workspace rebuilt from a save, and why its board could not be opened, if it could not.
#[derive(Debug)]
pub struct Restored {
    pub workspace: Workspace,
    pub problem: Option<String>,
}

impl SavedBoard {
    /// What to keep of `ws`; `None` when there is nothing to keep (no board, no agents).
    pub fn of(ws: &Workspace, saved_at: String) -> Option<SavedBoard> {
        let matrix = ws.board().map(Board::export);
        let agents: Vec<SavedFile> = ws
            .team()
            .members()
            .iter()
            .map(|m| SavedFile {
                name: m.source_name.clone(),
                text: m.source_text.clone(),
            })
            .collect();
        if matrix.is_none() && agents.is_empty() {
            return None;
        }
        Some(SavedBoard {
            file_name: ws
                .board()
                .map(|b| b.file_name().to_owned())
                .unwrap_or_default(),
            saved_at,
            agents,
            owners: ws
                .team()
                .owners()
                .each_ref()
                .map(|o| o.agent().map(str::to_owned)),
            no_owner: ws.team().owners().each_ref().map(|o| *o == Owner::Nobody),
            fields: ws
                .board()
                .map(Board::fields)
                .filter(|f| f.chosen)
                .map(Fields::to_json),
            disk: ws.board().zip(matrix.as_deref()).and_then(|(b, m)| {
                (b.base_text() != m.trim_start_matches('\u{FEFF}'))
                    .then(|| b.base_text().to_owned())
            }),
            unsaved: ws.board().map_or(0, Board::unsaved),
            conflicts: ws
                .board()
                .map(Board::open_conflicts)
                .filter(|c| !c.is_empty())
                .map(|c| crate::merge::Conflict::list_to_json(&c)),
            layout: Some(ws.layout())
                .filter(|l| **l != Layout::default())
                .map(Layout::to_json),
            matrix,
        })
    }

    /// The save as text.
    pub fn to_json(&self) -> String {
        // Sized up front for the matrix and the agent files plus their escaping: grown by
        // doubling instead, writing the save of an 8 MB board would hold up to 24 MB at once,
        // and the page's memory never gives back what it once held.
        let texts = self.matrix.as_ref().map_or(0, String::len)
            + self.agents.iter().map(|f| f.text.len()).sum::<usize>();
        let mut out = Vec::with_capacity(texts + texts / 3 + 4096);
        // Strings, options and arrays of them always serialize.
        if serde_json::to_writer(&mut out, self).is_err() {
            return String::new();
        }
        String::from_utf8(out).unwrap_or_default()
    }

    /// Reads a save written by `to_json`; the error says why it could not be read.
    pub fn from_json(text: &str) -> Result<SavedBoard, String> {
        serde_json::from_str(text).map_err(|e| e.to_string())
    }

    /// Rebuilds the workspace, with no undo history: opening a saved board is not a change a
    /// person would want to undo. A matrix that no longer imports leaves the team open and
    /// says why.
    pub fn restore(&self) -> Restored {
        let mut problem = None;
        let board = self.matrix.as_ref().and_then(|text| {
            match Board::import_with(
                &self.file_name,
                text.as_bytes().to_vec(),
                self.fields.as_deref().and_then(Fields::from_json).as_ref(),
            ) {
                Ok((mut board, _)) => {
                    board.remember_disk(self.disk.clone(), self.unsaved);
                    if let Some(conflicts) = &self.conflicts {
                        board.mark_conflicts(crate::merge::Conflict::list_from_json(conflicts));
                    }
                    Some(board)
                }
                Err(e) => {
                    problem = Some(format!("The saved board could not be opened: {e}"));
                    None
                }
            }
        });
        let mut workspace = Workspace::restored(board, self.team());
        workspace.set_layout(
            self.layout
                .as_deref()
                .map(Layout::from_json)
                .unwrap_or_default(),
        );
        Restored { workspace, problem }
    }

    /// Rebuilds the saved team: its agent files read again, then its owners.
    fn team(&self) -> Team {
        let files: Vec<(String, Vec<u8>)> = self
            .agents
            .iter()
            .map(|f| (f.name.clone(), f.text.clone().into_bytes()))
            .collect();
        let (members, _) = read_agent_files(&files);
        let mut team = Team::default();
        team.add(members);
        let owners: [Owner; 5] = std::array::from_fn(|i| match &self.owners[i] {
            _ if self.no_owner[i] => Owner::Nobody,
            Some(name) => Owner::Agent(name.clone()),
            None => Owner::Unchosen,
        });
        team.restore_owners(&owners);
        team
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::board::Move;
    use crate::stage::Stage;
    use crate::workspace::Action;

    #[test]
    fn a_save_round_trips_the_board_and_the_team() {
        let mut ws = Workspace::default();
        let (members, _) = read_agent_files(&[(
            "qa.md".to_owned(),
            b"---\nname: qa\ndescription: writes tests\n---\n".to_vec(),
        )]);
        ws.apply(Action::AddAgents(members)).unwrap();
        let (board, _) = Board::import("m.json", br#"[{"id": "R1", "tests": ["t.py"]}]"#).unwrap();
        ws.apply(Action::OpenBoard(Box::new(board))).unwrap();
        ws.apply(Action::MoveCard(Move {
            entry: 0,
            to: Stage::Red,
            by: "qa".into(),
            at: "t".into(),
            override_reason: None,
        }))
        .unwrap();
        let layout = crate::columns::Layout {
            wip_limits: [None, None, Some(5), None, None],
            sort: crate::columns::SortBy::Id,
            group: crate::columns::GroupBy::Story,
        };
        ws.set_layout(layout.clone());
        let saved = SavedBoard::of(&ws, "2026-11-29T10:00:00Z".into()).unwrap();
        let again = SavedBoard::from_json(&saved.to_json()).unwrap();
        assert_eq!(again, saved);
        assert_eq!(again.restore().workspace.layout(), &layout);
        let restored = again.restore();
        assert!(restored.problem.is_none());
        let back = restored.workspace;
        assert_eq!(back.board().unwrap().export(), ws.board().unwrap().export());
        assert_eq!(back.board().unwrap().card(0).unwrap().stage, Stage::Red);
        assert_eq!(back.team().owners(), ws.team().owners());
        assert!(!back.can_undo());
    }

    fn qa_and_dev() -> Vec<crate::team::Member> {
        read_agent_files(&[
            (
                "qa.md".to_owned(),
                b"---\nname: qa\ndescription: writes tests\n---\n".to_vec(),
            ),
            (
                "dev.md".to_owned(),
                b"---\nname: dev\ndescription: implements the code\n---\n".to_vec(),
            ),
        ])
        .0
    }

    #[test]
    fn no_owner_chosen_by_a_person_survives_a_reload() {
        let mut ws = Workspace::default();
        ws.apply(Action::AddAgents(qa_and_dev())).unwrap();
        assert_eq!(ws.team().owner(Stage::Green), Some("dev"));
        ws.apply(Action::SetOwner {
            stage: Stage::Green,
            agent: None,
        })
        .unwrap();
        let saved = SavedBoard::of(&ws, "t".into()).unwrap();
        let again = SavedBoard::from_json(&saved.to_json()).unwrap();
        let back = again.restore().workspace;
        assert_eq!(back.team().owner(Stage::Green), None);
        assert_eq!(back.team().owner(Stage::Red), Some("qa"));
        // And it stays nobody when agents are imported after the reload.
        let mut back = back;
        back.apply(Action::AddAgents(qa_and_dev())).unwrap();
        assert_eq!(back.team().owner(Stage::Green), None);
    }

    #[test]
    fn a_save_written_before_owner_choices_were_kept_still_restores() {
        // The shape of a save from before `no_owner` existed: owners by name, `null` for none.
        let qa = "---\\nname: qa\\ndescription: writes tests\\n---\\n";
        let dev = "---\\nname: dev\\ndescription: implements the code\\n---\\n";
        let text = format!(
            r#"{{"file_name":"","saved_at":"t","matrix":null,"agents":[{{"name":"qa.md","text":"{qa}"}},{{"name":"dev.md","text":"{dev}"}}],"owners":[null,"qa","dev","qa",null]}}"#
        );
        let saved = SavedBoard::from_json(&text).unwrap();
        let team = saved.restore().workspace.team().clone();
        assert_eq!(team.members().len(), 2);
        // A stage saved as named keeps its agent, even against the default (dev owns Red here).
        assert_eq!(team.owner(Stage::Red), Some("dev"));
        assert_eq!(team.owner(Stage::Green), Some("qa"));
        // An old save cannot tell "nobody" from "not chosen", so `null` gets a default as it
        // always did.
        assert_eq!(team.owner(Stage::TestWritten), Some("qa"));
    }

    #[test]
    fn a_board_that_follows_its_file_keeps_the_files_text_across_a_reload() {
        let base = br#"[{"id": "R1", "tdd_stage": "backlog", "tests": ["t.py"]}, {"id": "R2"}]"#;
        let (board, _) = Board::import("m.json", base).unwrap();
        let mut ws = Workspace::default();
        ws.apply(Action::OpenBoard(Box::new(board))).unwrap();
        ws.apply(Action::MoveCard(Move {
            entry: 0,
            to: Stage::TestWritten,
            by: "qa".into(),
            at: "t".into(),
            override_reason: None,
        }))
        .unwrap();
        // The file removed R2 and added R3 while the board held its move of R1.
        let disk = r#"[{"id": "R1", "tdd_stage": "backlog", "tests": ["t.py"]}, {"id": "R3"}]"#;
        let followed = ws.board().unwrap().follow(disk).unwrap();
        ws.apply(Action::Follow {
            board: Box::new(followed.board.unwrap()),
            message: String::new(),
            changed: None,
        })
        .unwrap();
        let board = ws.board().unwrap();
        assert_eq!(board.unsaved(), 1);
        let saved = SavedBoard::of(&ws, "t".into()).unwrap();
        let back = SavedBoard::from_json(&saved.to_json()).unwrap().restore();
        let board = back.workspace.board().unwrap();
        assert_eq!(
            board.unsaved(),
            1,
            "the move is still unsaved after a reload"
        );
        assert_eq!(board.base_text(), ws.board().unwrap().base_text());
        assert_eq!(board.export(), ws.board().unwrap().export());
    }

    #[test]
    fn nothing_to_keep_is_no_save() {
        assert!(SavedBoard::of(&Workspace::default(), "t".into()).is_none());
    }

    #[test]
    fn a_save_that_no_longer_imports_says_why() {
        let saved = SavedBoard {
            file_name: "m.json".into(),
            saved_at: "t".into(),
            matrix: Some("{not json".into()),
            agents: Vec::new(),
            owners: Default::default(),
            no_owner: Default::default(),
            fields: None,
            disk: None,
            unsaved: 0,
            conflicts: None,
            layout: None,
        };
        let restored = saved.restore();
        assert!(restored.workspace.board().is_none());
        assert!(restored.problem.unwrap().contains("could not be opened"));
        assert!(SavedBoard::from_json("[]").is_err());
    }
}
