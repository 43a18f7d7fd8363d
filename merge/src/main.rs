//! `traceboard-merge`: git's merge driver for traceability matrices.
//!
//! Owns: the command line git runs (`traceboard-merge %O %A %B [%P]`), reading the three
//! versions, writing the merged text into `%A` (through a temporary file in the same
//! directory, renamed over it, so a failed write never leaves half a file), the messages on
//! standard error and the exit status git reads: 0 merged cleanly, 1 merged with conflicts
//! (the file holds ours for each conflicting key, so the work tree is still valid JSON), 2
//! nothing merged (`%A` is left as it was, ours, and git marks the file conflicted).
//!
//! It does not merge anything itself: `traceboard_core::merge::merge` pairs the requirements
//! of the three versions by id and merges them key by key.

use std::ffi::{OsStr, OsString};
use std::fmt;
use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use traceboard_core::merge::{Conflict, MergeError, Side, merge};

const USAGE: &str = "usage: traceboard-merge %O %A %B [%P]";

/// Shown in `--help` when the binary cannot say where it is.
const PLACEHOLDER_PATH: &str = "/path/to/traceboard/target/release/traceboard-merge";

fn main() -> ExitCode {
    let args: Vec<OsString> = std::env::args_os().skip(1).collect();
    // Write errors on stdout or stderr (a closed pipe) are ignored: the exit status is what
    // git reads, and printing must not panic.
    let status = match run(&args) {
        Ok(Outcome::Help) => {
            let _ = io::stdout().lock().write_all(help().as_bytes());
            0
        }
        Ok(outcome) => {
            let report = outcome.to_string();
            if !report.is_empty() {
                let _ = io::stderr().lock().write_all(report.as_bytes());
            }
            outcome.status()
        }
        Err(failure) => {
            let _ = writeln!(io::stderr().lock(), "traceboard-merge: {failure}");
            failure.status()
        }
    };
    ExitCode::from(status)
}

/// What a run did when it did not fail.
#[derive(Debug)]
enum Outcome {
    /// Merged with no conflict; `%A` holds the result.
    Clean,
    /// Merged, but keys were changed differently on both sides; `%A` holds the result, with
    /// ours for each of them.
    Conflicts {
        name: String,
        conflicts: Vec<Conflict>,
    },
    /// `--help`: nothing read or written.
    Help,
}

impl Outcome {
    /// The exit status git reads.
    fn status(&self) -> u8 {
        match self {
            Outcome::Clean | Outcome::Help => 0,
            Outcome::Conflicts { .. } => 1,
        }
    }
}

/// The report on standard error: nothing for a clean merge, the conflicts one a line.
impl fmt::Display for Outcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Outcome::Clean | Outcome::Help => Ok(()),
            Outcome::Conflicts { name, conflicts } => {
                writeln!(
                    f,
                    "traceboard-merge: {name}: {} conflicting requirement key(s); ours kept in the file:",
                    conflicts.len()
                )?;
                for conflict in conflicts {
                    writeln!(f, "  {conflict}")?;
                }
                Ok(())
            }
        }
    }
}

/// Why nothing was merged; `%A` is untouched in every case.
#[derive(Debug)]
enum Failure {
    /// The arguments are not `%O %A %B [%P]`.
    Usage { count: usize },
    /// A version could not be read from disk.
    Read {
        name: String,
        side: Side,
        path: PathBuf,
        error: io::Error,
    },
    /// A version is not UTF-8 text.
    NotUtf8 {
        name: String,
        side: Side,
        path: PathBuf,
        valid_up_to: usize,
    },
    /// A version is not a matrix the core reads.
    Unmergeable { name: String, error: MergeError },
    /// The merged text could not be written.
    Write {
        name: String,
        path: PathBuf,
        error: io::Error,
    },
}

impl Failure {
    /// The exit status git reads: anything but 0 leaves the file conflicted.
    fn status(&self) -> u8 {
        2
    }
}

const LEFT_AS_OURS: &str = "Nothing was merged; the file was left as ours.";

/// `text` ended as a sentence, so that `LEFT_AS_OURS` can follow it (the core's messages
/// end with a full stop, the system's do not).
fn sentence(text: impl fmt::Display) -> String {
    let text = text.to_string();
    if text.ends_with('.') {
        text
    } else {
        text + "."
    }
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Failure::Usage { count } => write!(
                f,
                "expected 3 or 4 arguments, got {count}\n{USAGE} (--help says how to set it up in git)"
            ),
            Failure::Read {
                name,
                side,
                path,
                error,
            } => write!(
                f,
                "{name}: cannot read {side} ({}): {} {LEFT_AS_OURS}",
                path.display(),
                sentence(error)
            ),
            Failure::NotUtf8 {
                name,
                side,
                path,
                valid_up_to,
            } => write!(
                f,
                "{name}: {side} ({}) is not UTF-8 text (invalid byte at offset {valid_up_to}). {LEFT_AS_OURS}",
                path.display()
            ),
            Failure::Unmergeable { name, error } => {
                write!(f, "{name}: {} {LEFT_AS_OURS}", sentence(error))
            }
            Failure::Write { name, path, error } => write!(
                f,
                "{name}: cannot write the merged file to {}: {} {LEFT_AS_OURS}",
                path.display(),
                sentence(error)
            ),
        }
    }
}

/// Reads `%O %A %B [%P]`, merges, and writes the result into `%A`.
fn run(args: &[OsString]) -> Result<Outcome, Failure> {
    if let [flag] = args
        && (flag == "--help" || flag == "-h")
    {
        return Ok(Outcome::Help);
    }
    let (base, ours, theirs, shown) = match args {
        [base, ours, theirs] => (base, ours, theirs, None),
        [base, ours, theirs, shown] => (base, ours, theirs, Some(shown)),
        _ => return Err(Failure::Usage { count: args.len() }),
    };
    let (base, ours, theirs) = (Path::new(base), Path::new(ours), Path::new(theirs));
    // Git passes a temporary file as %A; %P is the name a person knows.
    let name = match shown {
        Some(shown) => shown.to_string_lossy().into_owned(),
        None => ours.display().to_string(),
    };
    let base_text = read(Side::Base, base, &name)?;
    let ours_text = read(Side::Ours, ours, &name)?;
    let theirs_text = read(Side::Theirs, theirs, &name)?;
    let merged = merge(&base_text, &ours_text, &theirs_text, None).map_err(|error| {
        Failure::Unmergeable {
            name: name.clone(),
            error,
        }
    })?;
    // Ours already is the result (theirs changed nothing, or only what ours did): the file
    // stays as it is.
    if merged.text != ours_text {
        write_atomically(ours, merged.text.as_bytes()).map_err(|error| Failure::Write {
            name: name.clone(),
            path: ours.to_path_buf(),
            error,
        })?;
    }
    if merged.is_clean() {
        Ok(Outcome::Clean)
    } else {
        Ok(Outcome::Conflicts {
            name,
            conflicts: merged.conflicts,
        })
    }
}

/// One version's text.
fn read(side: Side, path: &Path, name: &str) -> Result<String, Failure> {
    let bytes = fs::read(path).map_err(|error| Failure::Read {
        name: name.to_owned(),
        side,
        path: path.to_path_buf(),
        error,
    })?;
    String::from_utf8(bytes).map_err(|error| Failure::NotUtf8 {
        name: name.to_owned(),
        side,
        path: path.to_path_buf(),
        valid_up_to: error.utf8_error().valid_up_to(),
    })
}

/// Replaces the file at `path` with `bytes` by writing a new file beside it and renaming it
/// over the old one: the old file stays whole until the new one is complete. The new file
/// takes the old one's permissions.
fn write_atomically(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let file_name = path.file_name().ok_or_else(|| {
        io::Error::new(io::ErrorKind::InvalidInput, "the path does not name a file")
    })?;
    let dir = match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    };
    let (temp, file) = create_beside(dir, file_name)?;
    let written = (|| {
        fill(file, bytes)?;
        if let Ok(old) = fs::metadata(path) {
            fs::set_permissions(&temp, old.permissions())?;
        }
        fs::rename(&temp, path)
    })();
    if written.is_err() {
        let _ = fs::remove_file(&temp);
    }
    written
}

/// Writes `bytes` into `file` and onto the disk; the file is closed when this returns.
fn fill(mut file: fs::File, bytes: &[u8]) -> io::Result<()> {
    file.write_all(bytes)?;
    file.sync_all()
}

/// A new, empty, hidden file in `dir` named after `file_name`, never one that exists.
fn create_beside(dir: &Path, file_name: &OsStr) -> io::Result<(PathBuf, fs::File)> {
    let mut attempt = 0u32;
    loop {
        let mut temp_name = OsString::from(".");
        temp_name.push(file_name);
        temp_name.push(format!(
            ".traceboard-merge-{}-{attempt}",
            std::process::id()
        ));
        let temp = dir.join(temp_name);
        match fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&temp)
        {
            Ok(file) => return Ok((temp, file)),
            Err(error) if error.kind() == io::ErrorKind::AlreadyExists && attempt < 100 => {
                attempt += 1;
            }
            Err(error) => return Err(error),
        }
    }
}

/// `--help`: the usage, what the driver does, and the lines that install it.
fn help() -> String {
    let exe = std::env::current_exe()
        .ok()
        .map(|p| p.display().to_string())
        .unwrap_or_else(|| PLACEHOLDER_PATH.to_owned());
    format!(
        "{USAGE}

Git's merge driver for Traceboard's traceability matrices. Git runs it with the common
version (%O), ours (%A, which receives the result), theirs (%B) and the file's path (%P).
It merges requirement by requirement (paired by id, merged key by key), so moves of
different requirements, even adjacent ones, and requirements appended on both sides merge
cleanly where git's line merge conflicts.

Set it up in a repository:
  echo 'traceability_matrix.json merge=traceboard' >> .gitattributes
  git config merge.traceboard.name 'Traceboard matrix merge'
  git config merge.traceboard.driver '{exe} %O %A %B %P'

Exit status:
  0  merged cleanly; %A holds the result
  1  the same key was changed differently on both sides: each conflict is listed on
     stderr, %A holds the merge with ours for those keys, and git marks the file
     conflicted
  2  a version cannot be read (or wrong arguments): nothing was merged, %A is left as
     ours, and git marks the file conflicted
"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(list: &[&str]) -> Vec<OsString> {
        list.iter().map(OsString::from).collect()
    }

    /// A fresh directory of its own under the system's temporary directory.
    fn scratch(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!(
            "traceboard-merge-unit-{}-{name}",
            std::process::id()
        ));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).expect("a scratch directory");
        dir
    }

    #[test]
    fn help_is_asked_for_with_one_flag() {
        assert!(matches!(run(&args(&["--help"])), Ok(Outcome::Help)));
        assert!(matches!(run(&args(&["-h"])), Ok(Outcome::Help)));
        let text = help();
        assert!(text.contains("merge=traceboard"));
        assert!(text.contains("merge.traceboard.driver"));
        assert!(text.contains("%O %A %B %P"));
    }

    #[test]
    fn wrong_argument_counts_are_usage_failures() {
        for list in [&[][..], &["a"], &["a", "b"], &["a", "b", "c", "d", "e"]] {
            let failure = run(&args(list)).expect_err("a usage failure");
            assert!(matches!(failure, Failure::Usage { count } if count == list.len()));
            assert_eq!(failure.status(), 2);
            assert!(failure.to_string().contains(USAGE));
        }
    }

    #[test]
    fn a_missing_version_is_named_and_nothing_is_written() {
        let dir = scratch("missing");
        let ours = dir.join("ours.json");
        fs::write(&ours, "{}").expect("ours");
        let list = [
            dir.join("nowhere.json"),
            ours.clone(),
            dir.join("theirs.json"),
        ];
        let failure = run(&list.map(OsString::from)).expect_err("unreadable base");
        assert!(matches!(
            failure,
            Failure::Read {
                side: Side::Base,
                ..
            }
        ));
        let message = failure.to_string();
        assert!(message.contains("the common version"), "{message}");
        assert!(message.contains("left as ours"), "{message}");
        assert_eq!(fs::read_to_string(&ours).expect("ours"), "{}");
        let _ = fs::remove_dir_all(&dir);
    }

    /// The folder holds the matrix and nothing else (no temporary file left beside it);
    /// then it goes.
    fn assert_only_the_matrix_in(dir: &std::path::Path) {
        let names: Vec<_> = fs::read_dir(dir)
            .expect("listing")
            .filter_map(|e| e.ok().map(|e| e.file_name()))
            .collect();
        assert_eq!(names, [OsString::from("matrix.json")]);
        let _ = fs::remove_dir_all(dir);
    }

    #[test]
    fn writing_replaces_the_file_and_leaves_nothing_beside_it() {
        let dir = scratch("write");
        let path = dir.join("matrix.json");
        fs::write(&path, "old").expect("old");
        write_atomically(&path, b"new").expect("written");
        assert_eq!(fs::read_to_string(&path).expect("new"), "new");
        assert_only_the_matrix_in(&dir);
    }

    #[test]
    fn a_failed_write_leaves_the_file_whole() {
        let dir = scratch("failed-write");
        // A directory where the file should be: the rename onto it fails.
        let path = dir.join("matrix.json");
        fs::create_dir_all(path.join("inside")).expect("a directory in the way");
        assert!(write_atomically(&path, b"new").is_err());
        assert!(path.join("inside").is_dir());
        assert_only_the_matrix_in(&dir);
    }
}
