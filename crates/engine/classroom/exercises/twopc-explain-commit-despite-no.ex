# Explain: which message broke atomicity?
protocol 2pc
kind explain
title Explain: commit despite a no
title.zh 解释：有反对票仍然提交
scenario twopc_bug_commit_despite_no
text With the bug commit-despite-no, node 3 aborted t2 but the coordinator decided commit (Atomicity). Pick the message that told node 3 to do what it had refused.
text.zh 在缺陷 commit-despite-no 下，节点 3 中止了 t2，协调者却决定提交（违反 Atomicity）。选出那条要求节点 3 执行它已拒绝之事的消息。
invariant Atomicity
cause send type=Commit to=3 txn=2
allow
