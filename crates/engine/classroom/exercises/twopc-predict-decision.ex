# Predict: one no vote aborts a transaction (Gray's two-phase commit).
protocol 2pc
kind predict
title What will the coordinator decide?
title.zh 协调者会做出什么决定？
scenario twopc_vote_no_aborts at 110ms
text Transaction t2 is cas(2, 7 -> 9), but key 2 holds 5 on node 3. Node 4 will vote yes. What will the coordinator (node 1) decide for t2?
text.zh 事务 t2 是 cas(2, 7 -> 9)，但节点 3 上键 2 的值是 5。节点 4 会投赞成票。协调者（节点 1）对 t2 会做出什么决定？
answer decide node=1 txn=2
field outcome
within 1s
choices commit abort
allow
