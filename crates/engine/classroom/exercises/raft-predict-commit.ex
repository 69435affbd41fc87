# Predict: a leader cut off with a minority cannot commit (Raft section 5.3).
protocol raft
kind predict
title Will this entry commit?
title.zh 这个条目会被提交吗？
scenario partitioned_leader_cannot_commit at 200ms
text Node 2 leads term 1 and has appended put(1,7) at index 2, but a partition leaves it with only node 1. Will node 2 commit index 2 within the next second?
text.zh 节点 2 是任期 1 的 leader，已在索引 2 追加了 put(1,7)，但网络分区使它只能联系到节点 1。节点 2 会在接下来的一秒内提交索引 2 吗？
answer commit node=2 index=2
within 1s
choices yes no
allow
