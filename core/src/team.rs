//! The team on the board: imported agents, the owner of each stage, and whose turn a card is.
//!
//! This module owns which agents are known (replacing an agent imported again under the same
//! name), which agent owns each column (chosen by default from roles, changeable by a person),
//! and the rules that follow: the agent whose turn a card is, and who a move is recorded as.
//! Reading the files is `agents`' job; applying changes is `workspace`'s.

use crate::agents::{Agent, Role, default_owner, parse_agent_file};
use crate::stage::Stage;

/// An agent with the file it was read from, kept so the team can be saved and read again.
#[derive(Clone, Debug, PartialEq)]
pub struct Member {
    pub agent: Agent,
    pub warnings: Vec<String>,
    pub source_name: String,
    pub source_text: String,
}

/// Who owns a stage. "Nobody" chosen by a person and "no one chosen yet" look alike on
/// screen ("No owner") but differ in what happens next: an agent import gives the second a
/// default owner and must leave the first alone.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub enum Owner {
    /// Nobody has decided: the stage takes a default owner by role when agents arrive.
    #[default]
    Unchosen,
    /// This agent owns the stage, picked by role or by a person.
    Agent(String),
    /// A person decided that nobody owns the stage; imports and reloads keep it so.
    Nobody,
}

impl Owner {
    /// The owning agent's name, if an agent owns the stage.
    pub fn agent(&self) -> Option<&str> {
        match self {
            Owner::Agent(name) => Some(name),
            Owner::Unchosen | Owner::Nobody => None,
        }
    }
}

/// The agents and the owner of each stage, by agent name.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct Team {
    members: Vec<Member>,
    owners: [Owner; 5],
}

/// What reading a batch of agent files found.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct AgentReport {
    pub read: Vec<String>,
    pub replaced: Vec<String>,
    /// Files read with warnings: the file and each warning.
    pub warnings: Vec<(String, String)>,
    /// Files that could not be read at all.
    pub errors: Vec<String>,
    /// Files skipped because they are not markdown (from a folder).
    pub skipped: usize,
}

impl std::fmt::Display for AgentReport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let n = self.read.len();
        write!(f, "Imported {n} agent{}", if n == 1 { "" } else { "s" })?;
        if !self.read.is_empty() {
            write!(f, ": {}", self.read.join(", "))?;
        }
        write!(f, ".")?;
        if !self.replaced.is_empty() {
            write!(
                f,
                " Replaced {} with the new file.",
                self.replaced.join(", ")
            )?;
        }
        if self.skipped > 0 {
            write!(
                f,
                " Skipped {} file{} that are not .md.",
                self.skipped,
                if self.skipped == 1 { "" } else { "s" }
            )?;
        }
        for error in &self.errors {
            write!(f, "\n• {error}")?;
        }
        for (file, warning) in &self.warnings {
            write!(f, "\n• {file}: {warning}")?;
        }
        Ok(())
    }
}

/// The role whose agent owns a stage by default.
pub fn role_for(stage: Stage) -> Role {
    match stage {
        Stage::Backlog => Role::Planner,
        Stage::TestWritten | Stage::Red => Role::Qa,
        Stage::Green => Role::Implementer,
        Stage::Reviewed => Role::Reviewer,
    }
}

/// Reads agent files, in order; files that are not markdown are skipped.
pub fn read_agent_files(files: &[(String, Vec<u8>)]) -> (Vec<Member>, AgentReport) {
    let mut report = AgentReport::default();
    let mut members: Vec<Member> = Vec::new();
    for (name, bytes) in files {
        let lower = name.to_ascii_lowercase();
        if !(lower.ends_with(".md") || lower.ends_with(".markdown")) {
            report.skipped += 1;
            continue;
        }
        match parse_agent_file(name, bytes) {
            Ok(file) => {
                for warning in &file.warnings {
                    report.warnings.push((name.clone(), warning.clone()));
                }
                let member = Member {
                    agent: file.agent,
                    warnings: file.warnings,
                    source_name: name.clone(),
                    source_text: String::from_utf8_lossy(bytes).into_owned(),
                };
                // Two files of one batch with the same agent name: the later one wins.
                members.retain(|m| m.agent.name != member.agent.name);
                members.push(member);
            }
            Err(e) => report.errors.push(e.to_string()),
        }
    }
    report.read = members.iter().map(|m| m.agent.name.clone()).collect();
    (members, report)
}

impl Team {
    pub fn members(&self) -> &[Member] {
        &self.members
    }

    pub fn is_empty(&self) -> bool {
        self.members.is_empty()
    }

    pub fn member(&self, name: &str) -> Option<&Member> {
        self.members.iter().find(|m| m.agent.name == name)
    }

    /// About how many bytes the team keeps: each agent's file as imported, the parts of it
    /// the parsed agent holds again (body, description, settings) and its warnings. Undo
    /// counts the teams it keeps with it.
    pub fn memory_bytes(&self) -> usize {
        let member = |m: &Member| {
            let a = &m.agent;
            let extra: usize = a.extra.iter().map(|(k, v)| k.len() + v.len()).sum();
            let tools: usize = a.tools.iter().map(String::len).sum();
            let warnings: usize = m.warnings.iter().map(String::len).sum();
            std::mem::size_of::<Member>()
                + m.source_text.len()
                + m.source_name.len()
                + a.name.len()
                + a.description.len()
                + a.body.len()
                + a.file_name.len()
                + extra
                + tools
                + warnings
        };
        let owners: usize = self
            .owners
            .iter()
            .map(|o| o.agent().map_or(0, str::len))
            .sum();
        std::mem::size_of::<Team>() + self.members.iter().map(member).sum::<usize>() + owners
    }

    /// The name of the agent owning a stage, if any.
    pub fn owner(&self, stage: Stage) -> Option<&str> {
        self.owners[stage.index()].agent()
    }

    /// The owner of every stage, Backlog first, including where a person chose nobody.
    pub fn owners(&self) -> &[Owner; 5] {
        &self.owners
    }

    /// Adds agents, replacing any of the same name, and gives an owner to every stage that
    /// has none, except where a person chose nobody. Returns the names it replaced.
    pub fn add(&mut self, members: Vec<Member>) -> Vec<String> {
        let mut replaced = Vec::new();
        for member in members {
            match self
                .members
                .iter_mut()
                .find(|m| m.agent.name == member.agent.name)
            {
                Some(slot) => {
                    replaced.push(member.agent.name.clone());
                    *slot = member;
                }
                None => self.members.push(member),
            }
        }
        self.fill_owners();
        replaced
    }

    /// Makes an agent the owner of a stage, or (`None`) records that a person chose nobody.
    /// An unknown name is refused.
    pub fn set_owner(&mut self, stage: Stage, name: Option<String>) -> bool {
        let owner = match name {
            Some(n) if self.member(&n).is_none() => return false,
            Some(n) => Owner::Agent(n),
            None => Owner::Nobody,
        };
        self.owners[stage.index()] = owner;
        true
    }

    /// Restores saved owners, keeping "nobody" and the names of known agents, then fills the
    /// stages left unchosen.
    pub fn restore_owners(&mut self, owners: &[Owner; 5]) {
        for (slot, saved) in self.owners.iter_mut().zip(owners) {
            *slot = match saved {
                Owner::Agent(n) if !self.members.iter().any(|m| &m.agent.name == n) => {
                    Owner::Unchosen
                }
                other => other.clone(),
            };
        }
        self.fill_owners();
    }

    /// Gives a default owner, by role, to every stage without one, unless a person chose
    /// nobody there. An owner whose agent is gone counts as none.
    fn fill_owners(&mut self) {
        // `default_owner` breaks ties by name, so the owner does not depend on file order.
        let agents: Vec<Agent> = self.members.iter().map(|m| m.agent.clone()).collect();
        for stage in Stage::ALL {
            let slot = &mut self.owners[stage.index()];
            let keep = match slot {
                Owner::Nobody => true,
                Owner::Agent(n) => agents.iter().any(|a| &a.name == n),
                Owner::Unchosen => false,
            };
            if keep {
                continue;
            }
            *slot = match default_owner(&agents, role_for(stage)) {
                Some(i) => Owner::Agent(agents[i].name.clone()),
                None => Owner::Unchosen,
            };
        }
    }

    /// The agent whose turn a card in `stage` is: the owner of the next stage. A Reviewed
    /// card is done and is nobody's turn.
    pub fn turn(&self, stage: Stage) -> Option<&str> {
        self.owner(stage.next()?)
    }

    /// Who a move into `to` is recorded as: the person's "acting as" choice, else the owner of
    /// the stage the card enters, else the board user.
    pub fn actor(&self, to: Stage, acting_as: Option<&str>) -> String {
        acting_as
            .filter(|n| self.member(n).is_some())
            .or_else(|| self.owner(to))
            .unwrap_or("board user")
            .to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(name: &str, text: &str) -> (String, Vec<u8>) {
        (name.to_owned(), text.as_bytes().to_vec())
    }

    fn team() -> Team {
        let files = [
            file(
                "pm.md",
                "---\nname: product-manager\ndescription: Plans the backlog\n---\nbody",
            ),
            file(
                "qa.md",
                "---\nname: qa-engineer\ndescription: Writes failing tests first\n---\n",
            ),
            file(
                "be.md",
                "---\nname: backend-engineer\ndescription: Implements the server\n---\n",
            ),
            file(
                "ov.md",
                "---\nname: overseer\ndescription: Reviews and approves\n---\n",
            ),
            file("notes.txt", "not an agent"),
        ];
        let (members, report) = read_agent_files(&files);
        assert_eq!(report.skipped, 1);
        let mut team = Team::default();
        team.add(members);
        team
    }

    #[test]
    fn owners_follow_roles_by_default() {
        let team = team();
        let owners: Vec<Option<&str>> = Stage::ALL.iter().map(|s| team.owner(*s)).collect();
        assert_eq!(
            owners,
            [
                Some("product-manager"),
                Some("qa-engineer"),
                Some("qa-engineer"),
                Some("backend-engineer"),
                Some("overseer")
            ]
        );
    }

    #[test]
    fn turn_is_the_owner_of_the_next_stage() {
        let team = team();
        let table = [
            (Stage::Backlog, Some("qa-engineer")),
            (Stage::TestWritten, Some("qa-engineer")),
            (Stage::Red, Some("backend-engineer")),
            (Stage::Green, Some("overseer")),
            (Stage::Reviewed, None),
        ];
        for (stage, expected) in table {
            assert_eq!(team.turn(stage), expected, "{stage}");
        }
    }

    #[test]
    fn actor_is_owner_unless_acting_as() {
        let team = team();
        assert_eq!(team.actor(Stage::Green, None), "backend-engineer");
        assert_eq!(team.actor(Stage::Green, Some("overseer")), "overseer");
        assert_eq!(team.actor(Stage::Green, Some("nobody")), "backend-engineer");
        assert_eq!(Team::default().actor(Stage::Green, None), "board user");
    }

    #[test]
    fn importing_an_agent_again_replaces_it_and_says_so() {
        let mut team = team();
        let (members, _) =
            read_agent_files(&[file("qa2.md", "---\nname: qa-engineer\nmodel: opus\n---\n")]);
        assert_eq!(team.add(members), ["qa-engineer"]);
        assert_eq!(team.members().len(), 4);
        assert_eq!(
            team.member("qa-engineer").unwrap().agent.model.as_deref(),
            Some("opus")
        );
    }

    #[test]
    fn owners_can_be_changed_and_restored() {
        let mut team = team();
        assert!(team.set_owner(Stage::Green, Some("overseer".into())));
        assert!(!team.set_owner(Stage::Green, Some("ghost".into())));
        assert_eq!(team.owner(Stage::Green), Some("overseer"));
        let saved = team.owners().clone();
        let mut again = Team::default();
        again.add(team.members().to_vec());
        again.restore_owners(&saved);
        assert_eq!(again.owners(), &saved);
        assert!(team.set_owner(Stage::Green, None));
        assert_eq!(team.owner(Stage::Green), None);
        assert_eq!(team.owners()[Stage::Green.index()], Owner::Nobody);
    }

    #[test]
    fn no_owner_chosen_by_a_person_survives_an_agent_import() {
        let mut team = team();
        assert!(team.set_owner(Stage::Green, None));
        let (members, _) = read_agent_files(&[
            file(
                "fe.md",
                "---\nname: frontend-engineer\ndescription: Implements the UI\n---\n",
            ),
            // The same agent again: replacing it is an import too.
            file(
                "be.md",
                "---\nname: backend-engineer\ndescription: Implements the server\n---\n",
            ),
        ]);
        team.add(members);
        assert_eq!(team.owner(Stage::Green), None);
        assert_eq!(team.turn(Stage::Red), None, "nobody's turn after Red");
        // The other stages keep their owners.
        assert_eq!(team.owner(Stage::Red), Some("qa-engineer"));
    }

    #[test]
    fn a_stage_nobody_chose_for_gets_an_owner_when_one_arrives() {
        let mut team = Team::default();
        let (members, _) = read_agent_files(&[file(
            "pm.md",
            "---\nname: pm\ndescription: Plans the backlog\n---\n",
        )]);
        team.add(members);
        assert_eq!(team.owner(Stage::Backlog), Some("pm"));
        let (members, _) = read_agent_files(&[file(
            "qa.md",
            "---\nname: qa\ndescription: Writes failing tests\n---\n",
        )]);
        team.add(members);
        assert_eq!(team.owner(Stage::Red), Some("qa"));
    }

    #[test]
    fn unreadable_files_are_reported_and_the_rest_import() {
        let files = [
            file("good.md", "---\nname: qa\n---\n"),
            ("bad.md".to_owned(), vec![0xff, 0xfe, 0x00]),
            file("empty.md", ""),
        ];
        let (members, report) = read_agent_files(&files);
        assert_eq!(members.len(), 1);
        assert_eq!(report.errors.len(), 2);
        let text = report.to_string();
        assert!(text.starts_with("Imported 1 agent: qa."), "{text}");
        assert!(text.contains("bad.md"), "{text}");
        assert!(text.contains("empty.md"), "{text}");
    }
}
