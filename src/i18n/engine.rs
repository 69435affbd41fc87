//! Chinese for the engine's fixed English texts that the app shows: the built-in scenarios'
//! titles and what to watch for, the story tables' titles, columns and notes, and the protocols'
//! option and planted-bug descriptions. The engine keeps its English; the app looks texts up here.
//! A native test walks the engine's lists and fails on any text missing from this table.

/// English text, then its Chinese.
pub(super) const PAIRS: &[(&str, &str)] = &[
    // Scenario titles and what to watch for (lab::catalog::SCENARIOS).
    ("First election", "首次选举"),
    ("Every node starts as a follower; the first election timer to run out makes a candidate, which collects a majority of votes and becomes leader.", "每个节点都以 follower 开始；选举计时器最先到期的节点成为 candidate，它获得多数票后成为 leader。"),
    ("Split vote", "选票分裂"),
    ("Two candidates split the votes in term 1, so nobody wins; randomized timeouts let one of them win term 2.", "两个 candidate 在任期 1 中瓜分了选票，谁也没赢；随机化的超时让其中一个赢得任期 2。"),
    ("A stale candidate loses", "日志落后的 candidate 落选"),
    ("Node 3 missed a committed entry; when it runs for leader, the others refuse their votes because its log is behind.", "节点 3 漏掉了一条已提交的条目；它竞选 leader 时，其他节点因为它的日志落后而拒绝投票。"),
    ("Leader steps down", "leader 退位"),
    ("An isolated follower keeps raising its term; when it returns, the leader sees the higher term and steps down.", "被隔离的 follower 不断提高任期；它回来时，leader 看到更高的任期而退位。"),
    ("Partitioned leader cannot commit", "被分区的 leader 无法提交"),
    ("The old leader, cut off with a minority, appends a request that never commits; the majority elects a new leader and keeps serving.", "旧 leader 与少数派一起被隔开，它追加的请求永远无法提交；多数派选出新 leader 并继续服务。"),
    ("Conflicting entries repaired", "修复冲突的条目"),
    ("The old leader's uncommitted entries conflict with the new leader's log and are deleted and replaced when it rejoins.", "旧 leader 未提交的条目与新 leader 的日志冲突，在它重新加入时被删除并替换。"),
    ("PreVote on a rejoining node", "重新加入的节点与 PreVote"),
    ("With PreVote on, the isolated node only asks for pre-votes, so its term never grows and its return disrupts nobody.", "开启 PreVote 后，被隔离的节点只请求预投票，任期不会增长，它回来时不会干扰任何节点。"),
    ("Crash and restart", "崩溃与重启"),
    ("A crashed node comes back with its term, vote and log (durable state) and rebuilds its store (volatile state) by replaying the entries it knew committed.", "崩溃的节点带着任期、投票和日志（持久状态）回来，并重放它已知已提交的条目来重建存储（易失状态）。"),
    ("The paper's Figure 8", "论文的图 8"),
    ("With the no-op of a new term off, an old-term entry reaches a majority but is not committed by counting replicas; a later leader overwrites it safely.", "关闭新任期的空操作后，旧任期的条目到达了多数派，但不会靠计数副本来提交；之后的 leader 安全地覆盖了它。"),
    ("Figure 8 with the bug", "带缺陷的图 8"),
    ("Planted bug: the leader commits an old-term entry by counting replicas (CurrentTermCommit); a later leader overwrites it and StateMachineSafety turns red.", "植入的缺陷：leader 靠计数副本提交了旧任期的条目（CurrentTermCommit）；之后的 leader 覆盖了它，StateMachineSafety 变红。"),
    ("A new leader's no-op", "新 leader 的空操作"),
    ("The old leader's entry is on every live node but uncommitted; the new leader's no-op of its own term commits it at once, with no client writing (section 8).", "旧 leader 的条目在每个存活节点上但未提交；新 leader 在自己任期的空操作立即提交了它，不需要客户端写入（第 8 节）。"),
    ("No no-op: the old entry waits", "没有空操作：旧条目在等待"),
    ("The same schedule with option noop off: the old entry stays uncommitted for 5 s under the new leader, until a client writes.", "同样的时间表，关闭 noop 选项：在新 leader 下旧条目 5 秒内一直未提交，直到客户端写入。"),
    ("A durable vote", "持久化的投票"),
    ("Node 2 votes, crashes and restarts; it remembers its vote and refuses a second candidate in the same term.", "节点 2 投票后崩溃并重启；它记得自己的投票，拒绝同一任期的第二个 candidate。"),
    ("Bug: vote forgotten", "缺陷：忘记投票"),
    ("Planted bug: votedFor is not persisted, so node 2 votes twice in term 1 and two leaders appear (ElectionSafety).", "植入的缺陷：votedFor 没有持久化，节点 2 在任期 1 中投了两次票，出现两个 leader（ElectionSafety）。"),
    ("Bug: no log check in votes", "缺陷：投票不检查日志"),
    ("Planted bug: voters skip the up-to-date check, a stale node wins, and a committed entry is missing from its log (LeaderCompleteness).", "植入的缺陷：投票者跳过日志新旧检查，落后的节点当选，它的日志中缺少一条已提交的条目（LeaderCompleteness）。"),
    ("Catching up by snapshot", "通过快照追赶"),
    ("The leader has compacted the entries a cut-off follower lacks, so when it returns it receives the snapshot (InstallSnapshot) and then the newer entries.", "leader 已压缩了被隔开的 follower 所缺的条目，所以它回来时先收到快照（InstallSnapshot），再收到更新的条目。"),
    ("Recovery from a checkpoint", "从检查点恢复"),
    ("A node that took snapshots crashes and restarts: it loads its snapshot and replays only the committed entries after it (the recover line).", "做过快照的节点崩溃并重启：它加载快照，只重放快照之后的已提交条目（恢复那一行）。"),
    ("Bug: snapshot of uncommitted entries", "缺陷：对未提交条目做快照"),
    ("Planted bug: nodes snapshot their whole log, entries not yet committed included (SnapshotSafety).", "植入的缺陷：节点对整个日志做快照，包括尚未提交的条目（SnapshotSafety）。"),
    ("Bug: stale snapshot installed", "缺陷：安装了过时的快照"),
    ("Planted bug: a delayed InstallSnapshot rolls a follower's store back and drops entries from its log (SnapshotSafety).", "植入的缺陷：延迟到达的 InstallSnapshot 让 follower 的存储回滚，并丢掉了日志中的条目（SnapshotSafety）。"),
    ("Bug: stale suffix kept", "缺陷：保留了过时的后缀"),
    ("Planted bug: a follower overwrites one conflicting entry but keeps stale entries after it, so logs mix two histories (LogMatching).", "植入的缺陷：follower 覆盖了一条冲突的条目，却保留了其后的过时条目，日志混合了两段历史（LogMatching）。"),
    ("Paxos: one proposer", "Paxos：一个提议者"),
    ("Node 1 runs ballot 1.1: Prepare, a majority of promises, Accept with its own value, a majority of acceptances: the value is chosen and every learner is told.", "节点 1 运行提案 1.1：Prepare，多数派承诺，用自己的值 Accept，多数派接受：值被选定，并通知每个学习者。"),
    ("Paxos: duelling proposers", "Paxos：决斗的提议者"),
    ("Back-off is off: two proposers keep pre-empting each other with higher ballots, so nothing is ever chosen although no message is lost (the livelock of section 2.4).", "关闭退避：两个提议者不断用更高的提案号抢占对方，虽然没有丢失任何消息，却什么也选不定（第 2.4 节的活锁）。"),
    ("Paxos: duel resolved by back-off", "Paxos：退避化解决斗"),
    ("The same duel with randomized back-off: one proposer finishes both phases while the other waits, and a value is chosen within a few rounds.", "同样的决斗加上随机退避：一个提议者完成两个阶段，另一个在等待，几轮之内就选定了一个值。"),
    ("Paxos: acceptor crash between phases", "Paxos：接受者在两阶段之间崩溃"),
    ("Node 3 promises, then crashes before the Accept arrives; a majority is enough, and on restart it still remembers its promise (durable) and learns the chosen value.", "节点 3 作出承诺，然后在 Accept 到达前崩溃；多数派就足够了，重启后它仍记得自己的承诺（持久），并得知选定的值。"),
    ("Paxos bug: accept below promise", "Paxos 缺陷：接受低于承诺的提案"),
    ("Planted bug: acceptors accept a ballot lower than the one they promised (PromiseMonotonic).", "植入的缺陷：接受者接受了比所承诺的更低的提案号（PromiseMonotonic）。"),
    ("Paxos bug: promised values ignored", "Paxos 缺陷：忽略承诺中的值"),
    ("Planted bug: a proposer proposes its own value although a promise reports an accepted one, and a second value is chosen (Agreement).", "植入的缺陷：尽管承诺中报告了已接受的值，提议者仍提出自己的值，结果选定了第二个值（Agreement）。"),
    ("Paxos bug: learner counts a minority", "Paxos 缺陷：学习者只数了少数派"),
    ("Planted bug: one acceptance is taken as a choice (LearnedImpliesChosen); two different values end up chosen (Agreement).", "植入的缺陷：一次接受就被当作选定（LearnedImpliesChosen）；最终选定了两个不同的值（Agreement）。"),
    ("Multi-Paxos: steady state", "Multi-Paxos：稳定状态"),
    ("The leader runs phase 1 once for every slot, then one Accept round per command; chosen slots fill left to right on every node.", "leader 为所有槽位只运行一次阶段 1，然后每条命令一轮 Accept；每个节点上已选定的槽位从左到右填满。"),
    ("Multi-Paxos: a new leader completes a slot", "Multi-Paxos：新 leader 补完槽位"),
    ("The old leader left slot 3 accepted by a minority and slot 2 empty; the new leader re-proposes slot 3's value and fills slot 2 with a no-op (\u{2205}).", "旧 leader 留下了只被少数派接受的槽位 3 和空的槽位 2；新 leader 重新提出槽位 3 的值，并用空操作（\u{2205}）填充槽位 2。"),
    ("Multi-Paxos: acceptor crash", "Multi-Paxos：接受者崩溃"),
    ("Node 3 misses slots 3 to 5 while down; its durable state survives, and the leader sends it the decisions it missed.", "节点 3 宕机期间错过了槽位 3 到 5；它的持久状态保留了下来，leader 把它错过的决定发给它。"),
    ("Multi-Paxos bug: accept below promise", "Multi-Paxos 缺陷：接受低于承诺的提案"),
    ("Planted bug: a deposed leader's old ballot is accepted despite a newer promise, and slot 2 gets a second value (Agreement).", "植入的缺陷：尽管有更新的承诺，被废黜 leader 的旧提案号仍被接受，槽位 2 得到了第二个值（Agreement）。"),
    ("Multi-Paxos bug: promise forgotten", "Multi-Paxos 缺陷：忘记承诺"),
    ("Planted bug: the promise is not durable; after a restart node 2 accepts an old ballot and slot 2 gets a second value (Agreement).", "植入的缺陷：承诺没有持久化；重启后节点 2 接受了旧的提案号，槽位 2 得到了第二个值（Agreement）。"),
    ("Multi-Paxos bug: recovery skipped", "Multi-Paxos 缺陷：跳过恢复"),
    ("Planted bug: the new leader ignores the values the promises report and puts a new command in a slot already chosen (Agreement).", "植入的缺陷：新 leader 忽略承诺中报告的值，把新命令放进已选定的槽位（Agreement）。"),
    ("Primary-backup: failover", "主备：故障转移"),
    ("The primary crashes; the backups stop hearing heartbeats, one stands for epoch 2, the other votes for it, and the new primary catches up and serves: detection delay, promotion, catch-up.", "主节点崩溃；备份节点收不到心跳，一个备份竞选纪元 2，另一个为它投票，新的主节点追赶后开始服务：检测延迟、晋升、追赶。"),
    ("Primary-backup: a backup catches up", "主备：备份节点追赶"),
    ("A backup misses writes while down; the primary forms a smaller view to keep acknowledging, and the restarted node catches up and rejoins.", "备份节点宕机期间错过了写入；主节点组成更小的视图以继续确认，重启的节点追赶后重新加入。"),
    ("Primary-backup: a stale primary is fenced", "主备：隔离过时的主节点"),
    ("The primary is cut off with a minority; its write is never acknowledged, the majority promotes a new primary in a higher epoch, and the old one is refused (fenced) when it returns.", "主节点与少数派一起被隔开；它的写入永远得不到确认，多数派在更高的纪元中晋升新的主节点，旧主节点回来时被拒绝（隔离）。"),
    ("Primary-backup bug: split brain", "主备缺陷：脑裂"),
    ("Planted bug: promotion without a majority and without fencing; two nodes act as primary of one epoch (OnePrimaryPerEpoch).", "植入的缺陷：没有多数派、也没有隔离就晋升；两个节点在同一纪元都充当主节点（OnePrimaryPerEpoch）。"),
    ("Primary-backup bug: early acknowledgement", "主备缺陷：过早确认"),
    ("Planted bug: the primary acknowledges a write before its backups have it, then crashes; the new primary never had it (NoLostAcknowledgedWrite).", "植入的缺陷：主节点在备份拿到写入之前就确认了它，然后崩溃；新的主节点从未拿到这次写入（NoLostAcknowledgedWrite）。"),
    ("Recovery blocks: the alternate saves the day", "恢复块：替代例程力挽狂澜"),
    ("The primary routine's software fault gives a wrong result; the acceptance test rejects it, the state is rolled back to the recovery point, and the shadow's alternate result is delivered after a role swap.", "主例程的软件故障给出了错误结果；验收测试拒绝了它，状态回滚到恢复点，角色交换后交付影子节点的替代结果。"),
    ("Recovery blocks: the primary node crashes", "恢复块：主节点崩溃"),
    ("The primary node crashes mid-input; the shadow, which ran the alternate on the same input, hears no heartbeat, takes over and delivers.", "主节点在处理输入途中崩溃；影子节点已对同一输入运行了替代例程，它收不到心跳，于是接管并交付。"),
    ("Recovery blocks: a stale primary is fenced", "恢复块：隔离过时的主节点"),
    ("Cut off from its shadow, the old primary cannot deliver (it needs the shadow's acknowledgement), while the shadow takes over in a new epoch.", "与影子节点隔开后，旧主节点无法交付（它需要影子节点的确认），而影子节点在新的纪元中接管。"),
    ("Recovery-block bug: no acceptance test", "恢复块缺陷：没有验收测试"),
    ("Planted bug: a try block's result is delivered untested, and a wrong result reaches the client (AcceptedResultsOnly).", "植入的缺陷：尝试块的结果未经测试就被交付，错误结果到达了客户端（AcceptedResultsOnly）。"),
    ("Recovery-block bug: no rollback", "恢复块缺陷：没有回滚"),
    ("Planted bug: the alternate runs on the state the failed primary routine left behind (caught by linearizability at the end of the run).", "植入的缺陷：替代例程在失败的主例程留下的状态上运行（在运行结束时被线性一致性检查发现）。"),
    ("Recovery blocks: restarts never reuse an input number", "恢复块：重启从不复用输入编号"),
    ("Both nodes restart while a result is in flight; each restart starts a new epoch, so the stale result is fenced and the write that follows is acknowledged by epoch, number and content (the fix of a lost acknowledged write).", "结果还在途中时两个节点都重启了；每次重启开始新的纪元，所以过时的结果被隔离，随后的写入按纪元、编号和内容确认（修复已确认写入丢失的问题）。"),
    ("Recovery-block bug: no new epoch", "恢复块缺陷：没有新纪元"),
    ("Planted bug: the shadow takes over without starting a new epoch, so two nodes are primary, and deliver, in one epoch (OnePrimaryPerEpoch, OneDelivererPerEpoch).", "植入的缺陷：影子节点接管时没有开始新的纪元，两个节点在同一纪元都是主节点并都交付（OnePrimaryPerEpoch、OneDelivererPerEpoch）。"),
    ("Recovery-block bug: acknowledgement by count", "恢复块缺陷：按计数确认"),
    ("Planted bug: a restarted node keeps its epoch and acknowledgements name only a count; a stale result from before a crash is taken for another write's, which is lost (StateMachineSafety, Linearizability).", "植入的缺陷：重启的节点保留原纪元，确认只带计数；崩溃前的过时结果被当作另一次写入的结果，那次写入丢失了（StateMachineSafety、Linearizability）。"),
    ("2PC: commit", "2PC：提交"),
    ("Phase 1: both participants lock and vote yes; phase 2: the coordinator logs commit, tells them, and they apply and release their locks.", "阶段 1：两个参与者加锁并投赞成票；阶段 2：协调者记录提交并通知它们，它们应用写入并释放锁。"),
    ("2PC: one no vote aborts", "2PC：一票反对即中止"),
    ("A participant votes no (its cas fails); the coordinator decides abort, tells only the participant that voted yes, which rolls back, and forgets the transaction (presumed abort).", "一个参与者投反对票（它的 cas 失败）；协调者决定中止，只通知投了赞成票的参与者让它回滚，然后忘掉这个事务（推定中止）。"),
    ("2PC: the coordinator crashes (blocking)", "2PC：协调者崩溃（阻塞）"),
    ("Both participants voted yes and the coordinator crashed: they may neither commit nor abort, so they hold their locks, blocked, until the restarted coordinator, which does not know the transaction, answers their question: abort.", "两个参与者都投了赞成票而协调者崩溃了：它们既不能提交也不能中止，只能持锁阻塞，直到重启的协调者（它不知道这个事务）回答它们的询问：中止。"),
    ("2PC: a participant recovers in doubt", "2PC：参与者在不确定状态下恢复"),
    ("A participant crashes while prepared; its prepared state is durable, so it restarts in doubt, asks the coordinator, and learns the outcome.", "参与者在已准备时崩溃；它的准备状态是持久的，所以重启后处于不确定状态，询问协调者并得知结果。"),
    ("2PC: cooperative termination", "2PC：协作终止"),
    ("With the coordinator down, a blocked participant asks the other participant, which knows the decision, and finishes without waiting.", "协调者宕机时，被阻塞的参与者询问另一个知道决定的参与者，不必等待就能完成。"),
    ("2PC bug: commit despite a no", "2PC 缺陷：有反对票仍提交"),
    ("Planted bug: the coordinator commits although a participant voted no (Atomicity).", "植入的缺陷：尽管有参与者投了反对票，协调者仍然提交（Atomicity）。"),
    ("2PC: the logged variant", "2PC：记录日志的变体"),
    ("With option presumed-nothing the same abort is written to the log, sent to both participants and acknowledged by both; presumed abort does none of this.", "开启 presumed-nothing 选项后，同样的中止会写入日志、发给两个参与者并由两者确认；推定中止不做这些。"),
    ("2PC bug: no locks", "2PC 缺陷：不加锁"),
    ("Planted bug: participants take no locks, two transactions on one key reach its two shards in different orders, and the key and its mirror end different (MirrorsAgree).", "植入的缺陷：参与者不加锁，同一个键上的两个事务以不同顺序到达它的两个分片，键与它的镜像最终不同（MirrorsAgree）。"),
    ("2PC bug: volatile prepare", "2PC 缺陷：易失的准备状态"),
    ("Planted bug: prepared state is not durable; a participant that voted yes forgets the transaction on restart (Atomicity).", "植入的缺陷：准备状态没有持久化；投了赞成票的参与者重启后忘记了这个事务（Atomicity）。"),
    // Story tables (lab::story).
    ("Failover timeline", "故障转移时间线"),
    ("epoch", "纪元"),
    ("primary", "主节点"),
    ("failure", "故障"),
    ("detected after", "检测用时"),
    ("promoted after", "晋升用时"),
    ("caught up after", "追赶用时"),
    ("Detection: from the primary's crash to a backup standing as candidate (heartbeats stopped). Promotion: from standing to winning a majority of votes. Catch-up: from promotion to the new primary's first commit in its epoch.", "检测：从主节点崩溃到某个备份竞选（心跳停止）。晋升：从竞选到赢得多数票。追赶：从晋升到新主节点在其纪元中的首次提交。"),
    ("Transactions", "事务"),
    ("txn", "事务"),
    ("votes", "投票"),
    ("decision", "决定"),
    ("in doubt (yes vote → outcome known)", "不确定期（赞成票 → 得知结果）"),
    ("A participant that voted yes may neither commit nor abort until it learns the decision: while the coordinator is down it is blocked, holding its locks.", "投了赞成票的参与者在得知决定之前既不能提交也不能中止：协调者宕机期间它被阻塞，持有锁。"),
    ("Recovery blocks", "恢复块"),
    ("input", "输入"),
    ("try blocks and acceptance tests", "尝试块与验收测试"),
    ("delivered by", "交付者"),
    ("\u{2713}/\u{2717}: the acceptance test passed or failed. A failed test restores the recovery point (rollback) before the next try block; the shadow ran the alternate first and takes over when the primary node's result fails or it stops answering.", "\u{2713}/\u{2717}：验收测试通过或失败。测试失败时，在下一个尝试块之前恢复到恢复点（回滚）；影子节点先运行了替代例程，在主节点的结果失败或主节点不再应答时接管。"),
    ("Checkpoints", "检查点"),
    ("node", "节点"),
    ("snapshots taken", "快照数"),
    ("installed", "已安装"),
    ("last index", "最后索引"),
    ("written", "写入量"),
    ("last recovery", "最近一次恢复"),
    ("A node snapshots its store every snapshot-interval applied entries and drops the log before it; a restart loads the snapshot and replays only the entries after it.", "节点每应用 snapshot-interval 条条目就对存储做一次快照，并丢弃快照之前的日志；重启时加载快照，只重放快照之后的条目。"),
];

/// The Chinese of one of the engine's fixed English texts, if the table has it.
pub fn zh_of(english: &str) -> Option<&'static str> {
    PAIRS
        .iter()
        .chain(super::about::ABOUT)
        .find(|(en, _)| *en == english)
        .map(|(_, zh)| *zh)
}

#[cfg(test)]
mod tests {
    use quorum_engine::lab::catalog::SCENARIOS;
    use quorum_engine::lab::{lab_protocols, new_lab, Setup};

    use super::{zh_of, PAIRS};

    fn missing<'a>(texts: impl Iterator<Item = &'a str>) -> Vec<&'a str> {
        texts.filter(|t| zh_of(t).is_none()).collect()
    }

    #[test]
    fn every_scenario_title_and_watch_sentence_has_chinese() {
        let texts = SCENARIOS.iter().flat_map(|s| [s.title, s.watch]);
        assert_eq!(missing(texts), Vec::<&str>::new());
    }

    #[test]
    fn every_story_table_has_chinese_title_columns_and_note() {
        for protocol in lab_protocols() {
            let setup = Setup {
                protocol: protocol.to_string(),
                ..Setup::default()
            };
            let Some(story) = new_lab(&setup).expect("a lab").story() else {
                continue;
            };
            let texts = [story.title, story.note].into_iter().chain(story.columns);
            assert_eq!(missing(texts), Vec::<&str>::new(), "{protocol}");
        }
    }

    #[test]
    fn each_english_text_is_in_the_table_once() {
        for (en, _) in PAIRS {
            assert_eq!(PAIRS.iter().filter(|(e, _)| e == en).count(), 1, "{en}");
        }
    }

    #[test]
    fn every_option_bug_and_invariant_sentence_has_chinese() {
        use quorum_engine::run::runner;
        for p in lab_protocols() {
            let options = runner::options(p).unwrap_or_default().iter().map(|o| o.2);
            let bugs = runner::bugs(p).unwrap_or_default().iter().map(|b| b.about);
            assert_eq!(missing(options.chain(bugs)), Vec::<&str>::new(), "{p}");
            let setup = Setup {
                protocol: p.to_string(),
                ..Setup::default()
            };
            let invariants = new_lab(&setup).expect("a lab").invariants();
            let texts = invariants.iter().map(|i| i.describe.as_str());
            assert_eq!(missing(texts), Vec::<&str>::new(), "{p}");
        }
    }
}
