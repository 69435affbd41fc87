//! The sentences the engine writes for people (event-log lines, timeline markers, story cells,
//! violation details, the linearizability explanation, why a link or a lab's settings are
//! refused), as data: a [`Phrase`] key with an English template whose `{}` are filled in order by
//! the [`Text`]'s arguments.
//!
//! `Display` renders exactly the English the CLI, the goldens and the trace have always had; a
//! viewer in another language translates the key (the web app matches on [`Phrase`], so a new key
//! without a translation does not compile) and fills the same arguments. Texts that travel as
//! plain strings (a violation's detail in the trace, a fault's name in the metrics) are written
//! from these templates too, and [`Text::recognize`] reads them back into a key and arguments.

use std::borrow::Cow;
use std::fmt;

/// Declares the phrases: `Key = "English {} template",`.
macro_rules! phrases {
    ($($key:ident = $en:literal,)*) => {
        /// A sentence or phrase the engine writes (the variant's doc is its English template).
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub enum Phrase {
            $(#[doc = $en] $key,)*
        }

        impl Phrase {
            /// Every phrase, in declaration order.
            pub const ALL: &'static [Phrase] = &[$(Phrase::$key,)*];

            /// The English template.
            pub fn en(self) -> &'static str {
                match self {
                    $(Phrase::$key => $en,)*
                }
            }
        }
    };
}

phrases! {
    // Event-log lines (`run::scenario::describe`): the actor, then what it did.
    Actor = "{} {}",
    RoleIs = "{} {}={}",
    AppendAt = "append {}@{} {}",
    TruncateFrom = "truncate from {}",
    CommitN = "commit {}",
    CrashEv = "crash",
    RestartEv = "restart",
    HealEv = "heal",
    PromiseEv = "promise {}",
    ProposeEv = "propose s{} {} {}",
    AcceptEv = "accept s{} {} {}",
    ChosenEv = "chosen s{} {}",
    BeginsOn = "begins t{} {} on {}",
    VotesOn = "votes {} on t{}",
    Decides = "decides {} t{}",
    InstallsFrom = "installs snapshot {} from n{}",
    CheckpointN = "checkpoint {}",
    RecoverEv = "recover checkpoint={} replayed={}",
    TryOn = "try {} on i{}",
    TestOn = "test {} on i{}: {}",
    RollbackEv = "rollback i{}",
    TakesOver = "takes over from n{} epoch={} ({})",
    OutputEv = "output i{} ({}) {}",
    Dropped = "message #{} dropped ({})",
    HeldBack = "message #{} held back until {}",
    CutEv = "cut {}->{}",
    ClockRate = "clock rate {}/1000",
    InvokeEv = "invoke op{} {}",
    OkRead = "ok op{} read {}",
    OkEv = "ok op{}",
    FailEv = "fail op{}",
    InfoEv = "info op{}",
    ViolationEv = "VIOLATION {}: {}",
    SendsTo = "-> n{} {}",
    Word = "{}",
    // Words inside lines.
    Yes = "yes",
    No = "no",
    Commit = "commit",
    Abort = "abort",
    Pass = "pass",
    Fail = "FAIL",
    BlockPrimary = "primary",
    BlockAlternate = "alternate",
    // Message milestones (the log's line for a notable message).
    VoteForTerm = "vote {} for term {}",
    PreVoteForTerm = "pre-vote {} for term {}",
    Granted = "granted",
    Refused = "refused",
    VoteForEpoch = "vote {} for epoch {}",
    FencedBy = "fenced by epoch {}",
    NewView = "new view of epoch {}, backups [{}]",
    RoutineFailed = "primary routine failed the test on input {}",
    TxnVote = "vote {} t{}",
    TxnCommit = "commit t{}",
    TxnAbort = "abort t{}",
    TxnOutcome = "outcome t{} {}",
    PromiseAccepted = "promise {} (accepted {} at {})",
    Nack = "nack {} (promised {})",
    ChosenAt = "chosen {} at {}",
    PromiseFor = "promise for ballot {} ({} accepted reported)",
    NackOf = "nack of ballot {} (promised {})",
    SnapshotUpTo = "InstallSnapshot up to {} (term {}, {} bytes)",
    // Timeline markers.
    LeadsMarker = "node {} leads {} {}",
    CrashedMarker = "node {} crashed",
    RestartedMarker = "node {} restarted",
    PartitionOf = "partition {}",
    CutMarker = "link {}\u{2192}{} cut",
    HealedMarker = "network healed",
    ViolationMarker = "{}: {}",
    // Violation details (the checkers').
    InTerm = " (term {})",
    DiffCommand = "node {} applied a command{} at index {}, but node {} applied a different command{} there",
    BothLeader = "nodes {} and {} were both leader in term {}",
    BothPrimary = "nodes {} and {} were both primary in epoch {}",
    BothDelivered = "nodes {} and {} both delivered results in epoch {}",
    TwoChosen = "two values chosen in slot {}: {}, and a different one {}",
    ByMajority = "accepted by a majority in ballot {}",
    LearnedBy = "learned by node {}",
    LearnedMinority = "node {} learned a value in slot {} that at most {} acceptors had accepted in one ballot, not a majority of {}",
    NobodyProposed = "node {} took a value in slot {} that nobody proposed",
    PromisedAfter = "acceptor {} promised ballot {} after promising {}",
    AcceptedAfter = "acceptor {} accepted ballot {} in slot {} after promising {}",
    LacksWrite = "node {}, primary of epoch {}, lacks the write of op {} at index {}, acknowledged after it committed in epoch {}",
    VotedTwice = "node {} voted for both {} and {} in term {}",
    Overwrote = "leader {} overwrote its entry at index {}",
    DeletedFrom = "leader {} deleted its entries from index {}",
    LogChanged = "node {} holds an entry of term {} at index {}, but the log before it differs from when that entry was first stored",
    LogsDiffer = "nodes {} and {} both hold an entry of term {} at index {}, but their logs differ at or before it",
    LeaderLacks = "leader {} of term {} lacks the entry at index {}, committed in term {}",
    DeliveredWrong = "node {} delivered {} for input {}, but its {} block's accepted result was {}",
    DeliveredUntested = "node {} delivered the {} block's result for input {} without a passing acceptance test",
    DeliveredDifferently = "node {} delivered input {} differently from node {}",
    VotedBoth = "n{} voted both yes and no on t{}",
    VotedNoCommitted = "n{} voted no on t{}, which n{} decided to commit",
    DecidedBut = "n{} decided {} on t{}, but n{} decided {}",
    CommitThoughNo = "n{} decided commit on t{}, though n{} voted no",
    CommitWithoutYes = "n{} decided commit on t{} without a yes vote from n{}",
    CommittedNoYes = "n{} committed t{} without having voted yes",
    StillInDoubt = "n{} still holds t{}, prepared at {}, in doubt at the end of the run{}",
    AndNMore = " (and {} more)",
    SnapBeyondCommit = "node {} holds a snapshot up to index {}, but only entries up to {} are committed",
    SnapDiffers = "node {}'s snapshot up to index {} holds entries that differ from the committed ones",
    SnapStateDiffers = "node {}'s snapshot at index {} holds a different state from node {}'s",
    SnapRolledBack = "node {} installed node {}'s snapshot up to index {} over a state machine that had applied up to {}: it rolled back",
    OldTermCommit = "leader {} of term {} committed index {}, an entry of term {}: a leader commits by counting replicas only entries of its own term",
    CommitPastEnd = "leader {} of term {} committed index {}, past the end of its log",
    MirrorsDiffer = "n{} applied t{} to key {} after t{}, but n{} applied it to the mirror key {} after t{}: the two copies went through different writes",
    // Node captions and inspector fields of recovery blocks.
    Trying = "trying {}",
    AllBlocksFailed = "all blocks \u{2717}",
    InputState = "i{}: {}",
    BlockRunning = "{} block running",
    BlockAwaitingAck = "{} block accepted, awaiting ack",
    BlockAccepted = "{} block accepted",
    EveryBlockFailed = "every try block failed",
    InputPhase = "input {}: {}",
    // Faults as the metrics name them.
    CrashOf = "crash n{} ({})",
    CutOf = "cut n{}\u{2192}n{}",
    RoleNode = "{} n{}",
    PartitionCutOff = "partition {} ({} cut off)",
    // Long logs in the inspector.
    LogSummaryTerm = "{}entries/last-term-{}",
    LogSummaryEpoch = "{}entries/last-epoch-{}",
    SlotsSummary = "{}slots/applied-{}",
    // Inspector fields the lab adds.
    DownKept = "down (crashed: durable state kept)",
    TimerOf = "{} timer",
    FiresAt = "fires at {}",
    WillBeLost = "will be lost",
    // Story cells (`lab::story`).
    Dash = "\u{2014}",
    Waiting = "waiting ({})",
    NodeAt = "n{} at {}",
    CrashedAt = "n{} crashed at {}",
    NoCrashSilence = "(no crash: silence)",
    NodeSays = "n{} {}",
    NodeSteps = "n{}: {}",
    TookOver = "n{} took over from n{} (epoch {}, {})",
    Commas = "{}, {}",
    Arrows = "{} \u{2192} {}",
    DecidedAt = "{} at {}",
    PresumedAbortAt = "abort (presumed) at {}",
    NoneYet = "none yet",
    BlockedFor = "n{} BLOCKED {}",
    WaitingFor = "n{} waiting {}",
    RollbackStep = "rollback",
    DeliveredBy = "n{}, {} result, epoch {}",
    NotYet = "not yet",
    FromSnapshot = "from snapshot {}, {} entries replayed",
    // The linearizability checker's detail (`check::lin`).
    LinKey = "key {}: {}",
    LinUnwrittenRead = "{} requires a value no operation wrote and the key never held",
    LinPrefix = "longest linearizable prefix has {} of {} ops, ending with {}",
    LinNoFirst = "no op of {} can be linearized first from initial value {}",
    LinBlocked = "{}; with the key holding {}, {} could not be placed before its response{}",
    LinAt = " at {}us",
    LinOverwrite = ": it would overwrite {}, which {} must still see",
    LinAtOverwrite = " at {}us: it would overwrite {}, which {} must still see",
    LinOpIs = "op {} (client {}, {})",
    LinAbsent = "absent",
    // The linearizability explanation (`check::witness`).
    Paragraph = "{} The longest order that explains the history places {} of its {} operations on the key{}",
    Period = ".",
    TailOne = "; one other operation could come next and is impossible too: {}.",
    TailMany = "; other operations could come next and are impossible too: {}.",
    Unwritten = "On key {}, {} {} ({}), but no operation that may have taken effect wrote that value (its write, if any, definitely failed), so no order of the operations explains it.",
    Unexplained = "On key {}, {} {} ({}), and no order of the operations explains it. {}{}",
    HeldBy = "By then the key held {}: {} {} ({}) had to take effect before it",
    StillHeld = "By then the key was still {}: nothing had written it",
    Needed = ", and it needed {}.",
    Stranded = "On key {}, {} {} ({}), and no order of the operations explains it. {}'s {} (op {}) {}, and it replaced {}.",
    AnsweredBefore = "was answered at {}, before client {}'s {} was invoked at {}, so it takes effect first",
    EffectBy = "had to take effect by its answer at {}",
    TookEffect = "took effect",
    WriteOf = "write of {}",
    ReadOf = "read of {}",
    SwapOf = "swap of {} for {}",
    FailedSwap = "failed swap",
    ReadNoun = "read",
    WriteNoun = "write",
    SwapNoun = "swap",
    ClientN = "client {}",
    ClientCap = "Client {}",
    Wrote = "wrote {}",
    Read = "read {}",
    Swapped = "swapped {} for {}",
    SwapFailed = "was told its swap failed because the key did not hold {}",
    Answered = "op {}, invoked at {}, answered at {}",
    NeverAnswered = "op {}, invoked at {}, never answered",
    Absent = "nothing (absent)",
    OpItem = "{} {} (op {})",
    AndMore = "and {} more",
    Items = "{}; {}",
    // Why a share link cannot be opened (`run::link`): what the link wrote is an [`Arg::Input`];
    // `NotANumber` names what was wrong with one of the words that follow it.
    NotANumber = "the link's {} {} is not a number",
    FormatVersion = "format version",
    NodeCount = "node count",
    Seed = "seed",
    ClientCount = "client count",
    OptionValue = "option value",
    MinLatency = "minimum latency",
    MaxLatency = "maximum latency",
    Loss = "loss",
    Duplication = "duplication",
    Time = "time",
    Step = "step",
    Number = "number",
    OtherVersion = "this link uses format version {}; this Quorum Lab reads version {}",
    NoVersion = "this link has no format version (v=...): it was not made by Quorum Lab's Copy link",
    UnknownParameter = "the link has an unknown parameter {}",
    NetNeedsFour = "the link's network settings {} need four numbers",
    NetOutOfRange = "the link's network settings are out of range",
    InterventionN = "intervention {} of the link: {}",
    NotAtStepAction = "{} is not AT.STEP.ACTION",
    NodeOutOfRange = "node {} is out of range",
    UnknownAction = "{} is not an action this link format knows",
    TwoGroups = "node {} is in two partition groups",
    MomentTooLate = "the link's moment is past one hour of simulated time, the limit",
    LinkNodes = "the link asks for {} nodes; the lab runs 2 to 9",
    LinkClients = "the link asks for more than 20 clients",
    InterventionOrder = "intervention {} of the link is out of order",
    InterventionNode = "intervention {} of the link names node {}, but there are {} nodes",
    InterventionNotUser = "intervention {} of the link is not a user action",
    // Why a compare link cannot be opened (`lab::compare`).
    CompareCount = "compare 2 to {} protocols (got {})",
    NamedTwice = "protocol {} is named twice",
    Labeled = "{}: {}",
    MessageNotCompared = "an action on one message cannot be compared: each run has its own messages",
    NoSuchNode = "node {} does not exist: the runs have {} nodes",
    NotAtAction = "{} is not AT.ACTION",
    TimeNotNumber = "the time {} of {} is not a number",
    CompareHasNo = "a compare link has no {}: every protocol runs its defaults on one schedule",
    CompareNoProtocols = "a compare link names its protocols (cmp=raft,multi-paxos)",
    ScheduleTooLate = "the link's schedule goes past one hour of simulated time, the limit",
    ScheduleEntry = "schedule entry {}: {}",
    ScheduleOrder = "the link's schedule is out of order",
    // Why settings cannot run (`lab::new_lab`, a protocol's `configure`).
    UnknownProtocol = "unknown protocol {} (one of: {})",
    NotImplemented = "protocol {} is not implemented in this build yet (available: {})",
    LabNodes = "the lab runs 2 to 9 nodes (got {})",
    NeedsShadow = "recovery-block needs at least 2 nodes, a primary and a shadow (got {})",
    UnknownOption = "unknown option {} (known: {})",
    NoOptions = "unknown option {} (this protocol has no options)",
    UnknownNumeric = "unknown option {} (numeric options: {})",
    NoNumeric = "unknown option {} (this protocol has no numeric options)",
    UnknownBug = "unknown {} bug {} (known: {})",
    ElectionMin = "option election-min-ms must be more than the heartbeat interval, {} ms",
    ElectionMax = "option election-max-ms must be at least election-min-ms and at most 10000",
    BrowserLacks = "the browser lab does not run {} yet (the CLI does: quorum run --protocol {})",
    // Why the classroom's grader cannot grade an answer (`lab::classroom::exercise`).
    NotKindExercise = "this is not a {} exercise",
    NotAChoice = "{} is not one of the choices",
    ValueNotNumber = "the value {} is not a number",
    NotAMessageId = "{} is not a message id",
    NeverViolates = "the exercise's run never violates {}",
    NoCauseMessage = "no message before the violation matches the exercise's cause",
    ExerciseSetup = "the exercise's run cannot be set up: {}",
}

/// The texts joined by `sep` (a phrase `"{}, {}"` or the like), empty for none.
pub fn join(parts: Vec<Text>, sep: Phrase) -> Text {
    let mut parts = parts.into_iter().rev();
    let Some(last) = parts.next() else {
        return text!(Word, "");
    };
    parts.fold(last, |rest, item| Text {
        phrase: sep,
        args: vec![Arg::Text(item), Arg::Text(rest)],
    })
}

/// A recovery block's try block: `primary` or `alternate`.
pub fn block(b: crate::model::event::Block) -> Phrase {
    match b {
        crate::model::event::Block::Primary => Phrase::BlockPrimary,
        crate::model::event::Block::Alternate => Phrase::BlockAlternate,
    }
}

/// `granted` or `refused`.
pub fn granted(yes: bool) -> Phrase {
    if yes {
        Phrase::Granted
    } else {
        Phrase::Refused
    }
}

/// One argument of a [`Text`]: a plain string (a number, a node, a command, or a word such as a
/// role name that a translator may look up), a nested text, or someone's input.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Arg {
    /// Plain words, written as they are.
    Str(String),
    /// A nested phrase.
    Text(Text),
    /// What someone wrote or a list of names (a link's bad parameter, the known options), the
    /// same in every language: a translator never looks its words up.
    Input(String),
}

/// `s` quoted as Rust's `{:?}` writes it, as an [`Arg::Input`].
pub fn quoted(s: &str) -> Arg {
    Arg::Input(format!("{s:?}"))
}

/// The names joined by `, `, as an [`Arg::Input`].
pub fn names(names: &[&str]) -> Arg {
    Arg::Input(names.join(", "))
}

/// A phrase with its arguments; `Display` writes the English.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Text {
    /// The phrase.
    pub phrase: Phrase,
    /// Its arguments, one per `{}` of the template, in order.
    pub args: Vec<Arg>,
}

/// Builds a [`Text`]: `text!(Key, arg, ...)`, each argument anything `Into<Arg>`.
#[macro_export]
macro_rules! text {
    ($key:ident $(, $arg:expr)* $(,)?) => {
        $crate::model::text::Text {
            phrase: $crate::model::text::Phrase::$key,
            args: vec![$($crate::model::text::Arg::from($arg)),*],
        }
    };
}
pub use text;

impl Text {
    /// A phrase without arguments.
    pub fn word(phrase: Phrase) -> Self {
        Text {
            phrase,
            args: Vec::new(),
        }
    }

    /// Reads `s` back as one of the phrases (those with a letter outside their placeholders):
    /// the phrase whose template matches with the most literal text, its placeholders taken as
    /// plain arguments. `None` when no template matches.
    pub fn recognize(s: &str) -> Option<Text> {
        Phrase::ALL
            .iter()
            .filter_map(|&p| {
                let pieces: Vec<&str> = p.en().split("{}").collect();
                let literal: usize = pieces.iter().map(|x| x.len()).sum();
                let letters = pieces
                    .iter()
                    .any(|x| x.bytes().any(|b| b.is_ascii_alphabetic()));
                let args = letters.then(|| match_pieces(s, &pieces)).flatten()?;
                Some((literal, p, args))
            })
            .max_by_key(|(literal, ..)| *literal)
            .map(|(_, phrase, args)| Text {
                phrase,
                args: args.into_iter().map(|a| Arg::Str(a.to_string())).collect(),
            })
    }
}

/// The placeholders' contents when `s` is the literal `pieces` with something between each two
/// (tries every split, so an argument may contain the next piece's text).
fn match_pieces<'a>(s: &'a str, pieces: &[&str]) -> Option<Vec<&'a str>> {
    let (first, rest) = pieces.split_first()?;
    let s = s.strip_prefix(first)?;
    let Some((next, more)) = rest.split_first() else {
        return s.is_empty().then(Vec::new);
    };
    if more.is_empty() {
        let arg = s.strip_suffix(next)?;
        return Some(vec![arg]);
    }
    for (at, _) in s.match_indices(next) {
        if let Some(mut args) = match_pieces(&s[at..], rest) {
            args.insert(0, &s[..at]);
            return Some(args);
        }
    }
    None
}

/// Writes `template` with its `{}` replaced by `arg(i)` for the i-th placeholder.
pub fn fill_template(
    f: &mut impl fmt::Write,
    template: &str,
    mut arg: impl FnMut(&mut dyn fmt::Write, usize) -> fmt::Result,
) -> fmt::Result {
    for (i, piece) in template.split("{}").enumerate() {
        if i > 0 {
            arg(f, i - 1)?;
        }
        f.write_str(piece)?;
    }
    Ok(())
}

impl fmt::Display for Text {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fill_template(f, self.phrase.en(), |f, i| match self.args.get(i) {
            Some(Arg::Str(s) | Arg::Input(s)) => f.write_str(s),
            Some(Arg::Text(t)) => write!(f, "{t}"),
            None => Ok(()),
        })
    }
}

/// A text where a plain message is wanted (the CLI's errors): its English.
impl From<Text> for String {
    fn from(t: Text) -> Self {
        t.to_string()
    }
}

impl From<Text> for Arg {
    fn from(t: Text) -> Self {
        Arg::Text(t)
    }
}

impl From<Phrase> for Arg {
    fn from(p: Phrase) -> Self {
        Arg::Text(Text::word(p))
    }
}

impl From<String> for Arg {
    fn from(s: String) -> Self {
        Arg::Str(s)
    }
}

impl From<&str> for Arg {
    fn from(s: &str) -> Self {
        Arg::Str(s.to_string())
    }
}

impl From<&String> for Arg {
    fn from(s: &String) -> Self {
        Arg::Str(s.clone())
    }
}

impl From<Cow<'_, str>> for Arg {
    fn from(s: Cow<'_, str>) -> Self {
        Arg::Str(s.into_owned())
    }
}

impl From<&Cow<'_, str>> for Arg {
    fn from(s: &Cow<'_, str>) -> Self {
        Arg::Str(s.to_string())
    }
}

macro_rules! number_args {
    ($($t:ty),*) => {$(
        impl From<$t> for Arg {
            fn from(n: $t) -> Self {
                Arg::Str(n.to_string())
            }
        }
        impl From<&$t> for Arg {
            fn from(n: &$t) -> Self {
                Arg::Str(n.to_string())
            }
        }
    )*};
}
number_args!(u8, u32, u64, usize);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_text_writes_its_english_template_filled_in_order() {
        let t = text!(VotesOn, Phrase::Yes, 3u64);
        assert_eq!(t.to_string(), "votes yes on t3");
        let nested = text!(Actor, "n2", t);
        assert_eq!(nested.to_string(), "n2 votes yes on t3");
    }

    #[test]
    fn a_written_text_is_recognized_with_its_arguments() {
        let t = Text::recognize("node 3 leads term 4").expect("a marker");
        assert_eq!(t.phrase, Phrase::LeadsMarker);
        assert_eq!(t.to_string(), "node 3 leads term 4");
        let t = Text::recognize("n2 BLOCKED 1.2s").unwrap();
        assert_eq!(t.phrase, Phrase::BlockedFor);
        assert!(Text::recognize("12").is_none());
    }

    #[test]
    fn an_argument_may_contain_the_next_literal() {
        assert_eq!(
            match_pieces("a b c d", &["", " ", ""]),
            Some(vec!["a", "b c d"])
        );
        assert_eq!(
            match_pieces("x: y: z", &["", ": ", ": ", ""]),
            Some(vec!["x", "y", "z"])
        );
    }
}
