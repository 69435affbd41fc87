//! The protocol registry: every protocol the simulator runs, once, in menu order. Adding a
//! protocol is its folder (its `Spec` and `Protocol`) and one line in [`registry!`]; the CLI's
//! names (`runner::PROTOCOLS`, `with_protocol!`), the app's `any::AnyNode`, and the tests that
//! walk every protocol (planted bugs, docs, the lab) follow from it.

/// Calls `$callback!` with every protocol as `Variant(Type)`, after any tokens given first.
macro_rules! registry {
    ($callback:ident $($first:tt)*) => {
        $callback! { $($first)*
            Raft(crate::protocols::raft::Raft),
            Paxos(crate::protocols::paxos::basic::Paxos),
            MultiPaxos(crate::protocols::paxos::multi::MultiPaxos),
            PrimaryBackup(crate::protocols::primary_backup::PrimaryBackup),
            TwoPc(crate::protocols::twopc::TwoPhaseCommit),
            RecoveryBlock(crate::protocols::recovery_block::RecoveryBlock),
        }
    };
}

/// Defines `with_protocol!` over the registry (`$d` is a `$` for the inner macro's variables).
macro_rules! define_with_protocol {
    ($d:tt $($V:ident($T:ty)),* $(,)?) => {
        /// Runs `$body` with the type alias `$P` bound to the protocol named `$name`, or answers
        /// that no protocol has that name.
        macro_rules! with_protocol {
            ($d name:expr, |$d P:ident| $d body:expr) => {{
                let name: &str = $d name;
                #[allow(clippy::never_loop)]
                loop {
                    $(
                        if name == <$T as crate::sim::protocol::Spec>::NAME {
                            type $d P = $T;
                            break $d body;
                        }
                    )*
                    break Err(format!("protocol {name:?} is not implemented"));
                }
            }};
        }
    };
}

registry!(define_with_protocol $);

/// Defines `PROTOCOLS`, every protocol's name in registry order.
macro_rules! define_protocol_names {
    ($($V:ident($T:ty)),* $(,)?) => {
        /// Every protocol name the CLI knows, in menu order, with whether this build implements
        /// it (every one does; the flag is kept for the error messages of `check_protocol`).
        pub const PROTOCOLS: &[(&str, bool)] =
            &[$((<$T as crate::sim::protocol::Spec>::NAME, true)),*];
    };
}
