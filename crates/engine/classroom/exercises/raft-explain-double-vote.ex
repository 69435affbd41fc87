# Explain: which message made the second leader of term 1?
protocol raft
kind explain
title Explain: the second leader
title.zh 解释：第二个 leader
scenario bug_forget_vote
text With the bug forget-vote, nodes 1 and 3 both lead term 1 (ElectionSafety). Pick the message that gave node 3 its majority.
text.zh 在缺陷 forget-vote 下，节点 1 和节点 3 都是任期 1 的 leader（违反 ElectionSafety）。选出让节点 3 获得多数票的那条消息。
invariant ElectionSafety
cause send type=RequestVoteReply from=2 to=3 granted=true
allow
