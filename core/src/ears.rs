//! The EARS patterns (Easy Approach to Requirements Syntax): templates for a new requirement's
//! text, and which pattern a text follows.
//!
//! The five patterns and their keywords are the published ones (Mavin et al., 2009): a text
//! follows a pattern when it opens with the pattern's keyword and says what the system
//! "shall" do. "While …, when …" is the complex pattern. Only ASCII is lowered: every keyword
//! is ASCII, so no Unicode case tables are needed (see `Card::matches`).

/// One EARS pattern.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Pattern {
    Ubiquitous,
    Event,
    State,
    Unwanted,
    Optional,
    /// A state and an event together: "While …, when …, the … shall …".
    Complex,
}

impl Pattern {
    /// The five patterns a new requirement starts from, in EARS's order.
    pub const TEMPLATES: [Pattern; 5] = [
        Pattern::Ubiquitous,
        Pattern::Event,
        Pattern::State,
        Pattern::Unwanted,
        Pattern::Optional,
    ];

    /// The pattern's name as EARS gives it.
    pub fn name(self) -> &'static str {
        match self {
            Pattern::Ubiquitous => "Ubiquitous",
            Pattern::Event => "Event-driven",
            Pattern::State => "State-driven",
            Pattern::Unwanted => "Unwanted behaviour",
            Pattern::Optional => "Optional feature",
            Pattern::Complex => "Complex",
        }
    }

    /// The pattern's template, with its blanks in angle brackets.
    pub fn template(self) -> &'static str {
        match self {
            Pattern::Ubiquitous => "The <system> shall <response>.",
            Pattern::Event => "When <trigger>, the <system> shall <response>.",
            Pattern::State => "While <state>, the <system> shall <response>.",
            Pattern::Unwanted => "If <unwanted condition>, then the <system> shall <response>.",
            Pattern::Optional => "Where <feature is included>, the <system> shall <response>.",
            Pattern::Complex => "While <state>, when <trigger>, the <system> shall <response>.",
        }
    }

    /// The pattern `text` follows, if any.
    pub fn of(text: &str) -> Option<Pattern> {
        let words: Vec<String> = text
            .split_whitespace()
            .map(|w| {
                w.trim_matches(|c: char| !c.is_ascii_alphanumeric())
                    .to_ascii_lowercase()
            })
            .collect();
        let shall = words.iter().position(|w| w == "shall")?;
        // Something must be required of something: "<system> shall <response>".
        if shall == 0 || shall + 1 >= words.len() {
            return None;
        }
        let has = |word: &str| words[1..shall].iter().any(|w| w == word);
        match words[0].as_str() {
            "when" => Some(Pattern::Event),
            "while" if has("when") => Some(Pattern::Complex),
            "while" => Some(Pattern::State),
            "if" if has("then") => Some(Pattern::Unwanted),
            "where" => Some(Pattern::Optional),
            "if" => None,
            // No keyword, and no clause before the subject: "The <system> shall …".
            _ if !text.split("shall").next().unwrap_or_default().contains(',') => {
                Some(Pattern::Ubiquitous)
            }
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Pattern;

    #[test]
    fn each_pattern_is_recognised() {
        let cases = [
            (
                "The system shall log every login.",
                Some(Pattern::Ubiquitous),
            ),
            (
                "When a user logs in, the system shall record the time.",
                Some(Pattern::Event),
            ),
            (
                "While offline, the app shall queue writes.",
                Some(Pattern::State),
            ),
            (
                "If the token expires, then the API shall return 401.",
                Some(Pattern::Unwanted),
            ),
            (
                "Where SSO is enabled, the app shall offer it.",
                Some(Pattern::Optional),
            ),
            (
                "While armed, when motion is seen, the alarm shall ring.",
                Some(Pattern::Complex),
            ),
            (
                "WHEN a file drops, THE board SHALL import it",
                Some(Pattern::Event),
            ),
            ("Users can log in.", None),
            ("If it rains, the roof shall hold.", None),
            ("shall", None),
            ("The system shall", None),
            ("Maybe, the system shall do it.", None),
            ("", None),
        ];
        for (text, want) in cases {
            assert_eq!(Pattern::of(text), want, "{text}");
        }
    }

    #[test]
    fn every_template_follows_its_own_pattern() {
        for pattern in Pattern::TEMPLATES.into_iter().chain([Pattern::Complex]) {
            assert_eq!(Pattern::of(pattern.template()), Some(pattern));
        }
    }
}
