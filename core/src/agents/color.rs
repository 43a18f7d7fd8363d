//! The `color` field: turning what people write (`Purple`, `dark blue`, `#ABC`) into one CSS
//! colour string the board can put straight into a style attribute.
//!
//! It owns the list of CSS named colours and the hex forms CSS accepts. It deliberately does
//! not accept `rgb()`/`hsl()` functions or anything else that would need a CSS parser: agent
//! files in practice name a colour or give a hex code, and anything we cannot vouch for must
//! not reach a style attribute, so unknown values are refused rather than passed through.

/// The CSS Color Module Level 4 named colours, lower case and sorted so a binary search works.
const CSS_NAMED_COLOURS: &[&str] = &[
    "aliceblue",
    "antiquewhite",
    "aqua",
    "aquamarine",
    "azure",
    "beige",
    "bisque",
    "black",
    "blanchedalmond",
    "blue",
    "blueviolet",
    "brown",
    "burlywood",
    "cadetblue",
    "chartreuse",
    "chocolate",
    "coral",
    "cornflowerblue",
    "cornsilk",
    "crimson",
    "cyan",
    "darkblue",
    "darkcyan",
    "darkgoldenrod",
    "darkgray",
    "darkgreen",
    "darkgrey",
    "darkkhaki",
    "darkmagenta",
    "darkolivegreen",
    "darkorange",
    "darkorchid",
    "darkred",
    "darksalmon",
    "darkseagreen",
    "darkslateblue",
    "darkslategray",
    "darkslategrey",
    "darkturquoise",
    "darkviolet",
    "deeppink",
    "deepskyblue",
    "dimgray",
    "dimgrey",
    "dodgerblue",
    "firebrick",
    "floralwhite",
    "forestgreen",
    "fuchsia",
    "gainsboro",
    "ghostwhite",
    "gold",
    "goldenrod",
    "gray",
    "green",
    "greenyellow",
    "grey",
    "honeydew",
    "hotpink",
    "indianred",
    "indigo",
    "ivory",
    "khaki",
    "lavender",
    "lavenderblush",
    "lawngreen",
    "lemonchiffon",
    "lightblue",
    "lightcoral",
    "lightcyan",
    "lightgoldenrodyellow",
    "lightgray",
    "lightgreen",
    "lightgrey",
    "lightpink",
    "lightsalmon",
    "lightseagreen",
    "lightskyblue",
    "lightslategray",
    "lightslategrey",
    "lightsteelblue",
    "lightyellow",
    "lime",
    "limegreen",
    "linen",
    "magenta",
    "maroon",
    "mediumaquamarine",
    "mediumblue",
    "mediumorchid",
    "mediumpurple",
    "mediumseagreen",
    "mediumslateblue",
    "mediumspringgreen",
    "mediumturquoise",
    "mediumvioletred",
    "midnightblue",
    "mintcream",
    "mistyrose",
    "moccasin",
    "navajowhite",
    "navy",
    "oldlace",
    "olive",
    "olivedrab",
    "orange",
    "orangered",
    "orchid",
    "palegoldenrod",
    "palegreen",
    "paleturquoise",
    "palevioletred",
    "papayawhip",
    "peachpuff",
    "peru",
    "pink",
    "plum",
    "powderblue",
    "purple",
    "rebeccapurple",
    "red",
    "rosybrown",
    "royalblue",
    "saddlebrown",
    "salmon",
    "sandybrown",
    "seagreen",
    "seashell",
    "sienna",
    "silver",
    "skyblue",
    "slateblue",
    "slategray",
    "slategrey",
    "snow",
    "springgreen",
    "steelblue",
    "tan",
    "teal",
    "thistle",
    "tomato",
    "turquoise",
    "violet",
    "wheat",
    "white",
    "whitesmoke",
    "yellow",
    "yellowgreen",
];

/// Returns the CSS colour for what a file wrote, or `None` when it is not one we recognise.
///
/// Names are matched in any case and with spaces, hyphens or underscores between the words
/// (`Dark Blue`, `dark-blue`), because people write them that way and CSS has exactly one
/// spelling for each. Hex codes need their `#` and 3, 4, 6 or 8 digits; anything after the
/// code and a space is ignored, since it is almost always a YAML-style comment.
pub(super) fn normalise(written: &str) -> Option<String> {
    let trimmed = written.trim();
    if let Some(digits) = trimmed.strip_prefix('#') {
        let digits = digits.split_whitespace().next().unwrap_or("");
        let valid_length = matches!(digits.len(), 3 | 4 | 6 | 8);
        if valid_length && digits.chars().all(|c| c.is_ascii_hexdigit()) {
            return Some(format!("#{}", digits.to_ascii_lowercase()));
        }
        return None;
    }
    let name: String = trimmed
        .chars()
        .filter(|c| !matches!(c, ' ' | '-' | '_'))
        .map(|c| c.to_ascii_lowercase())
        .collect();
    CSS_NAMED_COLOURS
        .binary_search(&name.as_str())
        .ok()
        .map(|_| name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_name_list_is_sorted_and_complete() {
        assert!(CSS_NAMED_COLOURS.windows(2).all(|w| w[0] < w[1]));
        assert_eq!(CSS_NAMED_COLOURS.len(), 148);
    }

    #[test]
    fn normalises_what_people_write() {
        let cases: &[(&str, Option<&str>)] = &[
            ("purple", Some("purple")),
            ("Purple", Some("purple")),
            ("  CYAN ", Some("cyan")),
            ("Dark Blue", Some("darkblue")),
            ("light-sea_green", Some("lightseagreen")),
            ("RebeccaPurple", Some("rebeccapurple")),
            ("#ABC", Some("#abc")),
            ("#aAbBcC", Some("#aabbcc")),
            ("#11223344", Some("#11223344")),
            ("#ff8800  # orange", Some("#ff8800")),
            ("#abcd", Some("#abcd")),
            ("#ab", None),
            ("#abcde", None),
            ("#ggg", None),
            ("#", None),
            ("blurple", None),
            ("", None),
            ("ff8800", None),
            ("rgb(1, 2, 3)", None),
            ("red; background: url(x)", None),
            ("#é", None),
        ];
        for (written, expected) in cases {
            assert_eq!(
                normalise(written).as_deref(),
                *expected,
                "colour written as {written:?}"
            );
        }
    }
}
