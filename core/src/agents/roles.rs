//! Roles: which kind of work an agent does, so the board can offer it as the owner of a stage.
//!
//! It owns the keyword lists and the rule for reading them: whole words, any case, the name
//! before the description, and within one text the earliest keyword wins (descriptions start
//! by saying what the agent is: "QA specialist who ... before the backend engineer ..."). It
//! deliberately does not map roles to stages; which role owns which column is the board's rule,
//! not a property of agent files.

use super::Agent;

/// The kind of work an agent does in the test-driven workflow.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Role {
    /// Defines requirements and plans work (product manager, planner).
    Planner,
    /// Writes and runs tests (QA, tester).
    Qa,
    /// Writes the code that makes tests pass (backend, frontend).
    Implementer,
    /// Reviews and approves finished work (overseer, auditor).
    Reviewer,
}

impl Role {
    /// Every role, in workflow order.
    pub const ALL: [Role; 4] = [Role::Planner, Role::Qa, Role::Implementer, Role::Reviewer];

    /// A short label for people.
    pub fn label(self) -> &'static str {
        match self {
            Role::Planner => "Planner",
            Role::Qa => "QA",
            Role::Implementer => "Implementer",
            Role::Reviewer => "Reviewer",
        }
    }

    /// The role a lower-case word points to, if any.
    ///
    /// Inflected forms are listed explicitly ("testing", "reviews") instead of matching
    /// prefixes, so that words like "latest" or "contest" never count as "test".
    fn of_word(word: &str) -> Option<Role> {
        let role = match word {
            "product" | "planner" | "planning" | "pm" | "spec" | "specs" | "specification"
            | "requirement" | "requirements" => Role::Planner,
            "qa" | "test" | "tests" | "tester" | "testers" | "testing" => Role::Qa,
            "backend" | "frontend" | "fullstack" | "implement" | "implements" | "implementer"
            | "implementing" | "implementation" | "developer" | "engineer" | "coder" => {
                Role::Implementer
            }
            "overseer" | "review" | "reviews" | "reviewer" | "reviewing" | "governance"
            | "auditor" | "audit" => Role::Reviewer,
            _ => return None,
        };
        Some(role)
    }
}

/// Where a role was found, which decides how strongly it counts.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Evidence {
    Description,
    Name,
}

/// The role the agent's name suggests, or else its description, or `None`.
pub fn role_of(agent: &Agent) -> Option<Role> {
    evidence(agent).map(|(role, _)| role)
}

fn evidence(agent: &Agent) -> Option<(Role, Evidence)> {
    first_role_in(&agent.name)
        .map(|role| (role, Evidence::Name))
        .or_else(|| first_role_in(&agent.description).map(|role| (role, Evidence::Description)))
}

/// The index in `agents` of the best owner for `role`: an agent whose name says so beats one
/// whose description says so, and among equals the name that sorts first wins, so the choice
/// does not depend on the order files arrived in (a folder's order differs between browsers
/// and file systems).
pub fn default_owner(agents: &[Agent], role: Role) -> Option<usize> {
    let mut best: Option<(usize, Evidence)> = None;
    for (index, agent) in agents.iter().enumerate() {
        if let Some((found, strength)) = evidence(agent)
            && found == role
            && best.is_none_or(|(best_index, best_strength)| {
                strength > best_strength
                    || (strength == best_strength && agent.name < agents[best_index].name)
            })
        {
            best = Some((index, strength));
        }
    }
    best.map(|(index, _)| index)
}

/// The role of the first keyword in `text`.
fn first_role_in(text: &str) -> Option<Role> {
    words(text).iter().find_map(|word| Role::of_word(word))
}

/// Splits text into lower-case words at anything that is not a letter or digit, and at case
/// changes inside a word, so `qa-agent`, `backend_engineer`, `ProductManager` and `QAAgent`
/// all split the way a person reads them.
///
/// Case is read in ASCII only: every role keyword is ASCII, and Unicode's case tables would cost
/// the download about 18 KB (see `Card::matches`). Other non-ASCII characters count as letters,
/// so `développeur` stays one word.
fn words(text: &str) -> Vec<String> {
    let chars: Vec<char> = text.chars().collect();
    let mut words = Vec::new();
    let mut word = String::new();
    for (index, &c) in chars.iter().enumerate() {
        if c.is_ascii() && !c.is_ascii_alphanumeric() {
            if !word.is_empty() {
                words.push(std::mem::take(&mut word));
            }
            continue;
        }
        word.push(c.to_ascii_lowercase());
        let next = chars.get(index + 1);
        let after = chars.get(index + 2);
        let lower_to_upper = c.is_ascii_lowercase() && next.is_some_and(char::is_ascii_uppercase);
        let acronym_end = c.is_ascii_uppercase()
            && next.is_some_and(char::is_ascii_uppercase)
            && after.is_some_and(char::is_ascii_lowercase);
        if lower_to_upper || acronym_end {
            words.push(std::mem::take(&mut word));
        }
    }
    if !word.is_empty() {
        words.push(word);
    }
    words
}

#[cfg(test)]
mod tests {
    use super::*;

    fn agent(name: &str, description: &str) -> Agent {
        Agent {
            name: name.to_owned(),
            description: description.to_owned(),
            tools: Vec::new(),
            model: None,
            color: None,
            extra: Vec::new(),
            body: String::new(),
            file_name: format!("{name}.md"),
            lenient: None,
        }
    }

    #[test]
    fn splits_words_the_way_people_read_them() {
        let split = words;
        assert_eq!(split("qa-agent"), ["qa", "agent"]);
        assert_eq!(split("ProductManager v2"), ["product", "manager", "v2"]);
        assert_eq!(split("  backend_engineer!! "), ["backend", "engineer"]);
        assert_eq!(split("QAAgent"), ["qa", "agent"]);
        assert_eq!(split("HTTPServer API"), ["http", "server", "api"]);
        // Case is read in ASCII only; other letters stay as written, inside their word.
        assert_eq!(split("Ünïcode Überprüfer"), ["Ünïcode", "Überprüfer"]);
        assert_eq!(split("développeur-QA"), ["développeur", "qa"]);
        assert!(split("--- !!").is_empty());
    }

    #[test]
    fn finds_roles_from_names_then_descriptions() {
        use Role::*;
        let cases: &[(&str, &str, Option<Role>)] = &[
            ("product-manager", "", Some(Planner)),
            ("planner", "", Some(Planner)),
            ("PM", "", Some(Planner)),
            ("spec-writer", "", Some(Planner)),
            ("requirements-analyst", "", Some(Planner)),
            ("qa-agent", "", Some(Qa)),
            ("QA", "", Some(Qa)),
            ("test-engineer", "", Some(Qa)),
            ("tester", "", Some(Qa)),
            ("backend-engineer", "Writes tests too", Some(Implementer)),
            ("frontend", "", Some(Implementer)),
            ("FrontendDeveloper", "", Some(Implementer)),
            ("coder", "", Some(Implementer)),
            ("implementer", "", Some(Implementer)),
            ("overseer", "", Some(Reviewer)),
            ("code-reviewer", "", Some(Reviewer)),
            ("governance", "", Some(Reviewer)),
            ("security_auditor", "", Some(Reviewer)),
            (
                "helper",
                "Reviews pull requests before merge",
                Some(Reviewer),
            ),
            (
                "helper",
                "Writes failing tests before the backend engineer",
                Some(Qa),
            ),
            (
                "helper",
                "Turns product ideas into requirements",
                Some(Planner),
            ),
            (
                "helper",
                "Implements features until the tests pass",
                Some(Implementer),
            ),
            ("qa", "Reviews everything", Some(Qa)),
            ("latest-news", "Contests and attestations", None),
            ("reviewed", "protests", None),
            ("helper", "", None),
            ("", "", None),
        ];
        for (name, description, expected) in cases {
            assert_eq!(
                role_of(&agent(name, description)),
                *expected,
                "name {name:?}, description {description:?}"
            );
        }
    }

    #[test]
    fn picks_default_owners() {
        let agents = [
            agent("helper", "Writes tests first"),
            agent("qa-agent", ""),
            agent("tester", ""),
            agent("backend-engineer", ""),
            agent("frontend", ""),
            agent("assistant", "Does a final review"),
        ];
        let cases = [
            (Role::Qa, Some(1)),
            (Role::Implementer, Some(3)),
            (Role::Reviewer, Some(5)),
            (Role::Planner, None),
        ];
        for (role, expected) in cases {
            assert_eq!(default_owner(&agents, role), expected, "{role:?}");
        }
        assert_eq!(default_owner(&[], Role::Qa), None);
        assert_eq!(default_owner(&agents[..1], Role::Qa), Some(0));
        // Among equals the name that sorts first wins, wherever it is in the slice.
        let reversed: Vec<Agent> = agents.iter().rev().cloned().collect();
        assert_eq!(default_owner(&reversed, Role::Qa), Some(4));
        assert_eq!(default_owner(&reversed, Role::Implementer), Some(2));
    }

    #[test]
    fn labels_every_role() {
        let labels: Vec<&str> = Role::ALL.iter().map(|role| role.label()).collect();
        assert_eq!(labels, ["Planner", "QA", "Implementer", "Reviewer"]);
    }
}
