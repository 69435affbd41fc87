//! Running the recovery block on one input: recovery point, try blocks, acceptance test,
//! rollback. Both roles share this; they differ in which try block runs first and in what they do
//! with an accepted result.

use super::routines::{acceptance_test, is_faulty, run_block};
use super::{Job, Phase, RecoveryBlock, RecoveryBlockMsg, Role, COMPUTE};
use crate::model::event::{Block, Event};
use crate::model::kv::{Cmd, KvResult};
use crate::sim::protocol::Out;

impl RecoveryBlock {
    /// Enters the recovery block for `input`: establishes the recovery point (a copy of the
    /// applied state) and starts the try block this role runs first.
    pub(super) fn start_job(
        &mut self,
        input: u64,
        cmd: Cmd,
        first: Block,
        out: &mut Out<RecoveryBlockMsg>,
    ) {
        self.v.job = Some(Job {
            input,
            cmd,
            recovery_point: self.d.store.clone(),
            work: self.d.store.clone(),
            first,
            phase: Phase::Running(first),
            awaiting_ack: None,
        });
        self.begin_block(first, out);
    }

    /// Starts a try block; it finishes when `COMPUTE` fires (the alternate takes longer).
    fn begin_block(&mut self, block: Block, out: &mut Out<RecoveryBlockMsg>) {
        let Some(job) = self.v.job.as_mut() else {
            return;
        };
        job.phase = Phase::Running(block);
        out.emit(Event::Try {
            node: self.id,
            input: job.input,
            block,
        });
        let time = match block {
            Block::Primary => self.cfg.primary_block_time,
            Block::Alternate => self.cfg.alternate_block_time,
        };
        out.set_timer(COMPUTE, time);
    }

    /// The running try block is done: compute its result on the working state and judge it with
    /// the acceptance test (unless the planted bug skips the test).
    pub(super) fn finish_block(&mut self, out: &mut Out<RecoveryBlockMsg>) {
        let faulty = self.cfg.software_fault;
        let (one_in, skip) = (self.cfg.fault_one_in, self.cfg.bugs.skip_acceptance_test);
        let node = self.id;
        let Some(job) = self.v.job.as_mut() else {
            return;
        };
        let Phase::Running(block) = job.phase else {
            return;
        };
        let faulty = faulty && is_faulty(&job.cmd, one_in);
        let result = run_block(block, faulty, &mut job.work, &job.cmd.kv);
        let pass = skip || acceptance_test(&job.recovery_point, &job.work, &job.cmd.kv, &result);
        if !skip {
            out.emit(Event::Test {
                node,
                input: job.input,
                block,
                pass,
                result: result.clone(),
            });
        }
        if pass {
            job.phase = Phase::Accepted(block, result);
            return self.on_accepted(out);
        }
        self.on_rejected(block, out);
    }

    /// A try block failed its test: roll back to the recovery point and run the other one; after
    /// the second failure the recovery block has failed and nothing is delivered.
    fn on_rejected(&mut self, block: Block, out: &mut Out<RecoveryBlockMsg>) {
        let no_rollback = self.cfg.bugs.no_rollback;
        let node = self.id;
        let Some(job) = self.v.job.as_mut() else {
            return;
        };
        if block != job.first {
            job.phase = Phase::Failed;
            return;
        }
        out.emit(Event::Rollback {
            node,
            input: job.input,
        });
        if !no_rollback {
            job.work = job.recovery_point.clone();
        }
        if self.v.role == Role::Primary && self.v.shadow_in_sync {
            let msg = RecoveryBlockMsg::Failed {
                epoch: self.d.epoch,
                input: job.input,
            };
            out.send(self.peer(), msg);
        }
        self.begin_block(block.other(), out);
    }

    /// A result passed: the primary sends it to its shadow (or, alone, delivers it); a shadow
    /// whose primary already failed on this input takes over.
    pub(super) fn on_accepted(&mut self, out: &mut Out<RecoveryBlockMsg>) {
        let Some((input, first)) = self.v.job.as_ref().map(|j| (j.input, j.first)) else {
            return;
        };
        let retried = self.accepted().is_some_and(|(block, _)| block != first);
        match self.v.role {
            // After its primary routine failed, the primary leaves the input to the shadow, which
            // takes over with its own result; only if the shadow stays silent does the next
            // heartbeat send this node's own alternate result instead.
            Role::Primary if self.v.shadow_in_sync && retried => {}
            Role::Primary if self.v.shadow_in_sync => self.send_result(out),
            Role::Primary => self.deliver(out),
            Role::Shadow if self.v.peer_failed == Some(input) => {
                self.take_over("failed-test", true, out)
            }
            _ => {}
        }
    }

    /// The accepted result of the job, if any: (block, result).
    pub(super) fn accepted(&self) -> Option<(Block, KvResult)> {
        match &self.v.job.as_ref()?.phase {
            Phase::Accepted(block, result) => Some((*block, result.clone())),
            _ => None,
        }
    }
}
